"""`make check` tells the truth about correct output: cases an adversary found where it cried
wolf (issue 13, row 8). Each builds a small site, then runs `pressroom check --dist` on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ROOT, add_release, build_ok, run, site_with_releases

NOW = "2026-12-01T12:00:00Z"


def _check(source: Path, dist: Path) -> None:
    checked = run("--source", str(source), "--styles", str(ROOT / "styles"), "check",
                  "--dist", str(dist), "--now", NOW)
    assert checked.code == 0, checked.err
    assert "Traceback" not in checked.err


def test_a_withdrawal_newer_than_every_release_is_no_feed_error(tmp_path: Path) -> None:
    """The feed's `updated` is its newest change, and a withdrawal (an RFC 6721 tombstone) is
    one: the check once demanded the newest entry's date instead."""
    source = site_with_releases(tmp_path / "source", [("2026-01-10", "kept")])
    (source / "2026-01-05-recalled.md").write_text(
        "---\nid: tag:press.example.org,2026-01-05:ero/recalled\nheadline: Release recalled\n"
        "summary: A release withdrawn later.\npublished: 2026-01-05\nlanguage: en\n"
        "status: withdrawn\nwithdrawn:\n  date: 2026-11-30T08:00:00+01:00\n"
        "  reason: Published in error.\n---\n\nPublished in error.\n", encoding="utf-8")
    dist = tmp_path / "dist"
    build_ok(source, dist, now=NOW)
    assert b"2026-11-30T07:00:00" in (dist / "feed" / "atom.xml").read_bytes()
    _check(source, dist)


@pytest.mark.parametrize("mark", ["\u200b", "\u200d", "\ufeff", "\u202e\u202c", "\u2060",
                                  "\u202bx\u202c", "\u2067x\u2069", "\ufe0f", "\U000e0100"],
                         ids=["zero-width-space", "zero-width-joiner", "bom", "rlo", "word-joiner",
                              "rle-closed", "rli-closed", "variation-selector-16",
                              "variation-selector-17"])
def test_an_invisible_format_character_in_a_word_is_no_missing_sentence(
        tmp_path: Path, mark: str) -> None:
    """Default-ignorable characters (format characters, variation selectors) are never seen by
    a reader, and a PDF's text may keep or drop them: a sentence holding one is not missing
    from any format."""
    source = site_with_releases(tmp_path / "source", [])
    add_release(source, "2026-02-01", "marks",
                f"The commis{mark}sioner met thirty defenders in Chihuahua on Monday.\n\n"
                "A second paragraph closes the release.")
    dist = tmp_path / "dist"
    build_ok(source, dist, now=NOW)
    _check(source, dist)


@pytest.mark.parametrize("mark", ["\u202b", "\u202e", "\u2067", "\u202c"],
                         ids=["rle", "rlo", "rli", "stray-pop"])
def test_a_direction_control_left_open_is_refused_at_its_line(tmp_path: Path, mark: str) -> None:
    """Left open, an invisible direction control turns the words after it around in every
    format (the check rightly finds the sentence missing from the PDF): it is refused at its
    line before anything is built, while a closed pair is kept."""
    source = site_with_releases(tmp_path / "source", [])
    path = add_release(source, "2026-02-01", "marks",
                       f"A first paragraph.\n\nThe commis{mark}sioner met defenders.")
    checked = run("--source", str(source), "--styles", str(ROOT / "styles"), "check")
    assert checked.code == 2, checked.err
    assert checked.err.startswith(f"{path}:13: body: invisible "), checked.err
