"""Every character of every release must be in pressroom's fonts, checked before rendering.

A character no shipped font has would print as an empty box (tofu) in the PDF, or in
whatever font the reader's machine picks elsewhere. It is a source error naming the
character, the file, the line and the field, like any other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pressroom import fonts
from pressroom.errors import Problem
from pressroom.load import mapping
from pressroom.load.fields import PUBLICATION, RELEASE
from pressroom.load.schema import Spec
from pressroom.model import Publication, Release, Site

EASY = frozenset("\n\t ")
"""Characters that need no glyph and are in almost every text."""
REFUSED = frozenset({"\u034f", "\u180b", "\u180c", "\u180d", "\u180f", "\u2065"})
"""Invisible characters the fonts need not draw (fonts.INVISIBLE) but that no output can
carry: the PDF draws U+180F as an empty box and drops the others from its text (so its
sentences differ from the other formats' and `make check` fails); U+2065 is not assigned.
Found by building a release with each character fonts.needs_glyph exempts in its body and
headline, and checking the outputs. Not refused although `make check` fails on them, since
real text needs them: the right-to-left embeddings and isolates (U+202B, U+202E, U+2067: in
Arabic) and the variation selectors (U+FE00-FE0F, U+E0100-E01EF: '©️', Chinese ideograph
variants), which the PDF's text leaves out."""


def check_site(site: Site, styles_dir: Path) -> list[Problem]:
    """Problems for characters no font in styles/fonts covers (each character once per field
    of a file, at its line)."""
    return check(site.publication, site.releases, styles_dir)


def check(publication: Publication, releases: Iterable[Release], styles_dir: Path
          ) -> list[Problem]:
    """Problems for characters the outputs cannot show, in the publication's and the
    releases' printed texts: characters no font in styles/fonts covers (a space included:
    an uncovered one is drawn in a system font), and the invisible ones of REFUSED."""
    fonts_dir = styles_dir / fonts.FONTS_DIR
    if not fonts_dir.is_dir():
        return []
    covered = fonts.covered(fonts_dir)
    drawn = (frozenset(map(chr, covered)) | EASY | frozenset(map(chr, fonts.INVISIBLE))) \
        - REFUSED
    problems: list[Problem] = []
    for path, line, field, text in _texts(publication, releases):
        if drawn.issuperset(text):
            continue  # the common case, at C speed
        seen: set[str] = set()
        for index, char in enumerate(text):
            if char in drawn or char in seen:
                continue
            seen.add(char)
            where = None if line is None else line + text.count("\n", 0, index)
            problems.append(Problem(path, where, field, _message(char, fonts_dir)))
    return problems


def _message(char: str, fonts_dir: Path) -> str:
    if char in REFUSED:
        return (f"character {fonts.describe(char)} is an invisible format character the PDF "
                "drops or draws as an empty box: remove it")
    return (f"character {fonts.describe(char)} is in none of pressroom's fonts ({fonts_dir}); "
            "it would print as an empty box: remove it or add a font that has it")


def _texts(pub: Publication, releases: Iterable[Release]
           ) -> Iterator[tuple[str, int | None, str, str]]:
    """(file, line of the text's first character, field, text) of everything a reader sees:
    every field the field table marks printed, and each release's body."""
    yield from _printed(PUBLICATION, pub, pub.source_path, pub.lines)
    for release in releases:
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
