"""Contacts as releases have them (an office without a person, labelled phones and e-mails, a
postal address, a note) and datelines per house style (agency, no date, CJK forms) reach every
format: the web page, the PDF's text, the EPUB, the Atom feed, the ninjs item and the JSON-LD.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pressroom.checks.pdf import extract_text

from .conftest import FIXTURES, build_ok

SLUGS = {"office": "2026-05-04-office-en", "undated": "2026-05-05-nairobi-en",
         "zh": "2026-05-04-water-zh", "ar": "2026-05-04-water-ar"}
OFFICE = """\
dateline:
  place: GENEVA
  agency: ICRC
  date: false
contacts:
  - organization: ICRC Media Centre
    phones:
      - label: Mobile
        number: +41 79 217 32 64
      - label: Switchboard
        number: +41 (0)22 917 9000
    emails:
      - label: Newsroom
        address: press@icrc.example.org
    address: |
      19 avenue de la Paix
      1202 Geneva
    note: E-mail for the quickest response
"""
UNDATED = "dateline:\n  place: NAIROBI\n  date: false\n"
ZH = "dateline:\n  place: 日内瓦\n  agency: 红十字国际委员会\n"
AR = """\
dateline:
  place: جنيف
contacts:
  - name: سلمى مثال
    role: المتحدثة الرسمية
    phones:
      - label: الهاتف المحمول
        number: +41 79 217 32 64
"""


def _release(slug: str, language: str, headline: str, summary: str, front: str) -> str:
    return (f"---\nid: tag:press.example.org,2026:ero/{slug}\nheadline: {headline}\n"
            f"summary: {summary}\npublished: 2026-05-04T10:00:00+02:00\n"
            f"language: {language}\n{front}---\n\nThe body of the release.\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("contacts")
    source = root / "source"
    source.mkdir()
    shutil.copy(FIXTURES / "languages" / "publication.yaml", source / "publication.yaml")
    (source / f"{SLUGS['office']}.md").write_text(_release(
        SLUGS["office"], "en", "Aid reaches the valley", "Aid reached the valley today.",
        OFFICE), encoding="utf-8")
    (source / f"{SLUGS['undated']}.md").write_text(_release(
        SLUGS["undated"], "en", "Talks resume", "Talks resumed today.", UNDATED),
        encoding="utf-8")
    for lang, front in (("zh", ZH), ("ar", AR)):
        text = (FIXTURES / "languages" / f"{SLUGS[lang]}.md").read_text(encoding="utf-8")
        text = re.sub(r"^translation_group:.*\n", "", text, flags=re.MULTILINE)
        text = re.sub(r"^dateline:\n(?:  .*\n)+", front, text, flags=re.MULTILINE)
        (source / f"{SLUGS[lang]}.md").write_text(text, encoding="utf-8")
    dist = root / "dist"
    build_ok(source, dist)
    return dist


def _page_text(built: Path, slug: str) -> str:
    return _xhtml_text((built / "releases" / f"{slug}.html").read_bytes())


def _xhtml_text(data: bytes) -> str:
    root = etree.fromstring(data)
    for script in root.xpath("//*[local-name()='script']"):
        script.getparent().remove(script)
    return " ".join("".join(root.itertext()).split())


def _epub_text(built: Path, slug: str) -> str:
    with zipfile.ZipFile(built / "epub" / f"{slug}.epub") as book:
        return " ".join(_xhtml_text(book.read(name)) for name in book.namelist()
                        if name.endswith(".xhtml") and "nav" not in name)


def _atom_entry(built: Path, slug: str) -> str:
    root = etree.parse(str(built / "feed" / "atom.xml")).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    (entry,) = [e for e in root.findall("a:entry", ns)
                if any(link.get("href", "").endswith(f"/{slug}.html")
                       for link in e.findall("a:link", ns))]
    html = entry.findtext("a:content", namespaces=ns)
    return _xhtml_text(f"<div>{html}</div>".encode())


def _ninjs(built: Path, slug: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (built / "ninjs" / f"{slug}.json").read_text(encoding="utf-8"))
    return data


def _pdf_text(built: Path, slug: str) -> str:
    return " ".join(extract_text(built / "pdf" / f"{slug}.pdf").split())


def _every_format(built: Path, slug: str) -> dict[str, str]:
    ninjs = _ninjs(built, slug)
    bodies = ninjs["bodies"]
    assert isinstance(bodies, list)
    return {"page": _page_text(built, slug), "pdf": _pdf_text(built, slug),
            "epub": _epub_text(built, slug), "atom": _atom_entry(built, slug),
            "ninjs": _xhtml_text(f"<div>{bodies[0]['value']}</div>".encode())}


OFFICE_TEXTS = ["ICRC Media Centre", "Mobile: +41 79 217 32 64",
                "Switchboard: +41 (0)22 917 9000", "Newsroom: press@icrc.example.org",
                "19 avenue de la Paix", "1202 Geneva", "E-mail for the quickest response",
                "GENEVA (ICRC) – Aid reached the valley today."]


@pytest.mark.parametrize("fmt", ["page", "pdf", "epub", "atom", "ninjs"])
def test_an_office_contact_and_an_agency_dateline_reach_every_format(built: Path,
                                                                      fmt: str) -> None:
    text = _every_format(built, SLUGS["office"])[fmt]
    for expected in OFFICE_TEXTS:
        assert expected in text, (fmt, expected)
    assert "(4 May 2026)" not in text  # `date: false`: the date stands on its own line


@pytest.mark.parametrize("fmt", ["page", "pdf", "epub", "atom", "ninjs"])
def test_a_dateline_without_date_reaches_every_format(built: Path, fmt: str) -> None:
    assert "NAIROBI – Talks resumed today." in _every_format(built, SLUGS["undated"])[fmt]


@pytest.mark.parametrize("fmt", ["page", "pdf", "epub", "atom", "ninjs"])
def test_chinese_dateline_is_full_width_with_no_latin_space(built: Path, fmt: str) -> None:
    text = _every_format(built, SLUGS["zh"])[fmt].replace(" ", "")  # pdftotext adds spaces
    assert "日内瓦（红十字国际委员会，2026年5月4日）——" in text
    raw = (built / "releases" / f"{SLUGS['zh']}.html").read_text(encoding="utf-8")
    assert re.search(r"——</span>[^ ]", raw), "a Latin space after the Chinese dash"


def test_the_date_stands_alone_when_the_dateline_has_none(built: Path) -> None:
    page = etree.parse(str(built / "releases" / f"{SLUGS['undated']}.html")).getroot()
    (line,) = page.xpath("//*[local-name()='p'][@class='dateline']")
    assert "".join(line.itertext()).strip() == "4 May 2026"


def test_phone_links_are_e164_and_run_left_to_right(built: Path) -> None:
    page = etree.parse(str(built / "releases" / f"{SLUGS['office']}.html")).getroot()
    contacts = "//*[local-name()='section'][@class='contacts']//*[local-name()='a']"
    links = {a.text: (a.get("href"), a.get("dir")) for a in page.xpath(contacts)}
    assert links["+41 (0)22 917 9000"] == ("tel:+41229179000", "ltr")
    assert links["+41 79 217 32 64"] == ("tel:+41792173264", "ltr")
    assert links["press@icrc.example.org"] == ("mailto:press@icrc.example.org", "ltr")


def test_arabic_contact_numbers_are_isolated_left_to_right(built: Path) -> None:
    page = etree.parse(str(built / "releases" / f"{SLUGS['ar']}.html")).getroot()
    (link,) = page.xpath("//*[local-name()='a'][starts-with(@href, 'tel:')]")
    assert (link.get("dir"), link.text) == ("ltr", "+41 79 217 32 64")
    assert "الهاتف المحمول: +41 79 217 32 64" in _page_text(built, SLUGS["ar"])
    assert "+41 79 217 32 64" in _pdf_text(built, SLUGS["ar"])


@pytest.mark.parametrize(("key", "dateline", "located"), [
    ("office", "GENEVA (ICRC)", "GENEVA"),
    ("undated", "NAIROBI", "NAIROBI"),
    ("zh", "日内瓦（红十字国际委员会，2026年5月4日）", "日内瓦"),
    ("ar", "جنيف (4 مايو 2026)", "جنيف"),
])
def test_json_ld_dateline_and_ninjs_located(built: Path, key: str, dateline: str,
                                            located: str) -> None:
    page = (built / "releases" / f"{SLUGS[key]}.html").read_text(encoding="utf-8")
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert json.loads(data)["dateline"] == dateline
    assert _ninjs(built, SLUGS[key])["located"] == located
