"""Updates, key points, the about paragraph, the notes heading and archive dates, built from
tests/fixtures/updates and read back from every format: the web page (and its JSON-LD), the
PDF's text, the EPUB, the Atom feed and ninjs.

The fixture holds a release with two updates (written newest first), a correction, three key
points, an about paragraph and its own notes heading; an English archive import dated 2014
alone (notes under the publication's heading); a French one dated 2014-10 with key points.
The publication's zone is Europe/Zurich, so a first instant is not midnight UTC.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest
from lxml import etree

from pressroom.checks.pdf import extract_text
from pressroom.text import locale

from .conftest import FIXTURES, ROOT, UPDATES_NOW, Built, run

UPDATES = FIXTURES / "updates"
ATOM = "{http://www.w3.org/2005/Atom}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
FLOOD = "2026-03-10-flood-response"
YEAR = "2014-annual-report"
MONTH = "2014-10-rapport-automne"

UPDATE_NOTES = [
    "Updated on 12 March 2026: Adds the reply of the valley council.",
    "Updated on 14 March 2026: Adds the figures of the second convoy.",
]
HIGHLIGHTS = ["Twelve villages now have clean water.", "Roads to the north are open again.",
              "The appeal is 40 per cent funded."]
ABOUT = "About the valley programme The valley programme has run test convoys since 2020."


@pytest.fixture
def dist(updates_build: Built) -> Path:
    """The session's build of the fixture (shared with test_golden.py)."""
    return updates_build.dist


def words(text: str) -> str:
    return " ".join(text.split())


BLOCK = re.compile(r"</?(?:p|li|ul|h[1-6]|div|section|header|footer|article|figure|figcaption|"
                   r"body|head|title|script)\b[^>]*>")


def untagged(html: str) -> str:
    """The text of the article (a page's or book's, else the whole fragment)."""
    article = re.search(r"<article\b.*</article>", html, re.S)
    text = BLOCK.sub(" ", article.group(0) if article else html)
    return words(re.sub(r"<[^>]+>", "", text))


def formats(dist: Path, slug: str) -> dict[str, str]:
    """What a reader sees of the release in each format, whitespace collapsed."""
    with zipfile.ZipFile(dist / "epub" / f"{slug}.epub") as book:
        epub = book.read("EPUB/text.xhtml").decode("utf-8")
    feed = feedparser.parse((dist / "feed" / "atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith(f"/{slug}.html"))
    item = json.loads((dist / "ninjs" / f"{slug}.json").read_text(encoding="utf-8"))
    return {
        "pdf": words(extract_text(dist / "pdf" / f"{slug}.pdf")),
        "epub": untagged(epub),
        "page": untagged((dist / "releases" / f"{slug}.html").read_text(encoding="utf-8")),
        "atom": untagged(entry.content[0].value),
        "ninjs": untagged(item["bodies"][0]["value"]),
    }


def json_ld(dist: Path, slug: str) -> dict[str, object]:
    page = (dist / "releases" / f"{slug}.html").read_text(encoding="utf-8")
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def atom_entry(dist: Path, slug: str) -> etree._Element:
    root = etree.parse(str(dist / "feed" / "atom.xml")).getroot()
    return next(e for e in root.iterfind(f"{ATOM}entry")
                if e.find(f"{ATOM}link").get("href").endswith(f"/{slug}.html"))


def ninjs(dist: Path, slug: str) -> dict[str, object]:
    item: dict[str, object] = json.loads(
        (dist / "ninjs" / f"{slug}.json").read_text(encoding="utf-8"))
    return item


# --- updates ---------------------------------------------------------------------------------


def test_updates_are_shown_under_the_headline_in_every_format(dist: Path) -> None:
    for fmt, text in formats(dist, FLOOD).items():
        for note in UPDATE_NOTES:  # oldest first, though written newest first
            assert note in text, (fmt, note)
        assert text.index(UPDATE_NOTES[0]) < text.index(UPDATE_NOTES[1]), fmt
        assert "Corrected on 11 March 2026:" in text, fmt
        assert text.index(UPDATE_NOTES[1]) < text.index("The imaginary office says"), fmt
    pdf = formats(dist, FLOOD)["pdf"]
    assert pdf.index("Test flood response reaches the valley") < pdf.index(UPDATE_NOTES[0])


def test_an_update_moves_updated_but_not_id_or_published(dist: Path) -> None:
    entry = atom_entry(dist, FLOOD)
    assert entry.findtext(f"{ATOM}id") == "tag:press.example.org,2026-03-10:relief/flood-response"
    assert entry.findtext(f"{ATOM}published") == "2026-03-10T08:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2026-03-14T15:00:00+00:00"
    article = json_ld(dist, FLOOD)
    assert article["datePublished"] == "2026-03-10T09:00:00+01:00"
    assert article["dateModified"] == "2026-03-14T16:00:00+01:00"
    item = ninjs(dist, FLOOD)
    assert item["versioncreated"] == "2026-03-14T16:00:00+01:00"
    assert item["version"] == "4"  # the first, one correction, two updates


def test_updates_have_their_own_label_in_every_language() -> None:
    texts = {language: locale.label("updated_on", language, date="D")
             for language in locale.SUPPORTED}
    assert len(set(texts.values())) == len(texts)
    for language, text in texts.items():
        assert text != locale.label("corrected_on", language, date="D"), language


# --- key points ------------------------------------------------------------------------------


def test_key_points_follow_the_standfirst_in_every_format(dist: Path) -> None:
    for fmt, text in formats(dist, FLOOD).items():
        assert "Key points" in text, fmt
        at = [text.index(point) for point in HIGHLIGHTS]
        assert text.index("every village of the valley.") < at[0] < at[1] < at[2], fmt
        assert at[2] < text.index("The first convoy reached"), fmt
    french = formats(dist, MONTH)
    for fmt, text in french.items():
        assert "Points clés" in text and "Trois vallées ont reçu de l’aide." in text, fmt


def test_key_points_are_a_list_and_not_the_feed_summary(dist: Path) -> None:
    page = etree.parse(str(dist / "releases" / f"{FLOOD}.html"))
    items = page.xpath("//*[@class='highlights']/*[local-name()='ul']/*[local-name()='li']")
    assert [words("".join(li.itertext())) for li in items] == HIGHLIGHTS
    entry = atom_entry(dist, FLOOD)
    summary = entry.findtext(f"{ATOM}summary")
    assert "Twelve villages" not in summary and "every village of the valley" in summary


# --- about paragraph and notes heading -------------------------------------------------------


def test_the_about_paragraph_follows_the_boilerplate_in_every_format(dist: Path) -> None:
    for fmt, text in formats(dist, FLOOD).items():
        assert ABOUT in text, fmt
        assert text.index("is an imaginary body used in") < text.index(ABOUT), fmt
        assert text.index(ABOUT) < text.index("Background"), fmt


def test_the_notes_heading_is_the_release_s_then_the_publication_s(dist: Path) -> None:
    for fmt, text in formats(dist, FLOOD).items():
        assert "Background Photographs of the convoys" in text, fmt
        assert "Notes to editors" not in text and "Notes for journalists" not in text, fmt
    for fmt, text in formats(dist, YEAR).items():
        assert "Notes for journalists The report is available in print." in text, fmt
        assert "Notes to editors" not in text, fmt


# --- archive dates ---------------------------------------------------------------------------


def test_a_year_or_month_alone_is_printed_as_such(dist: Path) -> None:
    for fmt, text in formats(dist, YEAR).items():
        if fmt in ("pdf", "epub", "page"):
            assert re.search(r"\b2014\b", text) and "January" not in text, fmt
    for fmt, text in formats(dist, MONTH).items():
        assert "GENÈVE (octobre 2014) –" in text, fmt
        assert "1er octobre" not in text, fmt
    page = (dist / "releases" / f"{YEAR}.html").read_text(encoding="utf-8")
    assert '<time datetime="2014">2014</time>' in page
    page = (dist / "releases" / f"{MONTH}.html").read_text(encoding="utf-8")
    assert '<time datetime="2014-10">octobre 2014</time>' in page


def test_a_year_or_month_alone_is_its_first_instant_in_feeds_and_metadata(dist: Path) -> None:
    first = {YEAR: datetime(2014, 1, 1, tzinfo=ZoneInfo("Europe/Zurich")),
             MONTH: datetime(2014, 10, 1, tzinfo=ZoneInfo("Europe/Zurich"))}
    for slug, moment in first.items():
        entry = atom_entry(dist, slug)
        utc = moment.astimezone(ZoneInfo("UTC")).isoformat()
        assert entry.findtext(f"{ATOM}published") == utc
        assert entry.findtext(f"{ATOM}updated") == utc  # updated defaults to it
        assert json_ld(dist, slug)["datePublished"] == moment.isoformat()
        assert ninjs(dist, slug)["firstcreated"] == moment.isoformat()
        with zipfile.ZipFile(dist / "epub" / f"{slug}.epub") as book:
            opf = etree.fromstring(book.read("EPUB/content.opf"))
        assert opf.findtext(f".//{DC}date") == moment.isoformat()
    ids = [e.findtext(f"{ATOM}id") for e in
           etree.parse(str(dist / "feed" / "atom.xml")).getroot().iterfind(f"{ATOM}entry")]
    assert [i.rsplit("/", 1)[1] for i in ids] == ["flood-response", "rapport-automne",
                                                  "annual-report"]


@pytest.mark.parametrize(("language", "year", "month"), [
    ("en", "2014", "October 2014"), ("fr", "2014", "octobre 2014"),
    ("es", "2014", "octubre de 2014"), ("ru", "2014", "октябрь 2014\u202fг."),
    ("zh", "2014年", "2014年10月"), ("ar", "2014", "أكتوبر 2014"),
])
def test_archive_dates_follow_cldr(language: str, year: str, month: str) -> None:
    moment = datetime(2014, 10, 1, tzinfo=ZoneInfo("Europe/Zurich"))
    assert locale.format_published(moment, "year", language) == year
    assert locale.format_published(moment, "month", language) == month
    assert locale.format_published(moment, "day", language) == locale.format_date(moment,
                                                                                  language)


@pytest.mark.slow
def test_check_raises_no_false_alarm(dist: Path) -> None:
    result = run("--source", str(UPDATES), "--styles", str(ROOT / "styles"), "check",
                 "--dist", str(dist), "--now", UPDATES_NOW)
    assert result.code == 0, result.out + result.err
