"""The feed format's files: dist/feed/atom.xml and dist/feed/rss.xml."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import FEED_PATHS
from . import Job, Output
from .feed import build_feeds


def render(job: Job) -> Iterator[Output]:
    """Both feeds of every public release."""
    feeds = build_feeds(job.all_documents, job.styles_dir, job.publication, job.source_date)
    for name, path in FEED_PATHS.items():
        yield path, feeds[name]
