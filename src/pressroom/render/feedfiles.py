"""The feed format's files: the subscription feeds (Atom, RSS, JSON Feed) of the newest
releases, and the Atom archive documents of the older ones (RFC 5005)."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import FEED_PATHS
from ..grouping import archives, newest
from . import Job, Output
from .feed import Contents, FeedDoc, archive_path, build_feed, feed_urls, json_feed


def render_collections(job: Job) -> Iterator[Output]:
    """Subscription feeds always; an archive document when one of its releases changed."""
    pub = job.publication
    contents = Contents(job.styles_dir)
    pages = archives(job.all_documents, pub.feed.size)
    current = newest(job.all_documents, pub.feed.size)
    prev = pub.base_url + archive_path(pages[-1].number) if pages else ""
    feeds = build_feed(FeedDoc(documents=current, self_url=feed_urls(pub.base_url)["atom"],
                               prev_archive=prev), pub, contents, job.source_date)
    yield FEED_PATHS["atom"], feeds["atom"]
    yield FEED_PATHS["rss"], feeds["rss"]
    yield FEED_PATHS["json"], json_feed(current, pub, contents)
    stale = {d.release.id for d in job.documents}
    for page in pages:
        path = archive_path(page.number)
        if (job.dist_dir / path).exists() and not stale & {d.release.id for d in page.documents}:
            continue
        older = pub.base_url + archive_path(page.number - 1) if page.number > 1 else ""
        doc = FeedDoc(documents=list(page.documents), self_url=pub.base_url + path,
                      archive=True, prev_archive=older)
        yield path, build_feed(doc, pub, contents, job.source_date, ("atom",))["atom"]


def owned(job: Job) -> dict[str, set[str]]:
    """Archive documents that should exist."""
    pages = archives(job.all_documents, job.publication.feed.size)
    return {"feed/archive/*.xml": {archive_path(p.number) for p in pages}}
