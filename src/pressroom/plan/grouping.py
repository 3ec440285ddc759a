"""How releases are grouped into collections: feed and index pages, archives, digests, packs.

Archive pages follow RFC 5005: releases in order of publication are cut into pages of
`feed.size`, oldest first; only full pages are archived, so a page never changes once full
(except when one of its releases is corrected). The subscription feed and the front index page
carry the newest `feed.size` releases, which include any that no full page holds yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pressroom.layout import Published, body_image_path
from pressroom.prepare.document import Document
from pressroom.text.images import sources as body_pictures


@dataclass(frozen=True, slots=True)
class Archive:
    """One full archive page: its number (1 = oldest) and releases, newest first."""

    number: int
    documents: tuple[Document, ...]


def chronological(documents: list[Document]) -> list[Document]:
    """Oldest first, ties broken by id (the reverse of the feeds' order)."""
    return sorted(documents, key=lambda d: (d.release.published, d.release.id))


def newest(documents: list[Document], size: int) -> list[Document]:
    """The newest `size` releases, newest first."""
    return list(reversed(chronological(documents)))[:size]


def archives(documents: list[Document], size: int) -> list[Archive]:
    """Full archive pages, oldest page first."""
    ordered = chronological(documents)
    full = len(ordered) // size
    return [Archive(n + 1, tuple(reversed(ordered[n * size:(n + 1) * size])))
            for n in range(full)]


def month_of(doc: Document) -> str:
    """The digest a release belongs to: the month of its publication, '2017-01'."""
    return doc.release.published.strftime("%Y-%m")


def by_month(documents: list[Document]) -> dict[str, list[Document]]:
    """Releases grouped by month of publication, newest month first, newest first within."""
    groups: dict[str, list[Document]] = {}
    for doc in reversed(chronological(documents)):
        groups.setdefault(month_of(doc), []).append(doc)
    return groups


def language_of(doc: Document) -> str:
    """The primary language subtag of a release, lowercase: 'fr' for 'fr-CH'."""
    return doc.release.language.split("-")[0].lower()


def by_language(documents: list[Document]) -> dict[str, list[Document]]:
    """Releases by primary language, when a publication has more than one language (with one
    language, the main feeds and digests are already that language's)."""
    groups: dict[str, list[Document]] = {}
    for doc in reversed(chronological(documents)):
        groups.setdefault(language_of(doc), []).append(doc)
    return dict(sorted(groups.items())) if len(groups) > 1 else {}


def by_kind(documents: list[Document]) -> dict[str, list[Document]]:
    """Releases by kind, kinds in alphabetical order, newest first within."""
    groups: dict[str, list[Document]] = {}
    for doc in reversed(chronological(documents)):
        groups.setdefault(doc.release.kind, []).append(doc)
    return dict(sorted(groups.items()))


LANGUAGE_DIGEST = "language/"
"""Prefix of a language's digest key ('language/fr'): apart from 'all' and the months, so a
language tagged `all` (Allar) never takes the place of the all-releases digest."""


def digests(documents: list[Document]) -> dict[str, list[Document]]:
    """Digest key -> its releases, newest first: 'all', each month ('2017-01') and, when there
    are several, each language ('language/fr'); nothing without releases."""
    if not documents:
        return {}
    return {"all": newest(documents, len(documents)), **by_month(documents),
            **{LANGUAGE_DIGEST + language: docs
               for language, docs in by_language(documents).items()}}


def published(public: list[Document], held: list[Document], size: int) -> Published:
    """What a build of these releases publishes (`layout.outputs` names the files); one held
    back among `public` is left out."""
    public = [d for d in public if not d.held]
    return Published(
        public=tuple(d.release.slug for d in public),
        held=tuple(d.release.slug for d in held),
        images=tuple(d.image_path for d in public if d.image_path)
        + tuple(body_image_path(d.release.slug, src) for d in public
                for src in body_pictures(d.body_html)),
        digests=tuple(digests(public)),
        languages=tuple(by_language(public)),
        archives=len(archives(public, size)),
        kinds=tuple(by_kind(public)),
    )


@dataclass(frozen=True, slots=True)
class Selection:
    """Which releases a briefing pack holds: a date range and/or a keyword (all by default)."""

    start: date | None = None
    end: date | None = None
    keyword: str = ""

    def select(self, documents: list[Document]) -> list[Document]:
        """The matching releases, newest first."""
        return [
            d for d in reversed(chronological(documents))
            if (self.start is None or d.release.published.date() >= self.start)
            and (self.end is None or d.release.published.date() <= self.end)
            and (not self.keyword or self.keyword.casefold()
                 in (k.casefold() for k in d.release.keywords))
        ]
