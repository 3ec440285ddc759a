"""Atom 1.0 and RSS 2.0 of all public releases, newest first (feedgen).

Entry ids are the release ids and never change; every date comes from the releases (feedgen
would use the clock); the feed's `updated` is the newest entry's. feedgen traps handled here:
`add_entry` prepends by default, RSS <link> is the *last* link() call, `description()` would
become Atom content, and `guid()` would overwrite the Atom id.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from .. import __version__, theme
from ..document import FEED_PATHS, Document
from ..model import Publication

MIME = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def utc(moment: datetime) -> datetime:
    """The instant in UTC, whole seconds (feeds show one zone; readers convert)."""
    return moment.astimezone(UTC).replace(microsecond=0)


def feed_urls(base_url: str) -> dict[str, str]:
    """Absolute URLs of the Atom and RSS feeds."""
    return {name: base_url + path for name, path in FEED_PATHS.items()}


def build_feeds(documents: list[Document], styles_dir: Path, pub: Publication,
                empty_date: datetime) -> dict[str, bytes]:
    """{'atom': bytes, 'rss': bytes} of the documents; `empty_date` dates a feed without any."""
    from feedgen.feed import FeedGenerator

    ordered = sorted(documents, key=lambda d: (utc(d.release.published), d.release.id),
                     reverse=True)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(pub.feed.id)
    fg.title(pub.feed.title)
    fg.subtitle(pub.feed.subtitle or pub.feed.title)
    fg.language(pub.language)
    fg.author({"name": pub.name, "uri": pub.base_url})
    fg.generator("pressroom", version=__version__)
    fg.updated(max((utc(d.release.updated) for d in ordered), default=utc(empty_date)))
    fg.pubDate(max((utc(d.release.published) for d in ordered), default=utc(empty_date)))
    for doc in ordered:
        _entry(fg.add_entry(order="append"), doc, styles_dir)
    urls = feed_urls(pub.base_url)
    out: dict[str, bytes] = {}
    for name in ("atom", "rss"):
        # RSS takes its channel <link> from the last link() call: self first, site last.
        fg.link(href=urls[name], rel="self", type=MIME[name], replace=True)
        fg.link(href=pub.base_url, rel="alternate", type="text/html")
        writer = fg.atom_str if name == "atom" else fg.rss_str
        out[name] = writer(pretty=True, encoding="UTF-8", xml_declaration=True)
    out["atom"] = _finish_atom(out["atom"], ordered, pub.language)
    return out


def _finish_atom(data: bytes, ordered: list[Document], language: str) -> bytes:
    """What feedgen cannot say: each entry's own language (xml:lang) when it differs from
    the feed's, and rel/type on entry links (feedgen drops them, python-feedgen#135)."""
    root = etree.fromstring(data, etree.XMLParser(remove_blank_text=True))
    for entry, doc in zip(root.iterfind(f"{ATOM}entry"), ordered, strict=True):
        if doc.release.language != language:
            entry.set(XML_LANG, doc.release.language)
        for link in entry.iterfind(f"{ATOM}link"):
            if link.get("href") == doc.url:
                link.set("rel", "alternate")
                link.set("type", "text/html")
    result: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True,
                                   encoding="UTF-8")
    return result


def _entry(fe: Any, doc: Document, styles_dir: Path) -> None:
    release = doc.release
    fe.id(release.id)
    fe.title(doc.headline)
    fe.published(utc(release.published))
    fe.updated(utc(release.updated))
    fe.author({"name": release.publisher})
    fe.dc.dc_creator(release.publisher)
    fe.link(href=doc.url, rel="alternate", type="text/html")
    # RSS <description> is read as HTML by readers: escape the plain summary once.
    fe.summary(html.escape(doc.summary, quote=False), type="html")
    fe.content(theme.feed_content(styles_dir, doc), type="html")
    for keyword in release.keywords:
        fe.category({"term": keyword, "label": keyword})
