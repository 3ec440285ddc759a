"""Writing files safely: every file lands by rename, so a reader sees the old complete file or
the new complete file, never a half-written one; temporaries carry their writer's process id,
so clean-up never removes a running build's.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` via a temporary file in the same directory and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(target: Path, text: str) -> None:
    data = text.encode("utf-8")
    try:
        if target.read_bytes() == data:
            return
    except OSError:
        pass
    write_atomic(target, data)


def remove_stale_temporaries(dist: Path) -> list[Path]:
    """Remove temporary files a killed build left in dist/ (their writer is gone); a running
    build's temporaries, named with its process id, are left alone."""
    removed: list[Path] = []
    for tmp in dist.rglob(".*.tmp") if dist.is_dir() else ():
        match = re.search(r"\.(\d+)\.[^.]*\.tmp$", tmp.name)
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
    return True
