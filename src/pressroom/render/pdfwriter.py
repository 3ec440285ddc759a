"""WeasyPrint for pressroom: XHTML -> tagged PDF/UA-1 bytes, reproducible, reading only source/
and styles/ (what the PDF brief and the briefing pack share).

One process renders a whole batch (`import weasyprint` costs about a second). WeasyPrint
leaves the text of @page margin boxes ("Page 1 of 2") outside the structure tree; the
post-processing in `pdftags.py` marks it as a pagination artifact, as PDF/UA requires.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit
from urllib.request import url2pathname

from lxml import etree
from weasyprint import CSS, HTML
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pressroom import fonts
from pressroom.errors import RenderError
from pressroom.media import embedded_raster, picture, qr_png
from pressroom.model import Paper
from pressroom.pdftags import finish
from pressroom.prepare import templates
from pressroom.prepare.document import Document
from pressroom.render import Job, pdflang, pdfmargins
from pressroom.text import images, locale

pdflang.install()
pdfmargins.install()

PAGE_SIZES = {Paper.A4: "A4", Paper.LETTER: "letter"}
STYLE_FILES = ("base.css", "print.css")


SOURCE_URL = "file:///pressroom/source/"
STYLES_URL = "file:///pressroom/styles/"
"""What WeasyPrint sees as the addresses of source/ and styles/, wherever the project lies: it
names an embedded picture after a hash of its address, so a real path would make the PDF
differ from one folder (or machine) to another. The fetcher maps them back."""


def source_url(job: Job, path: Path) -> str:
    """The address of a file under source/ (see SOURCE_URL); one outside gets an address the
    fetcher refuses."""
    return SOURCE_URL + quote(Path(os.path.relpath(path, job.source_dir)).as_posix())


class RootedFetcher(URLFetcher):  # type: ignore[misc]
    """Serves only SOURCE_URL and STYLES_URL, from files below source/ and styles/ (and what is
    made in memory), and the pictures embedded in published SVGs; refuses the network and
    everything else."""

    def __init__(self, source_dir: Path, styles_dir: Path,
                 resources: dict[Path, tuple[bytes, str]] | None = None) -> None:
        super().__init__(allowed_protocols={"file"}, fail_on_errors=True)
        self._folders = {SOURCE_URL: Path(source_dir).resolve(strict=True),
                         STYLES_URL: Path(styles_dir).resolve(strict=True)}
        self._resources = {path.resolve(): value for path, value in (resources or {}).items()}
        """Made in memory, served instead of the file: a scaled image, the QR code."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if (embedded := embedded_raster(url)) is not None:  # in a published SVG, checked
            return URLFetcherResponse("pressroom-memory:embedded", body=embedded[0],
                                      headers={"Content-Type": embedded[1]})
        root = next((r for r in self._folders if url.startswith(r)), None)
        parts = urlsplit(url)
        if root is None or parts.query or parts.fragment:
            raise PermissionError(f"refused {url}: only files under source/ and styles/ are read")
        folder = self._folders[root]
        path = (folder / url2pathname(unquote(url[len(root):]))).resolve()
        if path in self._resources:
            data, media_type = self._resources[path]
            # Not a file: URL, or WeasyPrint would embed the file on disk instead of `data`.
            return URLFetcherResponse(f"pressroom-memory:{path.name}", body=data,
                                      headers={"Content-Type": media_type})
        if not path.is_relative_to(folder):
            raise PermissionError(f"refused {url}: outside source/ and styles/")
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path.name}")
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


_STYLESHEETS: dict[tuple[Path, Paper], list[Any]] = {}
_FOOTERS: dict[str, Any] = {}
_FONTS: list[FontConfiguration] = []
_COUNTERS: list[CounterStyle] = []


def counter_style() -> CounterStyle:
    """The process's @counter-style rules (lettered lists "(a)"): without one, WeasyPrint
    ignores @counter-style."""
    if not _COUNTERS:
        _COUNTERS.append(CounterStyle())
    return _COUNTERS[0]


def font_config() -> FontConfiguration:
    """The process's font configuration. Without one, WeasyPrint ignores @font-face and
    prints with whatever fonts the machine has; with it, only styles/fonts are used."""
    if not _FONTS:
        _FONTS.append(FontConfiguration())
    return _FONTS[0]


def stylesheets(job: Job, language: str = "en") -> list[Any]:
    """The parsed print stylesheets (parsed once per process), the paper size, and the page
    footer ("Page 1 of 2") in the document's language."""
    key = (job.styles_dir, job.paper)
    if key not in _STYLESHEETS:
        paper = CSS(string=f":root {{ --page-size: {PAGE_SIZES[job.paper]} }}")
        _STYLESHEETS[key] = [*_sheets(job.styles_dir, job.source_dir), paper]
    footer = locale.base(language)
    if footer not in _FOOTERS:
        _FOOTERS[footer] = CSS(string="@page { @bottom-center { content: "
                               f"{locale.page_content(footer)} }} }}")
    return [*_STYLESHEETS[key], _FOOTERS[footer]]


@cache
def _sheets(styles_dir: Path, source_dir: Path) -> list[Any]:
    """The fonts' @font-face rules and the print stylesheets, parsed (which loads the fonts)."""
    fetcher = RootedFetcher(source_dir, styles_dir, None)
    faces = CSS(string=fonts.face_rules(f"{fonts.FONTS_DIR}/"), base_url=STYLES_URL,
                url_fetcher=fetcher, font_config=font_config())
    return [faces] + [CSS(url=STYLES_URL + name, base_url=STYLES_URL + name,
                          url_fetcher=fetcher, font_config=font_config(),
                          counter_style=counter_style())
                      for name in STYLE_FILES]


def warm(styles_dir: Path, source_dir: Path) -> None:
    """Do now, before there is a release to lay out, what the first brief of a process would
    wait for: parse the stylesheets and load their fonts (a worker started ahead does it while
    the build reads the sources). Laying out a line with them too would save the first brief
    another tenth of a second, but cost as much: no saving where the build keeps the worker
    busy from the start."""
    _sheets(styles_dir, source_dir)


def _fetcher(job: Job, resources: dict[Path, tuple[bytes, str]] | None = None
             ) -> RootedFetcher:
    return RootedFetcher(job.source_dir, job.styles_dir, resources)


def logo_url(job: Job) -> str:
    """The publication's logo as a file URL under source/ (the fetcher refuses the rest)."""
    if not job.publication.logo:
        return ""
    return source_url(job, job.source_dir / job.publication.logo)


def figure_urls(doc: Document, job: Job, resources: dict[Path, tuple[bytes, str]]
                ) -> tuple[str, tuple[int, int] | None, str]:
    """(image URL, image size, QR code URL) of a release's brief; what they serve, made in
    memory (the scaled image, the QR code), is added to `resources` for the fetcher."""
    qr_path = job.source_dir / f".pressroom-qr-{doc.release.slug}.png"
    resources[qr_path] = (qr_png(doc.url), "image/png")
    image = picture(doc.image)
    if doc.image is None or image is None:
        return "", None, source_url(job, qr_path)
    resources[doc.image] = (image.data, image.media_type)
    return source_url(job, doc.image), (image.width, image.height) if image.width else None, \
        source_url(job, qr_path)


_OL_START = re.compile(r'<ol start="(\d+)"')


def list_numbers(xhtml: str) -> str:
    """`<ol start="3">` numbered from 3 in print too: WeasyPrint ignores the start attribute
    (UN and government releases number their paragraphs across headings), so the list-item
    counter is set where the list starts. Only the PDF gets the style attribute: the web
    pages' Content-Security-Policy allows no inline style."""
    return _OL_START.sub(lambda m: f'<ol start="{m.group(1)}" style="counter-reset: '
                         f'list-item {int(m.group(1)) - 1}"', xhtml)


_HEADLINE = re.compile(r"(<h1>[^<]*?)(\S+ \S{1,14})</h1>")


def no_lone_word(xhtml: str) -> str:
    """A headline never ends on a line holding a single word: its last two words are kept on
    one line (print.css `.keep`); the text, its bookmark and every other format are
    unchanged."""
    return _HEADLINE.sub(lambda m: f'{m.group(1)}<span class="keep">{m.group(2)}</span></h1>',
                         xhtml)


XHTML = "{http://www.w3.org/1999/xhtml}"


def page_footnotes(xhtml: str) -> str:
    """Each endnote (text/footnotes.py) moved to its call as a `span.footnote`, which print.css
    floats to the foot of the page (`float: footnote`); the endnotes section goes. A note
    called twice is printed once; a later call prints its number."""
    if 'role="doc-endnotes"' not in xhtml:
        return xhtml
    root = etree.fromstring(xhtml.encode("utf-8"))
    for section in [s for s in root.iter(f"{XHTML}section")
                    if s.get("role") == "doc-endnotes"]:
        notes = {li.get("id"): li for li in section.iter(f"{XHTML}li")}
        article = section.getparent()
        while article is not None and article.tag != f"{XHTML}article":
            article = article.getparent()
        placed: set[str] = set()
        for call in list((article if article is not None else root).iter(f"{XHTML}a")):
            if call.get("role") != "doc-noteref":
                continue
            sup, key = call.getparent(), (call.get("href") or "#")[1:]
            note = notes.get(key)
            if sup is None or note is None:
                continue
            if key in placed:
                _replace(sup, etree.Element(f"{XHTML}sup", {"class": "footnote-again"}),
                         call.text or "")
                continue
            placed.add(key)
            span = etree.Element(f"{XHTML}span", {"class": "footnote"})
            for back in list(note.iter(f"{XHTML}a")):
                if back.get("role") == "doc-backlink":
                    _drop(back)
            for index, paragraph in enumerate(note):
                text = (" " if index else "") + (paragraph.text or "")
                if len(span):
                    span[-1].tail = (span[-1].tail or "") + text
                else:
                    span.text = (span.text or "") + text
                for child in list(paragraph):
                    span.append(child)  # moves it, with its tail
            _replace(sup, span, None)
        parent = section.getparent()
        if parent is not None:
            parent.remove(section)
    return "<!DOCTYPE html>\n" + etree.tostring(root, encoding="unicode")


def _replace(old: Any, new: Any, text: str | None) -> None:
    if text is not None:
        new.text = text
    new.tail = old.tail
    old.getparent().replace(old, new)


def _drop(element: Any) -> None:
    """Remove an element, keeping its tail text (without the space before it)."""
    parent = element.getparent()
    previous = element.getprevious()
    tail = element.tail or ""
    if previous is not None:
        previous.tail = ((previous.tail or "").rstrip() + tail) or None
    else:
        parent.text = ((parent.text or "").rstrip() + tail) or None
    parent.remove(element)


FIT_BELOW = 0.3
"""A last page filled less than this (a few lines, the closing furniture) is worth one more
layout, set tighter, to save it."""
FIT_PAGES = 4
"""Only briefs are fitted: a briefing pack of many releases is not laid out twice."""


def _render(xhtml: str, job: Job, sheets: list[Any],
            resources: dict[Path, tuple[bytes, str]] | None) -> Any:
    html = HTML(string=xhtml, base_url=SOURCE_URL,
                url_fetcher=_fetcher(job, resources))
    return html.render(stylesheets=sheets, pdf_variant="pdf/ua-1", font_config=font_config(),
                       counter_style=counter_style())


def _last_page_fill(document: Any) -> float:
    """How much of the last page's height its content uses (0 to 1)."""
    page = document.pages[-1]._page_box
    top, height = page.content_box_y(), page.height
    bottoms = [box.position_y + box.margin_height()
               for child in page.children if type(child).__name__ != "MarginBox"
               for box in child.descendants() if hasattr(box, "margin_height")]
    return max(0.0, (max(bottoms, default=top) - top) / height) if height else 1.0


def write_pdf(xhtml: str, job: Job, sheets: list[Any], where: str, identifier: str,
              resources: dict[Path, tuple[bytes, str]] | None = None) -> bytes:
    """XHTML -> tagged PDF/UA-1 bytes; WeasyPrint warnings and refused resources are errors."""
    xhtml = page_footnotes(list_numbers(no_lone_word(xhtml)))
    resources = dict(resources or {})
    for src in images.sources(xhtml):  # body pictures: their prepared bytes, by file URL
        path = job.source_dir / src
        prepared = picture(path)
        if prepared is not None:
            resources[path] = (prepared.data, prepared.media_type)
    xhtml = images.resolve(xhtml, lambda src: source_url(job, job.source_dir / src))
    try:
        with _warnings_are_errors(where):
            document = _render(xhtml, job, sheets, resources)
            if 1 < len(document.pages) <= FIT_PAGES and _last_page_fill(document) < FIT_BELOW:
                fitted = _render(xhtml.replace("<html ", '<html class="fit" ', 1), job, sheets,
                                 resources)
                if len(fitted.pages) < len(document.pages):
                    document = fitted
            raw = document.write_pdf(pdf_variant="pdf/ua-1")
    except FatalURLFetchingError as exc:  # a BaseException: convert it
        raise RenderError(f"{where}: pdf: {exc.__cause__ or exc}") from None
    return finish(raw, identifier)


def release_pdf(doc: Document, job: Job, sheets: list[Any]) -> bytes:
    """The PDF brief of one release, as bytes: its image scaled, a QR code of its web address
    (the pdf format's file, and the e-mail edition's attachment: the same bytes)."""
    resources: dict[Path, tuple[bytes, str]] = {}
    image_src, size, qr = figure_urls(doc, job, resources)
    xhtml = templates.release_xhtml(job.styles_dir, doc, "pdf", logo=logo_url(job), qr=qr,
                                    image_src=image_src, image_size=size)
    return write_pdf(xhtml, job, sheets, doc.release.source_path, doc.release.id, resources)
