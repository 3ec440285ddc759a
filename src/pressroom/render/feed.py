"""The feed format's files: the subscription feeds (Atom, RSS, JSON Feed) of the newest
releases, and the Atom archive documents of the older ones (RFC 5005)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from pressroom.layout import FEED_MANIFEST as MANIFEST
from pressroom.layout import FEED_PATHS, feed_archive_path, feed_urls, language_feed_paths
from pressroom.plan.grouping import archives, by_language, newest
from pressroom.prepare.document import Document
from pressroom.render import Job, Output, no_release_files, owned_by, renewal
from pressroom.render.feedwriter import Contents, FeedDoc, build_feed, json_feed

PER_RELEASE = False
render_release = expected_release_paths = no_release_files

def render_collections(job: Job) -> Iterator[Output]:
    """Subscription feeds always; an archive document when one of its releases changed."""
    pub = job.publication
    contents = Contents(job.styles_dir)
    pages = archives(job.all_documents, pub.feed.size)
    current = newest(job.all_documents, pub.feed.size)
    prev = pub.base_url + feed_archive_path(pages[-1].number) if pages else ""
    feeds = build_feed(FeedDoc(documents=current, self_url=feed_urls(pub.base_url)["atom"],
                               prev_archive=prev, withdrawn=tuple(job.withdrawn[:pub.feed.size])),
                       pub, contents, job.source_date)
    yield FEED_PATHS["atom"], feeds["atom"]
    yield FEED_PATHS["rss"], feeds["rss"]
    yield FEED_PATHS["json"], json_feed(current, pub, contents)
    groups = {str(page.number): list(page.documents) for page in pages}
    plan = renewal(job, MANIFEST, groups, lambda key: feed_archive_path(int(key)))
    for key in plan.stale:
        number = int(key)
        path = feed_archive_path(number)
        older = pub.base_url + feed_archive_path(number - 1) if number > 1 else ""
        doc = FeedDoc(documents=groups[key], self_url=pub.base_url + path,
                      archive=True, prev_archive=older)
        yield path, build_feed(doc, pub, contents, job.source_date, ("atom",))["atom"]
    plan.save()
    for language, docs in by_language(job.all_documents).items():
        yield from _language_feeds(language, docs, job, contents)


def _language_feeds(language: str, docs: list[Document], job: Job, contents: Contents
                    ) -> Iterator[Output]:
    """The newest releases in one language: Atom, RSS and JSON Feed under feed/<language>/."""
    from pressroom.text.locale import language_name

    pub = job.publication
    paths = language_feed_paths(language)
    urls = {kind: pub.base_url + path for kind, path in paths.items()}
    own = dataclasses.replace(pub, language=language, feed=dataclasses.replace(
        pub.feed, id=f"{pub.feed.id}/{language}",
        title=f"{pub.feed.title} ({language_name(language)})"))
    current = newest(docs, pub.feed.size)
    feeds = build_feed(FeedDoc(documents=current, self_url=urls["atom"], urls=urls), own,
                       contents, job.source_date)
    yield paths["atom"], feeds["atom"]
    yield paths["rss"], feeds["rss"]
    yield paths["json"], json_feed(current, own, contents, urls)




def owned(job: Job) -> dict[str, set[str]]:
    """Subscription feeds, per-language feeds and archive documents that should exist."""
    return owned_by("feed", job)
