"""Digest EPUBs: every public release in one book, and one book per month.

A digest opens on a title page from publication.yaml, then one chapter per release, newest
first; its nav lists the releases with their dates. Only digests whose releases changed are
rebuilt: a manifest of which release ids each digest holds tells when a release moved to
another month or left.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ebooklib import epub

from .. import theme
from ..document import Document, format_month
from ..grouping import by_month, newest
from . import Job, Output
from .epub import chapter, new_book, package

DIGESTS = "epub/digests"
MANIFEST = f"{DIGESTS}/manifest.json"


def digests(job: Job) -> dict[str, list[Document]]:
    """Digest key ('all', '2017-01', ...) -> its releases, newest first."""
    if not job.all_documents:
        return {}
    return {"all": newest(job.all_documents, len(job.all_documents)),
            **by_month(job.all_documents)}


def digest_paths(job: Job) -> set[str]:
    """Every digest file that should exist."""
    return {f"{DIGESTS}/{key}.epub" for key in digests(job)}


def render_digests(job: Job) -> Iterator[Output]:
    """The digests whose membership or releases changed, then the manifest."""
    groups = digests(job)
    membership = {key: [d.release.id for d in docs] for key, docs in groups.items()}
    previous = _previous(job)
    stale = {d.release.id for d in job.documents}
    for key, docs in groups.items():
        unchanged = previous.get(key) == membership[key] and not stale & set(membership[key])
        if unchanged and (job.dist_dir / f"{DIGESTS}/{key}.epub").exists():
            continue
        yield f"{DIGESTS}/{key}.epub", build_digest(key, docs, job)
    if membership != previous:
        yield MANIFEST, json.dumps(membership, indent=1, sort_keys=True).encode("utf-8")


def _previous(job: Job) -> dict[str, Any]:
    try:
        loaded = json.loads((job.dist_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def build_digest(key: str, docs: list[Document], job: Job) -> bytes:
    """One digest EPUB."""
    pub = job.publication
    label = "All releases" if key == "all" else format_month(key)
    direction = "rtl" if pub.language.split("-")[0] in {"ar", "fa", "he", "ur"} else "ltr"
    book = new_book(identifier=f"{pub.feed.id}:digest:{key}", title=f"{pub.feed.title}: {label}",
                    language=pub.language, direction=direction, publisher=pub.name,
                    published=max(d.release.published for d in docs).isoformat(), job=job)
    title_page = chapter(uid="title", file_name="title.xhtml", title=label,
                         language=pub.language, direction=direction,
                         content=theme.render(job.styles_dir, "digest.html", pub=pub,
                                              label=label, documents=docs))
    book.add_item(title_page)
    links = []
    chapters = [title_page]
    for doc in docs:
        item = chapter(uid=f"r-{doc.release.slug}", file_name=f"{doc.release.slug}.xhtml",
                       title=doc.headline, language=doc.release.language,
                       direction=doc.direction,
                       content=theme.release_xhtml(job.styles_dir, doc, "epub"))
        book.add_item(item)
        chapters.append(item)
        links.append(epub.Link(item.file_name, f"{doc.date_text} – {doc.headline}", item.id))
    book.toc = links
    book.spine = chapters
    modified: datetime = max(d.release.updated for d in docs)
    return package(book, modified, direction)
