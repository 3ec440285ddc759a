"""One tree, one build at a time (issue 13, rows 2 and 5, and a full disk).

- Builds on one tree are serialised by an flock on .build/lock: `make` takes it at its top
  level (the formats of one `make -j` still build side by side), `pressroom build` and
  `pressroom pack` take it themselves unless the make running them holds it, `pressroom
  serve`'s rebuilds are makes; whoever waits says so once.
- Clean-up never removes another live process's temporary files (`.NAME.PID.XXXX.tmp`):
  only those whose process is gone.
- A write that fails (a full disk) names the file it was writing, exits with code 3, removes
  its temporary file and leaves the old file as it was.

The slow tests run two makes, or two `pressroom build`, at once on one copy of a tiny site,
50 times in a row with an edit between runs, and compare dist/ with one clean build's bytes.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pressroom import files
from pressroom.build import BuildOptions, build
from pressroom.files import LOCK_FD, WAITING, tree_lock

from .conftest import FIXTURES, ROOT, Run, release_text, run
from .test_trust import (
    TMP,
    hashes,
    make,
    new_project,
    ok,
    outputs,
    pressroom_build,
    validate,
)

STYLES = ROOT / "styles"
SITE = FIXTURES / "site"
CHART = FIXTURES / "newsroom" / "images" / "chart.svg"
SHORT = "2026-02-01-short-note"
PICTURED = "2026-03-20-pictured"
ROUNDS = 50
CHEAP = ("html", "feed", "ninjs")
"""The formats the 50 rounds of make build: three at once under `make -j2`, none importing
WeasyPrint (a full `make -j2` of every format, twice at once: test_trust.py)."""


def tiny_site(target: Path) -> Path:
    """The test site (two releases) and a third with a figure: every format has work, and the
    web pages' clean-up has pictures (images/) and fonts (assets/fonts/) to look at."""
    shutil.copytree(SITE, target)
    (target / "images").mkdir()
    shutil.copy2(CHART, target / "images" / "chart.svg")
    text = release_text("2026-03-20", "pictured").replace(
        "keywords: [generated]\n", "keywords: [generated]\nimage:\n  src: images/chart.svg\n"
        "  alt: A test chart\n")
    (target / f"{PICTURED}.md").write_text(text, encoding="utf-8")
    return target


def edit(source: Path, round_: int) -> None:
    """The edit between two runs: one release's body, back and forth (two states)."""
    path = source / f"{SHORT}.md"
    text = path.read_text(encoding="utf-8")
    marker = "\nAn editor's sentence.\n"
    path.write_text(text + marker if round_ % 2 else text.replace(marker, ""), encoding="utf-8")


def build_options(source: Path, dist: Path, **extra: Any) -> BuildOptions:
    return BuildOptions(source_dir=source, styles_dir=STYLES, dist_dir=dist,
                        formats=("html",), **extra)


@pytest.fixture
def sleeper() -> Iterator[subprocess.Popen[bytes]]:
    """A live process that is not this one (its id names a temporary file)."""
    proc = subprocess.Popen(["sleep", "300"])
    yield proc
    proc.kill()
    proc.wait()


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Callable[[], None]]:
    """The lock of the tree at tmp_path (dist/ beside .build/), held by another open file,
    as another process would; call the value to release it."""
    state = tmp_path / ".build"
    state.mkdir(exist_ok=True)
    fd = os.open(state / files.LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    released = threading.Event()

    def release() -> None:
        if not released.is_set():
            released.set()
            os.close(fd)

    yield release
    release()


# --- clean-up never removes a live process's temporary files --------------------------------------


def test_a_live_processs_temporary_files_survive_a_build_and_a_dead_ones_do_not(
        tmp_path: Path, sleeper: subprocess.Popen[bytes]) -> None:
    source, dist = tiny_site(tmp_path / "source"), tmp_path / "dist"
    assert run("--source", str(source), "--styles", str(STYLES), "build", "--dist", str(dist),
               "--quiet", "--format", "html").code == 0
    pictures = [p.name for p in (dist / "images").iterdir()]
    assert pictures, "the tiny site publishes a picture"
    live = [dist / "images" / f".{pictures[0]}.{sleeper.pid}.k3j4h5g6.tmp",
            dist / "assets" / "fonts" / f".NotoSansArabic-Bold.ttf.{sleeper.pid}.a1b2c3d4.tmp",
            dist / "releases" / f".{SHORT}.html.{sleeper.pid}.zz_99xyz.tmp"]
    for path in live:
        path.write_bytes(b"half of a file another build is writing")
    edit(source, 1)
    assert run("--source", str(source), "--styles", str(STYLES), "build", "--dist", str(dist),
               "--quiet", "--format", "html").code == 0
    assert [p for p in live if not p.exists()] == []

    sleeper.kill()
    sleeper.wait()
    assert run("--source", str(source), "--styles", str(STYLES), "build", "--dist", str(dist),
               "--quiet", "--format", "html").code == 0
    assert [p for p in live if p.exists()] == []
    assert not [p for p in dist.rglob("*") if TMP.search(p.name)]


# --- a failed write names its file ----------------------------------------------------------------


def _failing_writes(monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    """Writes of the temporary file of `target` fail as on a full disk (ENOSPC)."""
    real = os.fdopen

    class Full:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = real(fd, *args, **kwargs)
        name = os.readlink(f"/proc/self/fd/{fd}")
        return Full(handle) if Path(name).name.startswith(f".{target}.") else handle

    monkeypatch.setattr(os, "fdopen", fdopen)


def test_a_full_disk_names_the_file_removes_the_temporary_and_keeps_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, dist = tiny_site(tmp_path / "source"), tmp_path / "dist"
    argv = ("--source", str(source), "--styles", str(STYLES), "build", "--dist", str(dist),
            "--quiet", "--format", "html,ninjs")
    assert run(*argv).code == 0
    before = hashes(dist)
    edit(source, 1)
    _failing_writes(monkeypatch, f"{SHORT}.html")
    result = run(*argv)
    assert result.code == 3  # an output could not be made (RenderError)
    assert result.err.splitlines() == [
        f"{dist}/releases/{SHORT}.html: cannot write: No space left on device"]
    assert "Traceback" not in result.err
    assert hashes(dist)[f"releases/{SHORT}.html"] == before[f"releases/{SHORT}.html"]
    assert not [p for p in dist.rglob("*") if TMP.search(p.name)]


def test_a_folder_that_cannot_be_made_names_the_file(tmp_path: Path) -> None:
    source, dist = tiny_site(tmp_path / "source"), tmp_path / "dist"
    dist.mkdir()
    (dist / "ninjs").write_text("a file where the folder should be")
    result = run("--source", str(source), "--styles", str(STYLES), "build", "--dist", str(dist),
                 "--quiet", "--format", "ninjs")
    assert result.code == 3
    assert re.fullmatch(rf"{re.escape(str(dist))}/ninjs/[^/]+\.json: cannot write: "
                        r"(File exists|Not a directory)\n", result.err)


# --- the tree's lock ------------------------------------------------------------------------------


def _in_thread(work: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    done: list[object] = []
    thread = threading.Thread(target=lambda: done.append(work()), daemon=True)
    thread.start()
    return thread, done


def _until(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_build_waits_for_the_trees_lock_and_says_so_once(
        tmp_path: Path, held: Callable[[], None]) -> None:
    source, dist = tiny_site(tmp_path / "source"), tmp_path / "dist"
    said: list[str] = []
    thread, done = _in_thread(lambda: build(build_options(source, dist), waiting=said.append))
    _until(lambda: bool(said))
    time.sleep(0.3)
    assert thread.is_alive() and not dist.exists(), "the build went ahead of the lock's holder"
    held()
    thread.join(timeout=60)
    assert done and said == [WAITING]
    assert (dist / "index.html").is_file()


def test_the_cli_says_it_waits_on_its_own_stderr(tmp_path: Path, held: Callable[[], None]
                                                 ) -> None:
    source, dist = tiny_site(tmp_path / "source"), tmp_path / "dist"
    thread, done = _in_thread(lambda: run("--source", str(source), "--styles", str(STYLES),
                                          "build", "--dist", str(dist), "--quiet",
                                          "--format", "ninjs"))
    time.sleep(1)
    assert thread.is_alive() and not dist.exists()
    held()
    thread.join(timeout=60)
    (result,) = done
    assert isinstance(result, Run) and result.code == 0, result
    assert result.err == f"pressroom: {WAITING}\n"


def test_a_pack_waits_for_the_trees_lock_too(tmp_path: Path, held: Callable[[], None]) -> None:
    from pressroom.build import make_pack
    from pressroom.plan.grouping import Selection

    source, dist = tiny_site(tmp_path / "source"), tmp_path / "dist"
    said: list[str] = []
    thread, done = _in_thread(lambda: make_pack(
        source, STYLES, dist, "packs/p.pdf", Selection(keyword="generated"), None,
        waiting=said.append))
    _until(lambda: bool(said))
    assert thread.is_alive() and not dist.exists()
    held()
    thread.join(timeout=120)
    assert done == [dist / "packs" / "p.pdf"] and said == [WAITING]


def test_a_lock_the_build_already_holds_through_its_make_is_not_waited_for(
        tmp_path: Path) -> None:
    """A pressroom process that inherits the lock on LOCK_FD from the make running it (as
    every recipe of a `make -j` does) builds at once, side by side with its siblings."""
    source, dist = tiny_site(tmp_path / "source"), tmp_path / "dist"
    script = (
        "import fcntl, os, sys\n"
        "from pressroom.cli import main\n"
        f"os.makedirs({str(tmp_path / '.build')!r}, exist_ok=True)\n"
        f"fd = os.open({str(tmp_path / '.build' / 'lock')!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        f"os.dup2(fd, {LOCK_FD})\n"
        "sys.exit(main(sys.argv[1:]))\n")
    argv = [sys.executable, "-c", script, "--source", str(source), "--styles", str(STYLES),
            "build", "--dist", str(dist), "--quiet", "--format", "ninjs"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert WAITING not in result.stderr


def test_a_lock_file_removed_while_waiting_is_locked_anew(tmp_path: Path) -> None:
    """`make clean` removes .build/ (the lock file too) under the lock: a build that waited on
    the old file locks the new one, so two builds never both hold "the" lock."""
    state = tmp_path / ".build"
    said: list[str] = []
    entered = threading.Event()

    def waiter() -> None:
        with tree_lock(state, said.append):
            entered.set()

    with tree_lock(state, lambda line: None):
        thread, _ = _in_thread(waiter)
        _until(lambda: bool(said))
        (state / files.LOCK).unlink()  # clean-up, under the lock
        newcomer = os.open(state.parent / "lock-new", os.O_RDWR | os.O_CREAT)
        fcntl.flock(newcomer, fcntl.LOCK_EX)  # a build that came after: holds the new file
        os.rename(state.parent / "lock-new", state / files.LOCK)
    time.sleep(0.5)  # the waiter has the old, removed file's lock by now: it must not enter
    assert not entered.is_set()
    os.close(newcomer)
    thread.join(timeout=30)
    assert entered.is_set() and said == [WAITING]


def test_the_makefile_and_pressroom_agree_on_the_lock() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^LOCK_FD := (\d+)$", makefile, re.M)
    assert found and int(found.group(1)) == LOCK_FD
    assert f'echo "make: {WAITING}"' in makefile
    assert "$(STATE)/lock" in makefile and files.LOCK == "lock"


# --- the slow part: many runs at once on one copy -------------------------------------------------


def _references(tmp_path: Path, source: Path, **build: str) -> list[dict[str, str]]:
    """One clean build's bytes for each of the two states `edit` switches between."""
    found = []
    for state in (0, 1):
        copy = shutil.copytree(source, tmp_path / f"state-{state}")
        edit(copy, state)
        dist = tmp_path / f"reference-{state}" / "dist"
        pressroom_build(copy, STYLES, dist, *build.get("args", "").split())
        found.append(outputs(hashes(dist)))
    return found


def _together(commands: list[tuple[list[str], Path, dict[str, str]]]
              ) -> list[subprocess.CompletedProcess[str]]:
    procs = [subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for argv, cwd, env in commands]
    results = []
    for (argv, _, _), proc in zip(commands, procs, strict=True):
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(argv, proc.returncode, out, err))
    return results


@pytest.mark.slow  # 100 makes
@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_two_make_j2_at_once_50_times_one_builds_the_other_waits(tmp_path: Path) -> None:
    """Each round: one edit, then two `make -j2 html feed ninjs` at once. One make builds (its
    formats side by side: none waits for another), the other waits and finds nothing to do;
    dist/ is then one clean build's bytes, with no temporary file left."""
    from .test_trust import make_argv, make_env

    source = tiny_site(tmp_path / "source")
    references = _references(tmp_path, source, args="--format " + ",".join(CHEAP))
    root = new_project(tmp_path / "project", source)
    edit(root / "source", 0)
    ok(make(root, "-j2", "JOBS=2", *CHEAP))
    command = (make_argv(root, "-j2", "JOBS=2", *CHEAP), root, make_env(root))
    for round_ in range(1, ROUNDS + 1):
        edit(root / "source", round_)
        first, second = _together([command, command])
        for result in (first, second):
            ok(result)
            assert f"pressroom: {WAITING}" not in result.stderr, (
                f"round {round_}: the formats of one make waited for each other")
        worked = [r for r in (first, second) if "pressroom build --format" in r.stdout]
        assert len(worked) == 1, f"round {round_}: both makes built (interleaved)"
        idle = first if worked[0] is second else second
        assert "Nothing to be done" in idle.stdout, f"round {round_}: {idle.stdout}"
        files_now = hashes(root / "dist")
        assert not [k for k in files_now if TMP.search(k)], f"round {round_}: a temporary"
        assert outputs(files_now) == references[round_ % 2], f"round {round_}"
    validate(root / "dist")


@pytest.mark.slow  # 100 `pressroom build` processes
def test_two_pressroom_builds_at_once_50_times_leave_one_clean_builds_bytes(
        tmp_path: Path) -> None:
    source = tiny_site(tmp_path / "source")
    references = _references(tmp_path, source, args="--format html")
    dist = tmp_path / "site" / "dist"
    from .test_trust import build_argv, environment

    command = (build_argv(source, STYLES, dist, "--format", "html", "--jobs", "1"), tmp_path,
               environment())
    for round_ in range(ROUNDS):
        edit(source, round_)
        for result in _together([command, command]):
            ok(result)
        files_now = hashes(dist)
        assert not [k for k in files_now if TMP.search(k)], f"round {round_}: a temporary"
        assert outputs(files_now) == references[round_ % 2], f"round {round_}"


@pytest.mark.slow  # make, and serve's make
@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_and_serves_rebuilds_wait_for_the_lock_and_say_so_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pressroom.editor.serve import make_rebuild

    from .test_trust import make_argv, make_env

    root = new_project(tmp_path / "project", tiny_site(tmp_path / "source"))
    state = root / ".build"
    state.mkdir()

    def hold() -> int:
        fd = os.open(state / files.LOCK, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    fd = hold()
    try:
        proc = subprocess.Popen(make_argv(root), cwd=root, env=make_env(root),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert proc.poll() is None and not (root / "dist").exists(), "make did not wait"
    finally:
        os.close(fd)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err
    assert err.count(WAITING) == 1 and f"make: {WAITING}" in err
    assert (root / "dist" / "index.html").is_file()

    # serve's rebuild is a make: it waits too, and says so while it waits
    for name in ("MAKELEVEL", "MFLAGS", "MAKEOVERRIDES", "MAKEFILES"):
        monkeypatch.delenv(name, raising=False)
    for name, value in make_env(root).items():
        monkeypatch.setenv(name, value)
    edit(root / "source", 1)
    said: list[str] = []
    rebuild = make_rebuild(root, f"VENV={sys.prefix}", f"READY={root / 'venv-ready.stamp'}",
                           say=said.append)
    fd = hold()
    try:
        thread, done = _in_thread(rebuild)
        _until(lambda: bool(said))
        assert thread.is_alive()
    finally:
        os.close(fd)
    thread.join(timeout=300)
    assert said == [f"make: {WAITING}"]
    assert done and done[0][0] == 0, done  # type: ignore[index]
