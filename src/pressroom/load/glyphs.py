"""Every character of every release must be in pressroom's fonts, checked before rendering.

A character no shipped font has would print as an empty box (tofu) in the PDF, or in
whatever font the reader's machine picks elsewhere. It is a source error naming the
character, the file, the line and the field, like any other.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from pressroom import fonts
from pressroom.errors import Problem
from pressroom.load import mapping
from pressroom.load.fields import PUBLICATION, RELEASE
from pressroom.load.schema import Spec
from pressroom.model import Site

EASY = frozenset("\n\t ")
"""Characters that need no glyph and are in almost every text."""


def check_site(site: Site, styles_dir: Path) -> list[Problem]:
    """Problems for characters no font in styles/fonts covers (each character once per field
    of a file, at its line)."""
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
            where = None if line is None else line + text.count("\n", 0, index)
            problems.append(Problem(path, where, field,
                                    f"character {fonts.describe(char)} is in none of "
                                    f"pressroom's fonts ({fonts_dir}); it would print as an "
                                    "empty box: remove it or add a font that has it"))
    return problems


def _texts(site: Site) -> Iterator[tuple[str, int | None, str, str]]:
    """(file, line of the text's first character, field, text) of everything a reader sees:
    every field the field table marks printed, and each release's body."""
    pub = site.publication
    yield from _printed(PUBLICATION, pub, pub.source_path, pub.lines)
    for release in site.releases:
        yield from _printed(RELEASE, release, release.source_path, release.lines)
        yield release.source_path, release.body_line, "body", release.body


def _printed(specs: Mapping[str, Spec], obj: object, where: str, lines: dict[str, int]
             ) -> Iterator[tuple[str, int | None, str, str]]:
    """The printed texts the file gives itself: a value it inherits (a release's default
    contacts, publisher, end mark) is checked where it is written. Text with line breaks
    (a `|` block) starts on the line after its key."""
    for path, spec, text in mapping.texts(specs, obj):
        if spec.is_printed and path in lines:
            yield where, lines[path] + ("\n" in text), path, text
