"""One validation path: what `pressroom check` accepts renders in every format, and what
cannot be rendered is refused by `pressroom check` (and `make`, before dist/ is touched) as
`path:line: field: message` with a documented exit code (issue 13).

Most bad inputs are cases of fixtures/bad/ (run by test_source.py: the exact message, exit 2,
dist/ unchanged); the cases here need a file system (links, permissions, a cache), the
environment, a build, or more than one file. Each test is named after the promise it keeps.
"""

from __future__ import annotations

import errno
import os
import shutil
import zoneinfo
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pressroom.errors import SourceError, UsageError
from pressroom.load import glyphs, site, yamlnodes, zones
from pressroom.load.fields import RELEASE
from pressroom.load.site import MAX_STEM, load_site
from pressroom.text import markdown
from pressroom.text.markdown import MAX_PARAGRAPH, MAX_SPANS

from .conftest import FIXTURES, ROOT, add_release, build, build_ok, release_text, run

SITE = FIXTURES / "site"
SHORT = "2026-02-01-short-note"
PHOTO = FIXTURES / "newsroom" / "images" / "water-point.jpg"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A writable copy of the test site (two releases, Europe/Zurich)."""
    target = tmp_path / "source"
    shutil.copytree(SITE, target)
    return target


def check(folder: Path, *args: str) -> tuple[int, list[str]]:
    """`pressroom check` of a source folder: (exit code, stderr lines); never a traceback."""
    result = run("--source", str(folder), "--styles", str(ROOT / "styles"), "check", *args)
    assert "Traceback" not in result.err
    return result.code, result.err.splitlines()


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def set_body(path: Path, body: str) -> None:
    text = path.read_text(encoding="utf-8")
    front = text[: text.index("\n---\n", 4) + 5]
    path.write_text(front + "\n" + body, encoding="utf-8")


# --- 1. characters no output can show ------------------------------------------------------------


@pytest.mark.parametrize("char", [*sorted(glyphs.REFUSED), "\u1680"])
def test_format_characters_no_output_can_show_are_refused_at_their_line(
        source: Path, char: str) -> None:
    release = source / f"{SHORT}.md"
    set_body(release, f"First paragraph.\n\nThe whole{char}of the note.\n")
    code, err = check(source)
    assert code == 2
    (line,) = err
    assert line.startswith(f"{release}:14: body: character {char!r} (U+{ord(char):04X} ")
    assert "remove it" in line


def test_an_escaped_paragraph_separator_in_a_summary_is_refused_at_its_line(
        source: Path) -> None:
    release = source / f"{SHORT}.md"
    text = release.read_text(encoding="utf-8")
    release.write_text(text.replace("summary: A one-paragraph summary of a short note.",
                                    'summary: "A one-paragraph\\u2029summary."'), encoding="utf-8")
    assert check(source) == (2, [f"{release}:6: character U+2029 (paragraph separator) is not "
                                 "allowed in front matter; use a space"])


def test_every_line_with_a_separator_is_named(source: Path) -> None:
    release = source / f"{SHORT}.md"
    set_body(release, "One\u2028two.\n\nThree\u2029four\u2028five.\n\nSix\u2028.\n")
    code, err = check(source)
    assert code == 2
    assert [line.split(": body: ")[0] for line in err] == [
        f"{release}:12", f"{release}:14", f"{release}:16"]


# --- 3. dates the outputs can carry --------------------------------------------------------------


@pytest.mark.parametrize(("zone", "published", "utc"), [
    ("Pacific/Tongatapu", "1000-01-01", "0999-12-31T23:40:48Z"),  # noon, 12:19:12 east (LMT)
    ("Europe/Zurich", "1000", "0999-12-31T23:25:52Z")])  # a year alone: its first instant
def test_a_date_alone_is_refused_when_its_utc_instant_is_before_the_year_1000(
        source: Path, zone: str, published: str, utc: str) -> None:
    _zone(source, zone)
    release = source / f"{SHORT}.md"
    release.write_text(release.read_text(encoding="utf-8").replace(
        "published: 2026-02-01", f"published: '{published}'\nupdated: 2026-02-01"),
        encoding="utf-8")
    assert check(source) == (2, [
        f"{release}:7: published: '{published}' is {utc} in UTC: out of range "
        "(the years 1000 to 9998, as written and in UTC)"])


def test_the_last_moments_the_outputs_carry_are_refused_beyond_9998(source: Path) -> None:
    release = source / f"{SHORT}.md"
    release.write_text(release.read_text(encoding="utf-8").replace(
        "published: 2026-02-01", "published: 2026-02-01\nupdated: '9998-12-31T20:00:00-05:00'"),
        encoding="utf-8")
    assert check(source) == (2, [
        f"{release}:8: updated: '9998-12-31T20:00:00-05:00' is 9999-01-01T01:00:00Z in UTC: "
        "out of range (the years 1000 to 9998, as written and in UTC)"])


def test_the_docs_give_the_true_range_of_dates() -> None:
    from pressroom.load.docs import render_markdown

    assert "in the years 1000 to 9998, as written and in UTC" in RELEASE["published"].help
    assert "in the years 1000 to 9998, both as written and in UTC" in render_markdown()


# --- 4. the logo and release files are read from source/ only ------------------------------------


LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
        '<rect width="120" height="40" fill="#0b5394"/></svg>')


def _with_logo(source: Path, logo: str) -> int:
    """publication.yaml with `logo: <logo>`; the line of that field."""
    publication = source / "publication.yaml"
    text = publication.read_text(encoding="utf-8") + f"logo: {logo}\n"
    publication.write_text(text, encoding="utf-8")
    return text.count("\n")


def test_a_logo_that_is_a_link_outside_source_is_refused_at_its_line(
        source: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.svg").write_text(LOGO, encoding="utf-8")
    (source / "logo.svg").symlink_to(tmp_path / "outside.svg")
    line = _with_logo(source, "logo.svg")
    assert check(source) == (2, [
        f"{source}/publication.yaml:{line}: logo: 'logo.svg' leads outside source/ (a symbolic "
        "link?); copy the image into source/"])


def test_a_logo_that_is_not_an_image_is_refused_at_its_line(source: Path) -> None:
    (source / "logo.svg").write_text("our logo\n", encoding="utf-8")
    (source / "logo.png").write_text(LOGO, encoding="utf-8")
    line = _with_logo(source, "logo.png")
    code, err = check(source)
    assert (code, err) == (2, [f"{source}/publication.yaml:{line}: logo: 'logo.png' is an SVG "
                               "image; rename it to .svg"])
    publication = source / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace(
        "logo: logo.png", "logo: logo.svg"), encoding="utf-8")
    code, err = check(source)
    assert code == 2 and err[0].startswith(f"{source}/publication.yaml:{line}: logo: 'logo.svg' ")


def test_a_valid_logo_still_builds(source: Path, tmp_path: Path) -> None:
    (source / "images").mkdir()
    (source / "images" / "logo.svg").write_text(LOGO, encoding="utf-8")
    _with_logo(source, "images/logo.svg")
    assert check(source) == (0, [])
    build_ok(source, tmp_path / "dist", "--format", "pdf", "--no-cache")


def test_a_release_file_that_links_outside_source_is_refused(source: Path,
                                                              tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(release_text("2026-04-01", "linked"), encoding="utf-8")
    link = source / "2026-04-01-linked.md"
    link.symlink_to(outside)
    assert check(source) == (2, [f"{link}: leads outside source/ (a symbolic link?); copy the "
                                 "file into source/"])
    link.unlink()
    link.symlink_to(f"{SHORT}.md")  # a link inside source/ is a file of source/
    code, err = check(source)
    assert code == 2 and err == [f"{link}:3: id: 'tag:press.example.org,2026-02-01:ero/short-"
                                 "note'"
                                 f" is already used by {source / SHORT}.md"]


# --- 5. the source cache never skips a check of the file system ----------------------------------


def _site_with_photo(source: Path) -> Path:
    (source / "images").mkdir()
    shutil.copyfile(PHOTO, source / "images" / "photo.jpg")
    release = source / f"{SHORT}.md"
    text = release.read_text(encoding="utf-8")
    release.write_text(text.replace("keywords: [notes]\n", "keywords: [notes]\nimage:\n  src: "
                                    "images/photo.jpg\n  alt: A water tank\n"), encoding="utf-8")
    return release


def _swap_for_link(path: Path, outside: Path) -> None:
    """Replace `path` by a link to `outside`, a file of the same size and times."""
    shutil.copyfile(path, outside)
    info = path.stat()
    os.utime(outside, ns=(info.st_atime_ns, info.st_mtime_ns))
    path.unlink()
    path.symlink_to(outside)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)


def test_the_cache_never_publishes_a_picture_swapped_for_a_link_outside_source(
        source: Path, tmp_path: Path) -> None:
    release = _site_with_photo(source)
    dist = tmp_path / "dist"
    build_ok(source, dist, "--format", "html")  # the cache now holds the release
    assert (tmp_path / ".build" / "cache").is_dir()
    before = tree(dist)
    _swap_for_link(source / "images" / "photo.jpg", tmp_path / "outside.jpg")
    message = (f"{release}:11: image.src: 'images/photo.jpg' leads outside source/ (a symbolic "
               "link?); copy the image into source/")
    assert check(source) == (2, [message])
    result = build(source, dist, "--format", "html")
    assert (result.code, result.err.splitlines()) == (2, [message])
    assert tree(dist) == before


def test_the_cache_never_reads_a_release_swapped_for_a_link_outside_source(
        source: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build_ok(source, dist, "--format", "html")
    before = tree(dist)
    release = source / f"{SHORT}.md"
    _swap_for_link(release, tmp_path / "outside.md")
    result = build(source, dist, "--format", "html")
    assert (result.code, result.err.splitlines()) == (2, [
        f"{release}: leads outside source/ (a symbolic link?); copy the file into source/"])
    assert tree(dist) == before


def _unreadable(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Reading a file named `name` fails as a mode-000 file does (root reads those anyway)."""
    read_bytes = Path.read_bytes
    access = os.access

    def refused(self: Path) -> bytes:
        if self.name == name:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return read_bytes(self)

    def no_access(path: Any, mode: int, **kwargs: Any) -> bool:
        return Path(path).name != name and access(path, mode, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", refused)
    monkeypatch.setattr(site.os, "access", no_access)


# --- 11. unreadable sources: exit 2, `path: cannot read: ...` -----------------------------------


@pytest.mark.parametrize("name", ["publication.yaml", f"{SHORT}.md"])
def test_an_unreadable_source_is_a_source_error_even_when_cached(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    dist = tmp_path / "dist"
    build_ok(source, dist, "--format", "feed")  # the cache holds every release
    before = tree(dist)
    _unreadable(monkeypatch, name)
    expected = [f"{source / name}: cannot read: Permission denied"]
    assert check(source) == (2, expected)
    result = build(source, dist, "--format", "feed")
    assert (result.code, result.err.splitlines()) == (2, expected)
    assert tree(dist) == before


# --- 6. time zones from the tzdata package, by place ---------------------------------------------


def _zone(source: Path, name: str) -> None:
    publication = source / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace(
        "timezone: Europe/Zurich", f"timezone: {name}"), encoding="utf-8")


@pytest.mark.parametrize(("alias", "zone"), [("US/Eastern", "America/New_York"),
                                             ("Asia/Calcutta", "Asia/Kolkata"),
                                             ("UTC", "Etc/UTC")])
def test_a_legacy_alias_is_read_as_the_zone_it_links_to(source: Path, alias: str,
                                                        zone: str) -> None:
    _zone(source, alias)
    loaded = load_site(source)
    assert loaded.publication.timezone == zone
    short = next(r for r in loaded.releases if r.slug == SHORT)
    assert short.published.utcoffset() == zones.zone(zone).utcoffset(short.published)


@pytest.mark.parametrize("name", ["localtime", "posixrules", "Factory", "EST", "MST7MDT", "GB",
                                  "Japan", "Etc/GMT+5", "GMT", "Europe/Geneva", "europe/zurich"])
def test_only_iana_names_of_places_are_time_zones(source: Path, name: str) -> None:
    _zone(source, name)
    code, err = check(source)
    assert code == 2
    (line,) = err
    assert line.startswith(f"{source}/publication.yaml:9: timezone: {name!r} ")
    assert zones.canonical(name) is None and zones.problem(name) in line


@pytest.fixture
def machine_zones(tmp_path: Path) -> Iterator[Path]:
    """A machine whose zoneinfo folder has a `localtime` and a wrong Europe/Zurich (Tokyo's
    rules): the loader must read neither."""
    folder = tmp_path / "zoneinfo"
    (folder / "Europe").mkdir(parents=True)
    tokyo = zones._package().joinpath("Asia", "Tokyo").read_bytes()
    (folder / "Europe" / "Zurich").write_bytes(tokyo)
    (folder / "localtime").write_bytes(tokyo)
    zoneinfo.reset_tzpath(to=[str(folder)])
    zoneinfo.ZoneInfo.clear_cache()
    try:
        winter = zoneinfo.ZoneInfo("Europe/Zurich").utcoffset(datetime(2026, 2, 1))
        assert winter == timedelta(hours=9)  # the machine's wrong file is what zoneinfo reads
        yield folder
    finally:
        zoneinfo.reset_tzpath()
        zoneinfo.ZoneInfo.clear_cache()


def test_zones_come_from_the_tzdata_package_not_the_machine(source: Path,
                                                            machine_zones: Path) -> None:
    short = next(r for r in load_site(source).releases if r.slug == SHORT)
    assert short.published.isoformat() == "2026-02-01T12:00:00+01:00"  # Zurich, not Tokyo
    _zone(source, "localtime")
    assert check(source)[0] == 2


# --- 7. SOURCE_DATE_EPOCH ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["²", "99999999999999999", "-1", "1e9", " 86400", "", "9" * 5000])
def test_a_wrong_source_date_epoch_names_the_variable_and_exits_64(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = build(SITE, tmp_path / "dist", "--format", "feed", "--no-cache")
    assert result.code == UsageError.exit_code == 64
    assert result.err.startswith(f"SOURCE_DATE_EPOCH: {value!r} is not a number of seconds "
                                 "since 1970-01-01T00:00:00Z from 0 to 253370764799")
    assert "Traceback" not in result.err and not (tmp_path / "dist").exists()


def test_the_exit_codes_are_documented_in_the_help() -> None:
    result = run("--help")
    assert "64 usage (a wrong option, or a wrong\nSOURCE_DATE_EPOCH or PRESSROOM_NOW)" \
        in result.out
    assert "2 invalid sources (unreadable ones included)" in result.out


# --- 8. file names whose outputs would not fit a file system -------------------------------------


def test_a_file_name_too_long_for_its_outputs_is_refused_at_check_time(source: Path) -> None:
    stem = "2026-04-01-" + "a" * 229
    path = add_release(source, "2026-04-01", "a" * 229)
    assert path.stem == stem and len(path.stem) == 240
    assert check(source) == (2, [
        f"{path}: file name is 240 characters before '.md'; it may have at most {MAX_STEM} (it "
        "names the outputs, and a file name may have at most 255 bytes): shorten it"])


def test_a_picture_whose_published_name_is_too_long_is_refused_at_its_line(
        source: Path) -> None:
    picture = "c" * 210 + ".jpg"
    (source / "images").mkdir()
    shutil.copyfile(PHOTO, source / "images" / picture)
    release = source / f"{SHORT}.md"
    set_body(release, f"Text.\n\n![A tank](images/{picture})\n")
    code, err = check(source)
    assert code == 2
    assert err == [f"{release}:14: body: 'images/{picture}' would be published as "
                   f"'{SHORT}--{'c' * 210}.jpg', a file name of 237 characters; it may have at "
                   "most 233: shorten the picture's file name"]


def test_the_longest_file_name_accepted_builds_every_format(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copyfile(SITE / "publication.yaml", source / "publication.yaml")
    path = add_release(source, "2026-04-01", "b" * (MAX_STEM - 11))
    assert len(path.stem) == MAX_STEM
    (source / "images").mkdir()
    shutil.copyfile(PHOTO, source / "images" / ("p" * 20 + ".jpg"))
    set_body(path, f"Text.\n\n![A tank](images/{'p' * 20}.jpg)\n")
    build_ok(source, tmp_path / "dist", "--no-cache", "--drafts")


# --- 9. YAML tags on any node --------------------------------------------------------------------


@pytest.mark.parametrize(("text", "tag"), [
    ("a: !!map {b: c}\n", "!!map"), ("a: !!seq [b]\n", "!!seq"), ("a: !!str b\n", "!!str"),
    ("a: !foo b\n", "!foo"), ("a: ! b\n", "!"), ("!!map\na: b\n", "!!map"),
    ("a:\n  - !<tag:example.org,2024:x> b\n", "!<tag:example.org,2024:x>"),
    ("? !!str a\n: b\n", "!!str")])
def test_any_yaml_tag_on_any_node_is_refused_at_its_line(text: str, tag: str) -> None:
    with pytest.raises(yamlnodes.YamlProblem) as caught:
        yamlnodes.load(text, first_line=2)
    line = 2 + text[: text.index(tag)].count("\n")
    assert caught.value.problems == [
        (line, f"invalid YAML: tags such as {tag} are not allowed; write the value without it")]


def test_an_exclamation_mark_in_text_is_no_tag() -> None:
    node = yamlnodes.load("headline: Act now!\nsummary: '!important'\n")
    assert yamlnodes.plain(node) == {"headline": "Act now!", "summary": "!important"}


# --- 12. long texts: linear quotes, and paragraphs that can be printed ---------------------------


def _markdown_its(language: str) -> MarkdownIt:
    """pressroom's Markdown with markdown-it's own `smartquotes` instead of pressroom's."""
    md = markdown._make(language)
    md.enable("smartquotes")
    md.disable("pressroom_quotes")
    return md


QUOTED = st.lists(st.sampled_from(["'", '"', "a", "1", " ", "\n", "*", "_", "`", "(", ".",
                                   "\\", "[x](https://e.org)", "\n\n", "> ", "«", "-"]),
                  max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=QUOTED, language=st.sampled_from(["en", "fr", "ru", "zh"]))
def test_smart_quotes_are_those_of_markdown_it(text: str, language: str) -> None:
    assert markdown._make(language).render(text) == _markdown_its(language).render(text)


def test_a_long_paragraph_of_stray_quotes_gets_its_quotes() -> None:
    text = "\"a' " * 20_000  # took markdown-it's rule minutes; see the report of issue 13
    html = markdown.render(text)
    assert html.count("\u2019") == 20_000 and html.count("\u201c") == 0
    assert "\"" not in html.replace("&quot;", "")


def test_a_paragraph_too_long_to_print_is_an_error_at_its_line(source: Path) -> None:
    release = source / f"{SHORT}.md"
    words = "Word and words. " * (MAX_PARAGRAPH // 16 + 1)
    set_body(release, f"A short paragraph.\n\n{words}\n")
    code, err = check(source)
    assert code == 2
    assert err == [f"{release}:14: body: this paragraph has {len(words.strip())} characters; a "
                   f"paragraph may have at most {MAX_PARAGRAPH} (a longer one takes minutes to "
                   "print): split it"]


def test_a_paragraph_with_too_much_markup_to_print_is_an_error_at_its_line(
        source: Path) -> None:
    release = source / f"{SHORT}.md"
    set_body(release, "Fine *with* some **markup**.\n\n" + "*a**" * (MAX_SPANS + 1) + "\n")
    code, err = check(source)
    assert code == 2
    (line,) = err
    assert line.startswith(f"{release}:14: body: this paragraph has ")
    assert line.endswith(f"emphasized, linked or code passages; a paragraph may have at most "
                         f"{MAX_SPANS} (more take minutes to print): split it or remove "
                         "some markup")


# --- 13. drafts: an unfinished one never stops the others ----------------------------------------


UNFINISHED = ("---\nid: tag:press.example.org,2026-04-01:ero/unfinished\nheadline: Unfinished\n"
              "status: draft\nsummary:\npublished: 2026-04-01\nlanguage: en\n---\n\n")


def _warnings(path: Path) -> list[str]:
    return [f"{path}:5: summary: must not be empty; e.g. {RELEASE['summary'].example!r} "
            "(draft: not published)",
            f"{path}:9: body: the release has no text after the front matter "
            "(draft: not published)"]


def test_an_unfinished_draft_is_a_warning_and_the_others_publish(source: Path,
                                                                 tmp_path: Path) -> None:
    draft = source / "2026-04-01-unfinished.md"
    draft.write_text(UNFINISHED, encoding="utf-8")
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "check")
    assert (result.code, result.err.splitlines()) == (0, _warnings(draft))
    assert result.out == "sources: 2 release(s) valid\n"
    dist = tmp_path / "dist"
    built = build(source, dist, "--format", "html,feed")
    assert (built.code, built.err.splitlines()) == (0, _warnings(draft))
    assert sorted(p.name for p in (dist / "releases").iterdir()) == [
        "2026-02-01-short-note.html", "2026-03-10-water-rights.html"]
    assert "unfinished" not in (dist / "feed" / "atom.xml").read_text(encoding="utf-8")


def test_the_same_problems_in_a_release_that_is_not_a_draft_stay_errors(
        source: Path, tmp_path: Path) -> None:
    path = source / "2026-04-01-unfinished.md"
    path.write_text(UNFINISHED.replace("status: draft\n", "status: published\n"),
                    encoding="utf-8")
    errors = [line.replace(" (draft: not published)", "") for line in _warnings(path)]
    assert check(source) == (2, errors)
    result = build(source, tmp_path / "dist", "--format", "html")
    assert (result.code, result.err.splitlines()) == (2, errors)
    assert not (tmp_path / "dist").exists()


def test_with_drafts_an_invalid_draft_is_an_error(source: Path, tmp_path: Path) -> None:
    path = source / "2026-04-01-unfinished.md"
    path.write_text(UNFINISHED, encoding="utf-8")
    errors = [line.replace(" (draft: not published)", "") for line in _warnings(path)]
    assert check(source, "--drafts") == (2, errors)
    result = build(source, tmp_path / "dist", "--format", "pdf", "--drafts")
    assert (result.code, result.err.splitlines()) == (2, errors)


def test_a_draft_whose_front_matter_is_not_yaml_yet_is_still_a_draft(source: Path) -> None:
    path = source / "2026-04-01-unfinished.md"
    path.write_text(UNFINISHED.replace("headline: Unfinished\n", "headline: [Unfinished\n"),
                    encoding="utf-8")
    code, err = check(source)
    assert code == 0
    assert err[0].startswith(f"{path}:3: invalid YAML: ")
    assert all(line.endswith(" (draft: not published)") for line in err)


def test_a_draft_with_a_character_no_font_has_is_a_warning(source: Path) -> None:
    path = source / "2026-04-01-unfinished.md"
    path.write_text(UNFINISHED.replace("summary:\n", "summary: A summary \U0001F600.\n")
                    + "Text.\n", encoding="utf-8")
    code, err = check(source)
    assert code == 0
    (line,) = err
    assert line.startswith(f"{path}:5: summary: character '\U0001F600' (U+1F600 GRINNING FACE)")
    assert line.endswith("(draft: not published)")
    assert [r.slug for r in load_site(source, styles_dir=ROOT / "styles").releases] == [
        "2026-03-10-water-rights", SHORT]


def test_a_release_whose_translation_is_an_unfinished_draft_still_publishes(
        source: Path) -> None:
    release = source / f"{SHORT}.md"
    release.write_text(release.read_text(encoding="utf-8").replace(
        "language: en\n", "language: en\ntranslation_group: note\n"), encoding="utf-8")
    draft = source / "2026-04-01-unfinished.md"
    draft.write_text(UNFINISHED.replace("language: en\n", "language: fr\ntranslation_group: "
                                        "note\n"), encoding="utf-8")
    code, err = check(source)
    assert code == 0 and all(line.endswith("(draft: not published)") for line in err)
    release.write_text(release.read_text(encoding="utf-8").replace("translation_group: note",
                                                                   "translation_group: nota"),
                       encoding="utf-8")
    code, err = check(source)
    assert code == 2
    assert err[0].startswith(f"{release}:9: translation_group: no other release is in group "
                             "'nota'")


def test_a_valid_draft_is_left_out_and_an_invalid_one_too(source: Path) -> None:
    good = source / "2026-04-02-ready-draft.md"
    good.write_text(UNFINISHED.replace("summary:\n", "summary: Ready.\n").replace(
        "unfinished", "ready-draft") + "Text.\n", encoding="utf-8")
    (source / "2026-04-01-unfinished.md").write_text(UNFINISHED, encoding="utf-8")
    loaded = load_site(source)
    assert [r.slug for r in loaded.releases] == ["2026-04-02-ready-draft",
                                                 "2026-03-10-water-rights", SHORT]
    assert loaded.drafts_left_out == ("2026-04-01-unfinished",)
    with pytest.raises(SourceError):
        load_site(source, drafts=True)



def test_a_draft_that_reuses_an_id_yields_to_the_published_release(source: Path) -> None:
    draft = source / "2026-01-01-copy.md"  # read first: the clash is still the draft's
    text = UNFINISHED.replace("2026-04-01:ero/unfinished", "2026-02-01:ero/short-note")
    draft.write_text(text.replace("summary:\n", "summary: A copy.\n") + "Text.\n",
                     encoding="utf-8")
    code, err = check(source)
    assert code == 0
    assert err == [f"{draft}:2: id: 'tag:press.example.org,2026-02-01:ero/short-note' is "
                   f"already used by {source / SHORT}.md (draft: not published)"]


@pytest.mark.slow  # nested make
@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_publishes_the_others_and_a_second_make_does_nothing(tmp_path: Path) -> None:
    from .test_make import new_project, ok

    project = new_project(tmp_path / "project")
    draft = project.root / "source" / "2026-04-01-unfinished.md"
    draft.write_text(UNFINISHED, encoding="utf-8")
    first = ok(project.make())
    # two problems, told once: one pressroom build makes every format
    assert first.stderr.count("(draft: not published)") == 2
    assert (project.dist / "releases" / f"{SHORT}.html").is_file()
    assert not list(project.dist.rglob("*unfinished*"))
    second = ok(project.make())
    assert "pressroom build" not in second.stdout + second.stderr
