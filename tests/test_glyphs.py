"""The shipped fonts cover the six UN languages, and a character no font has is found and named."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from pressroom import fonts

from .conftest import ROOT

FONTS = ROOT / "styles" / "fonts"
FONT_FILES = sorted(p for p in FONTS.iterdir() if p.suffix in fonts.FONT_SUFFIXES)

SAMPLES = {
    "en": "The Secretary-General said: “Protecting defenders is our shared responsibility” — "
          "25 January 2017, 10:30 a.m. (UN News) & 100% of €5 at −5 °C; it’s ‘vital’…",
    "fr": "« Protéger les défenseurs des droits de l’homme est notre responsabilité », a "
          "déclaré le Secrétaire général ; cœur, Noël, garçon, où, maïs, Œuvre, à l’Île-de-France.",
    "es": "¿Dónde está el Secretario General? ¡Año nuevo en Nueva York! El señor Guterres habló "
          "de pingüinos, de la ONU y del 1.º de enero.",
    "ru": "Генеральный секретарь ООН заявил: «Ещё не всё потеряно». Ёлка, съёмка, объём — "
          "25 января 2017 г., № 3.",
    "ar": "قال الأمين العام أنطونيو غوتيريش (António Guterres) في نيويورك يوم 25 كانون "
          "الثاني/يناير 2017، إن 193 دولة عضواً ستجتمع؛ وقال رئيس البعثة إن المسؤولين سيقدمون "
          "الماء. فهل نحن مستعدون؟ «نعم» — ١٢٣٤٥٦٧٨٩٠.",
    "zh": "联合国秘书长古特雷斯（António Guterres）1月25日在纽约表示：“保护人权维护者是我们的"
          "共同责任。”他还指出，2017年将有193个会员国参加会议——包括中国、法国、俄罗斯……"
          "《联合国宪章》第1条；您准备好了吗？是的！",
}


def cmap(path: Path) -> set[int]:
    with TTFont(path, lazy=True) as font:
        return set(font.getBestCmap())


def family(path: Path) -> str:
    with TTFont(path, lazy=True) as font:
        return str(font["name"].getDebugName(1))


@pytest.fixture(scope="module")
def covered() -> frozenset[int]:
    return fonts.covered(FONTS)


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_the_six_un_languages_are_covered(covered: frozenset[int], lang: str) -> None:
    assert [fonts.describe(c) for _, c in fonts.missing(SAMPLES[lang], covered)] == []


def test_every_character_of_gb_2312_is_in_both_chinese_faces() -> None:
    gb2312 = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                gb2312.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    assert len(gb2312) == 7445
    chinese = [p for p in FONT_FILES if "CJK" in p.name]
    assert len(chinese) == 4
    for path in chinese:
        assert gb2312 <= cmap(path), path.name


def test_arabic_faces_have_the_letters_digits_and_punctuation() -> None:
    arabic = {*range(0x0621, 0x063B), *range(0x0641, 0x064B), *range(0x0660, 0x066A),
              0x060C, 0x061B, 0x061F, *map(ord, "0123456789«»")}
    faces = [p for p in FONT_FILES if "Arabic" in p.name]
    assert len(faces) == 4
    for path in faces:
        assert arabic <= cmap(path), path.name


def test_what_no_font_has_is_reported_at_its_index(covered: frozenset[int]) -> None:
    text = "Ok 😀, 𐀀 and 𒀀 then \ue000 and 😀\ufe0f."
    assert fonts.missing(text, covered) == [
        (3, "😀"), (6, "\U00010000"), (12, "\U00012000"), (19, "\ue000"), (25, "😀")]


def test_characters_that_are_never_drawn_are_ignored() -> None:
    invisible = ("\n\r\t \u00a0\u2028\u2029\u202f\u3000"  # whitespace and line breaks
                 "\u00ad"  # soft hyphen
                 "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, (non-)joiners, BOM
                 "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"  # marks, embeddings
                 "\u2066\u2067\u2068\u2069"  # isolates
                 "\ufe00\ufe0e\ufe0f\U000e0100\U000e01ef")  # variation selectors
    assert fonts.missing(invisible, frozenset()) == []
    assert fonts.missing("a\u200db", frozenset()) == [(0, "a"), (2, "b")]


def test_describe() -> None:
    assert fonts.describe("😀") == "'😀' (U+1F600 GRINNING FACE)"
    assert fonts.describe("é") == "'é' (U+00E9 LATIN SMALL LETTER E WITH ACUTE)"
    assert fonts.describe("中") == "'中' (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D)"
    assert fonts.describe("\U00012000") == "'𒀀' (U+12000 CUNEIFORM SIGN A)"
    assert fonts.describe("\ue000") == "'\\ue000' (U+E000 unnamed)"
    assert fonts.describe("\x07") == "'\\x07' (U+0007 unnamed)"


def test_the_second_call_is_cached(covered: frozenset[int]) -> None:
    start = time.perf_counter()
    again = fonts.covered(FONTS)
    assert time.perf_counter() - start < 0.05
    assert again is covered


def test_a_font_replaced_on_disk_is_read_again(tmp_path: Path) -> None:
    font = tmp_path / "face.ttf"
    shutil.copyfile(FONTS / "NotoNaskhArabic-Regular.ttf", font)
    (tmp_path / "README.md").write_text("not a font")
    assert ord("ب") in fonts.covered(tmp_path)
    shutil.copyfile(FONTS / "NotoSerif-Regular.ttf", font)
    replaced = fonts.covered(tmp_path)
    assert ord("ب") not in replaced
    assert ord("ё") in replaced


def test_every_face_of_a_collection_counts(tmp_path: Path) -> None:
    with TTCollection() as collection:
        collection.fonts = [TTFont(FONTS / "NotoNaskhArabic-Regular.ttf"),
                            TTFont(FONTS / "NotoSerif-Regular.ttf")]
        collection.save(tmp_path / "both.ttc")
    both = fonts.covered(tmp_path)
    assert {ord("ب"), ord("ё")} <= both
    assert ord("中") not in both


def test_a_damaged_font_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.otf").write_bytes(b"OTTO" + bytes(40))
    with pytest.raises(ValueError, match=r"broken\.otf"):
        fonts.covered(tmp_path)


def test_every_font_is_described_and_licensed() -> None:
    readme = (FONTS / "README.md").read_text(encoding="utf-8")
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert len(FONT_FILES) >= 14
    for path in FONT_FILES:
        assert f"| {path.name} |" in readme, f"{path.name} is not in styles/fonts/README.md"
        assert f"{family(path)}: " in licence, f"{family(path)} has no copyright line in OFL.txt"
