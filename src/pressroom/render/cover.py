"""The cover picture of a release (and of a digest): one PNG, the same bytes wherever it goes —
the EPUB's `cover-image`, the web page's Open Graph image (dist/covers/), the OPDS entry's
image and thumbnail.

What it shows comes from the release, never a second copy: the publication's name (or its
logo, when that is a PNG or JPEG picture), the kind label and the date as the article prints
them (`Document.kind_label`, `Document.date_text`: the label catalogue and the locale), and the
headline, wrapped to the cover's width, its type shrunk until it fits.

Type is drawn the way the PDF's stylesheet draws it: each character by the first face of the
language's stack that has it (`STACKS`, as print.css's `--serif` and `--sans`), from the
shipped fonts (`fonts.FACES`). Pillow's Raqm layout shapes each run (Arabic joins, CJK
punctuation) and FriBidi orders the runs of a line (an Arabic headline holding "Sandland" or
"1.5"): Arabic drawn without them would be wrong, so a Pillow without Raqm is an error, never
unshaped letters.

Reproducible by construction: a 16-grey PNG with no text, time or colour chunks (`png`
writes it, deflated by Python's zlib), the same input giving the same bytes on any machine
with the same Pillow, zlib and fonts.

Cheap where that changes no pixel: what every cover of a publication shares is drawn once
(`_base`), a line that cannot hold right-to-left text is measured without FriBidi, each run
once per size, a headline size stops wrapping once it cannot fit, and the PNG deflates only
the rows that differ from the row above. Most of what remains is FreeType's and Raqm's work
inside Pillow's text calls (each glyph drawn is loaded three times, each call shapes anew).
"""

from __future__ import annotations

import copy
import ctypes
import ctypes.util
import io
import re
import struct
import zlib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from pressroom.errors import RenderError
from pressroom.fonts import FACES, FONTS_DIR, cmap
from pressroom.media import Picture, picture
from pressroom.model import Publication
from pressroom.prepare.document import Document

SIZE = (1200, 1800)
"""Width and height in pixels: a usual e-book cover (2:3)."""
MARGIN = 100
HEADLINE_BOX = (560, 1480)
"""The band the headline is set in (top and bottom, in pixels)."""
HEADLINE_SIZES = tuple(range(120, 43, -4))
"""Headline type sizes tried, largest first: the first at which it fits is used."""
LINE_HEIGHT = 1.3
INK, GREY, PAPER = 0, 85, 255
MEDIA_TYPE = "image/png"
STACKS = {
    "serif": ("Pressroom Serif", "Pressroom Naskh", "Pressroom CJK Serif"),
    "sans": ("Pressroom Sans", "Pressroom Arabic Sans", "Pressroom CJK Sans"),
}
"""Font families by role, Latin first, as the stylesheets' stacks; a language's own script's
family is moved first (`stack`), as `:lang(ar)` and `:lang(zh)` do there."""
OWN_SCRIPT = {"ar": 1, "zh": 2}
"""Primary language subtag -> the position in each stack of its script's family."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Cover:
    """What a cover shows: plain strings, so that equal covers are drawn once."""

    publication: str
    logo: Path | None
    """A PNG or JPEG logo to draw instead of the publication's name; None to print the name."""
    label: str
    headline: str
    date: str
    language: str
    direction: str


def release_cover(doc: Document) -> Cover:
    """The cover of one release: its publication, kind label, headline and date."""
    return Cover(publication=doc.publication.name, logo=logo_of(doc.publication),
                 label=doc.kind_label, headline=doc.headline, date=doc.date_text,
                 language=doc.release.language, direction=doc.direction)


def logo_of(publication: Publication) -> Path | None:
    """The publication's logo file when it is a raster picture (PNG, JPEG). An SVG logo is not
    rasterised (nothing shipped draws SVG to pixels without a browser): the cover prints the
    publication's name instead."""
    if not publication.logo or not publication.source_path:
        return None
    path = Path(publication.source_path).parent / publication.logo
    return path if path.suffix.lower() in (".png", ".jpg", ".jpeg") else None


def cover_png(doc: Document, styles_dir: Path) -> bytes:
    """The release's cover as PNG bytes."""
    return draw(release_cover(doc), styles_dir)


@lru_cache(maxsize=64)
def draw(cover: Cover, styles_dir: Path) -> bytes:
    """The cover as PNG bytes (cached per process: the EPUB and the page draw it once)."""
    from PIL import ImageDraw

    require_raqm()
    fonts = styles_dir / FONTS_DIR
    image = _base(replace(cover, headline="", date=""), fonts, picture(cover.logo)).copy()
    pen = ImageDraw.Draw(image)
    rtl = cover.direction == "rtl"
    _headline(pen, fonts, cover, WIDTH, rtl)
    pen.rectangle((MARGIN, 1580, SIZE[0] - MARGIN, 1583), fill=INK)
    date = _Type(fonts, "sans", "normal", 46, cover.language)
    date.draw(pen, cover.date, 1680, WIDTH, rtl, INK)
    return png(image)


WIDTH = SIZE[0] - 2 * MARGIN
"""The width of the type area, in pixels."""


@lru_cache(maxsize=8)
def _base(cover: Cover, fonts: Path, logo: Picture | None) -> Any:
    """What every cover of one publication, kind label, language and direction shares: the
    publication's name (or its logo, this version of the file), the first rule and the
    label, drawn once per process on white (`draw` draws the rest on a copy, in the same
    order as ever: the same pixels)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", SIZE, PAPER)
    pen = ImageDraw.Draw(image)
    rtl = cover.direction == "rtl"
    grey = _logo(logo, (WIDTH, 220))
    if grey is not None:
        image.paste(grey, (SIZE[0] - MARGIN - grey.width if rtl else MARGIN, MARGIN))
    else:
        name = _Type(fonts, "sans", "bold", 60, cover.language)
        for index, line in enumerate(name.wrap(cover.publication, WIDTH)[:2]):
            name.draw(pen, line, MARGIN + 60 + index * 78, WIDTH, rtl, INK)
    pen.rectangle((MARGIN, 380, SIZE[0] - MARGIN, 391), fill=INK)
    label = _Type(fonts, "sans", "bold", 46, cover.language)
    label.draw(pen, cover.label, 470, WIDTH, rtl, GREY)
    return image


LEVELS = 16
"""Grey levels of the PNG: a 4-bit palette, enough for anti-aliased type, a third smaller
than 8-bit grey and quicker to compress."""


def png(image: Any) -> bytes:
    """A greyscale picture as a 4-bit palette PNG: no text, time or colour-profile chunks.

    Written here rather than by Pillow's encoder, which tries four filters on every row and
    deflates every byte, when a cover is mostly white and most of its rows repeat the row
    above: `_deflated` makes the same pixels in a fraction of the time, in a few per cent
    more bytes than Pillow's level 6, and with few large pieces of memory (asking the system
    for them, page by page, cost as much as the rest).
    """
    step = 255 // (LEVELS - 1)
    palette = bytes(step * index for index in range(LEVELS) for _ in range(3))
    indexed = image.point([round(value / step) for value in range(256)])
    indexed.putpalette(palette)  # the grey levels' indexes, now a palette picture
    header = struct.pack(">IIBBBBB", *image.size, 4, 3, 0, 0, 0)  # 4 bits, palette
    idat = _deflated(indexed.tobytes("raw", "P;4"), (image.width + 1) // 2)
    return b"".join((b"\x89PNG\r\n\x1a\n", _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                     _chunk(b"IDAT", idat), _chunk(b"IEND", b"")))


def _deflated(packed: bytes, line: int) -> bytes:
    """Rows of `line` bytes (two pixels a byte) as PNG's zlib stream, every row filtered 'Up'
    (each byte less the byte above it: a row repeating the one above is zeros). The rows
    that differ from the row above are filtered (`_up`) and deflated with zlib's run-length
    strategy (RLE: one quick pass, about as small as level 6 on a cover); each run of rows
    repeating the row above is copied from deflated blocks of 2**k such rows made once per
    process. Every piece ends on a full flush, so that they can follow one another; their
    Adler-32 checksums are combined."""
    differ = b"\x01" + bytes(not packed.startswith(packed[start - line:start], start)
                             for start in range(line, len(packed), line))
    deflate = zlib.compressobj(1, zlib.DEFLATED, -15, 9, zlib.Z_RLE)  # any level: RLE
    stream, adler = [b"\x78\x01"], 1  # zlib's header: deflate, 32 KiB window
    for run in re.finditer(rb"\x01+|\x00+", differ):
        start, end = run.span()
        if differ[start]:
            piece = _up(packed, line, start, end)
            stream += (deflate.compress(piece), deflate.flush(zlib.Z_FULL_FLUSH))
            adler = zlib.adler32(piece, adler)
        else:
            for bit in range((end - start).bit_length()):
                if (end - start) >> bit & 1:
                    block, checksum = _zero_rows(1 << bit, line)
                    stream.append(block)
                    adler = _adler32_combine(adler, checksum, (1 << bit) * (line + 1))
    stream += (deflate.flush(zlib.Z_FINISH), adler.to_bytes(4, "big"))
    return b"".join(stream)


def _up(packed: bytes, line: int, start: int, end: int) -> bytes:
    """Rows `start` to `end` (excluded) filtered 'Up', each after its filter type: their
    bytes less those of the rows above (modulo 256; zeros above the first row)."""
    from PIL import Image, ImageChops

    rows = [packed[:line]] if start == 0 else []  # the first row, less zeros: itself
    first = max(start, 1)
    if end > first:
        view: Any = memoryview(packed)  # any buffer (Pillow's documentation): read in place
        size = (line, end - first)
        below = Image.frombuffer("L", size, view[first * line:end * line], "raw", "L", 0, 1)
        above = Image.frombuffer("L", size, view[(first - 1) * line:(end - 1) * line],
                                 "raw", "L", 0, 1)
        data = ImageChops.subtract_modulo(below, above).tobytes()
        rows += [data[index:index + line] for index in range(0, len(data), line)]
    return _UP + _UP.join(rows)


_UP = b"\x02"
"""PNG's filter type 'Up', the first byte of each row of the image data."""


@lru_cache(maxsize=32)
def _zero_rows(count: int, line: int) -> tuple[bytes, int]:
    """`count` rows of `line` bytes repeating the row above, filtered 'Up' (zeros after their
    filter type) and deflated as whole blocks on their own, with their Adler-32."""
    data = (_UP + bytes(line)) * count
    deflate = zlib.compressobj(1, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    return deflate.compress(data) + deflate.flush(zlib.Z_FULL_FLUSH), zlib.adler32(data)


def _adler32_combine(first: int, second: int, length: int) -> int:
    """The Adler-32 of two pieces of data one after the other, from the Adler-32 of each and
    the second's length (zlib's adler32_combine)."""
    base = 65521
    low = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % base
    high = ((first >> 16) + (second >> 16) + length * ((first & 0xFFFF) - 1)) % base
    return high << 16 | low


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def require_raqm() -> None:
    """Refuse to draw without Raqm: Arabic would come out unjoined and in the wrong order."""
    from PIL import features

    if not features.check("raqm"):
        raise RenderError("cover: Pillow has no Raqm text layout (libraqm, with FriBidi: "
                          "Debian libfribidi0), so Arabic cannot be shaped; reinstall Pillow "
                          "from its wheels or install libraqm")


def _headline(pen: Any, fonts: Path, cover: Cover, width: int, rtl: bool) -> None:
    """The headline, set by `headline_lines`, from the top of the headline band."""
    face, lines = headline_lines(fonts, cover, width)
    step = round(face.size * LINE_HEIGHT)
    for index, line in enumerate(lines):
        face.draw(pen, line, HEADLINE_BOX[0] + face.size + index * step, width, rtl, INK)


def headline_lines(fonts: Path, cover: Cover, width: int) -> tuple[_Type, list[str]]:
    """The headline's type and lines at the largest size at which it fits the headline band
    (a binary search of HEADLINE_SIZES: a smaller size never needs more room); the smallest
    if none does.

    A size tried stops wrapping as soon as it has more lines than the band holds (it cannot
    fit), and a size that fits is kept: the search asks the same questions in the same
    order as a full wrap at every size would, and gets the same answers."""
    top, bottom = HEADLINE_BOX
    first = _Type(fonts, "serif", "bold", HEADLINE_SIZES[0], cover.language)
    fitting: dict[int, tuple[_Type, list[str]]] = {}

    def fits(size: int) -> bool:
        face = first.at(size)
        room = (bottom - top) // round(size * LINE_HEIGHT)  # lines * step <= bottom - top
        lines = face.wrap(cover.headline, width, most=room)
        if len(lines) <= room and all(face.width(x) <= width for x in lines):
            fitting[size] = face, lines
            return True
        return False

    low, high = 0, len(HEADLINE_SIZES) - 1
    while low < high:
        middle = (low + high) // 2
        if fits(HEADLINE_SIZES[middle]):
            high = middle
        else:
            low = middle + 1
    size = HEADLINE_SIZES[low]
    if size in fitting:
        return fitting[size]
    face = first.at(size)  # the smallest size, never tried or too big: every line
    return face, face.wrap(cover.headline, width)


def _logo(prepared: Picture | None, box: tuple[int, int]) -> Any:
    """The logo as greyscale on white, scaled to fit `box`; None without one."""
    if prepared is None or prepared.extension == "svg":
        return None
    from PIL import Image

    with Image.open(io.BytesIO(prepared.data)) as opened:
        source = opened.convert("RGBA")
    flat = Image.new("RGBA", source.size, (255, 255, 255, 255))
    flat.alpha_composite(source)
    grey = flat.convert("L")
    scale = min(box[0] / grey.width, box[1] / grey.height, 1.0)
    size = (max(1, round(grey.width * scale)), max(1, round(grey.height * scale)))
    return grey.resize(size, Image.Resampling.LANCZOS) if scale < 1 else grey


def stack(role: str, language: str) -> tuple[str, ...]:
    """The font families of a role ('serif', 'sans') for `language`, its script's first."""
    families = STACKS[role]
    own = OWN_SCRIPT.get(language.split("-")[0].lower(), 0)
    return (families[own], *(f for i, f in enumerate(families) if i != own))


Run = tuple[str, int, int]
"""A piece of a line drawn at once: (text, index of its font in the stack, bidi level)."""


class _Type:
    """One size of one role's stack for one language: wraps, measures and draws lines."""

    def __init__(self, fonts: Path, role: str, weight: str, size: int, language: str) -> None:
        self.files = [fonts / _face_file(family, weight) for family in stack(role, language)]
        self.size = size
        self.language = language
        self.cmaps = tuple(cmap(path) for path in self.files)
        self.choices, self.plain = _choices(self.cmaps)
        self.lengths: dict[Run, float] = {}

    def at(self, size: int) -> _Type:
        """The same stack at another size (the fonts' characters are not looked up again)."""
        other = copy.copy(self)
        other.size = size
        other.lengths = {}
        return other

    def wrap(self, text: str, width: int, most: int | None = None) -> list[str]:
        """Lines of `text` no wider than `width` where it can break: at spaces, and between
        CJK characters (never before closing punctuation); a word too long stands alone.
        With `most`, stop as soon as there are more lines than that."""
        lines: list[str] = []
        line = ""
        for token in _tokens(text):
            candidate = (line + token) if line else token.lstrip()
            if line and self.width(candidate.rstrip()) > width:
                lines.append(line.rstrip())
                if most is not None and len(lines) > most:
                    return lines
                line = token.lstrip()
            else:
                line = candidate
        if line.strip():
            lines.append(line.rstrip())
        return lines

    def width(self, line: str) -> float:
        """The line's width in pixels."""
        return float(sum(self._length(run) for run in self.runs(line, False)))

    def runs(self, line: str, rtl: bool) -> list[Run]:
        """The line's runs in visual order (left to right). A line of a left-to-right
        paragraph that FriBidi would leave at level 0 (`stays_ltr`) is not given to
        FriBidi: its runs are its changes of font, in text order."""
        if not rtl and line and self.plain.issuperset(line):  # the usual headline
            return [(line, 0, 0)]
        fonts = [self._choice(c) for c in line]
        if rtl or not stays_ltr(line):
            return visual_runs(line, fonts, bidi_levels(line, rtl))
        self.plain.update(c for c, font in zip(line, fonts, strict=True) if font == 0)
        return visual_runs(line, fonts, [0] * len(line))

    def draw(self, pen: Any, line: str, baseline: int, width: int, rtl: bool, fill: int) -> None:
        """One line on `baseline`, from the left margin (right margin for rtl)."""
        runs = self.runs(line, rtl)
        x = float(MARGIN + (width - sum(self._length(run) for run in runs) if rtl else 0))
        for index, run in enumerate(runs):
            text, font, level = run
            pen.text((x, baseline), text, font=self._font(font), fill=fill, anchor="ls",
                     direction=_dir(level), language=self.language)
            if index + 1 < len(runs):  # the last run's length moves nothing
                x += self._length(run)

    def _length(self, run: Run) -> float:
        """The advance of one run, measured once per size."""
        found = self.lengths.get(run)
        if found is None:
            text, font, level = run
            found = self._font(font).getlength(text, direction=_dir(level),
                                               language=self.language)
            self.lengths[run] = found
        return found

    def _choice(self, char: str) -> int:
        """Index of the first font of the stack that has `char` (the first if none has)."""
        found = self.choices.get(char)
        if found is None:
            found = next((i for i, points in enumerate(self.cmaps) if ord(char) in points), 0)
            self.choices[char] = found
        return found

    def _font(self, index: int) -> Any:
        return _truetype(str(self.files[index]), self.size)


@lru_cache(maxsize=16)
def _choices(cmaps: tuple[frozenset[int], ...]) -> tuple[dict[str, int], set[str]]:
    """The font chosen for each character met so far, and the characters met so far that
    go to the stack's first font and stay at bidi level 0 in a left-to-right line: shared
    by every `_Type` of one stack while its fonts are unchanged (`fonts.cmap`: a font
    replaced on disk is a new key)."""
    return {}, set()


def _dir(level: int) -> str:
    return "rtl" if level % 2 else "ltr"


@lru_cache(maxsize=128)
def _truetype(path: str, size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


def _face_file(family: str, weight: str) -> str:
    """The file of a family's upright face of `weight` (fonts.FACES)."""
    return next(face[3] for face in FACES
                if face[0] == family and face[1] == weight and face[2] == "normal")


_NO_BREAK_BEFORE = frozenset("，。、：；！？）》」』】〕”’・…%,.:;!?)]}")
_NO_BREAK_AFTER = frozenset("“‘（《「『【〔([")


@lru_cache(maxsize=64)
def _tokens(text: str) -> tuple[str, ...]:
    """Pieces a line may break between: a word with the space before it; a CJK character
    (never a break before closing punctuation or after opening punctuation)."""
    tokens: list[str] = []
    for char in " ".join(text.split()):
        last = tokens[-1][-1] if tokens else ""
        if char == " " or not tokens:
            tokens.append(char)
        elif char in _NO_BREAK_BEFORE or last == " " or last in _NO_BREAK_AFTER \
                or not (_is_cjk(char) or _is_cjk(last)):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tuple(tokens)


def _is_cjk(char: str) -> bool:
    point = ord(char)
    return 0x2E80 <= point <= 0x9FFF or 0xF900 <= point <= 0xFAFF or 0xFF00 <= point <= 0xFFEF


def visual_runs(line: str, fonts: list[int], levels: list[int]) -> list[Run]:
    """Runs of one font and one bidi level, in visual order (UAX #9 rule L2: from the highest
    level to the lowest odd one, reverse every sequence at that level or above)."""
    runs: list[Run] = []
    for char, font, level in zip(line, fonts, levels, strict=True):
        if runs and runs[-1][1] == font and runs[-1][2] == level:
            runs[-1] = (runs[-1][0] + char, font, level)
        else:
            runs.append((char, font, level))
    highest = max((level for _, _, level in runs), default=0)
    lowest_odd = min((level for _, _, level in runs if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(runs):
            if runs[index][2] >= level:
                end = index
                while end < len(runs) and runs[end][2] >= level:
                    end += 1
                runs[index:end] = runs[index:end][::-1]
                index = end
            else:
                index += 1
    return runs


def stays_ltr(line: str) -> bool:
    """True when every character of `line` takes bidi level 0 in a left-to-right paragraph,
    whatever stands around it: none is a right-to-left letter, an Arabic digit or an explicit
    embedding, override or isolate (by FriBidi's own character types, `_ltr_types`). Such a
    line is one left-to-right sequence: FriBidi need not order it."""
    if _LTR_CHARS.issuperset(line):
        return True
    for char in set(line).difference(_LTR_CHARS):
        if char in _OTHER_CHARS:
            return False
        ltr = _fribidi().fribidi_get_bidi_type(ord(char)) in _ltr_types()
        (_LTR_CHARS if ltr else _OTHER_CHARS).add(char)
        if not ltr:
            return False
    return True


_LTR_CHARS: set[str] = set()
_OTHER_CHARS: set[str] = set()
"""The characters `stays_ltr` has looked up, by its answer."""
_LTR_EXAMPLES = "a1+$,\u0300\u200d !"
"""One character of each bidi class that resolves to the paragraph's level in a left-to-right
paragraph without right-to-left text: L, EN, ES, ET, CS, NSM, BN, WS, ON."""


@lru_cache(maxsize=1)
def _ltr_types() -> frozenset[int]:
    lib = _fribidi()
    return frozenset(lib.fribidi_get_bidi_type(ord(char)) for char in _LTR_EXAMPLES)


_PAR_LTR, _PAR_RTL = 0x110, 0x111
"""FriBidi's FRIBIDI_PAR_LTR and FRIBIDI_PAR_RTL."""


def bidi_levels(text: str, rtl: bool) -> list[int]:
    """The Unicode bidi embedding level of each character (FriBidi, the library Raqm itself
    uses), the paragraph's direction given."""
    if not text:
        return []
    lib = _fribidi()
    count = len(text)
    chars = (ctypes.c_uint32 * count)(*map(ord, text))
    types = (ctypes.c_uint32 * count)()
    brackets = (ctypes.c_uint32 * count)()
    levels = (ctypes.c_int8 * count)()
    lib.fribidi_get_bidi_types(chars, count, types)
    lib.fribidi_get_bracket_types(chars, count, types, brackets)
    direction = ctypes.c_uint32(_PAR_RTL if rtl else _PAR_LTR)
    if not lib.fribidi_get_par_embedding_levels_ex(types, brackets, count,
                                                   ctypes.byref(direction), levels):
        raise RenderError("cover: FriBidi could not order a line of text")
    return list(levels)


@lru_cache(maxsize=1)
def _fribidi() -> Any:
    name = ctypes.util.find_library("fribidi") or "libfribidi.so.0"
    try:
        lib = ctypes.CDLL(name)
    except OSError as error:
        raise RenderError("cover: FriBidi is not installed (Debian libfribidi0): right-to-"
                          f"left text cannot be ordered ({error})") from None
    lib.fribidi_get_bidi_type.argtypes = [ctypes.c_uint32]
    lib.fribidi_get_bidi_type.restype = ctypes.c_uint32
    return lib
