"""Renderers, one module per format, registered in one table.

A format module provides, as plain functions:

- `render_release(doc, job) -> list[Output]` when it makes files per release (optional);
- `render_collections(job) -> Iterable[Output]`: what spans releases (feeds, index pages,
  digests), given the stale releases in `job.documents` and all of them in `job.all_documents`;
- `owned(job) -> dict[glob, expected paths]`: what it owns in dist/, so that outputs whose
  release is gone are removed.

Outputs are (path below dist/, bytes). Modules are imported only when their format is built,
so making feeds never imports WeasyPrint.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import ModuleType

from ..document import Document
from ..model import Paper, Publication

Output = tuple[str, bytes]


@dataclass(frozen=True, kw_only=True, slots=True)
class Job:
    """What one renderer is asked to make."""

    documents: list[Document]
    """The stale releases: those to render, and whose collections to renew."""
    all_documents: list[Document]
    """Every public release, newest first (for feeds, indexes and digests)."""
    held: list[Document]
    """Releases held back (embargoed, drafts on request): press-kit outputs in held/ only."""
    withdrawn: list[Document]
    """Withdrawn releases: in no public output; the Atom feed keeps their tombstones."""
    publication: Publication
    source_dir: Path
    styles_dir: Path
    dist_dir: Path
    paper: Paper
    source_date: datetime
    """Date of a feed without entries: SOURCE_DATE_EPOCH, never the clock."""


FORMATS: dict[str, str] = {
    "html": "pressroom.render.web",
    "pdf": "pressroom.render.pdf",
    "epub": "pressroom.render.epub",
    "feed": "pressroom.render.feedfiles",
    "ninjs": "pressroom.render.ninjs",
}


def module(fmt: str) -> ModuleType:
    """The module of a format (imported on first use)."""
    return importlib.import_module(FORMATS[fmt])


def per_release(fmt: str) -> bool:
    """Whether the format makes one file per release (and can render a stale subset)."""
    return hasattr(module(fmt), "render_release")


def no_collections(job: Job) -> Iterable[Output]:
    """For formats without collections."""
    return ()


@dataclass(frozen=True, slots=True)
class Renewal:
    """Which groups of a collection to rewrite, and the manifest recording their releases."""

    stale: list[str]
    manifest: Output | None
    """(path, bytes) of the new manifest, when membership changed."""


def renewal(job: Job, manifest: str, groups: dict[str, list[Document]],
            path_of: Callable[[str], str]) -> Renewal:
    """Groups (archive pages, digests) to rewrite: missing files, groups holding a stale
    release, and groups whose releases changed since the manifest in dist/ was written (a
    release deleted, back-filled or moved to another month shifts later groups)."""
    membership = {key: [d.release.id for d in docs] for key, docs in groups.items()}
    try:
        previous = json.loads((job.dist_dir / manifest).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    stale_ids = {d.release.id for d in job.documents}
    stale = [key for key, ids in membership.items()
             if not isinstance(previous, dict) or previous.get(key) != ids
             or stale_ids.intersection(ids) or not (job.dist_dir / path_of(key)).exists()]
    data = json.dumps(membership, indent=1, sort_keys=True).encode("utf-8")
    return Renewal(stale, None if previous == membership else (manifest, data))
