"""Linking a release to its versions in other languages (one `translation_group`).

Only public versions are linked: a translation still under embargo, a draft or a withdrawn
one is never pointed to. The original (x-default, schema.org `translationOfWork`) is the
version in the publication's language when there is one, else the first published.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from pressroom.prepare.document import Document


@dataclass(frozen=True, kw_only=True, slots=True)
class Version:
    """One language version of a release, as the others link to it."""

    language: str
    name: str
    """The language's name in itself: 'Español', 'العربية'."""
    url: str
    headline: str
    original: bool


def link(documents: list[Document]) -> list[Document]:
    """The documents with `versions` set for those with public translations."""
    from pressroom.text.locale import language_name

    groups: dict[str, list[Document]] = {}
    for doc in documents:
        if doc.release.translation_group:
            groups.setdefault(doc.release.translation_group, []).append(doc)
    versions: dict[str, tuple[Version, ...]] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        original = _original(members)
        ordered = sorted(members, key=lambda d: language_name(d.release.language).casefold())
        group = tuple(Version(language=d.release.language,
                              name=language_name(d.release.language), url=d.url,
                              headline=d.headline, original=d is original) for d in ordered)
        for doc in members:
            versions[doc.release.id] = group
    return [dataclasses.replace(d, versions=versions[d.release.id])
            if d.release.id in versions else d for d in documents]


def _original(members: list[Document]) -> Document:
    language = members[0].publication.language.lower()
    same = [d for d in members if d.release.language.lower() == language]
    return (same or sorted(members, key=lambda d: (d.release.published, d.release.id)))[0]


def others(doc: Document) -> list[Version]:
    """The other versions of a release ('Also in: ...')."""
    return [v for v in doc.versions if v.url != doc.url]


def original(doc: Document) -> Version | None:
    """The original version (x-default), if the release has translations."""
    return next((v for v in doc.versions if v.original), None)
