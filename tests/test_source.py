"""The loader against a corpus of bad and good `source/` folders, plus unit tests of its parts.

Each directory under fixtures/bad/ is a source/ folder with an `expected.txt`: the exact stderr
lines of `pressroom --source <dir> check`, with `{dir}` standing for the directory. A case
without a publication.yaml of its own is run from a copy with fixtures/bad/_publication.yaml
added (a case keeps its own only when it differs). A case whose message pressroom does not
give yet carries an `xfail.txt` saying why; it runs as a strict xfail, so it fails loudly once
the loader is fixed and the file should be removed.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pressroom.cli import main
from pressroom.load import yamlnodes
from pressroom.load.fields import PUBLICATION, RELEASE
from pressroom.load.schema import validate
from pressroom.load.site import load_site, to_datetime

from .conftest import BAD_PUBLICATION, bad_source

FIXTURES = Path(__file__).parent / "fixtures"
BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.is_dir())
GOOD = sorted(p for p in (FIXTURES / "good").iterdir() if p.is_dir())


def _xfail_reason(case: Path) -> str | None:
    marker = case / "xfail.txt"
    return marker.read_text(encoding="utf-8").strip() if marker.exists() else None


def _params(cases: list[Path]) -> list[object]:
    params = []
    for case in cases:
        reason = _xfail_reason(case)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def run(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def expected_lines(case: Path, source: Path) -> list[str]:
    """The case's expected.txt, with `{dir}` standing for the folder it is run from."""
    text = (case / "expected.txt").read_text(encoding="utf-8")
    return [line.replace("{dir}", str(source)) for line in text.splitlines()]


# --- the corpus ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", BAD, ids=lambda p: p.name)
def test_bad_case_is_complete(case: Path) -> None:
    own = case / "publication.yaml"
    if own.exists():  # only where the shared one would not do
        assert own.read_bytes() != BAD_PUBLICATION.read_bytes(), \
            "the same as fixtures/bad/_publication.yaml: delete it"
    assert list(case.glob("*.md")), "a case needs at least one release file"
    assert expected_lines(case, case), "expected.txt must name at least one problem"


@pytest.mark.parametrize("case", _params(BAD))
def test_check_reports_bad_source(case: Path, tmp_path: Path) -> None:
    source = bad_source(case, tmp_path)
    code, _, err = run("--source", str(source), "check")
    assert "Traceback" not in err
    assert err.splitlines() == expected_lines(case, source)
    assert code == 2


@pytest.mark.parametrize("case", _params(GOOD))
def test_check_accepts_good_source(case: Path) -> None:
    code, _, err = run("--source", str(case), "check")
    assert err == ""
    assert code == 0


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and directory (None) below root, by relative path."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.mark.parametrize("case", [c for c in BAD if _xfail_reason(c) is None], ids=lambda p: p.name)
def test_build_with_bad_source_leaves_dist_untouched(case: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "releases").mkdir(parents=True)
    (dist / "feed").mkdir()
    (dist / "index.html").write_bytes(b"<html>yesterday's index</html>\n")
    (dist / "releases" / "2016-12-01-old.html").write_bytes(b"<html>an older release</html>\n")
    (dist / "feed" / "atom.xml").write_bytes(b"<feed>yesterday's feed</feed>\n")
    before = _tree(dist)

    source = bad_source(case, tmp_path)
    code, _, err = run("--source", str(source), "build", "--dist", str(dist),
                       "--format", "html,feed")

    assert code == 2
    assert "Traceback" not in err
    assert err.splitlines() == expected_lines(case, source)
    assert _tree(dist) == before


# --- good sources load as meant ------------------------------------------------------------------


def test_language_no_stays_a_string() -> None:
    (release,) = load_site(FIXTURES / "good" / "language-no").releases
    assert release.language == "no"


def test_bom_and_crlf_are_read_as_plain_utf8() -> None:
    (release,) = load_site(FIXTURES / "good" / "bom-crlf").releases
    assert release.id == "tag:press.example.org,2017-01-25:un-news/mexico-human-rights-defenders"
    assert release.headline.startswith("Fighting impunity")
    assert "\r" not in release.body and "\r" not in release.summary
    assert release.body_line == 20


def test_datetimes_with_offsets_are_kept() -> None:
    (release,) = load_site(FIXTURES / "good" / "datetime-with-offset").releases
    assert release.published.isoformat() == "2017-01-25T10:00:00+01:00"
    assert release.updated.isoformat() == "2017-01-26T09:30:00+00:00"


# --- yamlnodes.load: every value knows its line --------------------------------------------------


def test_yaml_lines_of_keys_items_and_nested_values() -> None:
    text = (
        "id: tag:x,2017:a\n"  # 1
        "# a comment\n"  # 2
        "people:\n"  # 3
        "  - Michel Forst\n"  # 4
        "  - Rolando Gómez\n"  # 5
        "dateline:\n"  # 6
        "  place: GENEVA\n"  # 7
        "summary: >-\n"  # 8
        "  folded\n"  # 9
        "  text\n"  # 10
    )
    node = yamlnodes.load(text)
    fields = node.value
    assert node.line == 1
    assert fields["id"].line == 1
    assert [item.line for item in fields["people"].value] == [4, 5]
    assert fields["dateline"].value["place"].line == 7
    assert fields["summary"] == yamlnodes.Located("folded text", 8)


def test_yaml_first_line_offsets_every_line() -> None:
    node = yamlnodes.load("id: x\nkeywords:\n  - a\n", first_line=2)
    assert node.value["id"].line == 2
    assert node.value["keywords"].value[0].line == 4


def test_yaml_empty_value_takes_its_key_line() -> None:
    node = yamlnodes.load("headline:\nlanguage: en\n", first_line=2)
    assert node.value["headline"] == yamlnodes.Located(None, 2)


def test_yaml_empty_document() -> None:
    assert yamlnodes.load("# only a comment\n", first_line=2) == yamlnodes.Located(None, 2)


def test_yaml_scalars_stay_json_like() -> None:
    node = yamlnodes.load("language: no\npublished: 2017-01-25\ndraft: true\nyes: on\n")
    assert yamlnodes.plain(node) == {
        "language": "no",
        "published": "2017-01-25",
        "draft": True,
        "yes": "on",
    }


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 4, "invalid YAML: duplicate key 'a'"),
        ("a: 1\n  b: 2\n", 3, "invalid YAML: mapping values are not allowed in this context"
         " (put a value containing ': ' in quotes)"),
        (
            "a: !!python/name:os.system x\n",
            2,
            "invalid YAML: tags such as !!python/name:os.system are not allowed; write the "
            "value without it",
        ),
        ("1: x\n", 2, "invalid YAML: key 1 is not text"),
    ],
    ids=["duplicate-key", "bad-indent", "tag", "non-text-key"],
)
def test_yaml_problem_lines(text: str, line: int, message: str) -> None:
    with pytest.raises(yamlnodes.YamlProblem) as caught:
        yamlnodes.load(text, first_line=2)
    assert (caught.value.line, caught.value.message) == (line, message)


# --- fields.validate: near-match suggestions -----------------------------------------------------


def test_unknown_field_suggests_the_near_match() -> None:
    outcome = validate(yamlnodes.load("headlin: Text\n"), {"headline": RELEASE["headline"]})
    assert outcome.problems == [
        (1, "headlin", "unknown field; did you mean 'headline'?"),
        (1, "headline", "required field is missing; e.g. 'UN expert urges action'"),
    ]


def test_unknown_field_without_near_match_lists_the_fields() -> None:
    specs = {"name": PUBLICATION["name"], "paper": PUBLICATION["paper"]}
    outcome = validate(yamlnodes.load("name: UN News\ncolour: blue\n"), specs)
    assert outcome.problems == [(2, "colour", "unknown field; known fields: name, paper")]


def test_nested_unknown_field_is_named_with_its_parent() -> None:
    outcome = validate(
        yamlnodes.load("dateline:\n  plac: GENEVA\n"), {"dateline": RELEASE["dateline"]}
    )
    assert outcome.problems == [
        (2, "dateline.plac", "unknown field; did you mean 'place'?"),
        (2, "dateline.place", "required field is missing; e.g. 'GENEVA'"),
    ]


def test_enum_value_suggests_the_near_choice() -> None:
    outcome = validate(yamlnodes.load("kind: press-releas\n"), {"kind": RELEASE["kind"]})
    assert outcome.problems == [
        (
            1,
            "kind",
            "'press-releas' is not one of press-release, news-story, statement, "
            "media-advisory, note-to-correspondents, readout, speech, fact-sheet; "
            "did you mean 'press-release'?; e.g. 'press-release'",
        ),
    ]


def test_valid_fields_give_plain_values() -> None:
    outcome = validate(
        yamlnodes.load("kind: news-story\nkeywords: [a, b]\n"),
        {"kind": RELEASE["kind"], "keywords": RELEASE["keywords"]},
    )
    assert outcome.problems == []
    assert outcome.values == {"kind": "news-story", "keywords": ("a", "b")}


# --- source.to_datetime --------------------------------------------------------------------------

NEW_YORK = ZoneInfo("America/New_York")


def test_a_date_is_noon_in_the_publication_time_zone() -> None:
    moment = to_datetime("2017-01-25", NEW_YORK)
    assert moment.isoformat() == "2017-01-25T12:00:00-05:00"


def test_a_summer_date_is_noon_daylight_saving_time() -> None:
    assert to_datetime("2017-07-04", NEW_YORK).isoformat() == "2017-07-04T12:00:00-04:00"


def test_a_datetime_keeps_its_own_offset() -> None:
    moment = to_datetime("2017-01-25T10:00:00+01:00", NEW_YORK)
    assert moment == datetime(2017, 1, 25, 10, tzinfo=timezone(timedelta(hours=1)))
    assert to_datetime("2017-01-25T09:00:00Z", NEW_YORK).utcoffset() == timedelta(0)


# --- sources that cannot be stored as fixtures: made at test time --------------------------------
# git keeps neither dangling links, link loops, FIFOs, file modes nor a folder without
# publication.yaml reliably (and a 5 MB file does not belong in the repository), so these
# cases are built in tmp_path from a good fixture.

import errno  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

RELEASE_NAME = "2017-01-25-mexico-defenders.md"


def _good_copy(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "good" / "language-no", source)
    return source


def _check_fails_with(source: Path, *lines: str) -> None:
    code, _, err = run("--source", str(source), "check")
    assert "Traceback" not in err
    assert err.splitlines() == [line.replace("{dir}", str(source)) for line in lines]
    assert code == 2


# Two good sources live here rather than in fixtures/good/: test_cli's schema test reads every
# good fixture with a front-matter splitter that knows neither lone CR nor a '...' close.


def test_lone_cr_line_ends_are_read_as_plain_newlines(tmp_path: Path) -> None:
    source = _good_copy(tmp_path)
    path = source / RELEASE_NAME
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))  # old Mac OS line ends
    assert b"\n" not in path.read_bytes()
    code, _, err = run("--source", str(source), "check")
    assert (code, err) == (0, "")
    (release,) = load_site(source).releases
    assert release.headline.startswith("Fighting impunity")
    assert "\r" not in release.body and "\r" not in release.summary
    assert release.body_line == 20


def test_front_matter_may_be_closed_by_three_dots(tmp_path: Path) -> None:
    source = _good_copy(tmp_path)
    path = source / RELEASE_NAME
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - special-procedures\n---\n", "  - special-procedures\n...\n"),
                    encoding="utf-8")
    assert "\n...\n" in path.read_text(encoding="utf-8")
    code, _, err = run("--source", str(source), "check")
    assert (code, err) == (0, "")
    (release,) = load_site(source).releases
    assert release.body_line == 20


def test_a_release_that_is_a_dangling_link_cannot_be_read(tmp_path: Path) -> None:
    source = _good_copy(tmp_path)
    (source / "2017-01-26-broken.md").symlink_to("missing-target")
    _check_fails_with(source, "{dir}/2017-01-26-broken.md: cannot read: No such file or directory")


def test_a_release_that_is_a_link_loop_cannot_be_read(tmp_path: Path) -> None:
    source = _good_copy(tmp_path)
    (source / "2017-01-26-loop.md").symlink_to("2017-01-26-loop.md")
    _check_fails_with(source,
                      "{dir}/2017-01-26-loop.md: cannot read: Too many levels of symbolic links")


def test_an_unreadable_release_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    source = _good_copy(tmp_path)
    target = source / RELEASE_NAME
    if os.geteuid() == 0:  # root reads a mode-000 file anyway: refuse the read as the OS would
        real = Path.read_bytes

        def refused(self: Path) -> bytes:
            if self.name == RELEASE_NAME:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", refused)
    else:
        target.chmod(0)
    try:
        _check_fails_with(source, f"{{dir}}/{RELEASE_NAME}: cannot read: Permission denied")
    finally:
        target.chmod(0o644)


def test_a_missing_publication_yaml_is_reported(tmp_path: Path) -> None:
    source = _good_copy(tmp_path)
    (source / "publication.yaml").unlink()
    _check_fails_with(source, "{dir}/publication.yaml: missing: every source/ needs one")


def test_a_publication_yaml_that_is_a_directory_is_reported(tmp_path: Path) -> None:
    source = _good_copy(tmp_path)
    (source / "publication.yaml").unlink()
    (source / "publication.yaml").mkdir()
    _check_fails_with(source, "{dir}/publication.yaml: is a directory, not a file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_fifo_named_like_a_source_is_refused_without_reading(tmp_path: Path) -> None:
    source = _good_copy(tmp_path)
    os.mkfifo(source / "2017-01-26-pipe.md")
    result = subprocess.run([sys.executable, "-m", "pressroom", "--source", str(source), "check"],
                            capture_output=True, text=True, timeout=10)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{source}/2017-01-26-pipe.md: is not a regular file"]
    assert result.returncode == 2


def test_a_5_mb_release_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    source = _good_copy(tmp_path)
    path = source / RELEASE_NAME
    line = b"Mr. Forst visited Mexico from 16 to 24 January 2017, crisscrossing the country.\n"
    data = path.read_bytes() + line * (5_000_000 // len(line) + 1)
    path.write_bytes(data[:5_000_000])
    _check_fails_with(source, f"{{dir}}/{RELEASE_NAME}: file is 5.0 MB; a release may be at most "
                      "1 MB")
