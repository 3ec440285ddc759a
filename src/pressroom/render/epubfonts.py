"""Fonts embedded in EPUBs: pressroom's own faces, cut down to the characters of each book.

An e-book that names fonts it does not carry shows whatever the reading device has, which
for Arabic or Chinese may be nothing at all. Each EPUB carries the faces its text uses,
subset to its characters (a Chinese face is 2-3 MB whole, a few dozen kB cut down), with the
same family stacks as the PDF, so every script is drawn by the font it was checked against.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

FACES = (
    # (family, weight, style, file in styles/fonts)
    ("Pressroom Serif", "normal", "normal", "NotoSerif-Regular.ttf"),
    ("Pressroom Serif", "bold", "normal", "NotoSerif-Bold.ttf"),
    ("Pressroom Serif", "normal", "italic", "NotoSerif-Italic.ttf"),
    ("Pressroom Serif", "bold", "italic", "NotoSerif-BoldItalic.ttf"),
    ("Pressroom Sans", "normal", "normal", "NotoSans-Regular.ttf"),
    ("Pressroom Sans", "bold", "normal", "NotoSans-Bold.ttf"),
    ("Pressroom Naskh", "normal", "normal", "NotoNaskhArabic-Regular.ttf"),
    ("Pressroom Naskh", "bold", "normal", "NotoNaskhArabic-Bold.ttf"),
    ("Pressroom Arabic Sans", "normal", "normal", "NotoSansArabic-Regular.ttf"),
    ("Pressroom Arabic Sans", "bold", "normal", "NotoSansArabic-Bold.ttf"),
    ("Pressroom CJK Serif", "normal", "normal", "NotoSerifCJKsc-Regular-subset.otf"),
    ("Pressroom CJK Serif", "bold", "normal", "NotoSerifCJKsc-Bold-subset.otf"),
    ("Pressroom CJK Sans", "normal", "normal", "NotoSansCJKsc-Regular-subset.otf"),
    ("Pressroom CJK Sans", "bold", "normal", "NotoSansCJKsc-Bold-subset.otf"),
)
STACKS = """
:root { --serif: "Pressroom Serif", "Pressroom Naskh", "Pressroom CJK Serif", serif;
  --sans: "Pressroom Sans", "Pressroom Arabic Sans", "Pressroom CJK Sans", sans-serif; }
:lang(ar) { --serif: "Pressroom Naskh", "Pressroom Serif", "Pressroom CJK Serif", serif;
  --sans: "Pressroom Arabic Sans", "Pressroom Sans", "Pressroom CJK Sans", sans-serif; }
:lang(zh) { --serif: "Pressroom CJK Serif", "Pressroom Serif", "Pressroom Naskh", serif;
  --sans: "Pressroom CJK Sans", "Pressroom Sans", "Pressroom Arabic Sans", sans-serif; }
html, [lang] { font-family: var(--serif); }
h1, h2, .kind, .dateline, figcaption, .title-page { font-family: var(--sans); }
"""
MEDIA_TYPES = {".ttf": "font/ttf", ".otf": "font/otf"}
SCRIPTS = {
    "Naskh": lambda c: 0x0600 <= c <= 0x08FF or 0xFB50 <= c <= 0xFEFF,
    "Arabic": lambda c: 0x0600 <= c <= 0x08FF or 0xFB50 <= c <= 0xFEFF,
    "CJK": lambda c: 0x2E80 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF
    or 0xFF00 <= c <= 0xFFEF or c >= 0x20000,
}
"""A family for a script is embedded only when the text has letters of that script (they
all draw ASCII digits too, which the Latin faces draw already)."""


def fonts_for(texts: list[str], fonts_dir: Path) -> tuple[str, list[tuple[str, bytes, str]]]:
    """(CSS, [(file name, data, media type)]) of the faces the texts need, each subset to the
    characters of the texts it has. Markup is ignored; a face drawing none is left out."""
    present = set().union(*(_TAGS.sub(" ", text) for text in texts))
    characters = frozenset(ord(c) for c in present if not c.isspace())
    rules: list[str] = []
    files: list[tuple[str, bytes, str]] = []
    scripts = {script for script, test in SCRIPTS.items() if any(map(test, characters))}
    for family, weight, style, name in FACES:
        path = fonts_dir / name
        script = next((s for s in SCRIPTS if s in family), "")
        if not path.is_file() or (script and script not in scripts):
            continue
        info = path.stat()
        wanted = characters & _cmap(str(path), info.st_mtime_ns, info.st_size)
        if not wanted:
            continue
        target = f"fonts/{name}"
        files.append((target, _subset(str(path), info.st_mtime_ns, info.st_size, wanted),
                      MEDIA_TYPES[path.suffix]))
        rules.append(f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
                     f'font-style: {style}; src: url("{target}"); }}')
    return "\n".join(rules) + STACKS, files


_TAGS = re.compile(r"<[^>]*>")


@lru_cache(maxsize=32)
def _face(path: str, mtime_ns: int, size: int) -> Any:
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(path))


@lru_cache(maxsize=32)
def _cmap(path: str, mtime_ns: int, size: int) -> frozenset[int]:
    return frozenset(_face(path, mtime_ns, size).unicodes)


@lru_cache(maxsize=256)
def _subset(path: str, mtime_ns: int, size: int, characters: frozenset[int]) -> bytes:
    """The face cut down to `characters` by HarfBuzz (milliseconds, where fontTools takes
    half a second a face), without hinting; the same input gives the same bytes."""
    import uharfbuzz as hb

    wanted = hb.SubsetInput()
    for code in sorted(characters):
        wanted.unicode_set.add(code)
    wanted.flags = hb.SubsetFlags.NO_HINTING
    result = hb.subset(_face(path, mtime_ns, size), wanted)
    if result is None:
        raise RuntimeError(f"HarfBuzz could not subset {path}")
    return bytes(result.blob.data)
