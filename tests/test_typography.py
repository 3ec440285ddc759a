"""The typographer only does typography: quotes, dashes and exactly three dots. Every other
character of a release (letters, digits, "(c)", "+-", ",,", "....") reaches every output as
the editor wrote it."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from pressroom.checks.pdf import extract_text
from pressroom.text.markdown import render, typography
from pressroom.text.typography import dashes_and_ellipsis

from .conftest import FIXTURES, run

TOUCHED = set("\"'“”‘’«»„‚‹›「」『』-\u2013\u2014\u2026")
"""What the typographer may change: quotation marks, apostrophes, hyphens and dashes, and
three full stops into an ellipsis."""
LEGAL = "Legal: section 7(c) and (r) and (tm) and +- and wait.... and ,, here.."


def projection(text: str) -> list[str]:
    """Letters, digits and punctuation in order, less what typography may change; an exact
    `...` counts as the ellipsis it becomes."""
    text = re.sub(r"(?<!\.)\.\.\.(?!\.)", "\u2026", text)
    return [c for c in text if not c.isspace() and c not in TOUCHED]


def test_the_issue_line_is_left_as_written() -> None:
    assert typography(LEGAL) == LEGAL
    assert "section 7(c) and (r) and (tm) and +- and wait.... and ,, here.." in render(LEGAL)


@pytest.mark.parametrize(("before", "after"), [
    ("a -- b", "a \u2013 b"), ("a --- b", "a \u2014 b"), ("a ---- b", "a ---- b"),
    ("wait...", "wait\u2026"), ("wait..", "wait.."), ("wait....", "wait...."),
    ("1990--1995", "1990\u20131995"),
])
def test_dashes_and_ellipsis(before: str, after: str) -> None:
    assert dashes_and_ellipsis(before) == after


def test_no_typography_in_code_or_bare_urls() -> None:
    out = render("`a -- b...` and <https://example.org/a--b...c>")
    assert "<code>a -- b...</code>" in out
    assert "https://example.org/a--b...c</a>" in out


SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(SAFE_TEXT, st.sampled_from(["en", "fr", "es", "ru", "ar", "zh"]))
def test_typography_never_changes_a_word(text: str, language: str) -> None:
    """Plain text (a headline, a caption) keeps every character but quotes and dashes."""
    assert projection(typography(text, language)) == projection(text)


def _inline_text(text: str, language: str) -> list[str]:
    """What markdown-it keeps of `text` as plain inline text with no typography at all
    (emphasis markers and escapes are markup, not words)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parseInline(text)
    out: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc7(),.+-'\" ", min_size=1, max_size=30), min_size=1,
                max_size=4))
def test_body_text_keeps_every_word(lines: list[str]) -> None:
    body = "\n\n".join("w " + line for line in lines)  # a word first: never a list marker
    plain = lxml_html.fromstring(f"<div>{render(body)}</div>").text_content()
    expected = "".join(_inline_text(body.replace("\n\n", " "), "en"))
    assert projection(plain) == projection(expected)


@pytest.fixture(scope="module")
def legal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("legal") / "source"
    shutil.copytree(FIXTURES / "site", source)
    note = source / "2026-02-01-short-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "The whole of the note's body.", LEGAL), encoding="utf-8")
    dist = source.parent / "dist"
    result = run("--source", str(source), "--styles", str(FIXTURES.parent.parent / "styles"),
                 "build", "--dist", str(dist), "--quiet")
    assert result.code == 0, result.err
    return dist


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("output", ["releases/2026-02-01-short-note.html", "feed/atom.xml",
                                    "feed/rss.xml", "feed/feed.json",
                                    "ninjs/2026-02-01-short-note.json"])
def test_the_legal_line_reaches_every_text_output(legal_site: Path, output: str) -> None:
    data = (legal_site / output).read_text(encoding="utf-8")
    if output.endswith(".json"):
        data = json.dumps(json.loads(data), ensure_ascii=False)
    assert LEGAL in _squash(data)


def test_the_legal_line_reaches_the_epub(legal_site: Path) -> None:
    with zipfile.ZipFile(legal_site / "epub" / "2026-02-01-short-note.epub") as book:
        text = book.read("EPUB/text.xhtml").decode("utf-8")
    assert LEGAL in _squash(text)


def test_the_legal_line_reaches_the_pdf(legal_site: Path) -> None:
    assert LEGAL in _squash(extract_text(legal_site / "pdf" / "2026-02-01-short-note.pdf"))
