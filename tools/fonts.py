"""Make styles/fonts/ from Debian's Noto font packages. Maintainers run this by hand when a font
changes; the build never does (the fonts it writes are committed):

    apt-get install -y --no-install-recommends fonts-noto-core fonts-noto-cjk unicode-data
    .venv/bin/python tools/fonts.py            # rewrite the fonts, OFL.txt and README.md
    .venv/bin/python tools/fonts.py --check    # exit 1 where styles/fonts/ differs from that

Latin, Greek and Cyrillic (Noto Serif, Noto Sans) and Arabic (Noto Naskh Arabic for text, Noto
Sans Arabic for headings) are copied unmodified from fonts-noto-core. Simplified Chinese (Noto
Serif CJK SC, Noto Sans CJK SC) is cut out of fonts-noto-cjk's collections, which carry 20 to 27
MB per weight, down to 2 to 3 MB a face:

- the characters kept: all of GB 2312 (its 6763 hanzi, with its kana, Greek, Cyrillic, box
  drawing and symbols), the 8105 hanzi of the Table of General Standard Chinese Characters
  (2013; Unihan's kTGH field, from unicode-data), and whatever the face draws in the blocks
  listed in tools/fonts.py (KEEP): Latin, Greek, Cyrillic, punctuation, arrows, mathematical
  operators (Noto Serif and Noto Sans have no U+2212 MINUS SIGN), box drawing, shapes and
  symbols, CJK symbols, bopomofo, full-width forms;
- the layout kept: fontTools' default features, less the vertical ones (WeasyPrint sets no
  vertical text), for the default and the Simplified Chinese ('ZHS ') language systems only.
  The Japanese, Korean and Traditional Chinese 'locl' glyphs would nearly double the size;
- dropped: hinting, and the vertical metrics (vhea, vmtx, VORG). The name table stays whole,
  names included: no Reserved Font Name is used ('Source', which Adobe reserves for the
  Source Han fonts these derive from, is not in them).

Same packages in, same bytes out: nothing depends on the clock (head.created and head.modified
are the source font's), the machine or the hash seed. OFL.txt takes its copyright lines from
the fonts' name tables and the licence from fonts-noto-cjk's copyright file; README.md lists
every file with its upstream version, package and treatment.
"""

from __future__ import annotations

import argparse
import bz2
import contextlib
import filecmp
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "styles" / "fonts"
CORE = Path("/usr/share/fonts/truetype/noto")
CJK = Path("/usr/share/fonts/opentype/noto")
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
LICENCE = Path("/usr/share/doc/fonts-noto-cjk/copyright")

KEEP = (
    (0x0020, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A and -B
    (0x0370, 0x04FF),  # Greek, Cyrillic
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # Currency Symbols
    (0x2100, 0x23FF),  # Letterlike Symbols, Number Forms, Arrows, Mathematical Operators
    (0x2460, 0x27BF),  # Enclosed Alphanumerics (①, ⑴, ⒈), Box Drawing ... Dingbats
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3100, 0x312F),  # Bopomofo
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
)
VERTICAL = ("vert", "vrt2", "vhal", "vkrn", "vpal")


@dataclass(frozen=True)
class Face:
    name: str  # the file written in styles/fonts
    package: str
    source: Path
    family: str = ""  # for a collection: the face to take (name ID 1)


COPIED = [Face(f"{family}-{style}.ttf", "fonts-noto-core", CORE / f"{family}-{style}.ttf")
          for family, styles in (("NotoSerif", ("Regular", "Bold", "Italic", "BoldItalic")),
                                 ("NotoSans", ("Regular", "Bold")),
                                 ("NotoNaskhArabic", ("Regular", "Bold")),
                                 ("NotoSansArabic", ("Regular", "Bold")))
          for style in styles]
SUBSET = [Face(f"Noto{kind}CJKsc-{style}-subset.otf", "fonts-noto-cjk",
               CJK / f"Noto{kind}CJK-{style}.ttc", f"Noto {kind} CJK SC")
          for kind in ("Serif", "Sans") for style in ("Regular", "Bold")]


def gb2312() -> set[int]:
    """Every character of GB 2312 (7445, of which 6763 hanzi), from Python's codec."""
    chars: set[int] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):  # the rows GB 2312 leaves empty
                chars.add(ord(bytes((high, low)).decode("gb2312")))
    return chars


def general_standard() -> set[int]:
    """The 8105 characters of the Table of General Standard Chinese Characters (Unihan kTGH)."""
    chars: set[int] = set()
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as lines:
        for line in lines:
            fields = line.split("\t")
            if len(fields) == 3 and fields[1] == "kTGH":
                chars.add(int(fields[0][2:], 16))
    if len(chars) != 8105:
        raise SystemExit(f"{UNIHAN}: {len(chars)} kTGH characters, expected 8105")
    return chars


def face_index(collection: Path, family: str) -> int:
    fonts = TTCollection(collection, lazy=True).fonts
    found = [i for i, font in enumerate(fonts) if font["name"].getDebugName(1) == family]
    if len(found) != 1:
        raise SystemExit(f"{collection}: no single face named {family!r}")
    return found[0]


def cut(face: Face, wanted: set[int], out: Path) -> None:
    """Subset one face of a collection to `wanted`, keeping only its Chinese layout."""
    font = TTFont(face.source, fontNumber=face_index(face.source, face.family),
                  recalcTimestamp=False)
    for tag in ("GSUB", "GPOS"):
        for record in font[tag].table.ScriptList.ScriptRecord:
            script = record.Script
            script.LangSysRecord = [ls for ls in script.LangSysRecord if ls.LangSysTag == "ZHS "]
            script.LangSysCount = len(script.LangSysRecord)
    options = subset.Options()
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.layout_features = [f for f in options.layout_features if f not in VERTICAL]
    options.drop_tables = [*options.drop_tables, "vhea", "vmtx", "VORG"]
    cmap = font.getBestCmap()
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(c for c in wanted if c in cmap))
    subsetter.subset(font)
    font.save(out)


def version(font: TTFont) -> str:
    """'2.004' from name ID 5 ('Version 2.004;hotconv ...')."""
    return str(font["name"].getDebugName(5)).split(";")[0].removeprefix("Version ").strip()


def package_version(package: str) -> str:
    result = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                            capture_output=True, text=True, check=True)
    return result.stdout


def licence_text() -> str:
    """The OFL 1.1 as fonts-noto-cjk's copyright file gives it (its stand-alone paragraph)."""
    lines = LICENCE.read_text(encoding="utf-8").splitlines()
    start = lines.index("License: SIL-1.1", lines.index("License: SIL-1.1") + 1) + 1
    body = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line == " ." else line[1:])
    return "\n".join(body).strip("\n") + "\n"


def write(out: Path) -> None:
    chinese = gb2312() | general_standard() | {c for a, b in KEEP for c in range(a, b + 1)}
    for face in COPIED:
        shutil.copyfile(face.source, out / face.name)
    for face in SUBSET:
        print(f"subsetting {face.family} from {face.source.name}", file=sys.stderr)
        cut(face, chinese, out / face.name)
    versions = {p: package_version(p) for p in sorted({f.package for f in COPIED + SUBSET})}
    copyrights: dict[str, str] = {}
    rows = []
    for face in COPIED + SUBSET:
        with TTFont(out / face.name, lazy=True) as font:
            name = font["name"]
            copyrights.setdefault(name.getDebugName(1), name.getDebugName(0))
            done = "subset (see below)" if face in SUBSET else "copied unmodified"
            origin = face.source.name + (f" ({face.family})" if face.family else "")
            rows.append(f"| {face.name} | {name.getDebugName(4)} | {version(font)} | "
                        f"{face.package} {versions[face.package]}: {origin} | {done} | "
                        f"{font['maxp'].numGlyphs} | {len(font.getBestCmap())} | "
                        f"{(out / face.name).stat().st_size:,} |")
    notice = "\n".join(f"{family}: {line}" for family, line in copyrights.items())
    (out / "OFL.txt").write_text(
        "The fonts in this folder are licensed under the SIL Open Font License, Version 1.1,\n"
        "below. README.md says where each file comes from and how it was changed.\n\n"
        f"{notice}\nNoto is a trademark of Google LLC.\n\n{licence_text()}", encoding="utf-8")
    doc = (__doc__ or "").split("\n\n", 2)[2].strip()
    (out / "README.md").write_text(
        "# Fonts\n\nThe fonts pressroom prints and embeds, so that the same source gives the same"
        " PDF and EPUB on every machine. All are SIL Open Font License 1.1 (OFL.txt). Written by"
        " `tools/fonts.py` from Debian packages: do not edit by hand.\n\n"
        "| File | Face | Version | From (Debian package: file) | Done | Glyphs |"
        " Characters | Bytes |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        + "\n".join(rows) + f"\n\n## How they are made\n\n{doc}\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write to a temporary folder and compare with styles/fonts")
    args = parser.parse_args()
    if not args.check:
        write(FONTS)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        write(Path(tmp))
        made = {p.name for p in Path(tmp).iterdir()}
        there = {p.name for p in FONTS.iterdir()}
        differ = sorted((made ^ there) | {name for name in made & there
                                          if not filecmp.cmp(Path(tmp) / name, FONTS / name,
                                                             shallow=False)})
    for name in differ:
        print(f"styles/fonts/{name}: differs from what tools/fonts.py writes", file=sys.stderr)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
