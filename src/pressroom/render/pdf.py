"""The PDF brief of each release (WeasyPrint, through render/pdfwriter.py)."""

from __future__ import annotations

from typing import Any

from pressroom.prepare.document import Document
from pressroom.render import Job, Output, no_collections, owned_by

render_collections = no_collections


PER_RELEASE = True

def render_release(doc: Document, job: Job) -> list[Output]:
    """The PDF brief of one release."""
    from pressroom.render.pdfwriter import stylesheets  # WeasyPrint: imported where it lays out

    return [(doc.paths["pdf"], render_pdf(doc, job, stylesheets(job, doc.release.language)))]


def expected_release_paths(doc: Document) -> list[str]:
    """What `render_release` writes for `doc`."""
    return [doc.paths["pdf"]]


def owned(job: Job) -> dict[str, set[str]]:
    """PDF briefs in dist/pdf/, one per public release; press-kit ones in held/ beside dist/."""
    return owned_by("pdf", job)


def render_pdf(doc: Document, job: Job, sheets: list[Any]) -> bytes:
    """The PDF of one release, as bytes (`pdfwriter.release_pdf`)."""
    from pressroom.render.pdfwriter import release_pdf

    return release_pdf(doc, job, sheets)
