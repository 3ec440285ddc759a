"""Digest EPUBs: every public release in one book, and one book per month.

A digest opens on a title page from publication.yaml, then one chapter per release, newest
first; its nav lists the releases with their dates. Only digests whose releases changed are
rebuilt: a manifest of which release ids each digest holds tells when a release moved to
another month or left.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ebooklib import epub

from pressroom.fonts import FONTS_DIR
from pressroom.layout import DIGEST_MANIFEST as MANIFEST
from pressroom.layout import digest_path
from pressroom.plan.grouping import LANGUAGE_DIGEST, digests
from pressroom.prepare import templates
from pressroom.prepare.document import Document
from pressroom.prepare.document import direction as text_direction
from pressroom.render import Job, Output, renewal
from pressroom.render.cover import Cover, draw, logo_of
from pressroom.render.epubbook import add_cover, chapter, new_book, package, release_chapter
from pressroom.text import locale
from pressroom.text.locale import language_name


def render_digests(job: Job) -> Iterator[Output]:
    """The digests whose releases changed, then the manifest of what each holds."""
    groups = digests(job.all_documents)
    plan = renewal(job, MANIFEST, groups, digest_path)
    for key in plan.stale:
        yield digest_path(key), build_digest(key, groups[key], job)
    plan.save()


def build_digest(key: str, docs: list[Document], job: Job) -> bytes:
    """One digest EPUB."""
    pub = job.publication
    by_language = key.startswith(LANGUAGE_DIGEST)
    language = key.removeprefix(LANGUAGE_DIGEST) if by_language else pub.language
    label = locale.label("all_releases", language) if key == "all" else \
        language_name(language) if by_language else locale.format_month(key, language)
    direction = text_direction(language)
    book = new_book(identifier=f"{pub.feed.id}:digest:{key}", title=f"{pub.feed.title}: {label}",
                    language=language, direction=direction, publisher=pub.name,
                    published=max(d.release.published for d in docs).isoformat(), job=job)
    span = [locale.format_published(d.release.published, d.release.published_precision,
                                    language)
            for d in (min(docs, key=lambda d: d.release.published),
                      max(docs, key=lambda d: d.release.published))]
    add_cover(book, draw(Cover(publication=pub.name, logo=logo_of(pub), label=pub.feed.title,
                               headline=label, date=" – ".join(dict.fromkeys(span)),
                               language=language, direction=direction), job.styles_dir))
    title_page = chapter(uid="title", file_name="title.xhtml",
                         content=templates.render(job.styles_dir, "digest.html", pub=pub,
                                              label=label, documents=docs,
                                              direction=direction, language=language))
    book.add_item(title_page)
    links = []
    chapters = [title_page]
    for doc in docs:
        item = release_chapter(doc, job, f"r-{doc.release.slug}", f"{doc.release.slug}.xhtml",
                               book)
        book.add_item(item)
        chapters.append(item)
        links.append(epub.Link(item.file_name, f"{doc.date_text} – {doc.headline}", item.id))
    book.toc = links
    book.spine = chapters
    modified: datetime = max(d.release.updated for d in docs)
    return package(book, modified, direction, job.styles_dir / FONTS_DIR)
