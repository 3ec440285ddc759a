"""Atom 1.0, RSS 2.0 and JSON Feed 1.1 of the public releases, newest first (feedgen).

Entry ids are the release ids and never change; every date comes from the releases (feedgen
would use the clock); a feed's `updated` is its newest entry's. feedgen traps handled here:
`add_entry` prepends by default, RSS <link> is the *last* link() call, `description()` would
become Atom content, `guid()` would overwrite the Atom id, and entry links lose rel/type.

The subscription feeds carry the newest `feed.size` releases; older ones are in Atom archive
documents (RFC 5005: `fh:archive`, `current`, `prev-archive`), stable once full.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from pressroom import __version__
from pressroom.layout import feed_urls
from pressroom.media import picture
from pressroom.model import Publication
from pressroom.prepare import templates
from pressroom.prepare.document import Document

MIME = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
ATOM = "{http://www.w3.org/2005/Atom}"
FH = "http://purl.org/syndication/history/1.0"
MEDIA = "http://search.yahoo.com/mrss/"
TOMBSTONES = "http://purl.org/atompub/tombstones/1.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def utc(moment: datetime) -> datetime:
    """The instant in UTC, whole seconds (feeds show one zone; readers convert)."""
    return moment.astimezone(UTC).replace(microsecond=0)


@dataclass(frozen=True, kw_only=True, slots=True)
class FeedDoc:
    """One feed document: its entries and where it sits among the archives."""

    documents: list[Document]
    self_url: str
    urls: dict[str, str] | None = None
    """Self URLs by format (atom, rss, json), when not the publication's main feeds."""
    withdrawn: tuple[Document, ...] = ()
    """Withdrawn releases: tombstones (RFC 6721) tell readers to drop them."""
    archive: bool = False
    prev_archive: str = ""
    """URL of the previous (older) archive document, if any."""


class Contents:
    """Each release's feed content, rendered once however many documents carry it."""

    def __init__(self, styles_dir: Path) -> None:
        self.styles_dir = styles_dir
        self.cache: dict[str, str] = {}

    def __call__(self, doc: Document) -> str:
        if doc.release.id not in self.cache:
            image = picture(doc.image)
            size = (image.width, image.height) if image and image.width else None
            self.cache[doc.release.id] = templates.article(self.styles_dir, doc, "feed", size)
        return self.cache[doc.release.id]


def build_feed(feed: FeedDoc, pub: Publication, contents: Contents, empty_date: datetime,
               formats: tuple[str, ...] = ("atom", "rss")) -> dict[str, bytes]:
    """The feed document in the requested formats (atom, rss), as bytes."""
    from feedgen.feed import FeedGenerator

    ordered = _newest_first(feed.documents)
    fg = FeedGenerator()
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(pub.feed.id)
    fg.title(pub.feed.title)
    fg.subtitle(pub.feed.subtitle or pub.feed.title)
    fg.language(pub.language)
    fg.author({"name": pub.name, "uri": pub.base_url})
    fg.generator("pressroom", version=__version__)
    changes = [utc(d.release.updated) for d in ordered] + [
        utc(d.release.withdrawal.date) for d in feed.withdrawn if d.release.withdrawal]
    fg.updated(max(changes, default=utc(empty_date)))
    fg.pubDate(max((utc(d.release.published) for d in ordered), default=utc(empty_date)))
    for doc in ordered:
        _entry(fg.add_entry(order="append"), doc, contents(doc))
    urls = feed.urls or feed_urls(pub.base_url)
    out: dict[str, bytes] = {}
    for name in formats:
        # RSS takes its channel <link> from the last link() call: self first, site last.
        self_url = feed.self_url if name == "atom" else urls[name]
        fg.link(href=self_url, rel="self", type=MIME[name], replace=True)
        fg.link(href=pub.base_url, rel="alternate", type="text/html")
        writer = fg.atom_str if name == "atom" else fg.rss_str
        out[name] = writer(pretty=True, encoding="UTF-8", xml_declaration=True)
    if "atom" in out:
        out["atom"] = _finish_atom(out["atom"], ordered, pub, feed)
    if "rss" in out:
        out["rss"] = _finish_rss(out["rss"], ordered)
    return out


def _newest_first(documents: list[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: (utc(d.release.published), d.release.id),
                  reverse=True)


def _entry(fe: Any, doc: Document, content: str) -> None:
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
    fe.content(content, type="html")
    for keyword in release.keywords:
        fe.category({"term": keyword, "label": keyword})
    image = picture(doc.image)
    if image is not None:
        fe.enclosure(doc.links["image"], str(len(image.data)), image.media_type)


def _finish_atom(data: bytes, ordered: list[Document], pub: Publication, feed: FeedDoc) -> bytes:
    """What feedgen cannot say: each entry's own xml:lang when it differs from the feed's,
    rel/type on entry links (python-feedgen#135), and the RFC 5005 archive links."""
    parser = etree.XMLParser(remove_blank_text=True)
    root = etree.fromstring(data, parser)
    extra = {"fh": FH} if feed.archive else {}
    if any(picture(d.image) for d in ordered):
        extra["media"] = MEDIA
    if feed.withdrawn:
        extra["at"] = TOMBSTONES
    root = _with_namespaces(root, extra)
    for entry, doc in zip(root.iterfind(f"{ATOM}entry"), ordered, strict=True):
        if doc.release.language != pub.language:
            entry.set(XML_LANG, doc.release.language)
        for link in list(entry.iterfind(f"{ATOM}link")):
            if link.get("href") == doc.url:
                link.set("rel", "alternate")
                link.set("type", "text/html")
                if doc.versions:  # one alternate per language (RFC 4287 4.1.1)
                    link.set("hreflang", doc.release.language)
                    for version in reversed(doc.versions):
                        if version.url != doc.url:
                            link.addnext(etree.Element(
                                f"{ATOM}link", href=version.url, rel="alternate",
                                type="text/html", hreflang=version.language))
            elif link.get("href") == doc.links.get("image"):
                image = picture(doc.image)
                assert image is not None
                link.set("rel", "enclosure")
                link.set("type", image.media_type)
                link.set("length", str(len(image.data)))
        _media(entry, doc)
    root = _archive_links(root, feed, pub)
    _tombstones(root, feed.withdrawn)
    result: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True,
                                   encoding="UTF-8")
    return result


def _archive_links(root: Any, feed: FeedDoc, pub: Publication) -> Any:
    """Add `current`, `prev-archive` and `fh:archive` (RFC 5005) before the first entry."""
    if not (feed.archive or feed.prev_archive):
        return root
    anchor = root.find(f"{ATOM}entry")
    extra = []
    if feed.archive:
        extra.append(etree.Element(f"{{{FH}}}archive"))
        extra.append(_link(feed_urls(pub.base_url)["atom"], "current"))
    if feed.prev_archive:
        extra.append(_link(feed.prev_archive, "prev-archive"))
    for element in extra:
        if anchor is not None:
            anchor.addprevious(element)
        else:
            root.append(element)
    return root


def _with_namespaces(root: Any, extra: dict[str, str]) -> Any:
    """The same element re-rooted with more namespace prefixes declared on it."""
    if not extra:
        return root
    new = etree.Element(root.tag, attrib=dict(root.attrib), nsmap={**root.nsmap, **extra})
    new.text = root.text
    new.extend(list(root))
    return new


def _media(item: Any, doc: Document) -> None:
    """Media RSS for the release's image: media:content with its credit and description."""
    image = picture(doc.image)
    if image is None or doc.release.image is None:
        return
    figure = doc.release.image
    content = etree.SubElement(item, f"{{{MEDIA}}}content", url=doc.links["image"],
                               type=image.media_type, medium="image",
                               fileSize=str(len(image.data)))
    if image.width:
        content.set("width", str(image.width))
        content.set("height", str(image.height))
    description = etree.SubElement(content, f"{{{MEDIA}}}description", type="plain")
    description.text = figure.caption or figure.alt
    if figure.credit:
        etree.SubElement(content, f"{{{MEDIA}}}credit").text = figure.credit
    if figure.licence:
        etree.SubElement(content, f"{{{MEDIA}}}copyright").text = figure.licence


def _tombstones(root: Any, withdrawn: tuple[Document, ...]) -> None:
    """RFC 6721 at:deleted-entry for each withdrawn release, newest withdrawal first, before
    the entries (RFC 4287 puts extension elements of a feed before its entries)."""
    pairs = [(d.release.withdrawal, d) for d in withdrawn if d.release.withdrawal]
    anchor = root.find(f"{ATOM}entry")
    for withdrawal, doc in sorted(pairs, key=lambda p: (p[0].date, p[1].release.id),
                                  reverse=True):
        node = etree.Element(f"{{{TOMBSTONES}}}deleted-entry", ref=doc.release.id,
                             when=utc(withdrawal.date).isoformat())
        if anchor is not None:
            anchor.addprevious(node)
        else:
            root.append(node)
        etree.SubElement(node, f"{{{TOMBSTONES}}}by").text = doc.release.publisher
        if withdrawal.reason:
            etree.SubElement(node, f"{{{TOMBSTONES}}}comment").text = withdrawal.reason


def _finish_rss(data: bytes, ordered: list[Document]) -> bytes:
    """Media RSS elements for items with an image (feedgen writes only the enclosure)."""
    if not any(picture(d.image) for d in ordered):
        return data
    root = _with_namespaces(etree.fromstring(data, etree.XMLParser(remove_blank_text=True)),
                            {"media": MEDIA})
    channel = root.find("channel")
    for item, doc in zip(channel.iterfind("item"), ordered, strict=True):
        _media(item, doc)
    result: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True,
                                   encoding="UTF-8")
    return result


def _link(href: str, rel: str) -> Any:
    return etree.Element(f"{ATOM}link", href=href, rel=rel, type=MIME["atom"])


def json_feed(documents: list[Document], pub: Publication, contents: Contents,
              urls: dict[str, str] | None = None) -> bytes:
    """JSON Feed 1.1 of the documents, newest first."""
    urls = urls or feed_urls(pub.base_url)
    feed: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": pub.feed.title,
        "home_page_url": pub.base_url,
        "feed_url": urls["json"],
        "description": pub.feed.subtitle or pub.feed.title,
        "language": pub.language,
        "authors": [{"name": pub.name, "url": pub.base_url}],
        "items": [_json_item(doc, contents(doc)) for doc in _newest_first(documents)],
    }
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _json_item(doc: Document, content: str) -> dict[str, Any]:
    release = doc.release
    item: dict[str, Any] = {
        "id": release.id,
        "url": doc.url,
        "title": doc.headline,
        "content_html": content,
        "summary": doc.summary,
        "date_published": utc(release.published).isoformat(),
        "date_modified": utc(release.updated).isoformat(),
        "authors": [{"name": release.publisher}],
        "language": release.language,
    }
    if release.keywords:
        item["tags"] = list(release.keywords)
    if "image" in doc.links:
        item["image"] = doc.links["image"]
    return item
