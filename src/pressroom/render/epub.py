"""EPUB 3 per release (ebooklib), reproducible and EPUBCheck-clean.

ebooklib's defaults are replaced where they would vary or fail: the random uuid identifier
(the release id instead), `dcterms:modified` from the clock (the release's `updated`), zip
entry times (fixed, mimetype first and stored), no `xml:lang` on <package> (added), the nav
first in the spine (the book opens on the text; the nav is in the manifest only), and
`write_epub` swallowing write errors (we build bytes; the caller writes atomically).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC
from typing import Any

from ebooklib import epub
from lxml import etree

from .. import theme
from ..document import Document, output_path
from . import Job, Output

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPF_NS = "http://www.idpf.org/2007/opf"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")
SUMMARY = ("A single text document with a logical reading order, headings for structural "
           "navigation and a table of contents. It has no images, audio, video or hazards; "
           "text can be resized and restyled.")


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """Adds xml:lang and dir to <package> (ebooklib writes neither)."""

    def _write_opf_file(self, root: Any) -> None:
        root.set(XML_LANG, self.book.language)
        root.set("dir", self.book.direction)
        super()._write_opf_file(root)


def render(job: Job) -> Iterator[Output]:
    """One EPUB per document."""
    css = "\n".join((job.styles_dir / name).read_text(encoding="utf-8")
                    for name in ("base.css", "epub.css"))
    for doc in job.documents:
        yield output_path("epub", doc.release.slug), build_epub(doc, job, css)


def build_epub(doc: Document, job: Job, css: str) -> bytes:
    """The EPUB of one release, as bytes."""
    release = doc.release
    book = epub.EpubBook()
    book.metadata.get(OPF_NS, {}).pop("generator", None)
    book.set_identifier(release.id)
    book.set_title(doc.headline)
    book.set_language(release.language)
    book.set_direction(doc.direction)
    book.add_author(release.publisher)
    book.add_metadata("DC", "publisher", release.publisher)
    book.add_metadata("DC", "date", release.published.isoformat())
    book.add_metadata("DC", "description", doc.summary)
    for keyword in release.keywords:
        book.add_metadata("DC", "subject", keyword)
    _accessibility(book)

    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                                content=css.encode("utf-8")))
    chapter = epub.EpubHtml(uid="text", file_name="text.xhtml", title=doc.headline,
                            lang=release.language, direction=doc.direction)
    chapter.content = theme.release_xhtml(job.styles_dir, doc, "epub")
    chapter.add_link(href="style.css", rel="stylesheet", type="text/css")
    book.add_item(chapter)
    nav = epub.EpubNav(uid="nav", file_name="nav.xhtml", title="Contents",
                       direction=doc.direction)
    nav.add_link(href="style.css", rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.add_item(epub.EpubNcx(uid="ncx", file_name="toc.ncx"))
    book.toc = [chapter]
    book.spine = [chapter]

    buffer = io.BytesIO()
    modified = release.updated.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    writer = _Writer(buffer, book, {"mtime": modified, "package_direction": True,
                                    "epub3_pages": False})
    writer.process()
    writer.write()
    raw = buffer.getvalue()
    _check_chapter(raw)
    return normalize_zip(raw)


def _accessibility(book: Any) -> None:
    """EPUB Accessibility 1.1 metadata (schema:, dcterms: are reserved prefixes)."""

    def meta(prop: str, value: str) -> None:
        book.add_metadata(None, "meta", value, {"property": prop})

    meta("schema:accessMode", "textual")
    meta("schema:accessModeSufficient", "textual")
    for feature in FEATURES:
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", SUMMARY)
    meta("dcterms:conformsTo", CONFORMS_TO)


def _check_chapter(raw: bytes) -> None:
    """ebooklib writes an empty chapter when it cannot parse the content: refuse that."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        tree = etree.fromstring(archive.read("EPUB/text.xhtml"))
    if not tree.xpath("//*[local-name()='h1']"):
        raise ValueError("the EPUB chapter lost its content")


def normalize_zip(raw: bytes) -> bytes:
    """Re-zip with mimetype first and stored, fixed times and modes, entries in ebooklib order."""
    source = zipfile.ZipFile(io.BytesIO(raw))
    names = source.namelist()
    names.remove("mimetype")
    names.insert(0, "mimetype")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            stored = name == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, source.read(name), compresslevel=None if stored else 9)
    return out.getvalue()
