"""Writing files safely: every file lands by rename, so a reader sees the old complete file or
the new complete file, never a half-written one; temporaries carry their writer's process id,
so clean-up never removes a running process's; a write that fails names its file, removes its
temporary and leaves the old file as it was; and one tree is built by one build at a time
(`tree_lock`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pressroom.errors import RenderError

_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp$")
"""The name `write_atomic` gives a temporary: `.<target name>.<pid>.<random>.tmp`."""


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` via a temporary file in the same directory and a rename.

    Any failure (disk full, no permission, a folder in the way) raises RenderError naming
    `target` (exit code 3); the temporary is removed and `target` keeps its old bytes."""
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.",
                                   suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        _discard(tmp)
        raise RenderError(f"{target}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: str | None) -> None:
    if tmp is not None:
        with contextlib.suppress(OSError):  # never made, or already renamed
            os.unlink(tmp)


def write_if_changed(target: Path, text: str) -> None:
    data = text.encode("utf-8")
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(target, data)


def is_temporary(name: str) -> bool:
    """Whether a file name is one `write_atomic` gives its temporaries (never an output's)."""
    return name.startswith(".") and name.endswith(".tmp")


def remove_stale_temporaries(dist: Path) -> list[Path]:
    """Remove temporary files a killed process left in dist/: those whose writer (the process
    id in their name) is gone. A live process's are left alone, whoever it is."""
    removed: list[Path] = []
    for tmp in dist.rglob(".*.tmp") if dist.is_dir() else ():
        match = _TEMPORARY.match(tmp.name)
        if match and _alive(int(match.group(1))):
            continue
        tmp.unlink(missing_ok=True)
        removed.append(tmp)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:  # not a process id at all
        return False
    return True


LOCK = "lock"
"""The lock file in a tree's build state (`.build/lock`)."""
LOCK_FD = 9
"""The descriptor on which the Makefile holds the tree's lock for everything it runs (its
`LOCK_FD`): a pressroom process that inherits it, open on the same lock and holding it, is
part of that make's build and does not wait for it."""
WAITING = "waiting for another build of this tree…"

_HELD: set[int] = set()
"""Descriptors of the locks this process took (closed in forked children: a worker left
running never keeps a tree locked)."""


@contextmanager
def tree_lock(state: Path, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock of the tree whose build state is `state` (an `flock` on `state/lock`):
    one build, pack or make of a tree at a time. A process that has to wait calls
    `waiting(WAITING)` once. Within a make that holds the lock (see LOCK_FD), nothing waits:
    the formats of one `make -j` build side by side."""
    path = state / LOCK
    if _inherited(path):
        yield
        return
    told = False
    while True:
        try:
            state.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise RenderError(f"{path}: cannot lock: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not told:
                waiting(WAITING)
                told = True
            fcntl.flock(fd, fcntl.LOCK_EX)
        if _same_file(fd, path):
            break
        os.close(fd)  # `make clean` removed the lock file while we waited: lock the new one
    _HELD.add(fd)
    try:
        yield
    finally:
        _HELD.discard(fd)
        os.close(fd)


def _inherited(path: Path) -> bool:
    """Whether this process inherited the tree's lock from the make running it."""
    if not _same_file(LOCK_FD, path):
        return False
    try:  # a no-op where the inherited open file holds the lock already
        fcntl.flock(LOCK_FD, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _same_file(fd: int, path: Path) -> bool:
    try:
        held, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (held.st_dev, held.st_ino) == (there.st_dev, there.st_ino)


def _forget_locks() -> None:
    for fd in _HELD:
        os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_locks)
