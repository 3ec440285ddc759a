"""A cache of validated sources, so that a build over thousands of releases re-reads only the
files that changed.

It lives in .build/cache/ beside dist/ (plain JSON, never code) and holds, for each valid
release file, its size, modification time and identity (device and inode) and what loading
it produced: the validated front matter, the body, the pictures it shows (and their stats),
and the body's XHTML and typeset fields (by path). An entry is used only while the file's
size, mtime and identity are unchanged; the whole cache is dropped when publication.yaml or
pressroom's code changes. It saves parsing, never a check of the file system: the loader
still refuses a cached file or picture that has become a link leading outside source/, or a
file it can no longer read.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pressroom.files import write_atomic
from pressroom.load.fields import RELEASE

PACKAGE = Path(__file__).resolve().parent


class SourceCache:
    """Cached loads by file name."""

    def __init__(self, path: Path, source_dir: Path) -> None:
        self.path = path
        self.key = _key(source_dir)
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(stored, dict) and stored.get("key") == self.key:
            entries = stored.get("entries")
            if isinstance(entries, dict):
                self.entries = {name: entry for name, entry in entries.items()
                                if isinstance(entry, dict) and _complete(entry)}

    def get(self, path: Path) -> dict[str, Any] | None:
        """The entry of `path` if the file is unchanged since it was cached (the loader still
        checks what the file system says: links, readability, pictures)."""
        entry = self.entries.get(path.name)
        stat = _stat(path)
        if entry is None or stat is None or entry.get("stat") != stat:
            return None
        return entry

    def put(self, path: Path, **values: Any) -> None:
        """Record what loading `path` produced; a file that changed starts a new entry."""
        stat = _stat(path)
        entry = self.entries.get(path.name)
        if entry is None or entry.get("stat") != stat:
            entry = self.entries[path.name] = {}
        entry.update(values, stat=stat)
        self.dirty = True

    def keep_only(self, names: set[str]) -> None:
        """Forget files that are gone."""
        for name in set(self.entries) - names:
            del self.entries[name]
            self.dirty = True

    def save(self) -> None:
        """Write the cache (atomically) if anything changed."""
        if not self.dirty:
            return
        data = json.dumps({"key": self.key, "entries": self.entries}, ensure_ascii=False,
                          sort_keys=True)
        write_atomic(self.path, data.encode("utf-8"))


_FIELDS = {"stat": list, "values": dict, "body": str, "body_line": int, "lines": dict}
_RENDERED = {"html": str, "typeset": dict}
_JSON = {"object": dict, "mapping": dict, "objects": list, "list": list}
"""What a validated value of each type is in JSON (any other type: a string)."""
REQUIRED = {name: _JSON.get(spec.type, str) for name, spec in RELEASE.items() if spec.required}
"""The fields every valid release has, from the field table, with their JSON types."""


def _complete(entry: dict[str, Any]) -> bool:
    """An entry has every field of a load, of the right type (a damaged cache is ignored)."""
    if not all(isinstance(entry.get(k), t) for k, t in _FIELDS.items()):
        return False
    values = entry["values"]
    if not all(isinstance(values.get(k), t) for k, t in REQUIRED.items()):
        return False
    if not all(k not in entry or isinstance(entry[k], t) for k, t in _RENDERED.items()):
        return False
    return all(isinstance(text, str) for text in entry.get("typeset", {}).values())


def _stat(path: Path) -> list[int] | None:
    """Modification time, size and identity of a file (None if it cannot be found)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size, info.st_dev, info.st_ino]


def _key(source_dir: Path) -> str:
    """Changes whenever publication.yaml or the code that parses sources changes."""
    digest = hashlib.sha256()
    publication = source_dir / "publication.yaml"
    try:
        digest.update(publication.read_bytes())
    except OSError:  # missing or unreadable: the loader says so, at its own exit code
        digest.update(b"\0")
    for module in sorted(PACKAGE.rglob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()
