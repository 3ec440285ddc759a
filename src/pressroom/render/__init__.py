"""Renderers, one module per format, registered in one table.

A renderer is a function `render(job) -> iterable of (path below dist/, bytes)`. Modules are
imported only when their format is built, so making feeds never imports WeasyPrint.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..document import Document
from ..model import Paper, Publication

Output = tuple[str, bytes]


@dataclass(frozen=True, kw_only=True, slots=True)
class Job:
    """What one renderer is asked to make."""

    documents: list[Document]
    """The releases to render (the stale ones for per-release formats)."""
    all_documents: list[Document]
    """Every public release, newest first (for feeds and the index)."""
    publication: Publication
    source_dir: Path
    styles_dir: Path
    paper: Paper
    source_date: datetime
    """Date of a feed without entries: SOURCE_DATE_EPOCH, never the clock."""


FORMATS: dict[str, str] = {
    "html": "pressroom.render.web",
    "pdf": "pressroom.render.pdf",
    "epub": "pressroom.render.epub",
    "feed": "pressroom.render.feedfiles",
}
"""Format name -> module providing `render(job)` and `PER_RELEASE` (bool)."""


def renderer(fmt: str) -> Callable[[Job], Iterable[Output]]:
    """The render function of a format (imports its module on first use)."""
    module = importlib.import_module(FORMATS[fmt])
    func: Callable[[Job], Iterable[Output]] = module.render
    return func


def per_release(fmt: str) -> bool:
    """Whether the format makes one file per release (and can render a stale subset)."""
    return fmt in ("html", "pdf", "epub")
