"""Validation of what spans releases: feed archives (RFC 5005), the JSON Feed, web archive
pages and digest EPUBs. Each function returns problems; an empty list means clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lxml import etree

from pressroom.checks.feeds import check_atom, read_back
from pressroom.layout import FEED_PATHS, feed_archive_path, language_feed_paths
from pressroom.layout import index_archive_path as web_archive_path
from pressroom.plan.grouping import archives, by_language, newest
from pressroom.prepare.document import Document

ATOM = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"


def _links(root: Any) -> dict[str, str]:
    return {link.get("rel", "alternate"): link.get("href", "")
            for link in root.iterfind(f"{ATOM}link")}


def check_feed_archives(documents: list[Document], dist: Path) -> list[str]:
    """Archive documents: valid Atom, fh:archive, `current` and `prev-archive` links, full,
    and together with the subscription feed they hold every release exactly once or more."""
    if not documents or not (dist / FEED_PATHS["atom"]).is_file():
        return []  # check_feeds reports a missing feed
    pub = documents[0].publication
    problems: list[str] = []
    seen: set[str] = set()
    pages = archives(documents, pub.feed.size)
    current = etree.parse(str(dist / FEED_PATHS["atom"])).getroot()
    want_prev = pub.base_url + feed_archive_path(pages[-1].number) if pages else None
    if _links(current).get("prev-archive") != want_prev:
        problems.append(f"{FEED_PATHS['atom']}: prev-archive is not the newest archive page")
    seen |= {e.findtext(f"{ATOM}id") or "" for e in current.iterfind(f"{ATOM}entry")}
    for page in pages:
        path = dist / feed_archive_path(page.number)
        if not path.is_file():
            problems.append(f"{path}: missing; run make")
            continue
        data = path.read_bytes()
        found = check_atom(data) + read_back(data, "atom")[0]
        root = etree.fromstring(data)
        links = _links(root)
        if root.find(f"{FH}archive") is None:
            found.append("no fh:archive element")
        if links.get("current") != pub.base_url + FEED_PATHS["atom"]:
            found.append("no rel=current link to the subscription feed")
        older = pub.base_url + feed_archive_path(page.number - 1) if page.number > 1 else None
        if links.get("prev-archive") != older:
            found.append("prev-archive does not point at the previous page")
        ids = [e.findtext(f"{ATOM}id") or "" for e in root.iterfind(f"{ATOM}entry")]
        if ids != [d.release.id for d in page.documents]:
            found.append("entries are not this page's releases, newest first")
        seen |= set(ids)
        problems += [f"{path}: {p}" for p in found]
    missing = {d.release.id for d in documents} - seen
    problems += [f"{d}: in no feed document" for d in sorted(missing)]
    return problems


def check_json_feed(documents: list[Document], dist: Path) -> list[str]:
    """JSON Feeds 1.1 (every release's, and each language's when there are several): version,
    the newest releases with their ids, titles and dates."""
    return _json_feed(documents, dist / FEED_PATHS["json"]) + [
        problem for language, docs in by_language(documents).items()
        for problem in _json_feed(docs, dist / language_feed_paths(language)["json"])]


def _json_feed(documents: list[Document], path: Path) -> list[str]:
    if not path.is_file():
        return [f"{path}: missing; run make"]
    try:
        feed = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [f"{path}: not JSON: {exc}"]
    problems = []
    if feed.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("version is not https://jsonfeed.org/version/1.1")
    for key in ("title", "items"):
        if key not in feed:
            problems.append(f"no {key}")
    size = documents[0].publication.feed.size if documents else 0
    want = [(d.release.id, d.headline) for d in newest(documents, size)]
    got = [(item.get("id"), item.get("title")) for item in feed.get("items", [])]
    if got != want:
        problems.append("items are not the newest releases (id, title), newest first")
    for item in feed.get("items", []):
        if not item.get("content_html") or not item.get("date_published"):
            problems.append(f"{item.get('id')}: no content_html or date_published")
    return [f"{path}: {p}" for p in problems]


def check_web_archives(documents: list[Document], dist: Path) -> list[str]:
    """Index archive pages exist for every full page and list that page's releases."""
    if not documents:
        return []
    problems: list[str] = []
    for page in archives(documents, documents[0].publication.feed.size):
        path = dist / web_archive_path(page.number)
        if not path.is_file():
            problems.append(f"{path}: missing; run make")
            continue
        text = path.read_text(encoding="utf-8")
        absent = [d.release.slug for d in page.documents if f"{d.release.slug}.html" not in text]
        if absent:
            problems.append(f"{path}: does not link {', '.join(absent[:3])}")
    return problems
