"""The Makefile's incremental build, run for real with `make` in a copy of the project.

The copy holds the Makefile, pyproject.toml, src/, styles/ and tests/fixtures/site as its
source/ (two releases); make runs the venv's `pressroom` (VENV=sys.prefix) with PYTHONPATH set
to the copy's src/, so the code that runs is the code make tracks.

READY is passed too, as a stamp inside the copy made after pyproject.toml was copied: the
Makefile's READY is $(VENV)/.ready, and a checkout whose pyproject.toml is newer than that
stamp (as /work/main's is while pyproject.toml is being edited) would make every target
run `pip install -e` from the copy into the shared venv. Every run asserts that it did not.

make compares mtimes, so a change is simulated by first moving every mtime in the copy an hour
into the past ("aging" it, which keeps their order) and then setting the changed file's mtime
to now: newer than every output, without leaving a file in the future that would make every
later `make` rebuild it again (and warn about clock skew).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import feedparser
import pytest

from .conftest import copy_project

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "tests" / "fixtures" / "site"
SHORT = "2026-02-01-short-note"
WATER = "2026-03-10-water-rights"
SHORT_ID = "tag:press.example.org,2026-02-01:ero/short-note"
WATER_ID = "urn:uuid:6f1d3c1e-8a4b-4f0e-9d2a-3b5c7e9f1a20"
PER_RELEASE = ("pdf/{}.pdf", "epub/{}.epub", "releases/{}.html", "covers/{}.png",
               "ninjs/{}.json", "email/{}.eml")
OUTPUTS = {
    *(p.format(slug) for p in PER_RELEASE for slug in (SHORT, WATER)),
    "index.html",
    "feed/atom.xml",
    "feed/rss.xml",
    "feed/feed.json",
    "epub/digests/all.epub",
    "epub/digests/2026-02.epub",
    "epub/digests/2026-03.epub",
    *(f"opds/{p}.xml" for p in ("index", "new", "months", "kinds", "month/2026-02",
                                 "month/2026-03", "kind/news-story", "kind/press-release")),
}
FORMATS = ("pdf", "epub", "feed", "html", "ninjs", "opds", "email")
STAMPS = {f".build/stamps/{fmt}" for fmt in FORMATS}
STATE = {".build/visibility.mk", ".build/outputs.mk", ".build/held.txt"}
"""What the build tells make (rewritten only when it changes): the releases it read, embargoes
and drafts; each format's outputs and the styles it reads."""
LOCK = {".build/lock"}
"""The tree's lock: a make that builds holds it, so a second make on the tree waits."""
HOUR_NS = 3600 * 10**9

pytestmark = [pytest.mark.slow,  # nested make
              pytest.mark.skipif(shutil.which("make") is None,
                                 reason="GNU make is not installed")]


@dataclass
class Project:
    """A copy of the project that `make` runs in."""

    root: Path

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def ready(self) -> Path:
        return self.root / "venv-ready.stamp"

    def make(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES", "PRESSROOM_NOW")}
        env["MAKEFLAGS"] = ""
        env["LC_ALL"] = "C.UTF-8"
        env.update(extra)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.root / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
        result = subprocess.run(
            ["make", f"VENV={sys.prefix}", f"READY={self.ready}", *args],
            cwd=self.root, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert "pip install" not in result.stdout + result.stderr, "make tried to reinstall"
        return result

    def snapshot(self) -> dict[str, tuple[int, str]]:
        """Every file below dist/, by its path there, and make's state in .build/ (but the
        source cache, make check's reports and the DAISY Ace it installs), as ".build/<path>":
        (mtime_ns, sha256)."""
        state = self.root / ".build"
        return {
            **{p.relative_to(self.dist).as_posix(): _stat(p)
               for p in sorted(self.dist.rglob("*")) if p.is_file()},
            **{".build/" + p.relative_to(state).as_posix(): _stat(p)
               for p in sorted(state.rglob("*"))
               if p.is_file() and p.relative_to(state).parts[0] not in ("cache", "check", "ace")},
        }

    def published(self) -> dict[str, tuple[int, str]]:
        """Every file below dist/ (none of make's state)."""
        return {k: v for k, v in self.snapshot().items() if not k.startswith(".build/")}

    def tree(self) -> dict[str, int]:
        """Every file and folder in the copy but the code: mtime_ns (to see what a run wrote)."""
        return {p.relative_to(self.root).as_posix(): p.lstat().st_mtime_ns
                for p in sorted(self.root.rglob("*"))
                if p.relative_to(self.root).parts[0] not in ("src", "styles")}

    def age(self) -> None:
        """Move every mtime in the copy an hour back, keeping their order."""
        for path in self.root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                st = path.stat()
                os.utime(path, ns=(st.st_atime_ns - HOUR_NS, st.st_mtime_ns - HOUR_NS))

    def touch(self, relpath: str) -> None:
        """Make one file newer than every output (the copy has been aged)."""
        now = time.time_ns()
        os.utime(self.root / relpath, ns=(now, now))


def rebuilt(stdout: str) -> list[str]:
    """The formats make had pressroom build: one call for all of them, or none."""
    calls = re.findall(r"^pressroom build --format (\S+) ", stdout, re.M)
    assert len(calls) <= 1, calls
    return calls[0].split(",") if calls else []


def _stat(path: Path) -> tuple[int, str]:
    return path.stat().st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest()


def changed(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> set[str]:
    """Files written (new mtime) or created between two snapshots."""
    return {name for name, (mtime, _) in after.items()
            if name not in before or before[name][0] != mtime}


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def new_project(root: Path) -> Project:
    copy_project(root, SITE)
    project = Project(root)
    project.ready.touch()  # after pyproject.toml: the venv counts as set up
    assert project.ready.stat().st_mtime_ns > (root / "pyproject.toml").stat().st_mtime_ns
    return project


@dataclass
class Built:
    project: Project
    first: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One copy built once by a plain `make`; tests using it must not change it."""
    project = new_project(tmp_path_factory.mktemp("make") / "project")
    return Built(project, project.make())


@pytest.fixture
def fresh(built: Built, tmp_path: Path) -> Project:
    """A private copy of the built project (mtimes kept), aged an hour; make finds it up to date.
    The DAISY Ace that make check installed in .build/ace/ (80 MB) stays behind."""
    ok(built.first)
    project = Project(tmp_path / "project")
    shutil.copytree(built.project.root, project.root, symlinks=True,
                    ignore=lambda folder, names: [n for n in names if n == "__pycache__" or (
                        n == "ace" and Path(folder).name == ".build")])
    project.age()
    assert project.make("-q").returncode == 0, "the copy should be up to date"
    return project


# --- a clean build and a no-op --------------------------------------------------------------------


def test_first_make_builds_every_output(built: Built) -> None:
    result = ok(built.first)
    dist = built.project.dist
    made = set(built.project.snapshot())
    assert made >= OUTPUTS | STAMPS | STATE | LOCK
    assert {p for p in made - OUTPUTS - STAMPS - STATE - LOCK
            if not p.startswith("assets/fonts/")} <= {"assets/pressroom.css"}
    assert not [p for p in built.project.published() if p.startswith(".") or "/." in p]
    for slug in (SHORT, WATER):
        assert (dist / "pdf" / f"{slug}.pdf").read_bytes().startswith(b"%PDF-")
        with zipfile.ZipFile(dist / "epub" / f"{slug}.epub") as epub:
            assert epub.namelist()[0] == "mimetype"
            assert epub.read("mimetype") == b"application/epub+zip"
        assert f"wrote dist/releases/{slug}.html" in result.stdout
    for feed in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((dist / "feed" / feed).read_bytes())
        assert parsed.bozo == 0
        assert [e.id for e in parsed.entries] == [WATER_ID, SHORT_ID]
    # one pressroom call for every format, not one per format or per file
    assert re.findall(r"^pressroom build --format (\S+)", result.stdout, re.M) == [
        ",".join(FORMATS)]


def test_second_make_does_nothing(built: Built) -> None:
    ok(built.first)
    before = built.project.snapshot()
    result = ok(built.project.make())
    assert "Nothing to be done" in result.stdout
    assert "pressroom build" not in result.stdout
    assert built.project.snapshot() == before
    assert built.project.make("-q").returncode == 0


def test_make_help_lists_the_targets(built: Built) -> None:
    result = ok(built.project.make("help"))
    listed = set(re.findall(r"^\s*make ([a-z-]+)\s+\S", result.stdout, re.M))
    assert listed >= {"all", "pdf", "epub", "feed", "html", "ninjs", "check", "test", "clean"}
    assert "Nothing to be done" not in result.stdout


def test_make_check_passes_on_the_build(built: Built) -> None:
    ok(built.first)
    before = built.project.snapshot()
    result = ok(built.project.make("check"))
    assert "pressroom build" not in result.stdout  # `all` was up to date
    for line in ("sources: 2 release(s) valid", "web: ok", "feeds: ok", "pdf: ok", "epub: ok"):
        assert line in result.stdout
    assert built.project.snapshot() == before


# --- what one change rebuilds ---------------------------------------------------------------------


def test_touching_one_source_rebuilds_only_that_release(fresh: Project) -> None:
    before = fresh.snapshot()
    fresh.touch(f"source/{SHORT}.md")
    ok(fresh.make())
    written = changed(before, fresh.snapshot())
    assert written >= {p.format(SHORT) for p in PER_RELEASE} | {
        "index.html", "feed/atom.xml", "feed/rss.xml"} | STAMPS
    assert not written & {p.format(WATER) for p in PER_RELEASE}
    assert "Nothing to be done" in ok(fresh.make()).stdout


def test_make_never_runs_a_file_name(fresh: Project) -> None:
    """A file name in source/ is data: make hands what changed to pressroom in a file, never
    on a shell command line, so a name holding `$(...)` or backquotes runs nothing."""
    images = fresh.root / "source" / "images"
    images.mkdir(exist_ok=True)
    (images / "$(id>PWNED-1).png").write_bytes(b"not an image")
    (images / "`id>PWNED-2`.png").write_bytes(b"not an image")
    fresh.touch("source/publication.yaml")
    result = fresh.make()
    assert result.returncode == 0, result.stdout + result.stderr
    assert not list(fresh.root.rglob("PWNED-*")) and not list(images.parent.rglob("PWNED-*"))
    assert not (Path.cwd() / "PWNED-1").exists()


def test_touching_the_print_style_rebuilds_both_pdfs_and_nothing_else(fresh: Project) -> None:
    """Nothing else but the e-mails, which carry the PDFs."""
    before = fresh.snapshot()
    fresh.touch("styles/print.css")
    result = ok(fresh.make())
    assert changed(before, fresh.snapshot()) == {
        f"pdf/{SHORT}.pdf", f"pdf/{WATER}.pdf", ".build/stamps/pdf",
        f"email/{SHORT}.eml", f"email/{WATER}.eml", ".build/stamps/email"}
    assert rebuilt(result.stdout) == ["pdf", "email"]


def test_a_source_saved_while_the_build_runs_is_built_by_the_next_make(fresh: Project) -> None:
    """The stamps take the time the build started: an edit made while pressroom runs (here,
    by a wrapper, after pressroom has read the sources) is newer, and not lost."""
    wrapper = fresh.root / "pressroom-then-edit"
    wrapper.write_text(f"#!/bin/sh\n{sys.prefix}/bin/pressroom \"$@\"; status=$?\n"
                       f"echo 'Saved while the build ran.' >> source/{SHORT}.md\n"
                       "exit $status\n")
    wrapper.chmod(0o755)
    fresh.touch(f"source/{WATER}.md")
    assert rebuilt(ok(fresh.make(f"PRESSROOM={wrapper}")).stdout) == list(FORMATS)
    after = ok(fresh.make())
    assert rebuilt(after.stdout) == list(FORMATS), "the edit made during the build was lost"
    assert "Saved while the build ran." in (fresh.dist / "releases" / f"{SHORT}.html").read_text()
    assert "Nothing to be done" in ok(fresh.make()).stdout


def test_deleting_one_pdf_rebuilds_just_it(fresh: Project) -> None:
    before = fresh.snapshot()
    (fresh.dist / "pdf" / f"{SHORT}.pdf").unlink()
    ok(fresh.make())
    after = fresh.snapshot()
    # the e-mails attach the PDFs, but the same bytes: their inputs did not change
    assert changed(before, after) == {f"pdf/{SHORT}.pdf", ".build/stamps/pdf"}
    assert after[f"pdf/{SHORT}.pdf"][1] == before[f"pdf/{SHORT}.pdf"][1]  # reproducible
    assert "Nothing to be done" in ok(fresh.make()).stdout


def test_deleting_a_source_removes_its_outputs(fresh: Project) -> None:
    before = fresh.snapshot()
    (fresh.root / "source" / f"{SHORT}.md").unlink()
    ok(fresh.make())
    after = fresh.snapshot()
    assert not {p.format(SHORT) for p in PER_RELEASE} & set(after)
    assert {p.format(WATER) for p in PER_RELEASE} <= set(after)
    assert not changed(before, after) & {p.format(WATER) for p in PER_RELEASE}
    index = (fresh.dist / "index.html").read_text(encoding="utf-8")
    assert SHORT not in index and WATER in index


def test_deleting_a_source_drops_it_from_the_feeds(fresh: Project) -> None:
    (fresh.root / "source" / f"{SHORT}.md").unlink()
    ok(fresh.make())
    for feed in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((fresh.dist / "feed" / feed).read_bytes())
        assert [e.id for e in parsed.entries] == [WATER_ID], feed


def test_a_typo_fails_make_and_leaves_dist_untouched(fresh: Project) -> None:
    source = fresh.root / "source" / f"{SHORT}.md"
    good = source.read_text(encoding="utf-8")
    lines = good.split("\n")
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith("headline:"))
    source.write_text(good.replace("\nheadline:", "\nheadlin:", 1), encoding="utf-8")
    before = fresh.snapshot()

    result = fresh.make()
    assert result.returncode != 0
    assert (f"source/{SHORT}.md:{line}: headlin: unknown field; did you mean 'headline'?"
            in result.stderr.splitlines())
    assert "Traceback" not in result.stdout + result.stderr
    assert fresh.snapshot() == before  # same bytes, same mtimes, stamps included
    assert fresh.make("-q").returncode != 0  # still stale: the next make retries

    source.write_text(good, encoding="utf-8")
    result = ok(fresh.make())
    assert f"wrote dist/pdf/{SHORT}.pdf" in result.stdout
    assert f"wrote dist/pdf/{WATER}.pdf" not in result.stdout
    assert "Nothing to be done" in ok(fresh.make()).stdout


def test_parallel_make_from_clean(built: Built, fresh: Project) -> None:
    ok(fresh.make("clean"))
    assert not fresh.dist.exists()
    result = ok(fresh.make("-j4"))
    assert "pressroom build" in result.stdout
    after = fresh.snapshot()
    assert set(after) == set(built.project.snapshot())
    # the same bytes as the serial build: outputs are reproducible and not interleaved
    reference = built.project.snapshot()
    assert {k: v[1] for k, v in after.items() if not k.startswith(".build/stamps/")} == {
        k: v[1] for k, v in reference.items() if not k.startswith(".build/stamps/")}
    assert "Nothing to be done" in ok(fresh.make()).stdout


def _add_old_source(project: Project) -> None:
    """A third release that arrives with an mtime older than the last build (as `mv` from a
    drafts folder, `cp -p`, `tar x` or `rsync -t` leave it)."""
    text = (project.root / "source" / f"{SHORT}.md").read_text(encoding="utf-8")
    text = text.replace("ero/short-note", "ero/later-note").replace(
        "published: 2026-02-01", "published: 2026-04-01")
    path = project.root / "source" / "2026-04-01-later-note.md"
    path.write_text(text, encoding="utf-8")
    past = time.time_ns() - 2 * HOUR_NS
    os.utime(path, ns=(past, past))


def test_adding_a_source_with_an_old_mtime_builds_its_outputs(fresh: Project) -> None:
    _add_old_source(fresh)
    ok(fresh.make())
    after = set(fresh.snapshot())
    assert {p.format("2026-04-01-later-note") for p in PER_RELEASE} <= after
    assert "2026-04-01-later-note" in (fresh.dist / "index.html").read_text(encoding="utf-8")


def test_adding_a_source_with_an_old_mtime_adds_it_to_the_feeds(fresh: Project) -> None:
    _add_old_source(fresh)
    ok(fresh.make())
    for feed in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((fresh.dist / "feed" / feed).read_bytes())
        assert [e.id for e in parsed.entries] == [
            "tag:press.example.org,2026-02-01:ero/later-note", WATER_ID, SHORT_ID], feed


# --- what make writes, and where ------------------------------------------------------------------


def test_make_help_and_a_dry_run_of_clean_write_nothing(tmp_path: Path) -> None:
    project = new_project(tmp_path / "project")
    before = project.tree()
    assert "make pdf" in ok(project.make("help")).stdout
    ok(project.make("-n", "clean"))
    assert project.tree() == before
    assert not project.dist.exists() and not (project.root / ".build").exists()


def test_make_help_and_a_dry_run_of_clean_leave_a_build_alone(fresh: Project) -> None:
    before, tree = fresh.snapshot(), fresh.tree()
    ok(fresh.make("help"))
    assert "rm -rf dist held .build" in ok(fresh.make("-n", "clean")).stdout
    assert fresh.snapshot() == before and fresh.tree() == tree


def test_a_bad_source_fails_a_first_make_before_anything_is_written(tmp_path: Path) -> None:
    project = new_project(tmp_path / "project")
    source = project.root / "source" / f"{SHORT}.md"
    source.write_text(source.read_text(encoding="utf-8").replace("\nheadline:", "\nheadlin:", 1),
                      encoding="utf-8")
    result = project.make()
    assert result.returncode != 0 and "headlin: unknown field" in result.stderr
    assert not project.dist.exists()
    assert not (project.root / ".build" / "stamps").exists() or not any(
        (project.root / ".build" / "stamps").iterdir())


def test_the_output_lists_make_reads_are_what_the_build_made(built: Built) -> None:
    """.build/outputs.mk (from layout.py) names every file in dist/ but the manifests, and only
    those; its READS are render.READS."""
    from pressroom.render import READS

    ok(built.first)
    text = (built.project.root / ".build" / "outputs.mk").read_text(encoding="utf-8")
    lists = {name: value.split() for name, value in
             re.findall(r"^(\S+) := ?(.*)$", text, re.M)}
    pictures = lists.pop("PICTURES")  # every picture the sources show, at any depth
    assert all((built.project.root / p).is_file() for p in pictures)
    assert {name.split(".")[1] for name in lists} == set(FORMATS)
    listed = {p.removeprefix("dist/") for fmt in FORMATS for p in lists[f"OUTPUTS.{fmt}"]}
    assert listed == {p for p in built.project.published() if not p.endswith("manifest.json")}
    for fmt in FORMATS:
        assert lists[f"READS.{fmt}"] == [f"styles/{p}" for p in READS[fmt]]
        assert all((built.project.root / p).is_file() for p in lists[f"READS.{fmt}"])


def test_make_formats_are_the_formats_a_build_makes() -> None:
    """The Makefile's FORMATS (its phony targets and stamps) are layout.OUTPUTS, render.FORMATS
    but those made on request."""
    from pressroom.layout import OUTPUTS
    from pressroom.render import FORMATS as RENDERED
    from pressroom.render import ON_REQUEST

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^FORMATS := (.+)$", makefile, re.M)
    assert found and tuple(found.group(1).split()) == FORMATS
    assert set(FORMATS) == set(OUTPUTS) == set(RENDERED) - ON_REQUEST


def test_make_names_the_folders_layout_names() -> None:
    """The Makefile's DIST, HELD and STATE are the folders layout.py puts things in (the press
    kit beside dist/, the build state beside it too)."""
    from pressroom.layout import HELD, HELD_PATHS, STATE

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    names = dict(re.findall(r"^(DIST|HELD|STATE) := (\S+)$", makefile, re.M))
    assert names == {"DIST": "dist", "HELD": HELD, "STATE": STATE}
    assert all(path.startswith(f"../{HELD}/") for path in HELD_PATHS.values())


@pytest.mark.parametrize("style", ["epub.css", "templates/_article.html",
                                   "fonts/NotoNaskhArabic-Regular.ttf"])
def test_touching_a_style_rebuilds_the_formats_that_read_it(fresh: Project, style: str) -> None:
    from pressroom.render import READS

    fresh.touch(f"styles/{style}")
    result = ok(fresh.make())
    formats = rebuilt(result.stdout)
    assert formats == [fmt for fmt in FORMATS if style in READS[fmt]]
    assert formats  # every one of these is read by some format
    assert "Nothing to be done" in ok(fresh.make()).stdout


def test_a_stray_file_among_a_formats_outputs_rebuilds_that_format(fresh: Project) -> None:
    stray = fresh.dist / "epub" / "digests" / "1999-01.epub"
    shutil.copy2(fresh.dist / "epub" / "digests" / "all.epub", stray)
    result = ok(fresh.make())
    assert rebuilt(result.stdout) == ["epub"]
    assert not stray.exists()
    assert "Nothing to be done" in ok(fresh.make()).stdout


# --- embargoes and drafts through make ------------------------------------------------------------

NEWSROOM = ROOT / "tests" / "fixtures" / "newsroom"
EMBARGOED = "2026-04-02-embargoed-report"
DRAFT = "2026-03-25-draft-plan"
BEFORE = "2026-03-30T00:00:00Z"
AFTER = "2026-04-02T10:00:00Z"


def _headline(slug: str) -> str:
    text = (NEWSROOM / f"{slug}.md").read_text(encoding="utf-8")
    found = re.search(r"^headline: (.+)$", text, re.M)
    assert found
    return found.group(1).strip()


def _naming(dist: Path, *needles: str) -> list[str]:
    """Files below dist/ (which holds no press kit: held/ is beside it), but preview/, whose
    bytes (an EPUB's members unzipped) contain one of `needles`."""
    found = []
    for path in sorted(dist.rglob("*")):
        relative = path.relative_to(dist)
        if not path.is_file() or relative.parts[0] == "preview":
            continue
        blobs = [path.read_bytes()]
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                blobs += [book.read(name) for name in book.namelist()]
        found += [f"{relative}: {needle}" for needle in needles
                  if any(needle.encode("utf-8") in blob for blob in blobs)]
    return found


def test_held_releases_leave_no_trace_in_dist_and_make_lifts_the_embargo(tmp_path: Path) -> None:
    copy_project(tmp_path / "project", NEWSROOM)
    project = Project(tmp_path / "project")
    project.ready.touch()
    secrets = (EMBARGOED, _headline(EMBARGOED), DRAFT, _headline(DRAFT))

    result = ok(project.make("DRAFTS=1", PRESSROOM_NOW=BEFORE))
    assert f"{EMBARGOED}.md: held back: embargoed until" in result.stdout
    kit = project.root / "held"  # beside dist/: publishing dist/ never publishes it
    assert {f"{EMBARGOED}.pdf", f"{DRAFT}.epub"} <= {p.name for p in kit.iterdir()}
    assert _naming(project.dist, *secrets) == []
    assert project.make("DRAFTS=1", "-q", PRESSROOM_NOW=BEFORE).returncode == 0
    ok(project.make("check", "DRAFTS=1", PRESSROOM_NOW=BEFORE))

    # no DRAFTS: the draft's press kit goes; still nothing public names either
    ok(project.make(PRESSROOM_NOW=BEFORE))
    assert not (kit / f"{DRAFT}.pdf").exists()
    assert _naming(project.dist, *secrets) == []

    # the embargo ends: no file changed, yet every format is re-planned and it is published
    result = ok(project.make(PRESSROOM_NOW=AFTER))
    assert rebuilt(result.stdout) == list(FORMATS)
    assert {f"pdf/{EMBARGOED}.pdf", f"releases/{EMBARGOED}.html"} <= set(project.published())
    assert not list(kit.glob("*"))
    assert _naming(project.dist, EMBARGOED, _headline(EMBARGOED))
    assert _naming(project.dist, DRAFT, _headline(DRAFT)) == []
    assert "Nothing to be done" in ok(project.make(PRESSROOM_NOW=AFTER)).stdout
