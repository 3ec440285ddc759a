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
from collections.abc import Iterable
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
