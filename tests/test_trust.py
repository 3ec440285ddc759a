"""Trust: atomic writes, byte-identical builds, interrupted and concurrent builds.

Every build here is a separate process (the venv's `pressroom`, or `make` in a copy of the
project run as test_make.py does: VENV=sys.prefix, READY a stamp inside the copy, PYTHONPATH
the copy's src/), so nothing is shared between two builds but the files.

- Reproducibility: two clean builds of the same sources, copied to different absolute paths,
  with different time zones (UTC+14 / UTC-10), locales, hash seeds and wall-clock seconds but
  the same SOURCE_DATE_EPOCH, give the same bytes in every file of dist/ (dotfiles included);
  so do two `make` runs in two project copies (make's state in .build/ too, mtimes excluded).
  A different SOURCE_DATE_EPOCH changes nothing that a release dates: only the <updated> /
  lastBuildDate of an *empty* Atom / RSS feed comes from it.
- SIGKILL mid-render: a full build of eight generated releases, every source edited, then
  `pressroom build --jobs 2` (or `make -j2`) killed with its whole process group as soon as the
  first new PDF has landed. Every file of dist/ is then the old complete version or the new
  complete version (a build of the edited sources elsewhere); PDFs open, EPUBs are valid zips,
  feeds parse. A SIGKILLed process cannot remove its temporary file, so a hidden
  `.<name>.XXXXXXXX.tmp` beside an output is tolerated here (it is not an output). The same is
  tested deterministically with a build that SIGKILLs itself between writing a temporary PDF
  and renaming it; whether the next build removes such leftovers is tested on its own.
- Recovery: `make` after the kill completes and dist/ equals the reference; a further `make`
  does nothing.
- Concurrency: two `make -j2` started together on the same copy, and two `pressroom build`
  writing the same outputs at once, both succeed and leave dist/ byte-identical to one build
  (the second waits for the first: one build of a tree at a time, test_one_tree_one_build.py).
  Two builds removing the same orphan (a deleted release's outputs) must not fail either: the
  race between one's glob and the other's unlink is forced in-process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import feedparser
import pikepdf
import pytest

import pressroom.build

from .conftest import ROOT, copy_project, run

PRESSROOM = Path(sys.prefix) / "bin" / "pressroom"
SITE = ROOT / "tests" / "fixtures" / "site"
SEED = ROOT / "source"
NEWSROOM = ROOT / "tests" / "fixtures" / "newsroom"
"""Pictures (a photo, an SVG chart), an embargo, a draft and a withdrawal: no absolute path
may reach an output through any of them."""
CORPUS = ROOT / "tests" / "bench" / "corpus.py"
READY = "venv-ready.stamp"
EPOCH = "1700000000"
TMP = re.compile(r"(^|/)\.[^/]+\.[A-Za-z0-9_]{8}\.tmp$")
"""The name write_atomic gives a temporary file: `.<target name>.<8 random chars>.tmp`."""
SETTINGS = (
    {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
    {"TZ": "America/Adak", "LC_ALL": "POSIX", "LANG": "POSIX"},
)
"""UTC+14 and UTC-10 (UTC-9 in summer): a calendar day apart for most of every day."""

_skip_without_make = pytest.mark.skipif(shutil.which("make") is None,
                                        reason="GNU make is not installed")


def needs_make(test: Callable[..., None]) -> Callable[..., None]:
    """Runs make in a copy of the project: slow, and skipped without GNU make."""
    return pytest.mark.slow(_skip_without_make(test))


# --- helpers --------------------------------------------------------------------------------------


def environment(**extra: str) -> dict[str, str]:
    """The test's environment without make's variables or anything that dates or localises."""
    drop = {"MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES", "SOURCE_DATE_EPOCH", "TZ",
            "LC_ALL", "LANG", "LANGUAGE", "PYTHONHASHSEED"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("LC_")}
    env.update(MAKEFLAGS="", PYTHONHASHSEED="random", SOURCE_DATE_EPOCH=EPOCH, LC_ALL="C.UTF-8")
    env.update(extra)
    return env


def hashes(dist: Path) -> dict[str, str]:
    """sha256 of every file below dist/, dotfiles included."""
    return {p.relative_to(dist).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dist.rglob("*")) if p.is_file()}


def outputs(files: Mapping[str, str]) -> dict[str, str]:
    """The published files: no temporary files (make's state is in .build/, not dist/)."""
    return {k: v for k, v in files.items() if not TMP.search(k)}


def build_argv(source: Path, styles: Path, dist: Path, *args: str) -> list[str]:
    return [str(PRESSROOM), "--source", str(source), "--styles", str(styles), "build",
            "--dist", str(dist), "--quiet", *args]


def pressroom_build(source: Path, styles: Path, dist: Path, *args: str,
                    **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(build_argv(source, styles, dist, *args), env=environment(**env),
                            capture_output=True, text=True, timeout=120, check=False)
    return ok(result)


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stdout + result.stderr
    return result


def new_project(root: Path, source: Path) -> Path:
    """A copy of the project, as test_make.py makes it, with `source` as its source/."""
    copy_project(root, source)
    (root / READY).touch()  # after pyproject.toml: the venv counts as set up
    return root


def make_argv(root: Path, *args: str) -> list[str]:
    return ["make", f"VENV={sys.prefix}", f"READY={root / READY}", "QUIET=1", *args]


def make_env(root: Path, **extra: str) -> dict[str, str]:
    return environment(PYTHONPATH=os.pathsep.join(
        [str(root / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]), **extra)


def make(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(make_argv(root, *args), cwd=root, env=make_env(root, **env),
                            capture_output=True, text=True, timeout=180, check=False)
    assert "pip install" not in result.stdout + result.stderr, "make tried to reinstall"
    return result


def corpus(count: int, dest: Path) -> Path:
    """`count` generated releases (tests/bench/corpus.py) in `dest`."""
    subprocess.run([sys.executable, str(CORPUS), str(count), str(dest)], check=True,
                   capture_output=True, timeout=60)
    return dest


def edit_all(source: Path) -> None:
    """Change every release (its body, so every output of it changes)."""
    for path in sorted(source.glob("*.md")):
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\nA sentence added by an editor after the first build.\n")


def validate(dist: Path) -> None:
    """Every output parses: PDFs open, EPUBs are sound zips, feeds and JSON parse."""
    for path in sorted(dist.rglob("*")):
        if not path.is_file() or TMP.search(path.name):
            continue
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                assert len(pdf.pages) >= 1, path
                assert not pdf.check_pdf_syntax(), path
        elif path.suffix == ".epub":
            with zipfile.ZipFile(path) as epub:
                assert epub.testzip() is None, path
                assert epub.namelist()[0] == "mimetype", path
                assert epub.read("mimetype") == b"application/epub+zip", path
        elif path.suffix == ".json":
            json.loads(path.read_bytes())
        elif path.suffix == ".xml":
            parsed = feedparser.parse(path.read_bytes())
            assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        elif path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            assert text.rstrip().endswith("</html>"), path


# --- 1. reproducibility ---------------------------------------------------------------------------


@pytest.mark.slow  # separate `pressroom build` processes
@pytest.mark.parametrize("source", [SITE, SEED, NEWSROOM], ids=["site", "seed", "newsroom"])
def test_two_clean_builds_in_different_places_zones_and_locales_are_identical(
        source: Path, tmp_path: Path) -> None:
    builds = []
    started = 0.0
    for index, (place, settings) in enumerate(zip(("a", "elsewhere/deeper/b"), SETTINGS,
                                                  strict=True)):
        root = tmp_path / place
        shutil.copytree(source, root / "sources")
        shutil.copytree(ROOT / "styles", root / "look")
        if index:  # a different second of the clock, too
            time.sleep(max(0.0, started + 1.1 - time.time()))
        started = time.time()
        pressroom_build(root / "sources", root / "look", root / "out" / "dist",
                        "--jobs", str(index + 1), **settings)
        builds.append(hashes(root / "out" / "dist"))
    first, second = builds
    assert first == second
    assert any(name.startswith("pdf/") for name in first)
    # A raster picture (the QR code) is in every brief: WeasyPrint names one after a hash of its
    # address, which once made PDFs differ from one folder to another (issue 13, row 9).
    brief = next((tmp_path / "a" / "out" / "dist" / "pdf").glob("*.pdf"))
    with pikepdf.open(brief) as pdf:
        assert any(image.get("/Subtype") == "/Image"
                   for page in pdf.pages for image in page.get_images().values())
    assert any(name.startswith("epub/") for name in first)
    assert {"feed/atom.xml", "feed/rss.xml", "feed/feed.json", "index.html"} <= set(first)


@pytest.mark.slow  # separate `pressroom build` processes
def test_no_output_takes_a_date_from_the_clock(tmp_path: Path) -> None:
    """Zip entries carry one fixed time in a fixed order; PDF dates come from the release and
    its /ID from its content (different for different releases)."""
    dist = tmp_path / "dist"
    pressroom_build(SITE, ROOT / "styles", dist)
    dates = {"2026-02-01-short-note": (b"D:20260201120000+01'00", b"D:20260201120000+01'00"),
             "2026-03-10-water-rights": (b"D:20260310100000+01'00", b"D:20260311093000+01'00")}
    ids = set()
    for path in sorted((dist / "pdf").glob("*.pdf")):
        with pikepdf.open(path) as pdf:  # published and updated, in the publication's zone
            ids.add(bytes(pdf.trailer.ID[0]))
            assert (bytes(pdf.docinfo["/CreationDate"]), bytes(pdf.docinfo["/ModDate"])) == \
                dates[path.stem]
    assert len(ids) == len(list((dist / "pdf").glob("*.pdf"))) == 2
    for path in sorted(dist.rglob("*.epub")):
        with zipfile.ZipFile(path) as epub:
            infos = epub.infolist()
            assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}, path
            assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED


@pytest.mark.slow  # separate `pressroom build` processes
def test_another_source_date_epoch_changes_no_release_output(tmp_path: Path) -> None:
    """SOURCE_DATE_EPOCH only dates what no release dates: with releases, every file is the
    same whatever its value (or without it)."""
    pressroom_build(SITE, ROOT / "styles", tmp_path / "one", SOURCE_DATE_EPOCH=EPOCH)
    pressroom_build(SITE, ROOT / "styles", tmp_path / "two", SOURCE_DATE_EPOCH="86400")
    result = subprocess.run(build_argv(SITE, ROOT / "styles", tmp_path / "three"),
                            env={k: v for k, v in environment().items()
                                 if k != "SOURCE_DATE_EPOCH"},
                            capture_output=True, text=True, timeout=120, check=False)
    ok(result)
    assert hashes(tmp_path / "one") == hashes(tmp_path / "two") == hashes(tmp_path / "three")


@pytest.mark.slow  # separate `pressroom build` processes
def test_only_an_empty_feed_and_catalogue_are_dated_by_source_date_epoch(tmp_path: Path) -> None:
    source = tmp_path / "empty"
    source.mkdir()
    shutil.copy2(SEED / "publication.yaml", source / "publication.yaml")
    pressroom_build(source, ROOT / "styles", tmp_path / "one", SOURCE_DATE_EPOCH=EPOCH)
    pressroom_build(source, ROOT / "styles", tmp_path / "two", SOURCE_DATE_EPOCH="86400")
    one, two = hashes(tmp_path / "one"), hashes(tmp_path / "two")
    assert set(one) == set(two)
    assert {k for k in one if one[k] != two[k]} == {
        "feed/atom.xml", "feed/rss.xml",  # and the OPDS catalogue's documents, Atom too
        *(k for k in one if k.startswith("opds/"))}
    assert any(k.startswith("opds/") for k in one)
    assert b"2023-11-14T22:13:20" in (tmp_path / "one" / "feed" / "atom.xml").read_bytes()
    assert b"1970-01-02T00:00:00" in (tmp_path / "two" / "feed" / "atom.xml").read_bytes()


@needs_make
def test_make_in_two_project_copies_gives_identical_dist(tmp_path: Path) -> None:
    roots = [new_project(tmp_path / "first" / "project", SITE),
             new_project(tmp_path / "x" / "y" / "second-copy", SITE)]
    for root, settings in zip(roots, SETTINGS, strict=True):
        ok(make(root, "JOBS=2", **settings))
    first, second = (hashes(root / "dist") for root in roots)
    assert first == second  # bytes of every file; mtimes not compared
    state = [{k: v for k, v in hashes(root / ".build").items() if not k.startswith("cache/")}
             for root in roots]  # make's state, the same too (the cache aside)
    assert state[0] == state[1]
    assert {"stamps/pdf", "stamps/epub", "stamps/feed", "stamps/html", "stamps/ninjs",
            "visibility.mk", "outputs.mk", "held.txt"} <= set(state[0])
    # and the same bytes as a direct `pressroom build`
    pressroom_build(SITE, ROOT / "styles", tmp_path / "direct")
    assert outputs(first) == outputs(hashes(tmp_path / "direct"))


# --- 2. and 4. SIGKILL mid-render, and recovery ---------------------------------------------------


def _killed_midway(argv: list[str], cwd: Path, env: dict[str, str], dist: Path,
                   old: Mapping[str, str], new: Mapping[str, str]) -> bool:
    """Run argv in a new process group; SIGKILL the group once a new PDF has landed.
    True if the kill left dist/ mixed: some outputs already new, others still old."""
    pdfs = [dist / name for name in old if name.startswith("pdf/")]
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in pdfs}
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            landed = False
            for p in pdfs:
                try:
                    st = p.stat()
                except FileNotFoundError:
                    continue
                if (st.st_ino, st.st_mtime_ns) != before[p]:
                    landed = True
                    break
            if landed:
                break
            time.sleep(0.002)
    finally:
        with contextlib.suppress(ProcessLookupError):  # already over: the caller retries
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    time.sleep(0.2)  # let the killed workers go
    now = outputs(hashes(dist))
    renewed = any(now.get(k) == new[k] != old.get(k) for k in new)
    kept = any(now.get(k) == old[k] != new.get(k) for k in old)
    return renewed and kept


def _assert_old_or_new(dist: Path, old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Every output is complete: the old bytes or the new bytes. Returns leftover temp files."""
    files = hashes(dist)
    leftovers = sorted(k for k in files if TMP.search(k))
    now = outputs(files)
    assert set(now) == set(old) | set(new), "an output vanished or a stray file appeared"
    partial = {k: v for k, v in now.items() if v not in {old.get(k), new.get(k)}}
    assert not partial, f"neither the old nor the new version: {sorted(partial)}"
    validate(dist)
    return leftovers


@needs_make
@pytest.mark.parametrize("killed", ["pressroom build --jobs 2", "make -j2"])
def test_sigkill_mid_render_leaves_old_or_new_files_and_make_recovers(
        killed: str, tmp_path: Path) -> None:
    source = corpus(8, tmp_path / "corpus")
    root = new_project(tmp_path / "project", source)
    ok(make(root, "JOBS=2"))
    dist = root / "dist"
    pristine = tmp_path / "pristine"  # dist/ and make's state in .build/
    for name in ("dist", ".build"):  # copy2: mtimes kept, so the stamps stay older than edits
        shutil.copytree(root / name, pristine / name)
    old = outputs(hashes(dist))

    edit_all(root / "source")
    edited = tmp_path / "edited"
    shutil.copytree(root / "source", edited)
    pressroom_build(edited, ROOT / "styles", tmp_path / "reference" / "dist", "--jobs", "2")
    new = outputs(hashes(tmp_path / "reference" / "dist"))
    assert set(new) == set(old)
    assert sum(old[k] != new[k] for k in new) >= 3 * 8  # every PDF, EPUB and page changed

    if killed.startswith("make"):
        argv, env = make_argv(root, "-j2", "JOBS=2"), make_env(root)
    else:
        argv = build_argv(Path("source"), Path("styles"), Path("dist"), "--jobs", "2")
        env = make_env(root)
    for _attempt in range(4):
        if _killed_midway(argv, root, env, dist, old, new):
            break
        for name in ("dist", ".build"):
            shutil.rmtree(root / name)
            shutil.copytree(pristine / name, root / name)
    else:
        pytest.fail("could not kill the build between its first and its last new output")

    leftovers = _assert_old_or_new(dist, old, new)
    for name in leftovers:  # only what a SIGKILL can leave: hidden, beside an output
        assert TMP.search(name) and Path(name).name.startswith("."), name

    # 4. the next make completes the interrupted build
    ok(make(root, "JOBS=2"))
    assert outputs(hashes(dist)) == new
    validate(dist)
    assert make(root, "-q").returncode == 0, "make should be up to date after the recovery"


KILL_AT_RENAME = """
import os, signal, sys
from pressroom.cli import main
rename = os.replace
def replace(src, dst, *args, **kwargs):
    if str(dst).endswith(".pdf"):  # the temporary PDF is written, the rename not yet done
        os.kill(os.getpid(), signal.SIGKILL)
    return rename(src, dst, *args, **kwargs)
os.replace = replace
sys.exit(main(sys.argv[1:]))
"""


def _killed_before_a_rename(source: Path, dist: Path) -> list[Path]:
    """Build, edit, and rebuild with a SIGKILL just before the first PDF's rename; return the
    temporary files that remain in dist/."""
    pressroom_build(source, ROOT / "styles", dist)
    before = hashes(dist)
    edit_all(source)
    result = subprocess.run([sys.executable, "-c", KILL_AT_RENAME,
                             *build_argv(source, ROOT / "styles", dist, "--jobs", "1")[1:]],
                            env=environment(), capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == -signal.SIGKILL, result.stderr
    after = hashes(dist)
    leftovers = sorted(p for p in dist.rglob("*") if TMP.search(p.name))
    assert leftovers, "the kill should have left the temporary PDF"
    # the target of the interrupted write is untouched: the old complete version
    assert {k: v for k, v in after.items() if k.startswith("pdf/") and not TMP.search(k)} == {
        k: v for k, v in before.items() if k.startswith("pdf/")}
    return leftovers


@pytest.mark.slow
def test_a_build_killed_between_write_and_rename_leaves_the_old_file(
        site_copy: Path, tmp_path: Path) -> None:
    leftovers = _killed_before_a_rename(site_copy, tmp_path / "dist")
    # what stays behind is hidden and beside its target, never under an output's name
    assert [p.parent.name for p in leftovers] == ["pdf"]
    assert all(p.name.startswith(".") and p.name.endswith(".tmp") for p in leftovers)
    validate(tmp_path / "dist")


@pytest.mark.slow
def test_next_build_removes_temporary_files_left_by_a_killed_build(
        site_copy: Path, tmp_path: Path) -> None:
    leftovers = _killed_before_a_rename(site_copy, tmp_path / "dist")
    pressroom_build(site_copy, ROOT / "styles", tmp_path / "dist")
    assert [p for p in leftovers if p.exists()] == []
    assert not [p for p in (tmp_path / "dist").rglob("*") if TMP.search(p.name)]


# --- 3. concurrent runs ---------------------------------------------------------------------------


def _together(commands: list[tuple[list[str], Path, dict[str, str]]]
              ) -> list[subprocess.CompletedProcess[str]]:
    procs = [subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for argv, cwd, env in commands]
    results = []
    for argv, proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=180)
        results.append(subprocess.CompletedProcess(argv[0], proc.returncode, out, err))
    return results


@needs_make
def test_two_make_j2_at_once_on_one_copy_both_succeed_and_do_not_interleave(
        tmp_path: Path) -> None:
    source = corpus(3, tmp_path / "corpus")
    pressroom_build(source, ROOT / "styles", tmp_path / "reference" / "dist")
    reference = outputs(hashes(tmp_path / "reference" / "dist"))
    root = new_project(tmp_path / "project", source)
    command = (make_argv(root, "-j2", "JOBS=2"), root, make_env(root))
    for result in _together([command, command]):
        ok(result)
        assert "pip install" not in result.stdout + result.stderr
    files = hashes(root / "dist")
    assert outputs(files) == reference
    assert not [k for k in files if TMP.search(k)], "a temporary file was left behind"
    validate(root / "dist")


@pytest.mark.slow
def test_two_pressroom_builds_writing_the_same_outputs_at_once(tmp_path: Path) -> None:
    source = corpus(3, tmp_path / "corpus")
    dist = tmp_path / "site" / "dist"
    pressroom_build(source, ROOT / "styles", dist)
    edit_all(source)  # both builds rewrite every output
    pressroom_build(source, ROOT / "styles", tmp_path / "reference" / "dist")
    reference = hashes(tmp_path / "reference" / "dist")
    assert reference != hashes(dist)
    command = (build_argv(source, ROOT / "styles", dist, "--jobs", "1"), tmp_path, environment())
    for result in _together([command, command]):
        ok(result)
    files = hashes(dist)
    assert files == reference
    validate(dist)


def test_a_concurrent_build_that_removed_the_orphan_first_does_not_fail(
        site_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dist = tmp_path / "dist"
    argv = ("--source", str(site_copy), "--styles", str(ROOT / "styles"), "build",
            "--dist", str(dist), "--quiet", "--no-cache")
    assert run(*argv).code == 0
    (site_copy / "2026-02-01-short-note.md").unlink()
    real: Callable[..., list[Path]] = pressroom.build.orphans

    def raced(renderer: object, job: object) -> list[Path]:
        found = real(renderer, job)
        for path in found:  # the other `make -j` run, between this one's glob and its unlink
            path.unlink()
        return found

    monkeypatch.setattr(pressroom.build, "orphans", raced)
    result = run(*argv)
    assert result.code == 0, result.err
    assert not list(dist.rglob("2026-02-01-short-note.*"))
