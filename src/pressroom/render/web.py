"""The web page of each release (the page feeds link to), the index page and their stylesheet."""

from __future__ import annotations

from collections.abc import Iterator

from .. import theme
from ..document import INDEX_PATH, PATHS, output_path
from . import Job, Output
from .feed import feed_urls

STYLESHEET = "assets/pressroom.css"
STYLE_FILES = ("base.css", "web.css")


def render(job: Job) -> Iterator[Output]:
    """Pages for `job.documents`, plus the index and stylesheet (always, they are cheap)."""
    pub = job.publication
    feeds = feed_urls(pub.base_url)
    for doc in job.documents:
        own = {fmt: output_path(fmt, doc.release.slug) for fmt in PATHS}
        page = theme.release_xhtml(job.styles_dir, doc, "html", feeds=feeds, paths=own,
                                   stylesheets=["../" + STYLESHEET])
        yield own["html"], page.encode("utf-8")
    index = theme.render(job.styles_dir, "index.html", pub=pub, documents=job.all_documents,
                         feeds=feeds, stylesheets=[STYLESHEET],
                         paths={d.release.slug: output_path("html", d.release.slug)
                                for d in job.all_documents})
    yield INDEX_PATH, index.encode("utf-8")
    css = "\n".join((job.styles_dir / name).read_text(encoding="utf-8") for name in STYLE_FILES)
    yield STYLESHEET, css.encode("utf-8")
