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
PER_RELEASE = ("pdf/{}.pdf", "epub/{}.epub", "releases/{}.html", "ninjs/{}.json")
OUTPUTS = {
    *(p.format(slug) for p in PER_RELEASE for slug in (SHORT, WATER)),
    "index.html",
    "feed/atom.xml",
    "feed/rss.xml",
    "feed/feed.json",
    "epub/digests/all.epub",
    "epub/digests/2026-02.epub",
    "epub/digests/2026-03.epub",
    "epub/digests/manifest.json",
}
STAMPS = {f".stamps/{fmt}" for fmt in ("pdf", "epub", "feed", "html", "ninjs", "sources")}
STATE = {".stamps/visibility.mk", ".stamps/held.txt"}
"""What the build tells make about embargoes and drafts (rewritten only when it changes)."""
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

    def make(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items()
               if k not in ("MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES")}
        env["MAKEFLAGS"] = ""
        env["LC_ALL"] = "C.UTF-8"
        env["PYTHONPATH"] = os.pathsep.join(
            [str(self.root / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
        result = subprocess.run(
            ["make", f"VENV={sys.prefix}", f"READY={self.ready}", *args],
            cwd=self.root, env=env, capture_output=True, text=True, timeout=300, check=False)
        assert "pip install" not in result.stdout + result.stderr, "make tried to reinstall"
        return result

    def snapshot(self) -> dict[str, tuple[int, str]]:
        """Every file below dist/: (mtime_ns, sha256)."""
        return {
            p.relative_to(self.dist).as_posix():
                (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(self.dist.rglob("*")) if p.is_file()
        }

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
    """A private copy of the built project (mtimes kept), aged an hour; make finds it up to date."""
    ok(built.first)
    project = Project(tmp_path / "project")
    shutil.copytree(built.project.root, project.root, symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__"))
    project.age()
    assert project.make("-q").returncode == 0, "the copy should be up to date"
    return project


# --- a clean build and a no-op --------------------------------------------------------------------


def test_first_make_builds_every_output(built: Built) -> None:
    result = ok(built.first)
    dist = built.project.dist
    made = set(built.project.snapshot())
    assert made >= OUTPUTS | STAMPS | STATE
    assert {p for p in made - OUTPUTS - STAMPS - STATE
            if not p.startswith("assets/fonts/")} <= {"assets/pressroom.css"}
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
    # one pressroom call per format, not one per file
    assert len(re.findall(r"^pressroom build --format ", result.stdout, re.M)) == 5


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
        "index.html", "feed/atom.xml", "feed/rss.xml"} | (STAMPS - {".stamps/sources"})
    assert not written & {p.format(WATER) for p in PER_RELEASE}
    assert "Nothing to be done" in ok(fresh.make()).stdout


def test_touching_the_print_style_rebuilds_both_pdfs_and_nothing_else(fresh: Project) -> None:
    before = fresh.snapshot()
    fresh.touch("styles/print.css")
    result = ok(fresh.make())
    assert changed(before, fresh.snapshot()) == {
        f"pdf/{SHORT}.pdf", f"pdf/{WATER}.pdf", ".stamps/pdf"}
    assert re.findall(r"^pressroom build --format (\w+)", result.stdout, re.M) == ["pdf"]


def test_deleting_one_pdf_rebuilds_just_it(fresh: Project) -> None:
    before = fresh.snapshot()
    (fresh.dist / "pdf" / f"{SHORT}.pdf").unlink()
    ok(fresh.make())
    after = fresh.snapshot()
    assert changed(before, after) == {f"pdf/{SHORT}.pdf", ".stamps/pdf"}
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
    assert {k: v[1] for k, v in after.items() if not k.startswith(".stamps/")} == {
        k: v[1] for k, v in reference.items() if not k.startswith(".stamps/")}
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
