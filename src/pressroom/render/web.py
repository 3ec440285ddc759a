"""The web page of each release (the page feeds link to), the index pages and the stylesheet.

The front index lists the newest `feed.size` releases; older ones are on archive pages cut
like the feed archives (oldest first, full pages only), so an archive page never changes once
full. The front index links every archive page.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import theme
from ..document import INDEX_PATH, PATHS, Document, output_path
from ..figures import picture
from ..grouping import Archive, archives, newest
from ..structured import structured_data
from . import Job, Output, renewal
from .epubfonts import FACES
from .feed import feed_urls

STYLESHEET = "assets/pressroom.css"
MANIFEST = "archive/manifest.json"
STYLE_FILES = ("base.css", "web.css")
WEB_FACES = [face for face in FACES if "Naskh" in face[0] or "Arabic" in face[0]
             or "CJK" in face[0]]
"""The faces web pages ship: those of scripts a reader's system may lack."""


def archive_path(number: int) -> str:
    """Path of an index archive page below dist/."""
    return f"archive/page-{number}.html"


def render_release(doc: Document, job: Job) -> list[Output]:
    """The web page of one release (none for a release held back)."""
    if doc.held:
        return []
    own = {fmt: output_path(fmt, doc.release.slug) for fmt in PATHS}
    image = picture(doc)
    size = (image.width, image.height) if image and image.width else None
    page = theme.release_xhtml(job.styles_dir, doc, "html", paths=own,
                               feeds=feed_urls(job.publication.base_url),
                               stylesheets=["../" + STYLESHEET],
                               image_src="../" + doc.image_path if image else "",
                               image_size=size, structured=structured_data(doc, image))
    outputs = [(own["html"], page.encode("utf-8"))]
    if image is not None:
        outputs.append((doc.image_path, image.data))
    return outputs


def expected_release_paths(doc: Document) -> list[str]:
    """What `render_release` writes for `doc`."""
    if doc.held:
        return []
    return [output_path("html", doc.release.slug)] + ([doc.image_path] if doc.image else [])


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
    if plan.manifest:
        yield plan.manifest
    css = "\n".join((job.styles_dir / name).read_text(encoding="utf-8") for name in STYLE_FILES)
    faces = []
    for family, weight, style, name in WEB_FACES:
        yield f"assets/fonts/{name}", (job.styles_dir / "fonts" / name).read_bytes()
        faces.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                     f'font-style: {style}; font-display: swap; src: url("fonts/{name}"); }}')
    yield STYLESHEET, (css + "\n" + "\n".join(faces) + "\n").encode("utf-8")


def owned(job: Job) -> dict[str, set[str]]:
    """Release pages and archive pages."""
    pages = archives(job.all_documents, job.publication.feed.size)
    return {
        "releases/*.html": {output_path("html", d.release.slug) for d in job.all_documents},
        "images/*": {d.image_path for d in job.all_documents if d.image_path},
        "archive/*.html": {archive_path(p.number) for p in pages},
        "assets/fonts/*": {f"assets/fonts/{face[3]}" for face in WEB_FACES},
    }


def _index(job: Job, documents: list[Document], root: str, page: Archive | None,
           pages: list[Archive]) -> bytes:
    context: dict[str, Any] = {
        "pub": job.publication, "documents": documents, "root": root, "page": page,
        "archives": [(p.number, archive_path(p.number), p.documents[-1].date_text,
                      p.documents[0].date_text) for p in reversed(pages)],
        "older": archive_path(page.number - 1) if page and page.number > 1 else "",
        "feeds": feed_urls(job.publication.base_url), "stylesheets": [root + STYLESHEET],
        "paths": {d.release.slug: root + output_path("html", d.release.slug)
                  for d in documents},
    }
    return theme.render(job.styles_dir, "index.html", job.publication.language,
                        **context).encode("utf-8")
