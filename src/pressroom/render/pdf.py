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
from . import Job, Output
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


def render(job: Job) -> Iterator[Output]:
    """One PDF brief per document."""
    stylesheets = [CSS(filename=str(job.styles_dir / name), url_fetcher=_fetcher(job))
                   for name in STYLE_FILES]
    paper = CSS(string=f":root {{ --page-size: {PAGE_SIZES[job.paper]} }}")
    for doc in job.documents:
        yield output_path("pdf", doc.release.slug), render_pdf(doc, job, [*stylesheets, paper])


def _fetcher(job: Job) -> RootedFetcher:
    return RootedFetcher([job.source_dir, job.styles_dir])


def render_pdf(doc: Document, job: Job, stylesheets: list[Any]) -> bytes:
    """The PDF of one release, as bytes."""
    logo = ""
    if doc.publication.logo:
        logo = (job.source_dir / doc.publication.logo).resolve().as_uri()
    xhtml = theme.release_xhtml(job.styles_dir, doc, "pdf", logo=logo)
    where = doc.release.source_path
    try:
        with _warnings_are_errors(where):
            html = HTML(string=xhtml, base_url=job.source_dir.resolve().as_uri() + "/",
                        url_fetcher=_fetcher(job))
            raw = html.write_pdf(stylesheets=stylesheets, pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as exc:  # a BaseException: convert it
        raise RenderError(f"{where}: pdf: {exc.__cause__ or exc}") from None
    return finish(raw, doc.release.id)
