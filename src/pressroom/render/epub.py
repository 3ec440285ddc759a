"""The EPUB 3 e-book of each release, and the digests (render/digest.py) of many."""

from __future__ import annotations

from collections.abc import Iterator

from ebooklib import epub

from pressroom.fonts import FONTS_DIR
from pressroom.layout import cover_path
from pressroom.prepare.document import Document
from pressroom.render import Job, Output, owned_by
from pressroom.render.cover import cover_png
from pressroom.render.digest import render_digests
from pressroom.render.epubbook import add_cover, new_book, package, release_chapter

PER_RELEASE = True

def render_release(doc: Document, job: Job) -> list[Output]:
    """The EPUB of one release and, for a public one, its cover picture beside it in
    dist/covers/ (the web page's Open Graph image, the OPDS entry's image): drawn once, here,
    the same bytes as the book's cover-image."""
    cover = cover_png(doc, job.styles_dir)
    book = [(doc.paths["epub"], build_epub(doc, job, cover))]
    return book if doc.held else [*book, (cover_path(doc.release.slug), cover)]


def expected_release_paths(doc: Document) -> list[str]:
    """What `render_release` writes for `doc`."""
    return [doc.paths["epub"]] + ([] if doc.held else [cover_path(doc.release.slug)])


def render_collections(job: Job) -> Iterator[Output]:
    """The digest EPUBs (all releases, and one per month) whose releases changed."""
    return render_digests(job)


def owned(job: Job) -> dict[str, set[str]]:
    """Release EPUBs in dist/epub/ (press-kit ones in held/ beside dist/), digests in
    dist/epub/digests/."""
    return owned_by("epub", job)


def build_epub(doc: Document, job: Job, cover: bytes | None = None) -> bytes:
    """The EPUB of one release, as bytes (`cover`: its cover picture, if drawn already)."""
    release = doc.release
    book = new_book(identifier=release.id, title=doc.headline, language=release.language,
                    direction=doc.direction, publisher=release.publisher,
                    published=release.published.isoformat(), job=job)
    add_cover(book, cover if cover is not None else cover_png(doc, job.styles_dir))
    book.add_metadata("DC", "description", doc.summary)
    for keyword in release.keywords:
        book.add_metadata("DC", "subject", keyword)
    text = release_chapter(doc, job, "text", "text.xhtml", book)
    book.add_item(text)
    book.toc = [epub.Link(text.file_name, doc.headline, text.id)]
    book.spine = [text]
    return package(book, release.updated, doc.direction, job.styles_dir / FONTS_DIR)
