"""Renderers: one module per format, named as its key in `FORMATS`, each a `Format`.

Outputs are (path below dist/, bytes). Modules are imported only when their format is built,
so making feeds never imports WeasyPrint. Format modules never import each other; what two
share lives in a helper module here (pdfwriter, epubbook, feedwriter).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, cast, runtime_checkable

from pressroom.files import write_atomic
from pressroom.fonts import FACES, FONTS_DIR, WEB_FACES
from pressroom.layout import Published, outputs
from pressroom.model import Paper, Publication
from pressroom.plan.grouping import published
from pressroom.prepare.document import Document

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
    records: Path | None = None
    """Where the build keeps what it needs to know next time (which releases each archive page
    and digest holds), outside dist/; None: nothing is kept, every group is rewritten."""
    site: Published | None = None
    """What the build publishes (`plan.grouping.published` of `all_documents` and `held`),
    when the build has worked it out once for every format; None: worked out when needed."""


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The default `source_date`."""


@runtime_checkable
class Format(Protocol):
    """What a format module provides: plain functions, and whether it makes files per release
    (those are rendered by a worker pool, only for the stale releases)."""

    PER_RELEASE: bool

    def render_release(self, doc: Document, job: Job) -> list[Output]:
        """The files of one release ([] for a format whose files span releases, or for a
        release held back from it)."""

    def expected_release_paths(self, doc: Document) -> list[str]:
        """What `render_release` writes for `doc` (a missing one makes the release stale)."""

    def render_collections(self, job: Job) -> Iterable[Output]:
        """What spans releases (feeds, index pages, digests), given the stale releases in
        `job.documents` and all of them in `job.all_documents`."""

    def owned(self, job: Job) -> dict[str, set[str]]:
        """Glob below dist/ -> the paths that should exist there: the rest are removed."""


FORMATS: dict[str, str] = {
    "html": "pressroom.render.html",
    "pdf": "pressroom.render.pdf",
    "epub": "pressroom.render.epub",
    "feed": "pressroom.render.feed",
    "ninjs": "pressroom.render.ninjs",
    "pack": "pressroom.render.pack",
    "opds": "pressroom.render.opds",
    "email": "pressroom.render.email",
}
"""Format name -> its module (`pressroom.render.<name>`)."""
ON_REQUEST = frozenset({"pack"})
"""Formats built only when asked for by name (not by a plain `pressroom build`)."""

_ARTICLE = ("templates/release.html", "templates/_article.html", "templates/_macros.html",
            "base.css")
_FONTS = tuple(f"{FONTS_DIR}/{face[3]}" for face in FACES)
READS: dict[str, tuple[str, ...]] = {
    "html": (*_ARTICLE, "templates/index.html", "web.css",
             *(f"{FONTS_DIR}/{face[3]}" for face in WEB_FACES)),
    "pdf": (*_ARTICLE, "print.css", "draft.svg", *_FONTS),
    "epub": (*_ARTICLE, "templates/digest.html", "epub.css", *_FONTS),
    "feed": ("templates/_article.html", "templates/_macros.html"),
    "ninjs": ("templates/_article.html", "templates/_macros.html"),
    "pack": ("templates/pack.html", *_ARTICLE, "print.css", *_FONTS),
    "opds": (),
    "email": (*_ARTICLE, "print.css", "draft.svg", *_FONTS),
}
"""Format -> the files below styles/ it reads: changing one re-renders that format only (the
Makefile's prerequisites; tests/test_build.py builds each format with nothing else there)."""


def module(fmt: str) -> Format:
    """The module of a format (imported on first use)."""
    return cast(Format, importlib.import_module(FORMATS[fmt]))


def owned_by(fmt: str, job: Job) -> dict[str, set[str]]:
    """A format's `owned`: what it should have in dist/ (`layout.outputs`) for this job."""
    return outputs(fmt, job.site or published(job.all_documents, job.held,
                                              job.publication.feed.size))


def no_collections(job: Job) -> Iterable[Output]:
    """For formats without collections."""
    return ()


def no_release_files(doc: Document, job: Job | None = None) -> list[Output]:
    """For formats without files per release (`render_release`, `expected_release_paths`)."""
    return []


@dataclass(frozen=True, slots=True)
class Renewal:
    """Which groups of a collection to rewrite, and the manifest recording their releases."""

    stale: list[str]
    manifest: tuple[Path, bytes] | None
    """Where the new manifest goes (in the records) and its bytes, when membership changed."""

    def save(self) -> None:
        """Record the groups' membership: called once their files are written (a build
        killed before then rewrites them next time)."""
        if self.manifest is not None:
            path, data = self.manifest
            write_atomic(path, data)


def renewal(job: Job, manifest: str, groups: dict[str, list[Document]],
            path_of: Callable[[str], str]) -> Renewal:
    """Groups (archive pages, digests) to rewrite: missing files, groups holding a stale
    release, and groups whose releases changed since the manifest in dist/ was written (a
    release deleted, back-filled or moved to another month shifts later groups)."""
    membership = {key: [d.release.id for d in docs] for key, docs in groups.items()}
    (job.dist_dir / manifest).unlink(missing_ok=True)  # where earlier versions kept it
    path = job.records / manifest if job.records is not None else None
    try:
        previous = json.loads(path.read_text(encoding="utf-8")) if path else None
    except (OSError, ValueError):
        previous = None
    stale_ids = {d.release.id for d in job.documents}
    stale = [key for key, ids in membership.items()
             if not isinstance(previous, dict) or previous.get(key) != ids
             or stale_ids.intersection(ids) or not (job.dist_dir / path_of(key)).exists()]
    data = json.dumps(membership, indent=1, sort_keys=True).encode("utf-8")
    return Renewal(stale, None if path is None or previous == membership else (path, data))
