"""The build engine: the worker pool, the source cache, `--changed` selection, orphans, render
failures and progress output, on a copy of the test site with three more releases (five: the
pool is used only for more than two stale releases).

Builds run in-process (`pressroom.cli.main`); tests that change sources or dist/ work on private
copies (mtimes kept) of a site built once per module.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import pressroom.load.site
import pressroom.prepare.templates
import pressroom.text.markdown
from pressroom.build import BuildOptions
from pressroom.build import build as build_api
from pressroom.errors import RenderError
from pressroom.progress import Progress
from pressroom.render import FORMATS, READS

from .conftest import (
    FIXTURES,
    ROOT,
    Run,
    build,
    build_ok,
    rewritten,
    run,
    site_with_releases,
    snapshot,
)

STYLES = ROOT / "styles"
EXTRA = (("2025-11-05", "november"), ("2025-12-01", "december-one"),
         ("2025-12-15", "december-two"))
SLUGS = ("2026-03-10-water-rights", "2026-02-01-short-note", "2025-12-15-december-two",
         "2025-12-01-december-one", "2025-11-05-november")
"""Newest first: the order in which a build renders them."""
BOILERPLATE_START = ("The Example Rights Office is an imaginary", "See <https://www.example.org")
"""The publication's boilerplate paragraphs (rendered on every build, never cached)."""
PER_RELEASE = ("pdf/{}.pdf", "epub/{}.epub", "releases/{}.html")


def make_source(target: Path) -> Path:
    return site_with_releases(target, EXTRA)


def outputs_of(*slugs: str, patterns: tuple[str, ...] = PER_RELEASE) -> set[str]:
    return {p.format(s) for p in patterns for s in slugs}


def touch(path: Path) -> None:
    """A new mtime (and so a changed file for make and the cache), same bytes."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))


@dataclass
class Site:
    source: Path
    dist: Path

    def md(self, slug: str) -> Path:
        return self.source / f"{slug}.md"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Five releases; PDF, EPUB and web built serially (`--jobs 1`). Do not change it."""
    root = tmp_path_factory.mktemp("build")
    source = make_source(root / "source")
    build_ok(source, root / "dist", "--format", "pdf,epub,html", "--jobs", "1")
    return Site(source, root / "dist")


@pytest.fixture
def copy(site: Site, tmp_path: Path) -> Site:
    mine = Site(tmp_path / "source", tmp_path / "dist")
    shutil.copytree(site.source, mine.source)
    shutil.copytree(site.dist, mine.dist)
    return mine


@pytest.fixture
def fresh(tmp_path: Path) -> Site:
    """Unbuilt sources."""
    return Site(make_source(tmp_path / "source"), tmp_path / "dist")


# --- the worker pool ------------------------------------------------------------------------------


def test_parallel_build_is_byte_identical_to_serial(site: Site, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    contexts: list[str] = []
    real = multiprocessing.get_context

    def spy(method: str | None = None) -> Any:
        contexts.append(str(method))
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    parallel = tmp_path / "dist"
    build_ok(site.source, parallel, "--format", "pdf,epub,html", "--jobs", "2")
    assert contexts == ["fork", "fork", "fork"]  # one pool per per-release format
    serial = {k: v[1] for k, v in snapshot(site.dist).items()}
    both = {k: v[1] for k, v in snapshot(parallel).items()}
    assert outputs_of(*SLUGS) <= set(serial)
    assert both == serial


def test_two_stale_releases_are_rendered_without_a_pool(copy: Site,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(method: str | None = None) -> Any:
        raise AssertionError("a pool was started for two releases")

    monkeypatch.setattr(multiprocessing, "get_context", no_pool)
    paths = [copy.md(SLUGS[0]), copy.md(SLUGS[1])]
    for path in paths:
        touch(path)
    build_ok(copy.source, copy.dist, "--format", "epub", "--jobs", "2", "--changed",
             *map(str, paths))


# --- the source cache -----------------------------------------------------------------------------


class Calls:
    """Counts calls of pressroom.load.site.load_release (a parse) and markdown.render."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.parsed: list[str] = []
        self.rendered = 0
        load, render = pressroom.load.site.load_release, pressroom.text.markdown.render

        def counting_load(path: Path, *args: Any, **kwargs: Any) -> Any:
            self.parsed.append(path.stem)
            return load(path, *args, **kwargs)

        def counting_render(text: str, *args: Any, **kwargs: Any) -> Any:
            if not text.startswith(BOILERPLATE_START):  # boilerplate is rendered every build
                self.rendered += 1
            return render(text, *args, **kwargs)

        monkeypatch.setattr(pressroom.load.site, "load_release", counting_load)
        monkeypatch.setattr(pressroom.text.markdown, "render", counting_render)

    def reset(self) -> None:
        self.parsed, self.rendered = [], 0


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    return Calls(monkeypatch)


def html_build(site: Site) -> Run:
    return build_ok(site.source, site.dist, "--format", "html")


def cache_file(site: Site) -> Path:
    return site.dist.parent / ".build" / "cache" / "dist-sources.json"


def test_second_build_loads_every_source_from_the_cache(fresh: Site, calls: Calls) -> None:
    html_build(fresh)
    assert sorted(calls.parsed) == sorted(SLUGS)
    assert calls.rendered == len(SLUGS)
    stored = json.loads(cache_file(fresh).read_text(encoding="utf-8"))
    assert set(stored["entries"]) == {f"{slug}.md" for slug in SLUGS}
    before = snapshot(fresh.dist)
    cached = cache_file(fresh).stat().st_mtime_ns
    calls.reset()
    html_build(fresh)
    assert calls.parsed == [] and calls.rendered == 0
    after = snapshot(fresh.dist)
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in before.items()}
    assert cache_file(fresh).stat().st_mtime_ns == cached  # not rewritten


def test_an_edited_source_alone_is_parsed_again(fresh: Site, calls: Calls) -> None:
    html_build(fresh)
    path = fresh.md("2025-12-01-december-one")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "published: 2025-12-01", "published: 2025-12-02"), encoding="utf-8")
    calls.reset()
    html_build(fresh)
    assert calls.parsed == ["2025-12-01-december-one"]
    page = (fresh.dist / "releases" / "2025-12-01-december-one.html").read_text("utf-8")
    assert "2 December 2025" in page and "1 December 2025" not in page


def test_an_edited_headline_and_body_show_up(fresh: Site) -> None:
    html_build(fresh)
    path = fresh.md("2025-12-01-december-one")
    path.write_text(path.read_text(encoding="utf-8")
                    .replace("headline: Release december-one", "headline: A corrected headline")
                    .replace("Body of the december-one release.", "A corrected body."),
                    encoding="utf-8")
    html_build(fresh)
    page = (fresh.dist / "releases" / "2025-12-01-december-one.html").read_text("utf-8")
    assert "A corrected headline" in page
    assert "A corrected body." in page


@pytest.mark.parametrize("garbage", [b"\x00\xffnot json", b'{"key": "abc", "entr', b"[1, 2]",
                                     b'"a string"', b'{"key": "stale", "entries": {}}'],
                         ids=["binary", "truncated", "list", "string", "other-key"])
def test_a_corrupt_cache_is_ignored(fresh: Site, calls: Calls, garbage: bytes) -> None:
    html_build(fresh)
    cache_file(fresh).write_bytes(garbage)
    calls.reset()
    html_build(fresh)
    assert sorted(calls.parsed) == sorted(SLUGS)
    stored = json.loads(cache_file(fresh).read_text(encoding="utf-8"))
    assert len(stored["key"]) == 64 and len(stored["entries"]) == len(SLUGS)


def _entries_list(stored: dict[str, Any]) -> None:
    stored["entries"] = [1, 2]


def _entry_without_values(stored: dict[str, Any]) -> None:
    for entry in stored["entries"].values():
        del entry["values"]


def _entry_with_a_wrong_type(stored: dict[str, Any]) -> None:
    """Complete but for one field's type, and carrying text that must never be published."""
    for entry in stored["entries"].values():
        entry["body_line"] = str(entry["body_line"])
        entry["html"] = "<p>FROM A DAMAGED CACHE</p>"
        entry["headline"] = entry["values"]["headline"] = "FROM A DAMAGED CACHE"


@pytest.mark.parametrize("damage", [_entries_list, _entry_without_values,
                                    _entry_with_a_wrong_type],
                         ids=["entries-list", "entry-without-values", "entry-with-a-wrong-type"])
def test_a_cache_with_the_right_key_but_damaged_entries_is_ignored(
        fresh: Site, calls: Calls, tmp_path: Path,
        damage: Callable[[dict[str, Any]], None]) -> None:
    html_build(fresh)
    stored = json.loads(cache_file(fresh).read_text(encoding="utf-8"))
    damage(stored)
    cache_file(fresh).write_text(json.dumps(stored), encoding="utf-8")
    for page in (fresh.dist / "releases").glob("*.html"):
        page.unlink()  # so the pages below are this build's, not the first one's
    calls.reset()
    html_build(fresh)
    assert sorted(calls.parsed) == sorted(SLUGS)  # every file read again, no entry used
    clean = tmp_path / "clean"
    build_ok(fresh.source, clean, "--format", "html", "--no-cache")
    pages = {p.name: p.read_bytes() for p in (fresh.dist / "releases").glob("*.html")}
    assert pages == {p.name: p.read_bytes() for p in (clean / "releases").glob("*.html")}
    assert len(pages) == len(SLUGS)
    text = cache_file(fresh).read_text(encoding="utf-8")  # written again, from the files
    assert "DAMAGED" not in text
    repaired = json.loads(text)["entries"]
    assert sorted(repaired) == [f"{slug}.md" for slug in sorted(SLUGS)]
    assert all(isinstance(e.get("body_line"), int) for e in repaired.values())


def test_changing_publication_yaml_invalidates_the_cache(fresh: Site, calls: Calls) -> None:
    html_build(fresh)
    publication = fresh.source / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8").replace(
        "name: Example Rights Office", "name: Renamed Rights Office"), encoding="utf-8")
    calls.reset()
    html_build(fresh)
    assert sorted(calls.parsed) == sorted(SLUGS)
    page = (fresh.dist / "releases" / "2025-11-05-november.html").read_text("utf-8")
    assert "Renamed Rights Office" in page


def test_an_invalid_edit_is_not_served_from_the_cache(fresh: Site) -> None:
    html_build(fresh)
    path = fresh.md("2025-11-05-november")
    good = path.read_text(encoding="utf-8")
    line = good.split("\n").index("headline: Release november") + 1
    path.write_text(good.replace("\nheadline:", "\nheadlin:"), encoding="utf-8")
    result = build(fresh.source, fresh.dist, "--format", "html")
    assert result.code == 2
    assert f"{path}:{line}: headlin: unknown field; did you mean 'headline'?" in result.err
    path.write_text(good, encoding="utf-8")
    html_build(fresh)


# --- --changed selection, missing outputs, orphans -----------------------------------------------


def test_changed_release_alone_is_rendered(copy: Site) -> None:
    before = snapshot(copy.dist)
    path = copy.md("2025-12-01-december-one")
    touch(path)
    build_ok(copy.source, copy.dist, "--format", "pdf,epub,html", "--changed", str(path))
    after = snapshot(copy.dist)
    per_release = outputs_of(*SLUGS)
    assert rewritten(before, after) & per_release == outputs_of("2025-12-01-december-one")
    for name in outputs_of("2025-12-01-december-one"):
        assert after[name][1] == before[name][1]  # same source, same bytes


@pytest.mark.parametrize("shared", ["source/publication.yaml", "styles/epub.css"])
def test_a_changed_shared_input_rebuilds_every_release(copy: Site, shared: str) -> None:
    before = snapshot(copy.dist)
    path = copy.source / "publication.yaml" if shared.startswith("source/") \
        else STYLES / "epub.css"
    build_ok(copy.source, copy.dist, "--format", "epub,html", "--changed", str(path))
    after = snapshot(copy.dist)
    patterns = ("epub/{}.epub", "releases/{}.html")
    assert rewritten(before, after) & outputs_of(*SLUGS) == outputs_of(*SLUGS,
                                                                          patterns=patterns)


def test_a_missing_output_is_rebuilt_though_unchanged(copy: Site) -> None:
    before = snapshot(copy.dist)
    gone = copy.dist / "pdf" / "2025-11-05-november.pdf"
    gone.unlink()
    path = copy.md("2026-02-01-short-note")
    touch(path)
    build_ok(copy.source, copy.dist, "--format", "pdf", "--changed", str(path))
    after = snapshot(copy.dist)
    assert rewritten(before, after) & outputs_of(*SLUGS) == {
        "pdf/2025-11-05-november.pdf", "pdf/2026-02-01-short-note.pdf"}
    assert after["pdf/2025-11-05-november.pdf"][1] == before["pdf/2025-11-05-november.pdf"][1]


def test_outputs_of_a_deleted_source_are_removed(copy: Site) -> None:
    before = snapshot(copy.dist)
    copy.md("2025-12-15-december-two").unlink()
    result = build_ok(copy.source, copy.dist, "--format", "pdf,epub,html", "--changed",
                      quiet=False)  # make passes no path when only the list changed
    after = snapshot(copy.dist)
    assert not outputs_of("2025-12-15-december-two") & set(after)
    others = outputs_of(*(s for s in SLUGS if s != "2025-12-15-december-two"))
    assert others <= set(after)
    assert not rewritten(before, after) & others
    for name in outputs_of("2025-12-15-december-two"):
        assert f"removed {copy.dist / name} (its release is gone)" in result.out
    stored = json.loads(cache_file(copy).read_text(encoding="utf-8"))
    assert "2025-12-15-december-two.md" not in stored["entries"]


# --- a render failure -----------------------------------------------------------------------------

BAD = "2025-12-15-december-two"
"""The third release rendered (newest first): two are written before it fails."""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_render_failure_names_the_release_and_keeps_dist(copy: Site, jobs: str,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    """One release's PDF asks for a file outside source/ and styles/ (as a bad logo would):
    the fetcher refuses it, the build exits 3 naming that release, and dist/ keeps complete
    files only. With two jobs the failure happens in a forked worker."""
    real = pressroom.prepare.templates.release_xhtml

    def hostile(styles_dir: Path, doc: Any, fmt: str, **kwargs: Any) -> str:
        xhtml: str = real(styles_dir, doc, fmt, **kwargs)
        if fmt == "pdf" and doc.release.slug == BAD:
            xhtml = xhtml.replace("</body>", '<img src="file:///etc/hostname" alt="x" /></body>')
        return xhtml

    monkeypatch.setattr(pressroom.prepare.templates, "release_xhtml", hostile)
    before = snapshot(copy.dist)
    result = build(copy.source, copy.dist, "--format", "pdf", "--jobs", jobs)
    assert result.code == RenderError.exit_code, result.err
    assert "Traceback" not in result.err
    assert str(copy.md(BAD)) in result.err and "refused" in result.err
    after = snapshot(copy.dist)
    assert set(after) == set(before)  # nothing removed, no temporary file left
    assert not list(copy.dist.rglob(".*.tmp"))
    assert {k: v[1] for k, v in after.items()} == {
        k: v[1] for k, v in before.items()}


# --- progress -------------------------------------------------------------------------------------


def test_progress_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream, tty=False)
    progress.start("pdf", 2)
    progress.advance("dist/pdf/a.pdf")
    progress.advance("dist/pdf/b.pdf")
    progress.note("wrote dist/index.html")
    progress.finish()
    assert stream.getvalue() == ("wrote dist/pdf/a.pdf\nwrote dist/pdf/b.pdf\n"
                                 "wrote dist/index.html\n")


@pytest.mark.parametrize("tty", [False, True])
def test_quiet_progress_prints_nothing(tty: bool) -> None:
    stream = io.StringIO()
    progress = Progress(stream, quiet=True, tty=tty)
    progress.start("pdf", 3)
    for name in "abc":
        progress.advance(name)
    progress.note("wrote x")
    progress.finish()
    assert stream.getvalue() == ""


def test_progress_bar_on_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    progress.start("epub", 1000)
    for n in range(1000):
        progress.advance(f"dist/epub/{n}.epub")
    progress.note("wrote dist/epub/digests/all.epub")  # a bar is not interleaved with lines
    progress.finish()
    text = stream.getvalue()
    assert text.startswith("\r") and text.endswith("\n") and text.count("\n") == 1
    assert "wrote" not in text
    assert 10 <= text.count("\r") <= 101  # redrawn about once a percent, not per release
    assert text.rstrip("\n").rsplit("\r", 1)[-1].startswith("epub  [" + "#" * 30 + "] 1000/1000")


def test_progress_bar_without_work_prints_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    progress.start("pdf", 0)
    progress.finish()
    assert stream.getvalue() == ""


def test_a_build_reports_through_progress(fresh: Site) -> None:
    options = BuildOptions(source_dir=fresh.source, styles_dir=STYLES, dist_dir=fresh.dist,
                           formats=("html",))
    lines = io.StringIO()
    build_api(options, Progress(lines, tty=False))
    for slug in SLUGS:
        assert f"wrote {fresh.dist / 'releases' / slug}.html\n" in lines.getvalue()
    assert f"wrote {fresh.dist / 'index.html'}\n" in lines.getvalue()
    bar = io.StringIO()
    build_api(options, Progress(bar, tty=True))
    assert "\r" in bar.getvalue() and f"{len(SLUGS)}/{len(SLUGS)}" in bar.getvalue()
    assert bar.getvalue().endswith("\n") and "wrote" not in bar.getvalue()


# --- what each format reads, and what make is told ------------------------------------------------

NEWSROOM = FIXTURES / "newsroom"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_each_format_reads_no_style_but_those_it_lists(tmp_path: Path, fmt: str) -> None:
    """render.READS is complete, so the Makefile's prerequisites are: each format builds the
    newsroom (drafts, an embargo, pictures) with nothing else in styles/ but the fonts (the
    glyph check before any format reads them all)."""
    styles = tmp_path / "styles"
    shutil.copytree(STYLES / "fonts", styles / "fonts")
    for name in READS[fmt]:
        (styles / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(STYLES / name, styles / name)
    result = run("--source", str(NEWSROOM), "--styles", str(styles), "build", "--dist",
                 str(tmp_path / "dist"), "--format", fmt, "--drafts", "--quiet", "--no-cache",
                 "--jobs", "1", "--now", "2026-03-30T00:00:00Z")
    assert result.code == 0, result.err


def test_a_build_tells_make_only_when_asked_and_never_in_dist(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    argv = ("--source", str(FIXTURES / "site"), "--styles", str(STYLES), "build", "--dist",
            str(dist), "--quiet", "--no-cache", "--format", "ninjs")
    assert run(*argv).code == 0
    # beside dist/, only the tree's lock (one build of a tree at a time: files.tree_lock)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build", "dist"]
    assert [p.name for p in (tmp_path / ".build").iterdir()] == ["lock"]
    state = tmp_path / "state"
    assert run(*argv, "--state", str(state)).code == 0
    assert sorted(p.name for p in state.iterdir()) == ["held.txt", "outputs.mk", "visibility.mk"]
    assert not [p for p in dist.rglob("*") if p.name.startswith(".")]
    text = (state / "visibility.mk").read_text(encoding="utf-8")
    assert "BUILT_SLUGS := 2026-02-01-short-note 2026-03-10-water-rights\n" in text
