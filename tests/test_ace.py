"""DAISY Ace in `make check`: every EPUB (each release's, each held one's, every digest) has 0
accessibility violations; a violation fails the check, named as
`dist/epub/<file>: ace: <rule> (<impact>): <description> at <location>`; without Node.js the
Ace part is skipped and says so.

Ace is installed the one way there is: the Makefile's `make ace` (the target `make check`
runs), into the project's .build/ace/. The tests that run Ace are slow (a browser)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pressroom.checks import ace as ace_check

from .conftest import (
    NEWSROOM_BEFORE,
    ROOT,
    Built,
    copy_project,
    run,
)

NEWSROOM = ROOT / "tests" / "fixtures" / "newsroom"
SEED = "2017-01-25-mexico-defenders"
NODE_PROGRAMS = ("node", "nodejs", "npm", "npx", "corepack")
LINE = re.compile(r"^(?P<book>\S+\.epub): ace: (?P<rule>[\w-]+) \((?P<impact>minor|moderate|"
                  r"serious|critical|\?)\): (?P<description>.+) at (?P<location>\S.*)$")


def _make(root: Path, *args: str, path: str | None = None,
          copy: bool = True) -> subprocess.CompletedProcess[str]:
    """make in `root`, never reinstalling the venv: in a copy of the project, whose venv
    counts as set up (a stamp in the copy), or in the project itself for a goal that needs no
    venv (`make ace`)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES", "PRESSROOM_NOW")}
    env.update(MAKEFLAGS="", LC_ALL="C.UTF-8", PATH=path or env.get("PATH", ""),
               PYTHONPATH=os.pathsep.join([str(root / "src"),
                                           *filter(None, [os.environ.get("PYTHONPATH")])]))
    ready = root / "venv-ready.stamp"
    if copy and not ready.exists():
        ready.touch()  # after pyproject.toml: the venv counts as set up
    result = subprocess.run(["make", f"VENV={sys.prefix}", *([f"READY={ready}"] if copy else []),
                             *args], cwd=root, env=env, capture_output=True, text=True,
                            timeout=900, check=False)
    assert "pip install" not in result.stdout + result.stderr, "make tried to reinstall"
    return result


def _path_without_node(folder: Path) -> str:
    """A PATH that has every program of this one but Node.js's (a folder of links)."""
    folder.mkdir()
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        if not directory or not Path(directory).is_dir():
            continue
        for program in Path(directory).iterdir():
            link = folder / program.name
            if program.name in NODE_PROGRAMS or link.exists() or link.is_symlink():
                continue
            if program.is_file() and os.access(program, os.X_OK):
                link.symlink_to(program)
    assert shutil.which("node", path=str(folder)) is None
    return str(folder)


@pytest.fixture(scope="session")
def ace_home() -> Path:
    """Ace as `make ace` installs it (into this project's .build/ace/); the tests that run Ace
    need Node.js, as make check does."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("DAISY Ace needs Node.js (node and npm)")
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")
    result = _make(ROOT, "ace", copy=False)
    assert result.returncode == 0, result.stdout + result.stderr
    home = ace_check.ace_home(ROOT / "dist")
    assert ace_check.skipped(home) is None
    return home


def _copy_with_ace(built: Built, target: Path, home: Path) -> Path:
    """A copy of a build (dist/, held/, .build/) that finds Ace where make check installs it;
    its dist/."""
    shutil.copytree(built.dist.parent, target, symlinks=True)
    state = ace_check.ace_home(target / "dist").parent
    state.mkdir(exist_ok=True)
    (state / ace_check.ACE_FOLDER).symlink_to(home, target_is_directory=True)
    return target / "dist"


def _books(dist: Path) -> list[Path]:
    return sorted({*dist.rglob("*.epub"), *(dist.parent / "held").glob("*.epub")})


def _rewrite(book: Path, edits: dict[str, tuple[str, str]]) -> None:
    """Replace, in the named member of an EPUB, a regular expression by a text (must match)."""
    with zipfile.ZipFile(book) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(book, "w") as archive:
        for info, data in members:
            if info.filename in edits:
                pattern, replacement = edits[info.filename]
                text, count = re.subn(pattern, replacement, data.decode("utf-8"))
                assert count, (info.filename, pattern)
                data = text.encode("utf-8")
            archive.writestr(info, data)


# --- what a violation reads like (no browser) -----------------------------------------------------


def test_a_violation_names_its_rule_impact_description_and_location() -> None:
    document = {"earl:testSubject": {"url": "/EPUB/text.xhtml"}, "assertions": [
        {"earl:result": {"earl:outcome": "pass"}, "earl:test": {"dct:title": "list"}},
        {"earl:result": {"earl:outcome": "fail",
                         "dct:description": "Fix any of the following:\n  Element has no alt",
                         "earl:pointer": {"css": ["figure > img", "figure"]}},
         "earl:test": {"dct:title": "image-alt", "earl:impact": "critical",
                       "dct:description": "Ensure <img> elements have alternative text"}}]}
    assert ace_check._violations(document) == [
        "image-alt (critical): Fix any of the following:; Element has no alt at "
        "EPUB/text.xhtml figure > img"]


# --- Node.js missing: skipped, and said -----------------------------------------------------------


def test_without_node_make_ace_says_skipped_and_succeeds(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("GNU make is not installed")
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy2(ROOT / "Makefile", root / "Makefile")
    result = _make(root, "ace", path=_path_without_node(tmp_path / "bin"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ace: skipped: DAISY Ace needs Node.js" in result.stdout
    assert not (root / ".build" / "ace").exists()


def test_without_node_pressroom_check_skips_ace_and_passes(seed_build: Built, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", _path_without_node(tmp_path / "bin"))
    result = run("--source", str(seed_build.source), "check", "--dist", str(seed_build.dist))
    assert result.code == 0, result.out + result.err
    assert "ace: skipped: DAISY Ace needs Node.js" in result.out.splitlines()
    assert "Traceback" not in result.err


def test_pressroom_check_without_the_installed_ace_says_so(seed_build: Built) -> None:
    """`pressroom check` alone (no make) where make check never installed Ace: skipped, said."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed")
    result = run("--source", str(seed_build.source), "check", "--dist", str(seed_build.dist))
    assert result.code == 0, result.out + result.err
    assert re.search(r"^ace: skipped: DAISY Ace is not installed in .*\(make check installs it\)$",
                     result.out, re.M)


# --- Ace itself -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_seed_and_the_fixture_corpus_have_0_ace_violations(
        ace_home: Path, seed_build: Built, corpus_build: Built, newsroom_build: Built) -> None:
    """Every EPUB of the seed, the corpus (Arabic, Chinese, Russian, tables, footnotes cited
    twice; a digest per language) and the newsroom (pictures, a held release, corrections):
    releases and digests, in one Ace batch."""
    books = [book for built in (seed_build, corpus_build, newsroom_build)
             for book in _books(built.dist)]
    assert any("/held/" in str(book) for book in books)
    assert any("/digests/language/" in str(book) for book in books)
    found = ace_check.ace(books, ace_home)
    assert {book: messages for book, messages in found.items() if messages} == {}


@pytest.mark.slow
def test_a_broken_epub_fails_pressroom_check_with_each_violation(
        ace_home: Path, newsroom_build: Built, tmp_path: Path) -> None:
    """A picture without its alt text and a book without schema:accessMode: both reported, in
    the format promised, for that book only; the check fails."""
    dist = _copy_with_ace(newsroom_build, tmp_path / "copy", ace_home)
    book = dist / "epub" / "2026-03-12-chart.epub"
    with zipfile.ZipFile(book) as archive:
        assert re.search(rb'<img [^>]*alt="[^"]+"', archive.read("EPUB/text.xhtml"))
    _rewrite(book, {"EPUB/text.xhtml": (r'(<img [^>]*?) alt="[^"]*"', r"\1"),
                    "EPUB/content.opf": (r'\s*<meta property="schema:accessMode">[^<]*</meta>',
                                         "")})
    result = run("--source", str(NEWSROOM), "check", "--dist", str(dist), "--now",
                 NEWSROOM_BEFORE)
    assert result.code == 4, result.out + result.err
    assert "ace: 2 problem(s)" in result.out.splitlines()
    lines = [line for line in result.err.splitlines() if ": ace: " in line]
    assert len(lines) == 2, lines
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert {m["book"] for m in parsed if m} == {str(book)}
    rules = {m["rule"]: m for m in parsed if m}
    assert set(rules) == {"image-alt", "metadata-accessmode"}
    assert rules["image-alt"]["impact"] == "critical"
    assert rules["image-alt"]["location"].startswith("text.xhtml ")  # as Ace names it
    assert "img" in rules["image-alt"]["location"]
    assert "schema:accessMode" in rules["metadata-accessmode"]["description"]


@pytest.mark.slow
def test_make_check_runs_ace_on_every_epub_and_fails_on_a_broken_one(ace_home: Path,
                                                                     tmp_path: Path) -> None:
    """The seed in a copy of the project: `make check` passes with Ace on its three books;
    a book stripped of its accessibility metadata (schema:accessMode) fails it."""
    root = tmp_path / "project"
    copy_project(root, ROOT / "source")
    (root / ".build").mkdir()
    (root / ".build" / ace_check.ACE_FOLDER).symlink_to(ace_home, target_is_directory=True)
    result = _make(root, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ace: ok" in result.stdout.splitlines()
    book = root / "dist" / "epub" / f"{SEED}.epub"
    _rewrite(book, {"EPUB/content.opf": (r'\s*<meta property="schema:accessMode">[^<]*</meta>',
                                         "")})
    result = _make(root, "check")
    assert result.returncode != 0
    assert "pressroom build" not in result.stdout  # the broken book is the one checked
    assert re.search(rf"^dist/epub/{SEED}\.epub: ace: metadata-accessmode \(serious\): .+ at ",
                     result.stderr, re.M), result.stderr
    assert "dist/epub/digests/" not in "".join(
        line for line in result.stderr.splitlines() if ": ace: " in line)
