"""pressroom's fonts: which file is which face, the @font-face rules every format uses, and which
characters the shipped fonts can draw (so that a character no font has is an error that names
it and its source line, never a tofu box in print).

The code points come from the fonts' cmaps, read with HarfBuzz (uharfbuzz; not WeasyPrint, so
a check imports nothing heavy): a few milliseconds for the 14 fonts of styles/fonts. The result
is cached for the process while no font file changes (same path, size and modification time).
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

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
"""Every face pressroom ships; the stylesheets name the families."""
FONTS_DIR = "fonts"
"""The fonts folder below styles/."""
SCRIPTS = {
    "Naskh": lambda c: 0x0600 <= c <= 0x08FF or 0xFB50 <= c <= 0xFEFF,
    "Arabic": lambda c: 0x0600 <= c <= 0x08FF or 0xFB50 <= c <= 0xFEFF,
    "CJK": lambda c: 0x2E80 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF
    or 0xFF00 <= c <= 0xFFEF or c >= 0x20000,
}
"""Families for one script, by a word of their name, and the code points of that script."""
Face = tuple[str, str, str, str]


def script_of(face: Face) -> str:
    """'Naskh', 'Arabic' or 'CJK' for a face of one script; '' for the Latin faces."""
    return next((s for s in SCRIPTS if s in face[0]), "")


WEB_FACES = tuple(face for face in FACES if script_of(face))
"""The faces web pages ship: those of scripts a reader's system may lack (Latin text uses the
reader's own fonts)."""


def face_rule(face: Face, url: str, display: str = "") -> str:
    """The @font-face rule of one face, its file at `url`."""
    family, weight, style, _ = face
    swap = f" font-display: {display};" if display else ""
    return (f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: {style};{swap} src: url("{url}"); }}')


def face_rules(prefix: str, faces: tuple[Face, ...] = FACES, display: str = "") -> str:
    """@font-face rules of `faces`, each file at `prefix` + its name."""
    return "\n".join(face_rule(face, prefix + face[3], display) for face in faces) + "\n"


def cmap(path: Path) -> frozenset[int]:
    """The code points one font file draws (cached while the file is unchanged)."""
    info = path.stat()
    return _cmap(str(path), info.st_mtime_ns, info.st_size)


FONT_SUFFIXES = frozenset({".ttf", ".otf", ".ttc", ".otc"})
"""The font files read; anything else in the folder (licence, README) is not a font."""

INVISIBLE = frozenset((
    0x00AD, 0x034F, 0x061C, 0xFEFF,  # soft hyphen, grapheme joiner, Arabic letter mark, BOM
    *range(0x180B, 0x1810),  # Mongolian variation selectors and vowel separator
    *range(0x200B, 0x2010),  # zero-width space, non-joiner and joiner; LRM, RLM
    *range(0x202A, 0x202F),  # bidi embeddings and overrides
    *range(0x2060, 0x2070),  # word joiner, invisible operators, bidi isolates
    *range(0xFE00, 0xFE10),  # variation selectors
    *range(0xE0100, 0xE01F0),  # variation selectors supplement
))
"""Format characters that steer shaping, line breaking or direction and are never drawn."""


def covered(fonts_dir: Path) -> frozenset[int]:
    """Code points that some font shipped in `fonts_dir` maps (the union of every font's cmap).

    Cached per directory listing and the fonts' modification times and sizes: a font replaced
    on disk is read again, an unchanged folder costs one directory listing.
    """
    fonts = []
    for path in sorted(fonts_dir.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
            stat = path.stat()
            fonts.append((str(path), stat.st_mtime_ns, stat.st_size))
    return _union(tuple(fonts))


@functools.lru_cache(maxsize=16)
def _union(fonts: tuple[tuple[str, int, int], ...]) -> frozenset[int]:
    return frozenset().union(*(_cmap(*font) for font in fonts))


@functools.lru_cache(maxsize=256)
def _cmap(path: str, mtime_ns: int, size: int) -> frozenset[int]:
    """One font file's code points (those mapped to a glyph other than .notdef); every face of a
    collection (.ttc). HarfBuzz reads a cmap in a millisecond, fontTools in tens."""
    import uharfbuzz as hb

    points: set[int] = set()
    try:
        with open(path, "rb") as file:
            header = file.read(12)
        # A collection (.ttc) starts 'ttcf', version, then its number of faces.
        faces = int.from_bytes(header[8:12], "big") if header[:4] == b"ttcf" else 1
        blob = hb.Blob.from_file_path(path)
        for index in range(faces):
            face = hb.Face(blob, index)
            if face.glyph_count <= 0:
                raise ValueError("no glyphs")
            points.update(face.unicodes)
    except Exception as error:  # a damaged or foreign file
        raise ValueError(f"{path}: not a readable font ({error})") from error
    return frozenset(points)


def needs_glyph(char: str) -> bool:
    """False for what is never drawn: whitespace and line breaks (a missing space is spaced by
    the shaper), soft hyphens, joiners, bidi controls and variation selectors."""
    return not char.isspace() and ord(char) not in INVISIBLE


def missing(text: str, covered: frozenset[int]) -> list[tuple[int, str]]:
    """(index in text, character) of each character no font covers, in text order.

    Whitespace, line breaks, the soft hyphen, zero-width joiners and non-joiners, bidi
    controls (LRM, RLM, ALM, embeddings, isolates) and variation selectors are ignored: they
    need no glyph.
    """
    absent = {char for char in set(text) if ord(char) not in covered and needs_glyph(char)}
    if not absent:
        return []
    return [(index, char) for index, char in enumerate(text) if char in absent]


def describe(char: str) -> str:
    """"'😀' (U+1F600 GRINNING FACE)", for error messages; a character that cannot be shown
    (a control, a private-use one) is written as an escape: "'\\ue000' (U+E000 unnamed)"."""
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')})"
