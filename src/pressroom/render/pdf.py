"""The PDF brief (WeasyPrint), tagged PDF/UA-1, reproducible, reading only source/ and styles/.

One process renders a whole batch (`import weasyprint` costs about a second). WeasyPrint
leaves the text of @page margin boxes ("Page 1 of 2") outside the structure tree; the
post-processing in `pdftags.py` marks it as a pagination artifact, as PDF/UA requires.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from .. import theme
from ..document import Document, output_path
from ..errors import RenderError
from ..model import Paper
from . import Job, Output, no_collections
from .pdftags import finish

PAGE_SIZES = {Paper.A4: "A4", Paper.LETTER: "letter"}
STYLE_FILES = ("base.css", "print.css")


class RootedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves only file:// URLs below the given roots; refuses the network and everything else."""

    def __init__(self, roots: Iterable[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self._roots = [Path(root).resolve(strict=True) for root in roots]

    def fetch(self, url: str, headers: Any = None) -> Any:
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise PermissionError(f"refused {url}: only files under source/ and styles/ are read")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self._roots):
            raise PermissionError(f"refused {url}: outside source/ and styles/")
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        return super().fetch(path.as_uri(), headers)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _warnings_are_errors(where: str) -> Iterator[None]:
    """A WeasyPrint warning (bad CSS, missing glyph, refused resource) fails the render."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
    if handler.messages:
        raise RenderError(f"{where}: pdf: " + "; ".join(handler.messages))


def render_release(doc: Document, job: Job) -> list[Output]:
    """The PDF brief of one release."""
    return [(output_path("pdf", doc.release.slug), render_pdf(doc, job, stylesheets(job)))]


def expected_release_paths(doc: Document) -> list[str]:
    """What `render_release` writes for `doc`."""
    return [output_path("pdf", doc.release.slug)]


def owned(job: Job) -> dict[str, set[str]]:
    """PDF briefs in dist/pdf/, one per release."""
    return {"pdf/*.pdf": {output_path("pdf", d.release.slug) for d in job.all_documents}}


render_collections = no_collections

_STYLESHEETS: dict[tuple[Path, Paper], list[Any]] = {}


def stylesheets(job: Job) -> list[Any]:
    """The parsed print stylesheets (parsed once per process) and the paper size."""
    key = (job.styles_dir, job.paper)
    if key not in _STYLESHEETS:
        sheets = [CSS(filename=str(job.styles_dir / name), url_fetcher=_fetcher(job))
                  for name in STYLE_FILES]
        paper = CSS(string=f":root {{ --page-size: {PAGE_SIZES[job.paper]} }}")
        _STYLESHEETS[key] = [*sheets, paper]
    return _STYLESHEETS[key]


def _fetcher(job: Job) -> RootedFetcher:
    return RootedFetcher([job.source_dir, job.styles_dir])


def logo_url(job: Job) -> str:
    """The publication's logo as a file URL under source/ (the fetcher refuses the rest)."""
    if not job.publication.logo:
        return ""
    return (job.source_dir / job.publication.logo).resolve().as_uri()


def render_pdf(doc: Document, job: Job, sheets: list[Any]) -> bytes:
    """The PDF of one release, as bytes."""
    xhtml = theme.release_xhtml(job.styles_dir, doc, "pdf", logo=logo_url(job))
    return write_pdf(xhtml, job, sheets, doc.release.source_path, doc.release.id)


def write_pdf(xhtml: str, job: Job, sheets: list[Any], where: str, identifier: str) -> bytes:
    """XHTML -> tagged PDF/UA-1 bytes; WeasyPrint warnings and refused resources are errors."""
    try:
        with _warnings_are_errors(where):
            html = HTML(string=xhtml, base_url=job.source_dir.resolve().as_uri() + "/",
                        url_fetcher=_fetcher(job))
            raw = html.write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as exc:  # a BaseException: convert it
        raise RenderError(f"{where}: pdf: {exc.__cause__ or exc}") from None
    return finish(raw, identifier)
