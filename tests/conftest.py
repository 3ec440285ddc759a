"""Shared fixtures: builds of the real source/ and of the test site, made once per session.

Tests marked `slow` (Chromium, nested make, EPUBCheck over whole builds, separate build
processes and concurrency, benchmarks, hypothesis runs) are left out of the fast core:

    python -m pytest -q -m "not slow"
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from pressroom.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BAD_PUBLICATION = FIXTURES / "bad" / "_publication.yaml"
"""publication.yaml of every bad-input case that has none of its own."""
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "un-news-2017-01-25-mexico-defenders.txt"


@dataclass
class Run:
    code: int
    out: str
    err: str


def run(*argv: str) -> Run:
    """Run the CLI in-process."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


def build(source: Path, dist: Path, *args: str, now: str | None = None,
          quiet: bool = True) -> Run:
    """`pressroom --source SOURCE --styles styles/ build --dist DIST [--quiet] [--now NOW]
    ARGS...`, in-process: the one way tests build a site into a dist/."""
    return run("--source", str(source), "--styles", str(ROOT / "styles"), "build",
               "--dist", str(dist), *(("--quiet",) if quiet else ()),
               *(("--now", now) if now is not None else ()), *args)


def build_ok(source: Path, dist: Path, *args: str, now: str | None = None,
             quiet: bool = True) -> Run:
    """build(), which must succeed: exit 0 and no traceback."""
    result = build(source, dist, *args, now=now, quiet=quiet)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return result


def release_text(day: str, name: str, body: str = "") -> str:
    """A minimal valid release published on `day` (YYYY-MM-DD), headline `Release <name>`."""
    return (f"---\n# Unofficial test text.\nid: tag:press.example.org,{day}:ero/{name}\n"
            f"headline: Release {name}\nsummary: Summary of the {name} release.\n"
            f"published: {day}\nlanguage: en\nkeywords: [generated]\n---\n\n"
            f"{body or f'Body of the {name} release.'}\n")


def add_release(source: Path, day: str, name: str, body: str = "") -> Path:
    """release_text() written to source/<day>-<name>.md."""
    path = source / f"{day}-{name}.md"
    path.write_text(release_text(day, name, body), encoding="utf-8")
    return path


def site_with_releases(target: Path, releases: Iterable[tuple[str, str]]) -> Path:
    """A copy of the test site at `target`, with a release_text() for each (day, name)."""
    shutil.copytree(FIXTURES / "site", target)
    for day, name in releases:
        add_release(target, day, name)
    return target


@dataclass
class Built:
    source: Path
    dist: Path


def _build(source: Path, dist: Path) -> Built:
    build_ok(source, dist)
    return Built(source, dist)


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from the repository's source/ (the seed release)."""
    return _build(ROOT / "source", tmp_path_factory.mktemp("seed") / "dist")


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from tests/fixtures/site (contacts, dateline, hostile text, Letter paper)."""
    return _build(FIXTURES / "site", tmp_path_factory.mktemp("site") / "dist")


LANGUAGES_NOW = "2026-06-01T00:00:00Z"
"""--now of languages_build: after the six releases' publication."""
NEWSROOM_BEFORE = "2026-03-30T00:00:00Z"
"""--now of newsroom_build: before its embargo ends (2026-04-02T10:00Z)."""


@pytest.fixture(scope="session")
def languages_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from tests/fixtures/languages (one release in six languages)."""
    source, dist = FIXTURES / "languages", tmp_path_factory.mktemp("languages") / "dist"
    build_ok(source, dist, "--no-cache", now=LANGUAGES_NOW)
    return Built(source, dist)


@pytest.fixture(scope="session")
def newsroom_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from tests/fixtures/newsroom at NEWSROOM_BEFORE: the embargoed release held,
    the draft left out, the withdrawn one a tombstone."""
    source, dist = FIXTURES / "newsroom", tmp_path_factory.mktemp("newsroom-before") / "dist"
    build_ok(source, dist, "--no-cache", now=NEWSROOM_BEFORE)
    return Built(source, dist)


UPDATES_NOW = "2026-06-01T00:00:00Z"
"""--now of updates_build: after its three releases."""


@pytest.fixture(scope="session")
def updates_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from tests/fixtures/updates (updates, key points, about paragraphs, notes
    headings, archive dates: test_updates.py)."""
    source, dist = FIXTURES / "updates", tmp_path_factory.mktemp("updates") / "dist"
    build_ok(source, dist, "--no-cache", now=UPDATES_NOW)
    return Built(source, dist)


CORPUS_NOW = "2026-06-01T00:00:00Z"
"""--now of corpus_build: after every corpus release."""


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """dist/ built from tests/fixtures/corpus (realistic releases: test_corpus.py)."""
    source, dist = FIXTURES / "corpus", tmp_path_factory.mktemp("corpus") / "dist"
    build_ok(source, dist, "--no-cache", now=CORPUS_NOW)
    return Built(source, dist)


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the test site's sources."""
    target = tmp_path / "source"
    shutil.copytree(FIXTURES / "site", target)
    return target


def jing(*files: Path) -> subprocess.CompletedProcess[str]:
    """Validate Atom files with RFC 4287's RELAX NG schema (skips without ../shared or jing)."""
    schema = SHARED / "schemas" / "atom.rnc"
    if not schema.is_file():
        pytest.skip(f"{schema} is not present")
    exe = shutil.which("jing")
    if exe is None:
        pytest.skip("jing is not installed (Debian package jing)")
    return subprocess.run([exe, "-c", str(schema), *map(str, files)], capture_output=True,
                          text=True, timeout=120)


def snapshot(dist: Path) -> dict[str, tuple[int, str]]:
    """Every file below dist/: (mtime_ns, sha256)."""
    return {p.relative_to(dist).as_posix(): (p.stat().st_mtime_ns,
                                              hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(dist.rglob("*")) if p.is_file()}


def rewritten(before: dict[str, tuple[int, str]], after: dict[str, tuple[int, str]]) -> set[str]:
    return {k for k, v in after.items() if k not in before or before[k][0] != v[0]}


def bad_source(case: Path, tmp_path: Path) -> Path:
    """The source/ folder to run the bad-input case `case` (a folder in fixtures/bad/) from: the
    case itself if it has its own publication.yaml, else a copy of it in tmp_path with the
    shared fixtures/bad/_publication.yaml (most cases are about a release, not the settings)."""
    if (case / "publication.yaml").exists():
        return case
    source = tmp_path / case.name
    shutil.copytree(case, source)
    shutil.copyfile(BAD_PUBLICATION, source / "publication.yaml")
    return source


def copy_project(root: Path, source: Path) -> None:
    """A copy of the project (Makefile, pyproject.toml, src/, styles/) with `source` as its
    source/, for tests that run make in it."""
    root.mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", root / "src", ignore=ignore)
    shutil.copytree(ROOT / "styles", root / "styles", ignore=ignore)
    shutil.copytree(source, root / "source", ignore=ignore)
