"""Newsroom semantics, built from tests/fixtures/newsroom: embargo, drafts, withdrawal,
corrections, press-release furniture, figures, QR code, web page metadata.

The fixture holds an embargoed release (lifted at 2026-04-02T10:00Z), a corrected one, one
with a photo and contacts, one with an SVG chart, a withdrawn one and a draft.
"""

from __future__ import annotations

import email.utils
import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import feedparser
import pikepdf
import pytest
from lxml import etree

from pressroom.checks.pdf import extract_text

from .conftest import FIXTURES, NEWSROOM_BEFORE, ROOT, Built, build_ok, jing, run

NEWSROOM = FIXTURES / "newsroom"
BEFORE = NEWSROOM_BEFORE
"""Before the embargo ends."""
AFTER = "2026-04-02T10:00:00Z"
"""The moment the embargo ends: the release is public from then on."""
ATOM = "{http://www.w3.org/2005/Atom}"
AT = "{http://purl.org/atompub/tombstones/1.0}"
MEDIA = "{http://search.yahoo.com/mrss/}"

EMBARGOED = "2026-04-02-embargoed-report"
CORRECTED = "2026-03-20-corrected-statement"
PHOTO = "2026-03-15-water-point"
CHART = "2026-03-12-chart"
WITHDRAWN = "2026-03-01-withdrawn-notice"
DRAFT = "2026-03-25-draft-plan"


@pytest.fixture
def before(newsroom_build: Built) -> Path:
    """The session's build at BEFORE (shared with test_golden.py: do not change it)."""
    return newsroom_build.dist


@pytest.fixture(scope="module")
def after(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("newsroom-after") / "dist"
    build_ok(NEWSROOM, dist, "--no-cache", now=AFTER)
    return dist


def atom(dist: Path) -> etree._Element:
    return etree.parse(str(dist / "feed" / "atom.xml")).getroot()


def entry_ids(dist: Path) -> list[str]:
    return [e.findtext(f"{ATOM}id") for e in atom(dist).iterfind(f"{ATOM}entry")]


def words(text: str) -> str:
    return " ".join(text.split())


# --- embargo ---------------------------------------------------------------------------------


def test_embargoed_release_is_held_out_of_public_outputs(before: Path) -> None:
    rid = "tag:press.example.org,2026-04-02:ero/embargoed-report"
    assert not (before / "pdf" / f"{EMBARGOED}.pdf").exists()
    assert not (before / "epub" / f"{EMBARGOED}.epub").exists()
    assert not (before / "releases" / f"{EMBARGOED}.html").exists()
    assert not (before / "ninjs" / f"{EMBARGOED}.json").exists()
    for path in ("feed/atom.xml", "feed/rss.xml", "feed/feed.json", "index.html",
                 "archive/page-1.html"):
        text = (before / path).read_text(encoding="utf-8")
        assert rid not in text and EMBARGOED not in text, path
    with zipfile.ZipFile(before / "epub" / "digests" / "all.epub") as digest:
        assert not [n for n in digest.namelist() if EMBARGOED in n]


def test_embargoed_release_has_a_press_kit_pdf_and_epub_with_the_banner(before: Path) -> None:
    banner = "EMBARGOED UNTIL 2 April 2026, 10:00 GMT"
    pdf = before.parent / "held" / f"{EMBARGOED}.pdf"
    text = words(extract_text(pdf))
    with pikepdf.open(pdf) as document:
        pages = len(document.pages)
    assert text.count(banner) >= 1 + pages  # in the text and at the top of every page
    with zipfile.ZipFile(before.parent / "held" / f"{EMBARGOED}.epub") as book:
        assert banner in book.read("EPUB/text.xhtml").decode("utf-8")


def test_embargoed_release_appears_once_now_passes_its_time(after: Path) -> None:
    rid = "tag:press.example.org,2026-04-02:ero/embargoed-report"
    assert entry_ids(after)[0] == rid
    assert (after / "pdf" / f"{EMBARGOED}.pdf").is_file()
    assert (after / "releases" / f"{EMBARGOED}.html").is_file()
    assert not (after.parent / "held").exists() or not list((after.parent / "held").iterdir())
    assert "EMBARGOED" not in extract_text(after / "pdf" / f"{EMBARGOED}.pdf")


def test_lifting_an_embargo_moves_outputs_out_of_held(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build_ok(NEWSROOM, dist, "--no-cache", now=BEFORE)
    assert (dist.parent / "held" / f"{EMBARGOED}.pdf").is_file()
    build_ok(NEWSROOM, dist, "--no-cache", now=AFTER)
    assert not (dist.parent / "held" / f"{EMBARGOED}.pdf").exists()
    assert (dist / "pdf" / f"{EMBARGOED}.pdf").is_file()


def test_now_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRESSROOM_NOW", AFTER)
    dist = tmp_path / "dist"
    result = run("--source", str(NEWSROOM), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--quiet", "--no-cache", "--format", "feed")
    assert result.code == 0, result.err
    assert entry_ids(dist)[0].endswith("embargoed-report")


def test_a_bad_now_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    result = run("--source", str(NEWSROOM), "build", "--now", "tomorrow")
    assert result.code == 64 and "ISO 8601" in result.err
    result = run("--source", str(NEWSROOM), "build", "--now", "2026-04-02T10:00:00")
    assert result.code == 64 and "no zone" in result.err
    monkeypatch.setenv("PRESSROOM_NOW", "soon")
    result = run("--source", str(NEWSROOM), "check")
    assert result.code == 64 and "PRESSROOM_NOW" in result.err


# --- drafts and withdrawal ---------------------------------------------------------------------


def test_drafts_are_built_only_on_request(before: Path, tmp_path: Path) -> None:
    assert not list(before.rglob(f"{DRAFT}*"))
    dist = tmp_path / "dist"
    build_ok(NEWSROOM, dist, "--no-cache", "--drafts", "--format", "pdf,epub,html,feed",
             now=BEFORE)
    assert sorted(p.name for p in (dist.parent / "held").iterdir()) == sorted(
        [f"{DRAFT}.pdf", f"{DRAFT}.epub", f"{EMBARGOED}.pdf", f"{EMBARGOED}.epub"])
    kit = dist.parent / "held"
    assert "DRAFT – NOT FOR PUBLICATION" in words(extract_text(kit / f"{DRAFT}.pdf"))
    assert not (dist / "releases" / f"{DRAFT}.html").exists()
    assert DRAFT not in (dist / "feed" / "atom.xml").read_text(encoding="utf-8")


def test_withdrawn_release_leaves_a_tombstone_and_nothing_else(before: Path) -> None:
    rid = "tag:press.example.org,2026-03-01:ero/withdrawn-notice"
    assert not list(before.rglob(f"{WITHDRAWN}*"))
    root = atom(before)
    assert rid not in entry_ids(before)
    tombstones = root.findall(f"{AT}deleted-entry")
    assert [t.get("ref") for t in tombstones] == [rid]
    assert tombstones[0].get("when") == "2026-03-02T07:00:00+00:00"
    assert tombstones[0].findtext(f"{AT}comment") == "Published in error; no event is planned."
    assert root.findtext(f"{ATOM}updated") >= "2026-03-22T14:30:00+00:00"
    for path in ("feed/rss.xml", "feed/feed.json", "index.html"):
        assert rid not in (before / path).read_text(encoding="utf-8")


def test_atom_with_tombstones_and_media_is_valid(before: Path) -> None:
    result = jing(before / "feed" / "atom.xml")
    assert result.returncode == 0, result.stdout + result.stderr
    parsed = feedparser.parse((before / "feed" / "atom.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")


# --- corrections ----------------------------------------------------------------------------


def test_correction_moves_updated_but_not_id_or_published(before: Path) -> None:
    rid = "tag:press.example.org,2026-03-20:ero/corrected-statement"
    entry = next(e for e in atom(before).iterfind(f"{ATOM}entry")
                 if e.findtext(f"{ATOM}id") == rid)
    assert entry.findtext(f"{ATOM}published") == "2026-03-20T08:00:00+00:00"
    assert entry.findtext(f"{ATOM}updated") == "2026-03-22T14:30:00+00:00"


def test_corrections_are_shown_in_every_format(before: Path) -> None:
    notes = ["Corrected on 21 March 2026: An earlier version misspelt the name of the survey.",
             "Corrected on 22 March 2026: The second paragraph now gives the survey year as "
             "2025, not 2024."]
    pdf = words(extract_text(before / "pdf" / f"{CORRECTED}.pdf"))
    with zipfile.ZipFile(before / "epub" / f"{CORRECTED}.epub") as book:
        epub = words(re.sub(r"<[^>]+>", "", book.read("EPUB/text.xhtml").decode("utf-8")))
    page = (before / "releases" / f"{CORRECTED}.html").read_text(encoding="utf-8")
    feed = feedparser.parse((before / "feed" / "atom.xml").read_bytes())
    content = next(e for e in feed.entries if e.id.endswith("corrected-statement")).content[0]
    for note in notes:
        assert note in pdf
        assert note in epub
        assert note in words(re.sub(r"<[^>]+>", "", page))
        assert note in words(re.sub(r"<[^>]+>", "", content.value))
    # After the headline, before the lead, in the PDF.
    assert pdf.index("Test statement on sanitation") < pdf.index(notes[0]) < pdf.index(
        "The imaginary office calls")


# --- furniture ------------------------------------------------------------------------------


def test_press_release_furniture_is_printed(after: Path) -> None:
    text = words(extract_text(after / "pdf" / f"{EMBARGOED}.pdf"))
    assert "GENEVA / NAIROBI (2 April 2026) – An imaginary expert group" in text
    assert "ERO/PR/2026/014" in text
    order = ["The test report covers", "ENDS", "imaginary body", "Notes to editors",
             "Media contacts"]
    assert [text.index(part) for part in order] == sorted(text.index(part) for part in order)
    assert "Ana Example, Media officer · ana@example.org · +41 22 917 0000" in text
    assert "Earlier test statement on water" in text
    assert "Press desk" not in text  # the release's own contacts replace the publication's


def test_publication_contacts_are_the_default(after: Path) -> None:
    text = words(extract_text(after / "pdf" / f"{CORRECTED}.pdf"))
    assert "Press desk · press@example.org · +41 22 000 00 00" in text


def test_pdf_carries_a_qr_code_of_the_web_address(after: Path) -> None:
    import segno
    from PIL import Image

    from pressroom.media import QR_MASK, QR_SCALE, qr_png

    url = "https://press.example.org/ero/releases/2026-03-20-corrected-statement.html"
    with pikepdf.open(after / "pdf" / f"{CORRECTED}.pdf") as pdf:
        figures = _figures(pdf.Root.StructTreeRoot)
    assert f"QR code of the web address {url}" in figures
    assert qr_png(url) == qr_png(url)
    matrix = segno.make(url, error="m", mask=QR_MASK).matrix  # the printed modules: the code's
    with Image.open(io.BytesIO(qr_png(url))) as png:
        assert png.mode == "L" and png.size == (QR_SCALE * len(matrix[0]), QR_SCALE * len(matrix))
        middle = QR_SCALE // 2
        assert all((png.getpixel((QR_SCALE * x + middle, QR_SCALE * y + middle)) == 0) == bool(dark)
                   for y, row in enumerate(matrix) for x, dark in enumerate(row))


def _figures(node: object) -> list[str]:
    found: list[str] = []
    if isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            found += _figures(kid)
    return found


# --- figures --------------------------------------------------------------------------------


def test_image_is_scaled_stripped_and_has_alt_everywhere(after: Path) -> None:
    from PIL import Image

    alt = "A blue water tank on a stand beside a path, under a yellow sun"
    source = (NEWSROOM / "images" / "water-point.jpg").read_bytes()
    assert b"Test camera" in source  # the fixture carries EXIF, with a GPS position
    web = (after / "images" / f"{PHOTO}.jpg").read_bytes()
    with Image.open(io.BytesIO(web)) as image:
        assert image.size == (2000, 1333)
        assert not image.getexif()
    page = etree.parse(str(after / "releases" / f"{PHOTO}.html")).getroot()
    img = page.find(".//{*}figure/{*}img")
    assert img.get("alt") == alt and img.get("src") == f"../images/{PHOTO}.jpg"
    with pikepdf.open(after / "pdf" / f"{PHOTO}.pdf") as pdf:
        assert alt in _figures(pdf.Root.StructTreeRoot)
    pdf_bytes = (after / "pdf" / f"{PHOTO}.pdf").read_bytes()
    with zipfile.ZipFile(after / "epub" / f"{PHOTO}.epub") as book:
        assert book.read(f"EPUB/images/{PHOTO}.jpg") == web
        opf = book.read("EPUB/content.opf").decode("utf-8")
        assert re.search(rf'<item href="images/{PHOTO}.jpg" id="[^"]+" media-type="image/jpeg"/>',
                         opf)
        assert "alternativeText" in opf and ">visual<" in opf
        assert f'alt="{alt}"' in book.read("EPUB/text.xhtml").decode("utf-8")
    for data in (web, pdf_bytes):
        assert b"Test camera" not in data


def test_feeds_carry_the_image(after: Path) -> None:
    url = f"https://press.example.org/ero/images/{PHOTO}.jpg"
    length = str((after / "images" / f"{PHOTO}.jpg").stat().st_size)
    rss = etree.parse(str(after / "feed" / "rss.xml")).getroot()
    item = next(i for i in rss.iter("item") if i.findtext("link").endswith(f"{PHOTO}.html"))
    enclosure = item.find("enclosure")
    assert (enclosure.get("url"), enclosure.get("length"), enclosure.get("type")) == (
        url, length, "image/jpeg")
    media = item.find(f"{MEDIA}content")
    assert media.get("url") == url and media.get("medium") == "image"
    assert (media.get("width"), media.get("height")) == ("2000", "1333")
    assert media.findtext(f"{MEDIA}credit") == "Illustration by the pressroom test suite"
    assert media.findtext(f"{MEDIA}description") == (  # typeset, like the headline
        "The water point, as drawn for pressroom’s tests.")
    parsed = feedparser.parse((after / "feed" / "rss.xml").read_bytes())
    assert not parsed.bozo
    entry = atom(after).find(f"{ATOM}entry/{MEDIA}content/..")
    assert entry is not None
    assert [link.get("href") for link in entry.iterfind(f"{ATOM}link")
            if link.get("rel") == "enclosure"] == [url]
    items = json.loads((after / "feed" / "feed.json").read_text())["items"]
    assert next(i for i in items if i["url"].endswith(f"{PHOTO}.html"))["image"] == url


def test_svg_figure_is_published(after: Path) -> None:
    svg = (after / "images" / f"{CHART}.svg").read_bytes()
    assert svg.startswith(b"<?xml") and b"<!--" not in svg
    with pikepdf.open(after / "pdf" / f"{CHART}.pdf") as pdf:
        assert any(a.startswith("Bar chart of water points") for a in
                   _figures(pdf.Root.StructTreeRoot))


def test_changing_an_image_rebuilds_only_its_release(tmp_path: Path) -> None:
    from PIL import Image

    source = tmp_path / "source"
    shutil.copytree(NEWSROOM, source)
    dist = tmp_path / "dist"
    build_ok(source, dist, "--no-cache", "--format", "html", now=AFTER)
    before = {p.name: p.stat().st_mtime_ns for p in (dist / "releases").iterdir()}
    Image.new("RGB", (300, 200), (200, 30, 30)).save(source / "images" / "water-point.jpg")
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--quiet", "--no-cache", "--now", AFTER,
                 "--format", "html", "--changed", str(source / "images" / "water-point.jpg"))
    assert result.code == 0, result.err
    after = {p.name: p.stat().st_mtime_ns for p in (dist / "releases").iterdir()}
    assert {n for n in after if after[n] != before[n]} == {f"{PHOTO}.html"}
    with Image.open(dist / "images" / f"{PHOTO}.jpg") as image:
        assert image.size == (300, 200)


# --- web page metadata -----------------------------------------------------------------------


def test_web_page_has_json_ld_open_graph_and_twitter_tags(after: Path) -> None:
    page = etree.parse(str(after / "releases" / f"{PHOTO}.html")).getroot()
    scripts = page.findall(".//{*}script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    data = json.loads(scripts[0].text)
    canonical = page.find(".//{*}link[@rel='canonical']").get("href")
    assert data["@type"] == "NewsArticle" and data["url"] == canonical
    assert data["headline"] == "A new water point opens in a test village"
    assert data["image"]["url"].endswith(f"images/{PHOTO}.jpg")
    assert data["image"]["width"] == 2000
    assert data["author"] == {"@type": "Person", "name": "Test Desk"}
    meta = {m.get("property") or m.get("name"): m.get("content")
            for m in page.iterfind(".//{*}meta") if m.get("content") is not None}
    assert meta["og:url"] == canonical and meta["og:type"] == "article"
    assert meta["og:image:alt"].startswith("A blue water tank")
    assert meta["twitter:card"] == "summary_large_image"
    corrected = etree.parse(str(after / "releases" / f"{CORRECTED}.html")).getroot()
    data = json.loads(corrected.find(".//{*}script").text)
    assert [c["datePublished"] for c in data["correction"]] == [
        "2026-03-21T12:00:00+01:00", "2026-03-22T15:30:00+01:00"]
    assert data["dateModified"] == "2026-03-22T15:30:00+01:00"
    assert data["dateline"] == "GENEVA (20 March 2026)"


def test_json_ld_cannot_be_closed_by_release_text() -> None:
    import dataclasses

    from pressroom.load.site import load_site
    from pressroom.prepare.document import prepare
    from pressroom.prepare.jsonld import structured_data

    doc = prepare(load_site(NEWSROOM))[0]
    doc = dataclasses.replace(doc, headline="</script><script>alert(1)</script> & more")
    text = str(structured_data(doc, None))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["headline"] == doc.headline


# --- the whole set passes its validators ------------------------------------------------------


@pytest.mark.slow  # the whole of `pressroom check`: EPUBCheck (a JVM) on every EPUB
def test_check_passes_on_the_newsroom_build(before: Path) -> None:
    result = run("--source", str(NEWSROOM), "--styles", str(ROOT / "styles"), "check",
                 "--dist", str(before), "--now", BEFORE)
    assert result.code == 0, result.out + result.err
    assert "held back: ok" in result.out


@pytest.mark.slow  # the whole of `pressroom check`: EPUBCheck (a JVM) on every EPUB
def test_check_catches_a_leaked_embargo(before: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    shutil.copytree(before, dist)
    shutil.copytree(before.parent / "held", dist.parent / "held")
    shutil.copy(dist.parent / "held" / f"{EMBARGOED}.pdf", dist / "pdf" / f"{EMBARGOED}.pdf")
    result = run("--source", str(NEWSROOM), "--styles", str(ROOT / "styles"), "check",
                 "--dist", str(dist), "--now", BEFORE)
    assert result.code == 4
    assert f"{EMBARGOED} is not public but has a public pdf output" in result.err


def test_rss_dates_are_rfc_822(before: Path) -> None:
    rss = etree.parse(str(before / "feed" / "rss.xml")).getroot()
    for date in rss.iter("pubDate"):
        assert email.utils.parsedate_to_datetime(date.text).tzinfo is not None
