"""Building: which outputs are stale, rendering them, and writing each one atomically.

make decides that *something* is stale and passes the changed prerequisites (`$?`); this module
turns them into the set of releases to render, so one process renders a whole batch (importing
WeasyPrint once), and every file lands in dist/ by rename: a reader of dist/ sees the old
complete file or the new complete file, never a half-written one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .document import PATHS, Document, output_path, prepare
from .model import Paper
from .render import Job, per_release, renderer
from .source import load_site

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, kw_only=True, slots=True)
class BuildOptions:
    """Where to read and write, and what to make."""

    source_dir: Path
    styles_dir: Path
    dist_dir: Path
    formats: tuple[str, ...]
    changed: tuple[str, ...] | None = None
    """Paths make found newer than the last build (`$?`); None rebuilds everything."""
    paper: Paper | None = None
    source_date: datetime = EPOCH
    """Date of outputs that no release dates (an empty feed): `SOURCE_DATE_EPOCH`."""


def build(options: BuildOptions, report: Callable[[str], None] = lambda _: None) -> list[Path]:
    """Load and validate every source, then render the stale outputs; return what was written.

    Nothing is written unless every source is valid (SourceError is raised before rendering).
    """
    site = load_site(options.source_dir)
    documents = prepare(site)
    paper = options.paper or site.publication.paper
    written: list[Path] = []
    for fmt in options.formats:
        selected = select(fmt, documents, options)
        job = Job(documents=selected, all_documents=documents,
                  publication=site.publication, source_dir=options.source_dir,
                  styles_dir=options.styles_dir, paper=paper, source_date=options.source_date)
        for relpath, data in renderer(fmt)(job):
            target = options.dist_dir / relpath
            write_atomic(target, data)
            report(f"wrote {target}")
            written.append(target)
        for orphan in orphans(fmt, documents, options.dist_dir):
            orphan.unlink()
            report(f"removed {orphan} (its source is gone)")
    return written


def select(fmt: str, documents: list[Document], options: BuildOptions) -> list[Document]:
    """The releases whose `fmt` output must be rendered."""
    if not per_release(fmt) or options.changed is None:
        return documents
    sources = {Path(p).resolve() for p in options.changed}
    release_sources = {Path(d.release.source_path).resolve() for d in documents}
    if any(p not in release_sources for p in sources):
        return documents  # publication.yaml, a style, a template or the code changed
    return [
        d for d in documents
        if Path(d.release.source_path).resolve() in sources
        or not (options.dist_dir / output_path(fmt, d.release.slug)).exists()
    ]


def orphans(fmt: str, documents: list[Document], dist_dir: Path) -> Iterable[Path]:
    """Outputs of `fmt` in dist/ whose release no longer exists."""
    if fmt not in PATHS:
        return []
    pattern = output_path(fmt, "*")
    expected = {output_path(fmt, d.release.slug) for d in documents}
    return sorted(p for p in dist_dir.glob(pattern)
                  if p.relative_to(dist_dir).as_posix() not in expected)


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` via a temporary file in the same directory and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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
