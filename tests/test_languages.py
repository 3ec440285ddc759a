"""Languages, built from tests/fixtures/languages: one release in the six UN languages (unofficial
test texts), linked as translations; dates, labels and typography per language; Arabic right
to left; fonts embedded; every character covered by a shipped font.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import feedparser
import pikepdf
import pytest
from lxml import etree

from pressroom.checks.pdf import extract_text

from .conftest import FIXTURES, ROOT, Built, jing, run

LANGUAGES = FIXTURES / "languages"
SLUGS = {lang: f"2026-05-04-water-{lang}" for lang in ("en", "fr", "es", "ru", "ar", "zh")}
TAGS = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh": "zh-Hans"}
BASE = "https://press.example.org/ero/"
ATOM = "{http://www.w3.org/2005/Atom}"
NNBSP = "\u202f"


@pytest.fixture
def built(languages_build: Built) -> Path:
    """The session's build of the fixture (shared with test_golden.py: do not change it)."""
    return languages_build.dist


def url(lang: str) -> str:
    return f"{BASE}releases/{SLUGS[lang]}.html"


def page(dist: Path, lang: str) -> etree._Element:
    return etree.parse(str(dist / "releases" / f"{SLUGS[lang]}.html")).getroot()


def words(text: str) -> str:
    return " ".join(text.split())


# --- every format, every language, passes the validators ------------------------------------


@pytest.mark.slow  # the whole of `pressroom check`: EPUBCheck (a JVM) on every EPUB
def test_all_six_languages_pass_check(built: Path) -> None:
    result = run("--source", str(LANGUAGES), "--styles", str(ROOT / "styles"), "check",
                 "--dist", str(built))
    assert result.code == 0, result.out + result.err
    for lang, slug in SLUGS.items():
        for path in (f"pdf/{slug}.pdf", f"epub/{slug}.epub", f"releases/{slug}.html",
                     f"ninjs/{slug}.json"):
            assert (built / path).is_file(), (lang, path)


# --- translations link to each other both ways -----------------------------------------------


def test_hreflang_graph_of_pages_is_complete_and_symmetric(built: Path) -> None:
    expected = {TAGS[lang]: url(lang) for lang in SLUGS} | {"x-default": url("en")}
    for lang in SLUGS:
        links = {link.get("hreflang"): link.get("href")
                 for link in page(built, lang).iterfind(".//{*}link[@rel='alternate']")
                 if link.get("hreflang")}
        assert links == expected, lang


def test_hreflang_graph_of_the_atom_feed_is_complete_and_symmetric(built: Path) -> None:
    root = etree.parse(str(built / "feed" / "atom.xml")).getroot()
    graph = {}
    for entry in root.iterfind(f"{ATOM}entry"):
        links = {link.get("hreflang"): link.get("href") for link in entry.iterfind(f"{ATOM}link")
                 if link.get("rel") == "alternate"}
        graph[entry.findtext(f"{ATOM}id").rsplit("/", 1)[1]] = links
    expected = {TAGS[lang]: url(lang) for lang in SLUGS}
    assert graph == {lang: expected for lang in SLUGS}
    result = jing(built / "feed" / "atom.xml")
    assert result.returncode == 0, result.stdout
    assert not feedparser.parse((built / "feed" / "atom.xml").read_bytes()).bozo


def test_language_switcher_on_page_and_pdf(built: Path) -> None:
    names = {"en": "English", "fr": "Français", "es": "Español", "ru": "Русский",
             "ar": "العربية", "zh": "中文"}
    text = words(extract_text(built / "pdf" / f"{SLUGS['fr']}.pdf"))
    assert "Disponible aussi en" in text
    for lang, name in names.items():
        if lang != "fr":
            assert name in text or lang == "ar", name  # Arabic letters extract reordered
    switcher = page(built, "es").find(".//{*}p[@class='languages']")
    assert [a.text for a in switcher.iterfind("{*}a")] == [
        "English", "Français", "Русский", "العربية", "中文"]
    assert all(a.get("hreflang") == a.get("lang") for a in switcher.iterfind("{*}a"))


def test_json_ld_names_the_original_and_its_translations(built: Path) -> None:
    def data(lang: str) -> dict:
        script = page(built, lang).find(".//{*}script")
        return json.loads(script.text)

    original = data("en")
    assert sorted(w["inLanguage"] for w in original["workTranslation"]) == sorted(
        TAGS[lang] for lang in SLUGS if lang != "en")
    for lang in SLUGS:
        if lang != "en":
            assert data(lang)["translationOfWork"]["url"] == url("en")


# --- per-language collections ----------------------------------------------------------------


def test_feeds_and_digests_per_language(built: Path) -> None:
    for lang in ("ar", "en", "es", "fr", "ru", "zh"):
        parsed = feedparser.parse((built / "feed" / lang / "atom.xml").read_bytes())
        assert not parsed.bozo
        assert [e.id for e in parsed.entries] == [
            f"tag:press.example.org,2026-05-04:ero/water/{lang}"]
        assert parsed.feed.language in (TAGS[lang], lang)
        with zipfile.ZipFile(built / "epub" / "digests" / "language" / f"{lang}.epub") as book:
            opf = book.read("EPUB/content.opf").decode("utf-8")
        assert f'xml:lang="{lang}"' in opf
    assert len(feedparser.parse((built / "feed" / "atom.xml").read_bytes()).entries) == 6


# --- dates, labels and typography by language ------------------------------------------------


@pytest.mark.parametrize(("lang", "date", "label"), [
    ("en", "4 May 2026", "PRESS RELEASE"),
    ("fr", "4 mai 2026", "COMMUNIQUÉ DE PRESSE"),
    ("es", "4 de mayo de 2026", "COMUNICADO DE PRENSA"),
    ("ru", f"4 мая 2026{NNBSP}г.", "ПРЕСС-РЕЛИЗ"),
    ("ar", "4 مايو 2026", "بيان صحفي"),
    ("zh", "2026年5月4日", "新闻稿"),
])
def test_dates_and_labels_by_language(built: Path, lang: str, date: str, label: str) -> None:
    root = page(built, lang)
    assert root.get("lang") == TAGS[lang]
    assert root.get("dir") == ("rtl" if lang == "ar" else "ltr")
    assert root.findtext(".//{*}time") == date
    assert root.findtext(".//{*}p[@class='kind']") == label


def test_french_typography(built: Path) -> None:
    body = "".join(page(built, "fr").find(".//{*}div[@class='body']").itertext())
    assert f"«{NNBSP}L’eau n’est pas un luxe{NNBSP}»" in body
    assert f"Pourquoi{NNBSP}?" in body and f"droit{NNBSP}!" in body
    assert "12 pays\u00a0:" in body


def test_spanish_keeps_opening_marks_and_chinese_its_punctuation(built: Path) -> None:
    spanish = "".join(page(built, "es").find(".//{*}div[@class='body']").itertext())
    assert "“¡Es un derecho!”" in spanish and "¿Qué hizo el grupo?" in spanish
    chinese = "".join(page(built, "zh").find(".//{*}div[@class='body']").itertext())
    assert "说：“水不是奢侈品，而是一项权利。”" in chinese


def test_a_phrase_in_another_language_keeps_its_language(built: Path) -> None:
    span = page(built, "en").find(".//{*}span[@lang='fr']")
    assert span is not None and span.text == "droit à l’eau"
    with pikepdf.open(built / "pdf" / f"{SLUGS['en']}.pdf") as pdf:
        languages = _struct_languages(pdf.Root.StructTreeRoot)
        assert str(pdf.Root.Lang) == "en"
    assert ("/Span", "fr") in languages


def _struct_languages(node: object) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(node, pikepdf.Dictionary):
        if "/Lang" in node:
            found.append((str(node.get("/S")), str(node.Lang)))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            found += _struct_languages(kid)
    return found


# --- right to left and fonts ------------------------------------------------------------------


def test_arabic_epub_is_right_to_left(built: Path) -> None:
    with zipfile.ZipFile(built / "epub" / f"{SLUGS['ar']}.epub") as book:
        opf = book.read("EPUB/content.opf").decode("utf-8")
        text = book.read("EPUB/text.xhtml").decode("utf-8")
    assert 'dir="rtl"' in opf and 'page-progression-direction="rtl"' in opf
    assert re.search(r'<html[^>]* lang="ar"[^>]* dir="rtl"', text)


@pytest.mark.parametrize("lang", ["ar", "zh", "ru", "fr"])
def test_pdf_fonts_are_pressrooms_and_embedded(built: Path, lang: str) -> None:
    output = subprocess.run(["pdffonts", str(built / "pdf" / f"{SLUGS[lang]}.pdf")],
                            capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in output.splitlines()[2:]]
    assert rows
    for row in rows:
        assert "yes" in row[-5:-3], row  # emb, sub
    names = [row[0].split("+", 1)[1] for row in rows]
    assert all(name.startswith("Pressroom-") for name in names), names  # never a system font
    body = {"ar": "Pressroom-Naskh", "zh": "Pressroom-CJK-Serif"}.get(lang, "Pressroom-Serif")
    assert body in names


@pytest.mark.parametrize("lang", ["ar", "zh", "en"])
def test_epub_embeds_its_fonts(built: Path, lang: str) -> None:
    with zipfile.ZipFile(built / "epub" / f"{SLUGS[lang]}.epub") as book:
        fonts = [n for n in book.namelist() if n.startswith("EPUB/fonts/")]
        css = book.read("EPUB/style.css").decode("utf-8")
    assert fonts and all(f"fonts/{Path(f).name}" in css for f in fonts)


def test_text_extracts_from_arabic_and_chinese_pdfs(built: Path) -> None:
    chinese = words(extract_text(built / "pdf" / f"{SLUGS['zh']}.pdf"))
    assert "测试专家呼吁为20亿人提供安全饮用水" in chinese.replace(" ", "")
    arabic = extract_text(built / "pdf" / f"{SLUGS['ar']}.pdf")
    assert "Ana Example" in arabic and "2030" in arabic


# --- a character no font has -------------------------------------------------------------------


def test_a_character_without_a_glyph_is_a_source_error(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(LANGUAGES, source)
    path = source / f"{SLUGS['en']}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "It is a right.", "It is a right 😀."), encoding="utf-8")
    dist = tmp_path / "dist"
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist))
    assert result.code == 2 and not dist.exists()
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "😀" in text)
    assert result.err == (
        f"{path}:{line}: body: character '😀' (U+1F600 GRINNING FACE) is in none of "
        f"pressroom's fonts ({ROOT / 'styles' / 'fonts'}); it would print as an empty box: "
        "remove it or add a font that has it\n")
