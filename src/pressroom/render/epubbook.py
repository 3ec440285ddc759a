"""EPUB 3 books with ebooklib, reproducible and EPUBCheck-clean: what a release's EPUB and the
digests share (identity, accessibility metadata, stylesheet, chapters, embedded fonts, zip).

ebooklib's defaults are replaced where they would vary or fail: the random uuid identifier
(the release id instead), `dcterms:modified` from the clock (the release's `updated`), zip
entry times (fixed, mimetype first and stored), no `xml:lang` on <package> (added), the nav
first in the spine (the book opens on the text; the nav is in the manifest only), and
`write_epub` swallowing write errors (we build bytes; the caller writes atomically).

Fonts: an e-book that names fonts it does not carry shows whatever the reading device has,
which for Arabic or Chinese may be nothing at all. Each EPUB carries the faces its text uses,
subset to its characters (a Chinese face is 2-3 MB whole, a few dozen kB cut down), so every
script is drawn by the font it was checked against.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from ebooklib import epub

from pressroom import layout
from pressroom.fonts import FACES, SCRIPTS, cmap, face_rule, script_of
from pressroom.media import picture
from pressroom.prepare import templates
from pressroom.prepare.document import Document
from pressroom.render import Job
from pressroom.text import images, locale

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPF_NS = "http://www.idpf.org/2007/opf"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "displayTransformability")
# The accessibility summaries are in the label catalogue (text/labels.toml): reading apps show them.


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """Adds xml:lang and dir to <package> (ebooklib writes neither), and writes the zip as
    `_Zip` does: reproducible in one pass (not written, read back and written again)."""

    def _write_opf_file(self, root: Any) -> None:
        root.set(XML_LANG, self.book.language)
        root.set("dir", self.book.direction)
        super()._write_opf_file(root)

    def write(self) -> None:
        self.out = _Zip(self.file_name)
        self.out.writestr("mimetype", "application/epub+zip")
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


class _Zip:
    """What ebooklib writes its entries into: a zip whose entries, in the order written
    (mimetype first), have fixed times and modes, mimetype stored, the rest deflated."""

    def __init__(self, file: Any) -> None:
        self.archive = zipfile.ZipFile(file, "w")

    def writestr(self, name: str, data: str | bytes, compress_type: int | None = None) -> None:
        info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
        info.create_system = 3
        info.external_attr = 0o644 << 16
        stored = name == "mimetype"
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        self.archive.writestr(info, data, compresslevel=None if stored else 6)

    def close(self) -> None:
        self.archive.close()


def stylesheet(job: Job) -> bytes:
    """base.css + epub.css, the stylesheet of every EPUB."""
    return "\n".join((job.styles_dir / name).read_text(encoding="utf-8")
                     for name in ("base.css", "epub.css")).encode("utf-8")


def new_book(*, identifier: str, title: str, language: str, direction: str, publisher: str,
             published: str, job: Job) -> Any:
    """An EpubBook with pressroom's fixed identity, accessibility metadata and stylesheet."""
    book = epub.EpubBook()
    book.metadata.get(OPF_NS, {}).pop("generator", None)
    book.set_identifier(identifier)
    book.set_title(title)
    book.set_language(language)
    book.set_direction(direction)
    book.add_author(publisher)
    book.add_metadata("DC", "publisher", publisher)
    book.add_metadata("DC", "date", published)
    book.add_item(epub.EpubItem(uid="style", file_name="style.css", media_type="text/css",
                                content=stylesheet(job)))
    return book


def chapter(*, uid: str, file_name: str, content: str) -> Any:
    """An XHTML chapter stored exactly as pressroom's template rendered it (ebooklib's
    EpubHtml would re-parse it with a lenient HTML parser, slowly, and might alter it)."""
    return epub.EpubItem(uid=uid, file_name=file_name, media_type="application/xhtml+xml",
                         content=content.encode("utf-8"))


def release_chapter(doc: Document, job: Job, uid: str, file_name: str, book: Any) -> Any:
    """The chapter of one release: the shared XHTML rendering with the EPUB stylesheet; its
    image, if any, is added to the book's manifest."""
    image_src, size = "", None
    image = picture(doc.image)
    if image is not None:
        image_src = f"images/{doc.release.slug}.{image.extension}"
        size = (image.width, image.height) if image.width else None
        book.add_item(epub.EpubItem(uid=f"img-{doc.release.slug}", file_name=image_src,
                                    media_type=image.media_type, content=image.data))
    xhtml = templates.release_xhtml(job.styles_dir, doc, "epub", stylesheets=["style.css"],
                                    image_src=image_src, image_size=size)
    folder = Path(doc.release.source_path).parent
    shown: dict[str, str] = {}
    for index, src in enumerate(images.sources(xhtml)):
        prepared = picture(folder / src)
        if prepared is None:
            continue
        shown[src] = layout.body_image_path(doc.release.slug, src)
        book.add_item(epub.EpubItem(uid=f"img-{doc.release.slug}-{index}", file_name=shown[src],
                                    media_type=prepared.media_type, content=prepared.data))
    xhtml = images.resolve(xhtml, shown.__getitem__)
    return chapter(uid=uid, file_name=file_name, content=note_semantics(xhtml))


EPUB_NS = "http://www.idpf.org/2007/ops"
_NOTE_ROLES = {"doc-noteref": "noteref", "doc-endnotes": "endnotes", "doc-backlink": "backlink"}


def note_semantics(xhtml: str) -> str:
    """EPUB 3 structural semantics beside the DPUB-ARIA roles of footnotes (text/footnotes.py),
    so reading systems show a note where it is called."""
    if 'role="doc-noteref"' not in xhtml:
        return xhtml
    for role, kind in _NOTE_ROLES.items():
        xhtml = xhtml.replace(f'role="{role}"', f'role="{role}" epub:type="{kind}"')
    return xhtml.replace('<html xmlns="http://www.w3.org/1999/xhtml"',
                         f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="{EPUB_NS}"', 1)


def _embed_fonts(book: Any, fonts_dir: Path, titles: list[str]) -> None:
    """The faces the book's text uses, subset, with their @font-face rules in style.css."""
    texts = [item.content.decode("utf-8") for item in book.get_items()
             if item.media_type == "application/xhtml+xml"] + titles
    css, files = fonts_for(texts, fonts_dir)
    style = book.get_item_with_id("style")
    style.content = style.content + b"\n" + css.encode("utf-8")
    for index, (name, data, media_type) in enumerate(files):
        book.add_item(epub.EpubItem(uid=f"font-{index}", file_name=name,
                                    media_type=media_type, content=data))


COVER = "cover.png"
"""The cover picture's name in every EPUB (manifest id `cover-img`, ebooklib's)."""


def add_cover(book: Any, png: bytes) -> None:
    """The cover picture (render/cover.py) as the manifest item with `cover-image`, and the
    EPUB 2 `<meta name="cover">` older readers look for. No cover page in the spine: reading
    systems show the cover-image in their library, and the book opens on its text."""
    book.set_cover(COVER, png, create_page=False)


def package(book: Any, modified: datetime, direction: str, fonts_dir: Path) -> bytes:
    """Add fonts, nav and NCX, write with a fixed dcterms:modified and zip entries, return
    bytes."""
    # The cover is not content: it is shown outside the book, the book's title its text.
    _accessibility(book, visual=any(item.media_type.startswith("image/")
                                    and item.file_name != COVER for item in book.get_items()))
    contents = locale.label("contents", book.language)
    _embed_fonts(book, fonts_dir, [contents, book.title, *(link.title for link in book.toc)])
    nav = epub.EpubNav(uid="nav", file_name="nav.xhtml", title=contents, direction=direction)
    nav.add_link(href="style.css", rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.add_item(epub.EpubNcx(uid="ncx", file_name="toc.ncx"))
    buffer = io.BytesIO()
    mtime = modified.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    writer = _Writer(buffer, book, {"mtime": mtime, "package_direction": True,
                                    "epub3_pages": False})
    writer.process()
    writer.write()
    return buffer.getvalue()


def _accessibility(book: Any, visual: bool) -> None:
    """EPUB Accessibility 1.1 metadata (schema:, dcterms: are reserved prefixes). With images,
    the book is also visual, and textual alone still suffices (every image has alt text)."""

    def meta(prop: str, value: str) -> None:
        book.add_metadata(None, "meta", value, {"property": prop})

    meta("schema:accessMode", "textual")
    if visual:
        meta("schema:accessMode", "visual")
    meta("schema:accessModeSufficient", "textual")
    for feature in FEATURES + (("alternativeText",) if visual else ()):
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary",
         locale.label("a11y_summary_images" if visual else "a11y_summary", book.language))
    meta("dcterms:conformsTo", CONFORMS_TO)


MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf"}
def fonts_for(texts: list[str], fonts_dir: Path) -> tuple[str, list[tuple[str, bytes, str]]]:
    """(CSS, [(file name, data, media type)]) of the faces the texts need, each subset to the
    characters of the texts it has. Markup is ignored; a face drawing none is left out."""
    present = set().union(*(_TAGS.sub(" ", text) for text in texts))
    characters = frozenset(ord(c) for c in present if not c.isspace())
    rules: list[str] = []
    files: list[tuple[str, bytes, str]] = []
    scripts = {script for script, test in SCRIPTS.items() if any(map(test, characters))}
    for face in FACES:
        path = fonts_dir / face[3]
        script = script_of(face)
        if not path.is_file() or (script and script not in scripts):
            continue
        wanted = characters & cmap(path)
        if not wanted:
            continue
        target = f"fonts/{face[3]}"
        info = path.stat()
        files.append((target, _subset(str(path), info.st_mtime_ns, info.st_size, wanted),
                      MEDIA_TYPES[path.suffix]))
        rules.append(face_rule(face, target))
    return "\n".join(rules) + "\n", files


_TAGS = re.compile(r"<[^>]*>")


@lru_cache(maxsize=32)
def _face(path: str, mtime_ns: int, size: int) -> Any:
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(path))


@lru_cache(maxsize=256)
def _subset(path: str, mtime_ns: int, size: int, characters: frozenset[int]) -> bytes:
    """The face cut down to `characters` by HarfBuzz (milliseconds, where fontTools takes
    half a second a face), without hinting; the same input gives the same bytes."""
    import uharfbuzz as hb

    wanted = hb.SubsetInput()
    for code in sorted(characters):
        wanted.unicode_set.add(code)
    wanted.flags = hb.SubsetFlags.NO_HINTING
    result = hb.subset(_face(path, mtime_ns, size), wanted)
    if result is None:
        raise RuntimeError(f"HarfBuzz could not subset {path}")
    return bytes(result.blob.data)
