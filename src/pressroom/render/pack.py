"""The briefing pack: many releases in one PDF, with a cover, a table of contents with page
numbers, bookmarks, and each release starting on a new page.

As a registered format (`pressroom build --format pack`) it makes the pack of every public
release; `pressroom pack` (build.make_pack) makes one of a selection. Every pack records the
ids of its releases in its XMP packet (`pressroom.packs`), so that a build can remake or
remove it when one of them is no longer public, and `make check` can see what it holds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pressroom.layout import PACK_PATH
from pressroom.model import Paper
from pressroom.packs import record
from pressroom.plan.grouping import Selection
from pressroom.prepare import templates
from pressroom.prepare.document import Document
from pressroom.render import Job, Output, no_release_files
from pressroom.render.pdfwriter import figure_urls, logo_url, stylesheets, write_pdf

PER_RELEASE = False

render_release = expected_release_paths = no_release_files


def render_collections(job: Job) -> Iterator[Output]:
    """The pack of every public release (none when there is none)."""
    if job.all_documents:
        selection = Selection()
        yield PACK_PATH, pack_pdf(selection.select(job.all_documents), job, selection)


def owned(job: Job) -> dict[str, set[str]]:
    """The pack of all releases, removed when no release is public."""
    return {PACK_PATH: {PACK_PATH} if job.all_documents else set()}


def pack_pdf(chosen: list[Document], job: Job, selection: Selection) -> bytes:
    """One PDF of the `chosen` releases (newest first)."""
    pub = job.publication
    created: datetime = min(d.release.published for d in chosen)
    modified: datetime = max(d.release.updated for d in chosen)
    resources: dict[Path, tuple[bytes, str]] = {}
    figures = {d.release.slug: figure_urls(d, job, resources) for d in chosen}
    xhtml = templates.render(job.styles_dir, "pack.html", pub.language, pub=pub,
                             documents=chosen, selection=selection, logo=logo_url(job),
                             format="pack", created=created, modified=modified,
                             figures=figures)
    identifier = f"{pub.feed.id}:pack:{chosen[-1].release.published:%Y-%m-%d}" \
                 f":{chosen[0].release.published:%Y-%m-%d}:{selection.keyword}"
    pdf = write_pdf(xhtml, job, stylesheets(job, pub.language), str(job.source_dir),
                    identifier, resources)
    return record(pdf, [d.release.id for d in chosen])


PAPER_POINTS = {Paper.A4: (595.28, 841.89), Paper.LETTER: (612.0, 792.0)}
"""The size of each paper, in points, as WeasyPrint lays it out."""


def paper_of(size: tuple[float, float]) -> Paper:
    """The paper a pack was made on, from the size of its pages (`packs.Pack.size`)."""
    return min(PAPER_POINTS, key=lambda paper: abs(PAPER_POINTS[paper][0] - size[0])
               + abs(PAPER_POINTS[paper][1] - size[1]))
