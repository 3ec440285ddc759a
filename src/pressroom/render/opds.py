"""The opds format's files: an OPDS 1.2 catalogue of the public releases' EPUBs and PDFs.

A root navigation feed (opds/index.xml) leads to the newest releases and to navigation feeds
by month, by language (when there are several) and by kind, which lead to one acquisition
feed per group. Older releases are in acquisition archive pages cut like the Atom archive
(RFC 5005: `fh:archive`, `current`, `prev-archive`), never rewritten once full. Entry ids are
the Atom feed's (the release ids), so a reader subscribed to both sees each release once.
Every date comes from the releases; a catalogue without any takes SOURCE_DATE_EPOCH's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from lxml import etree

from pressroom import __version__
from pressroom.layout import (
    OPDS_MANIFEST,
    OPDS_PATHS,
    cover_path,
    opds_archive_key,
    opds_path,
)
from pressroom.model import Publication
from pressroom.plan.grouping import archives, by_kind, by_language, by_month, newest
from pressroom.prepare.document import Document, kind_label
from pressroom.render import Job, Output, no_release_files, owned_by, renewal
from pressroom.render.feedwriter import utc

PER_RELEASE = False
render_release = expected_release_paths = no_release_files

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM = f"{{{ATOM_NS}}}"
DC = "http://purl.org/dc/terms/"
OPDS_NS = "http://opds-spec.org/2010/catalog"
FH = "http://purl.org/syndication/history/1.0"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ACQUIRE = "http://opds-spec.org/acquisition"
IMAGES = ("http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail")
"""An entry's picture and thumbnail: both the release's cover (covers/<release>.png, written
by the epub format; the same bytes as the EPUB's cover-image)."""
BOOKS = {"epub": "application/epub+zip", "pdf": "application/pdf"}
"""The files an entry offers, by format: the e-book first, then the PDF."""
NSMAP: dict[Any, str] = {None: ATOM_NS, "dc": DC, "opds": OPDS_NS}
"""Atom the default namespace (lxml's key None, which its type stubs do not know)."""
TITLES = {"new": "Newest releases", "month": "By month", "language": "By language",
          "kind": "By kind"}


def render_collections(job: Job) -> Iterator[Output]:
    """The navigation feeds and the newest releases always; a group's acquisition feed (an
    archive page, a month, a language, a kind) when one of its releases changed."""
    pub = job.publication
    docs = job.all_documents
    pages = archives(docs, pub.feed.size)
    groups: dict[str, dict[str, list[Document]]] = {
        "month": by_month(docs), "language": by_language(docs), "kind": by_kind(docs)}
    titles = {"month": {key: key for key in groups["month"]},
              "language": {key: _language_name(key) for key in groups["language"]},
              "kind": {key: kind_label(key, pub.language, pub) for key in groups["kind"]}}
    catalogue = _Catalogue(pub, job.source_date)
    yield OPDS_PATHS["root"], catalogue.root(docs, groups)
    for group, members in groups.items():
        if group != "language" or members:
            yield OPDS_PATHS[group], catalogue.navigation(group, members, titles[group])
    prev = pub.base_url + opds_path(opds_archive_key(pages[-1].number)) if pages else ""
    yield OPDS_PATHS["new"], catalogue.acquisition(
        OPDS_PATHS["new"], TITLES["new"], newest(docs, pub.feed.size), prev_archive=prev)
    stored = {opds_archive_key(page.number): list(page.documents) for page in pages}
    for group, members in groups.items():
        stored.update({f"{group}/{key}": list(found) for key, found in members.items()})
    plan = renewal(job, OPDS_MANIFEST, stored, opds_path)
    for key in plan.stale:
        group, _, name = key.partition("/")
        if group == "archive":
            number = int(name.removeprefix("page-"))
            older = (pub.base_url + opds_path(opds_archive_key(number - 1))
                     if number > 1 else "")
            yield opds_path(key), catalogue.acquisition(
                opds_path(key), f"Archive, page {number}", stored[key],
                prev_archive=older, archive=True)
        else:
            yield opds_path(key), catalogue.acquisition(
                opds_path(key), titles[group][name], stored[key], up=OPDS_PATHS[group])
    plan.save()


def _language_name(language: str) -> str:
    from pressroom.text.locale import language_name

    return language_name(language)


class _Catalogue:
    """Writes the catalogue's feed documents for one publication."""

    def __init__(self, pub: Publication, empty_date: datetime) -> None:
        self.pub = pub
        self.empty_date = empty_date

    def url(self, path: str) -> str:
        return self.pub.base_url + path

    def feed_id(self, path: str) -> str:
        """A catalogue document's id: the publication's feed id, then its path."""
        return f"{self.pub.feed.id}/{path.removesuffix('.xml')}"

    def _head(self, path: str, title: str, kind: str, docs: list[Document],
              up: str | None) -> etree._Element:
        pub = self.pub
        root = etree.Element(f"{ATOM}feed", nsmap=NSMAP)
        root.set("{http://www.w3.org/XML/1998/namespace}lang", pub.language)
        _text(root, "id", self.feed_id(path))
        _link(root, "self", self.url(path), kind)
        _link(root, "start", self.url(OPDS_PATHS["root"]), NAVIGATION)
        if up is not None:
            _link(root, "up", self.url(up), NAVIGATION)
        _link(root, "alternate", pub.base_url, "text/html")
        _text(root, "title", title if path == OPDS_PATHS["root"]
              else f"{pub.feed.title}: {title}")
        _text(root, "updated", self.updated(docs))
        author = etree.SubElement(root, f"{ATOM}author")
        _text(author, "name", pub.name)
        _text(author, "uri", pub.base_url)
        generator = _text(root, "generator", "pressroom")
        generator.set("version", __version__)
        return root

    def updated(self, docs: list[Document]) -> str:
        """The newest change among the releases (SOURCE_DATE_EPOCH's date without any)."""
        return max((utc(d.release.updated) for d in docs),
                   default=utc(self.empty_date)).isoformat().replace("+00:00", "Z")

    def root(self, docs: list[Document], groups: dict[str, dict[str, list[Document]]]
             ) -> bytes:
        """The catalogue root: the newest releases, and each way of browsing them."""
        root = self._head(OPDS_PATHS["root"], self.pub.feed.title, NAVIGATION, docs, None)
        self._nav_entry(root, OPDS_PATHS["new"], TITLES["new"], docs,
                        "http://opds-spec.org/sort/new", ACQUISITION)
        for group, members in groups.items():
            if group != "language" or members:
                self._nav_entry(root, OPDS_PATHS[group], TITLES[group], docs, "subsection",
                                NAVIGATION)
        return _bytes(root)

    def navigation(self, group: str, members: dict[str, list[Document]],
                   titles: dict[str, str]) -> bytes:
        """One way of browsing: an entry per month, language or kind."""
        every = [d for found in members.values() for d in found]
        root = self._head(OPDS_PATHS[group], TITLES[group], NAVIGATION, every,
                          OPDS_PATHS["root"])
        for key, found in members.items():
            self._nav_entry(root, opds_path(f"{group}/{key}"), titles[key], found,
                            "subsection", ACQUISITION)
        return _bytes(root)

    def _nav_entry(self, root: etree._Element, path: str, title: str, docs: list[Document],
                   rel: str, kind: str) -> None:
        entry = etree.SubElement(root, f"{ATOM}entry")
        _text(entry, "title", title)
        _link(entry, rel, self.url(path), kind)
        _text(entry, "updated", self.updated(docs))
        _text(entry, "id", self.feed_id(path))
        _text(entry, "content", f"{len(docs)} release(s)").set("type", "text")

    def acquisition(self, path: str, title: str, docs: list[Document], *,
                    up: str = OPDS_PATHS["root"], prev_archive: str = "",
                    archive: bool = False) -> bytes:
        """An acquisition feed: each release's EPUB and PDF, newest first."""
        ordered = sorted(docs, key=lambda d: (utc(d.release.published), d.release.id),
                         reverse=True)
        root = self._head(path, title, ACQUISITION, ordered, up)
        if archive:
            etree.SubElement(root, f"{{{FH}}}archive", nsmap={"fh": FH})
            _link(root, "current", self.url(OPDS_PATHS["new"]), ACQUISITION)
        if prev_archive:
            _link(root, "prev-archive", prev_archive, ACQUISITION)
        for doc in ordered:
            self._entry(root, doc)
        return _bytes(root)

    def _entry(self, root: etree._Element, doc: Document) -> None:
        release = doc.release
        entry = etree.SubElement(root, f"{ATOM}entry")
        _text(entry, "title", doc.headline)
        _text(entry, "id", release.id)
        _text(entry, "updated", utc(release.updated).isoformat().replace("+00:00", "Z"))
        _text(entry, "published", utc(release.published).isoformat().replace("+00:00", "Z"))
        author = etree.SubElement(entry, f"{ATOM}author")
        _text(author, "name", release.publisher)
        _text(author, "uri", self.pub.base_url)
        etree.SubElement(entry, f"{{{DC}}}language").text = release.language
        etree.SubElement(entry, f"{{{DC}}}issued").text = doc.date_iso or (
            release.published.date().isoformat())
        for keyword in release.keywords:
            etree.SubElement(entry, f"{ATOM}category", term=keyword)
        etree.SubElement(entry, f"{ATOM}category", term=release.kind,
                         scheme=self.url(OPDS_PATHS["kind"]),
                         label=kind_label(release.kind, release.language, self.pub))
        if doc.summary:
            _text(entry, "summary", str(doc.summary)).set("type", "text")
        _link(entry, "alternate", doc.url, "text/html")
        for rel in IMAGES:
            _link(entry, rel, self.url(cover_path(release.slug)), "image/png")
        for fmt, media_type in BOOKS.items():
            _link(entry, ACQUIRE, doc.links[fmt], media_type)


def _text(parent: etree._Element, tag: str, value: str) -> etree._Element:
    element = etree.SubElement(parent, f"{ATOM}{tag}")
    element.text = value
    return element


def _link(parent: etree._Element, rel: str, href: str, media_type: str) -> None:
    etree.SubElement(parent, f"{ATOM}link", rel=rel, href=href, type=media_type)


def _bytes(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, pretty_print=True, xml_declaration=True,
                                 encoding="UTF-8")
    return data


def owned(job: Job) -> dict[str, set[str]]:
    """The catalogue's navigation and acquisition feeds that should exist."""
    return owned_by("opds", job)
