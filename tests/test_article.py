"""One article rendering: the page, the PDF, the EPUB, the feeds and the ninjs body all come from
`_article.html`, so every label is the catalogue's in every output. Built from a copy of
tests/fixtures/languages (French and Chinese) with a French correction."""

from __future__ import annotations

import html
import json
import re
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from pressroom.checks.pdf import extract_text
from pressroom.text.locale import format_date, label

from .conftest import FIXTURES, ROOT, run

SLUG = {"fr": "2026-05-04-water-fr", "zh": "2026-05-04-water-zh"}
CORRECTION = "Le deuxième paragraphe donne désormais 1 500 personnes, et non 1 200."
NOTE = f"Rectifié le 5 mai 2026\u00a0: {CORRECTION}"
"""The French correction as every output prints it: the catalogue's label, CLDR's date."""
FEED = "{http://www.w3.org/2005/Atom}"
ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("article")
    source = root / "source"
    source.mkdir()
    shutil.copy2(FIXTURES / "languages" / "publication.yaml", source)
    for slug in SLUG.values():
        shutil.copy2(FIXTURES / "languages" / f"{slug}.md", source)
    french = source / f"{SLUG['fr']}.md"
    text = french.read_text(encoding="utf-8")
    french.write_text(text.replace("dateline:\n", "corrections:\n  - date: 2026-05-05\n"
                                   f"    text: {CORRECTION}\ndateline:\n", 1), encoding="utf-8")
    dist = root / "dist"
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--quiet", "--no-cache")
    assert result.code == 0, result.err
    return dist


def words(text: str) -> str:
    """The text without tags or entities, its whitespace (no-break spaces too) folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def outputs(dist: Path) -> dict[str, str]:
    """The French release's article as each output carries it (HTML or text)."""
    slug = SLUG["fr"]
    atom = etree.parse(str(dist / "feed" / "atom.xml")).getroot()
    french_atom = etree.parse(str(dist / "feed" / "fr" / "atom.xml")).getroot()
    rss = etree.parse(str(dist / "feed" / "rss.xml")).getroot()
    (json_item,) = (item for item in json.loads((dist / "feed" / "feed.json").read_bytes())
                    ["items"] if item["id"].endswith("/fr"))
    ninjs = json.loads((dist / "ninjs" / f"{slug}.json").read_bytes())
    with zipfile.ZipFile(dist / "epub" / f"{slug}.epub") as book:
        epub = book.read("EPUB/text.xhtml").decode("utf-8")
    return {
        "page": (dist / "releases" / f"{slug}.html").read_text(encoding="utf-8"),
        "pdf": extract_text(dist / "pdf" / f"{slug}.pdf"),
        "epub": epub,
        "atom": _entry(atom, "fr"),
        "atom fr": _entry(french_atom, "fr"),
        "rss": next(i.findtext(ENCODED) for i in rss.iter("item")
                    if i.findtext("guid", "").endswith("/fr")),
        "json feed": json_item["content_html"],
        "ninjs": ninjs["bodies"][0]["value"],
    }


def _entry(feed: etree._Element, lang: str) -> str:
    return next(e.findtext(f"{FEED}content") for e in feed.iter(f"{FEED}entry")
                if e.findtext(f"{FEED}id", "").endswith(f"/{lang}"))


def test_a_french_correction_reads_the_same_in_every_output(built: Path) -> None:
    found = outputs(built)
    assert set(found) == {"page", "pdf", "epub", "atom", "atom fr", "rss", "json feed", "ninjs"}
    for where, text in found.items():
        assert words(NOTE) in words(text), where
        assert "Corrected on" not in text, where


def test_feed_content_and_ninjs_body_are_the_pages_article(built: Path) -> None:
    """The same markup, not a second rendering: the corrections and the body as the page
    has them; only the furniture differs (no headline, no web-page id)."""
    found = outputs(built)
    page = found["page"]
    corrections = re.search(r'<div class="corrections">.*?</div>', page, re.S)
    body = re.search(r'<div class="body">.*?</div>', page, re.S)
    assert corrections and body
    for where in ("atom", "rss", "json feed", "ninjs"):
        article = found[where]
        assert article.startswith('<article class="release">'), where
        assert corrections.group(0) in article and body.group(0) in article, where
        assert "<h1" not in article and "COMMUNIQUÉ DE PRESSE" not in article, where
    assert "PDF brief" not in found["ninjs"] and "Brief PDF" not in found["ninjs"]


@pytest.mark.parametrize(("lang", "tag", "place", "expected"), [
    ("fr", "fr", "GENÈVE", "GENÈVE (4 mai 2026)"),
    ("zh", "zh-Hans", "日内瓦", "日内瓦（2026年5月4日）"),
])
def test_json_ld_dateline_is_the_catalogues(built: Path, lang: str, tag: str, place: str,
                                            expected: str) -> None:
    """The pattern the lead prints, as plain text, without the dash into the lead."""
    page = etree.parse(str(built / "releases" / f"{SLUG[lang]}.html")).getroot()
    data = json.loads(page.find(".//{*}script").text)
    assert data["dateline"] == expected
    date = format_date(datetime(2026, 5, 4), tag)
    assert label("dateline", tag, place=place, date=date).startswith(expected)
