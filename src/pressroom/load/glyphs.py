"""Every character of every release must be in pressroom's fonts, checked before rendering.

A character no shipped font has would print as an empty box (tofu) in the PDF, or in
whatever font the reader's machine picks elsewhere. It is a source error naming the
character, the file, the line and the field, like any other.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pressroom import fonts
from pressroom.errors import Problem
from pressroom.model import Publication, Release, Site

EASY = frozenset("\n\t ")
"""Characters that need no glyph and are in almost every text."""


def check_site(site: Site, styles_dir: Path) -> list[Problem]:
    """Problems for characters no font in styles/fonts covers (each character once per field
    of a file, at its first line)."""
    fonts_dir = styles_dir / fonts.FONTS_DIR
    if not fonts_dir.is_dir():
        return []
    covered = fonts.covered(fonts_dir)
    drawn = frozenset(map(chr, covered)) | EASY
    problems: list[Problem] = []
    for path, line, field, text in _texts(site):
        if drawn.issuperset(text):
            continue  # the common case, at C speed
        seen: set[str] = set()
        for index, char in fonts.missing(text, covered):
            if char in seen:
                continue
            seen.add(char)
            where = line + text.count("\n", 0, index) \
                if line is not None and field in ("body", "notes") else line
            problems.append(Problem(path, where, field, f"character {fonts.describe(char)} is "
                                    f"in none of pressroom's fonts ({fonts_dir}); it would "
                                    "print as an empty box: remove it or add a font that has "
                                    "it"))
    return problems


def _texts(site: Site) -> Iterator[tuple[str, int | None, str, str]]:
    """(file, line, field, text) of everything a reader sees."""
    yield from _publication(site.publication)
    for release in site.releases:
        yield from _release(release)


def _publication(pub: Publication) -> Iterator[tuple[str, int | None, str, str]]:
    where = pub.source_path
    yield where, pub.lines.get("name"), "name", pub.name
    yield where, pub.lines.get("feed.title"), "feed.title", pub.feed.title
    yield where, pub.lines.get("feed.subtitle"), "feed.subtitle", pub.feed.subtitle
    yield where, pub.lines.get("end_mark"), "end_mark", pub.end_mark
    for key, text in pub.boilerplate.items():
        yield where, pub.lines.get(f"boilerplate.{key}"), f"boilerplate.{key}", text
    for index, contact in enumerate(pub.contacts):
        for name in ("name", "role", "organization", "phone"):
            field = f"contacts[{index}].{name}"
            yield where, pub.lines.get(field), field, getattr(contact, name)


def _release(r: Release) -> Iterator[tuple[str, int | None, str, str]]:
    where, lines = r.source_path, r.lines
    for name in ("headline", "summary", "publisher", "byline", "symbol", "end_mark"):
        yield where, lines.get(name), name, getattr(r, name)
    yield where, r.body_line, "body", r.body
    if r.notes:
        yield where, (lines.get("notes") or 0) + 1, "notes", r.notes
    if r.dateline:
        yield where, lines.get("dateline.place"), "dateline.place", r.dateline.place
    if r.based_on:
        for name in ("publisher", "title", "kind"):
            field = f"based_on.{name}"
            yield where, lines.get(field), field, getattr(r.based_on, name)
    if r.image:
        for name in ("alt", "caption", "credit", "licence"):
            field = f"image.{name}"
            yield where, lines.get(field), field, getattr(r.image, name)
    for index, correction in enumerate(r.corrections):
        yield where, lines.get(f"corrections[{index}].text"), "corrections", correction.text
    for index, link in enumerate(r.related):
        field = f"related[{index}].title"
        yield where, lines.get(field), field, link.title
    if r.withdrawal:
        yield where, lines.get("withdrawn.reason"), "withdrawn.reason", r.withdrawal.reason
    for index, contact in enumerate(r.contacts):
        for name in ("name", "role", "organization", "phone"):
            field = f"contacts[{index}].{name}"
            yield where, lines.get(field), field, getattr(contact, name)
