"""The web page of each release (the page feeds link to), the index pages and the stylesheet.

The front index lists the newest `feed.size` releases; older ones are on archive pages cut
like the feed archives (oldest first, full pages only), so an archive page never changes once
full. The front index links every archive page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pressroom import layout
from pressroom.fonts import FONTS_DIR, WEB_FACES, face_rules
from pressroom.layout import INDEX_MANIFEST as MANIFEST
from pressroom.layout import INDEX_PATH, OPDS_PATHS, STYLESHEET, feed_urls, release_path
from pressroom.layout import index_archive_path as archive_path
from pressroom.media import picture
from pressroom.plan.grouping import Archive, archives, newest
from pressroom.prepare import templates
from pressroom.prepare.document import LINKED, Document
from pressroom.prepare.jsonld import structured_data
from pressroom.render import Job, Output, owned_by, renewal
from pressroom.render.cover import SIZE
from pressroom.text import images

STYLE_FILES = ("base.css", "web.css")


PER_RELEASE = True

def render_release(doc: Document, job: Job) -> list[Output]:
    """The web page of one release (none for a release held back). Its Open Graph image is
    the release's cover, which the epub format publishes with the e-book (drawn once)."""
    if doc.held:
        return []
    own = {fmt: release_path(fmt, doc.release.slug) for fmt in LINKED}
    cover = layout.cover_path(doc.release.slug)
    image = picture(doc.image)
    size = (image.width, image.height) if image and image.width else None
    page = templates.release_xhtml(job.styles_dir, doc, "html", paths=own,
                               feeds=feed_urls(job.publication.base_url),
                               opds=job.publication.base_url + OPDS_PATHS["root"],
                               stylesheets=["../" + STYLESHEET],
                               image_src="../" + doc.image_path if image else "",
                               image_size=size, structured=structured_data(doc, image),
                               cover={"url": job.publication.base_url + cover,
                                      "width": SIZE[0], "height": SIZE[1]})
    body = body_pictures(doc)
    page = images.resolve(page, lambda src: "../" + body[src][0])
    outputs = [(own["html"], page.encode("utf-8"))]
    if image is not None:
        outputs.append((doc.image_path, image.data))
    outputs += [(path, data) for path, data in body.values()]
    return outputs


def body_pictures(doc: Document) -> dict[str, tuple[str, bytes]]:
    """Source path -> (published path, prepared bytes) of each picture in the body."""
    folder = Path(doc.release.source_path).parent
    found: dict[str, tuple[str, bytes]] = {}
    for src in images.sources(doc.body_html):
        prepared = picture(folder / src)
        if prepared is not None:
            found[src] = (layout.body_image_path(doc.release.slug, src), prepared.data)
    return found


def expected_release_paths(doc: Document) -> list[str]:
    """What `render_release` writes for `doc`."""
    if doc.held:
        return []
    return [release_path("html", doc.release.slug)] \
        + ([doc.image_path] if doc.image else []) \
        + [layout.body_image_path(doc.release.slug, src) for src in images.sources(doc.body_html)]


def render_collections(job: Job) -> Iterator[Output]:
    """The front index, the archive pages whose releases changed, and the stylesheet."""
    size = job.publication.feed.size
    pages = archives(job.all_documents, size)
    yield INDEX_PATH, _index(job, newest(job.all_documents, size), "", None, pages)
    plan = renewal(job, MANIFEST, {str(p.number): list(p.documents) for p in pages},
                   lambda key: archive_path(int(key)))
    for key in plan.stale:
        page = pages[int(key) - 1]
        yield archive_path(page.number), _index(job, list(page.documents), "../", page, [])
    plan.save()
    css = "\n".join((job.styles_dir / name).read_text(encoding="utf-8") for name in STYLE_FILES)
    for face in WEB_FACES:
        yield layout.web_font_path(face[3]), (job.styles_dir / FONTS_DIR / face[3]).read_bytes()
    faces = face_rules("fonts/", WEB_FACES, display="swap")  # relative to assets/
    yield STYLESHEET, (css + "\n" + faces).encode("utf-8")


def owned(job: Job) -> dict[str, set[str]]:
    """Release pages, their pictures, index and archive pages, the stylesheet, web fonts."""
    return owned_by("html", job)


def _index(job: Job, documents: list[Document], root: str, page: Archive | None,
           pages: list[Archive]) -> bytes:
    context: dict[str, Any] = {
        "pub": job.publication, "documents": documents, "root": root, "page": page,
        "archives": [(p.number, archive_path(p.number), p.documents[-1].date_text,
                      p.documents[0].date_text) for p in reversed(pages)],
        "older": archive_path(page.number - 1) if page and page.number > 1 else "",
        "feeds": feed_urls(job.publication.base_url), "stylesheets": [root + STYLESHEET],
        "opds": job.publication.base_url + OPDS_PATHS["root"],
        "paths": {d.release.slug: root + release_path("html", d.release.slug)
                  for d in documents},
    }
    return templates.render(job.styles_dir, "index.html", job.publication.language,
                        **context).encode("utf-8")
