"""Content is data, never code: hostile text in every field comes out as text in every output.

A source set whose every text field (headline, summary, keywords, people, places, byline,
dateline, contacts, boilerplate, body) carries script, event handlers, tag-breaking quotes,
entity tricks, `</style>` and CSS injection is built in full. No output may carry a <script>
element, an on* attribute or a javascript:/vbscript:/data: URL: the web pages and the EPUB's
XHTML are parsed as XML and searched with XPath, the feeds are read by feedparser with its
sanitizer *off* (what a reader that trusts them would render) and their HTML parsed, and the
PDF's objects are searched for actions. The hostile text itself must still be there, as text.

Links in the body are kept only for http, https, mailto and tel; any other is an error.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pikepdf
import pytest
import yaml
from lxml import etree

from .conftest import FIXTURES, ROOT, Built, build, build_ok, run

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
ENTITIES = "&lt;script&gt;alert(2)&lt;/script&gt; &#60;script&#62;alert(3)&#60;/script&#62;"
STYLE = "</style><script>alert(4)</script>"
CSS = ("x{} </style><style>body{background:url(javascript:alert(5))}</style>"
       " @import 'javascript:alert(6)';")
BREAKERS = "</title></textarea>]]><!-- --><script>alert(7)</script>"
ALL = (SCRIPT, IMG, SVG, ENTITIES, STYLE, CSS, BREAKERS)
LINE = " ".join(ALL)

BODY = f"""\
Opening {SCRIPT} and {IMG} and {SVG} in a paragraph.

## Heading {SCRIPT}

Entities: {ENTITIES}.

Style: {STYLE} and {CSS}.

Breakers: {BREAKERS}

A `{SCRIPT}` code span and a kept [link](https://ok.example/"onmouseover="alert(8) "title {SVG}").

```html
{SCRIPT}
{IMG}
```

> Quoted {IMG}

- item {SVG}
- [mail](mailto:press@example.org?subject={SCRIPT}) and [call](tel:+41229170000)

<https://ok.example/?q=<script>>
"""

SLUG = "2026-04-01-hostile"
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")


@dataclass
class Hostile:
    source: Path
    dist: Path


def _publication() -> dict[str, Any]:
    data = yaml.safe_load((FIXTURES / "site" / "publication.yaml").read_text(encoding="utf-8"))
    data["boilerplate"]["hostile"] = f"Boilerplate {LINE}\n\nSecond paragraph {SCRIPT}."
    data["contacts"] = [{"name": f"Desk {SCRIPT}", "role": IMG, "organization": SVG}]
    return data


def _front_matter() -> dict[str, Any]:
    return {
        "id": "tag:press.example.org,2026-04-01:ero/hostile",
        "kind": "press-release",
        "headline": f"Headline {LINE}",
        "summary": f"Summary {LINE}",
        "published": "2026-04-01T09:00:00+02:00",
        "language": "en",
        "publisher": f"Publisher {SCRIPT} {SVG}",
        "byline": f"Byline {IMG} {SVG}",
        "dateline": {"place": f"GENEVA {SCRIPT} {SVG}"},
        "based_on": {"publisher": f"Origin {SCRIPT}", "title": f"Title {SVG} {STYLE}",
                     "kind": IMG, "url": "https://ok.example/'onmouseover='alert(9)'"},
        "people": [SCRIPT, IMG, SVG],
        "places": [STYLE, CSS],
        "keywords": [SCRIPT, IMG, SVG, ENTITIES, STYLE, CSS, BREAKERS],
        "contacts": [{"name": f"Ana {SCRIPT}", "role": IMG, "organization": f"{SVG} {CSS}",
                      "email": 'ana+test@example.org'}],
        "boilerplate": ["hostile", "about"],
    }


def write_source(folder: Path, front: dict[str, Any], body: str, slug: str = SLUG) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "publication.yaml").write_text(
        yaml.safe_dump(_publication(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    path = folder / f"{slug}.md"
    path.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
                    + "---\n\n" + body, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    root = tmp_path_factory.mktemp("hostile")
    write_source(root / "source", _front_matter(), BODY)
    build_ok(root / "source", root / "dist")
    return Hostile(root / "source", root / "dist")


# --- what must not be in a tree -------------------------------------------------------------------


def _dangerous_url(value: str) -> bool:
    squeezed = re.sub(r"[\x00-\x20]+", "", value).lower()
    return squeezed.startswith(DANGEROUS_SCHEMES)


def json_ld(element: Any) -> bool:
    """A JSON-LD data block (browsers never run it) holding valid JSON with no markup."""
    if element.get("type") != "application/ld+json" or len(element):
        return False
    text = element.text or ""
    try:
        json.loads(text)
    except ValueError:
        return False
    return "<" not in text and ">" not in text


def active_content(tree: Any) -> list[str]:
    """Script elements, on* attributes, dangerous URLs and style injection, as descriptions."""
    found = [f"<{e.tag}>" for e in tree.xpath(
        "//*[translate(local-name(), 'SCRIPT', 'script') = 'script'"
        " or local-name() = 'iframe' or local-name() = 'object' or local-name() = 'embed'"
        " or local-name() = 'svg' or local-name() = 'img' or local-name() = 'style'"
        " or local-name() = 'base' or local-name() = 'form']") if not json_ld(e)]
    found += [f"@{a.attrname}" for a in tree.xpath(
        "//@*[starts-with(translate(local-name(), 'ON', 'on'), 'on')]")]
    found += [f"@{a.attrname}={a}" for a in tree.xpath("//@*") if _dangerous_url(str(a))]
    found += [f"@style={a}" for a in tree.xpath("//@style")]
    found += [f"meta refresh {e.get('content')}" for e in tree.xpath(
        "//*[local-name()='meta'][translate(@http-equiv, 'REFSH', 'refsh')='refresh']")]
    return found


def parse_xml(data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser).getroottree()


def parse_html(fragment: str) -> Any:
    return lxml.html.fromstring(f"<div>{fragment}</div>").getroottree()


def text_of(tree: Any) -> str:
    return " ".join("".join(tree.getroot().itertext()).split())


def straight(text: str) -> str:
    """Typographic quotes made straight again (the typographer curls the hostile quotes)."""
    return re.sub("[\u201c\u201d\u201e]", '"', re.sub("[\u2018\u2019]", "'", text))


# --- web pages ------------------------------------------------------------------------------------


def web_pages(hostile: Hostile) -> list[Path]:
    return [hostile.dist / "releases" / f"{SLUG}.html", hostile.dist / "index.html"]


def test_web_pages_carry_no_active_content(hostile: Hostile) -> None:
    for page in web_pages(hostile):
        tree = parse_xml(page.read_bytes())
        assert active_content(tree) == [], page.name


def test_web_page_shows_the_hostile_text_as_text(hostile: Hostile) -> None:
    tree = parse_xml((hostile.dist / "releases" / f"{SLUG}.html").read_bytes())
    h1 = tree.xpath("//*[local-name()='h1']")
    assert len(h1) == 1
    assert SCRIPT in h1[0].xpath("string()")
    assert IMG in h1[0].xpath("string()")
    title = tree.xpath("string(//*[local-name()='title'])")
    assert SCRIPT in title and STYLE in title
    text = straight(text_of(tree))
    for needle in (SCRIPT, IMG, SVG, STYLE, CSS, f"Ana {SCRIPT}",
                   "<script>alert(2)</script>", "Second paragraph <script>alert(1)</script>."):
        assert needle in text
    keywords = tree.xpath("string(//*[local-name()='meta'][@name='keywords']/@content)")
    assert SCRIPT in keywords and ENTITIES in keywords


def test_kept_links_are_the_allowed_ones(hostile: Hostile) -> None:
    tree = parse_xml((hostile.dist / "releases" / f"{SLUG}.html").read_bytes())
    hrefs = tree.xpath("//*[local-name()='a']/@href")
    assert any(h.startswith("https://ok.example/") for h in hrefs)
    assert any(h.startswith("mailto:press@example.org") for h in hrefs)
    assert "tel:+41229170000" in hrefs
    for href in hrefs:
        assert href.split(":", 1)[0] in ("https", "http", "mailto", "tel") or not re.match(
            r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href), href


# --- feeds ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_feed_xml_carries_no_active_content(hostile: Hostile, name: str) -> None:
    tree = parse_xml((hostile.dist / "feed" / name).read_bytes())
    assert active_content(tree) == []


def _html_values(entry: Any) -> list[tuple[str, str]]:
    """(where, HTML) of every entry value a reader renders as HTML, after unescaping.

    A text/plain value (the Atom title, type="text") is shown as text by a conforming reader,
    so it cannot carry an element, whatever characters it holds.
    """
    values: list[tuple[str, str]] = []
    for key in ("title_detail", "summary_detail"):
        detail = entry.get(key)
        if detail is not None and detail.type != "text/plain":
            values.append((key, detail.value))
    values += [(f"content[{i}]", c.value) for i, c in enumerate(entry.get("content", []))]
    return values


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_feed_entries_carry_no_active_content_after_unescaping(hostile: Hostile,
                                                               name: str) -> None:
    """Every title, summary and content value, as an unsanitizing reader would render it."""
    parsed = feedparser.parse((hostile.dist / "feed" / name).read_bytes(), sanitize_html=False,
                              resolve_relative_uris=False)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    (entry,) = parsed.entries
    for where, value in _html_values(entry):
        assert active_content(parse_html(value)) == [], (name, where, value[:200])
    feed_values = [("feed.title", parsed.feed.get("title", "")),
                   ("feed.subtitle", parsed.feed.get("subtitle", ""))]
    for where, value in feed_values:
        assert active_content(parse_html(value)) == [], where
    links = [link.get("href", "") for link in entry.get("links", [])] + [entry.get("link", "")]
    links += [entry.get("id", "")]
    assert not any(_dangerous_url(link) for link in links), links


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_feed_keeps_the_hostile_text_as_text(hostile: Hostile, name: str) -> None:
    parsed = feedparser.parse((hostile.dist / "feed" / name).read_bytes(), sanitize_html=False,
                              resolve_relative_uris=False)
    (entry,) = parsed.entries
    content = straight(text_of(parse_html(entry.content[0].value)))
    for needle in (SCRIPT, IMG, SVG, STYLE, CSS, "<script>alert(2)</script>"):
        assert needle in content
    summary = entry.summary_detail
    shown = text_of(parse_html(summary.value)) if summary.type == "text/html" else summary.value
    assert SCRIPT in straight(shown)
    assert {t.term for t in entry.tags} >= {SCRIPT, IMG, SVG}


# --- EPUB -----------------------------------------------------------------------------------------


def epub_xml(hostile: Hostile) -> dict[str, bytes]:
    with zipfile.ZipFile(hostile.dist / "epub" / f"{SLUG}.epub") as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.endswith((".xhtml", ".html", ".opf", ".ncx", ".xml"))}


def test_epub_documents_carry_no_active_content(hostile: Hostile) -> None:
    files = epub_xml(hostile)
    assert {"EPUB/text.xhtml", "EPUB/nav.xhtml", "EPUB/content.opf"} <= set(files)
    for name, data in files.items():
        tree = parse_xml(data)
        assert active_content(tree) == [], name
        if name.endswith(".xhtml"):
            assert not tree.xpath("//*[local-name()='a']/@href[starts-with(., 'javascript')]")


def test_epub_keeps_the_hostile_text_as_text(hostile: Hostile) -> None:
    files = epub_xml(hostile)
    text = straight(text_of(parse_xml(files["EPUB/text.xhtml"])))
    for needle in (SCRIPT, IMG, SVG, STYLE, CSS, "<script>alert(2)</script>"):
        assert needle in text
    opf = parse_xml(files["EPUB/content.opf"])
    title = opf.xpath("string(//*[local-name()='title'])")
    assert SCRIPT in title and IMG in title


def test_epub_has_no_scripted_property(hostile: Hostile) -> None:
    opf = epub_xml(hostile)["EPUB/content.opf"].decode("utf-8")
    assert "scripted" not in opf


# --- PDF ------------------------------------------------------------------------------------------


PDF_ACTION_KEYS = ("/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/SubmitForm",
                   "/ImportData", "/RichMedia", "/EmbeddedFile", "/EmbeddedFiles", "/XFA")
PDF_ACTION_TYPES = ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
                    "/Rendition", "/Movie", "/Sound", "/Hide", "/SetOCGState")


def pdf_walk(pdf: Any) -> list[Any]:
    """Every dictionary in the PDF, direct ones inside others included (link actions are)."""
    found: list[Any] = []
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [pdf.trailer, *pdf.objects]
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            continue  # names, numbers, strings
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            found.append(obj)
            stack.extend(obj[key] for key in obj if key != "/Parent")
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)
    return found


def pdf_actions(pdf: Any) -> list[str]:
    found: list[str] = []
    for obj in pdf_walk(pdf):
        found += [f"{key} in {dict(obj) if not obj.is_indirect else obj.objgen}"
                  for key in PDF_ACTION_KEYS if key in obj]
        if obj.get("/S") in PDF_ACTION_TYPES:
            found.append(f"/S {obj.get('/S')}")
        uri = obj.get("/URI")
        if uri is not None and _dangerous_url(str(uri)):
            found.append(f"/URI {uri}")
    return found


def test_pdf_has_no_script_or_actions(hostile: Hostile) -> None:
    with pikepdf.open(hostile.dist / "pdf" / f"{SLUG}.pdf") as pdf:
        assert pdf_actions(pdf) == []
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        assert "/AcroForm" not in pdf.Root
        names = pdf.Root.get("/Names")
        assert names is None or "/JavaScript" not in names
        for page in pdf.pages:
            assert "/AA" not in page.obj
        actions = [o for o in pdf_walk(pdf) if o.get("/S") is not None and "/URI" in o]
        uris = [str(o["/URI"]) for o in actions]
        assert "tel:+41229170000" in uris  # the walk does reach the link actions
        assert all(o["/S"] == "/URI" for o in actions)
        assert all(u.startswith(("https:", "http:", "mailto:", "tel:")) for u in uris), uris
        assert SCRIPT in str(pdf.docinfo.get("/Title", ""))
        raw = (hostile.dist / "pdf" / f"{SLUG}.pdf").read_bytes()
        assert b"/JavaScript" not in raw and b"/JS " not in raw and b"/OpenAction" not in raw


def test_pdf_keeps_the_hostile_text_as_text(hostile: Hostile) -> None:
    from pressroom.checks.pdf import extract_text

    text = straight(" ".join(extract_text(hostile.dist / "pdf" / f"{SLUG}.pdf").split()))
    for needle in (SCRIPT, "<img src=x", "<script>alert(2)</script>"):
        assert needle in text


# --- links in the body ----------------------------------------------------------------------------


REFUSED = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](javascript&colon;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java%0Ascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/)",
    "[x](relative/page.html)",
    "[x][ref]",  # with `[ref]: javascript:alert(1)` defined below the paragraph
]
KEPT = [
    ("[x](https://ok.example)", "https://ok.example"),
    ("[x](http://ok.example/a?b=c&d=e)", "http://ok.example/a?b=c&d=e"),
    ("[x](mailto:press@example.org)", "mailto:press@example.org"),
    ("[x](tel:+41229170000)", "tel:+41229170000"),
    ("<https://ok.example/auto>", "https://ok.example/auto"),
    ("<press@example.org>", "mailto:press@example.org"),
]
PLAIN_FRONT = {
    "id": "tag:press.example.org,2026-04-02:ero/links",
    "headline": "Links",
    "summary": "Which links are kept.",
    "published": "2026-04-02",
    "language": "en",
}


@pytest.mark.parametrize("link", REFUSED)
def test_refused_link_is_an_error(tmp_path: Path, link: str) -> None:
    body = f"A first paragraph.\n\nA paragraph with {link} in it.\n\nA last paragraph.\n"
    marker = "A paragraph with"
    if link == "[x][ref]":
        body += "\n[ref]: javascript:alert(1)\n"
        marker = "[ref]: javascript"  # the line that spells the refused address
    path = write_source(tmp_path / "source", PLAIN_FRONT, body, slug="2026-04-02-links")
    lines = path.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith(marker))
    dist = tmp_path / "dist"
    for argv in (["check"], ["build", "--dist", str(dist), "--format", "html"]):
        result = run("--source", str(path.parent), "--styles", str(ROOT / "styles"), *argv)
        assert result.code == 2, (argv, result.err)
        assert result.err.splitlines() == [
            f"{path}:{line}: body: a link was not kept: only absolute http, https, mailto and "
            "tel addresses are allowed"], argv
        assert "Traceback" not in result.err
    assert not dist.exists()


@pytest.mark.parametrize(("link", "href"), KEPT)
def test_allowed_link_is_kept(tmp_path: Path, link: str, href: str) -> None:
    path = write_source(tmp_path / "source", PLAIN_FRONT, f"See {link} now.\n",
                        slug="2026-04-02-links")
    build_ok(path.parent, tmp_path / "dist", "--format", "html,feed")
    page = parse_xml((tmp_path / "dist" / "releases" / "2026-04-02-links.html").read_bytes())
    body = page.xpath("//*[@class='body']")[0]
    assert body.xpath(".//*[local-name()='a']/@href") == [href]
    atom = feedparser.parse((tmp_path / "dist" / "feed" / "atom.xml").read_bytes(),
                            sanitize_html=False)
    content = parse_html(atom.entries[0].content[0].value)
    assert href in content.xpath("//a/@href")


def test_raw_html_in_the_body_is_shown_not_passed(tmp_path: Path) -> None:
    """Raw HTML blocks and inline HTML are text; the build succeeds."""
    body = f"<div onclick=alert(1)>\n{SCRIPT}\n</div>\n\nInline <b onmouseover=alert(1)>b</b>.\n"
    path = write_source(tmp_path / "source", PLAIN_FRONT, body, slug="2026-04-02-links")
    build_ok(path.parent, tmp_path / "dist", "--format", "html")
    tree = parse_xml((tmp_path / "dist" / "releases" / "2026-04-02-links.html").read_bytes())
    assert active_content(tree) == []
    assert not tree.xpath("//*[local-name()='div'][@onclick] | //*[local-name()='b']")
    text = text_of(tree)
    assert "<div onclick=alert(1)>" in text and SCRIPT in text
    assert "<b onmouseover=alert(1)>b</b>" in text


def test_the_test_site_build_carries_no_active_content(site_build: Built) -> None:
    """The test site's water-rights release has <script> in its headline, summary and body."""
    source = (FIXTURES / "site" / "2026-03-10-water-rights.md").read_text(encoding="utf-8")
    assert SCRIPT in source
    pages = [*sorted((site_build.dist / "releases").glob("*.html")),
             site_build.dist / "index.html"]
    assert len(pages) == 3
    for page in pages:
        assert active_content(parse_xml(page.read_bytes())) == [], page.name
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((site_build.dist / "feed" / name).read_bytes(),
                                  sanitize_html=False)
        for entry in parsed.entries:
            for where, value in _html_values(entry):
                assert active_content(parse_html(value)) == [], (name, where)


# --- the detectors themselves ---------------------------------------------------------------------


def test_the_detectors_see_active_content() -> None:
    """Guard against vacuous passes: what the tests above look for is found when present."""
    page = parse_xml(b'<html xmlns="http://www.w3.org/1999/xhtml"><body>'
                     b'<a href=" JaVa\tScript:x()" onClick="y()">a</a><SCRIPT>z()</SCRIPT>'
                     b'<p style="background:url(x)">p</p><svg xmlns="http://www.w3.org/2000/svg"/>'
                     b"</body></html>")
    found = active_content(page)
    assert "<{http://www.w3.org/1999/xhtml}SCRIPT>" in found
    assert "@onClick" in found
    assert any(f.startswith("@href=") for f in found)
    assert any(f.startswith("@style=") for f in found)
    assert "<{http://www.w3.org/2000/svg}svg>" in found
    assert active_content(parse_html("x <img src=x onerror=alert(1)> y"))
    assert not active_content(parse_html("x &lt;img src=x onerror=alert(1)&gt; y"))

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="javascript:alert(1)"))]))
    found = pdf_actions(pdf)
    assert any(f.startswith("/OpenAction") for f in found)
    assert "/S /JavaScript" in found
    assert "/URI javascript:alert(1)" in found


# --- hostile values that get through the loader ---------------------------------------------------


def _build_probe(tmp_path: Path, front: dict[str, Any], formats: str) -> tuple[Any, Path]:
    path = write_source(tmp_path / "source", {**PLAIN_FRONT, **front}, "The body.\n",
                        slug="2026-04-02-links")
    result = build(path.parent, tmp_path / "dist", "--format", formats)
    return result, tmp_path / "dist"


def test_a_contact_email_is_a_valid_url_or_refused(tmp_path: Path) -> None:
    result, dist = _build_probe(tmp_path, {"contacts": [
        {"name": "Ana", "email": 'x"onmouseover="alert(10)@example.org'}]}, "html")
    if result.code != 0:
        assert result.code == 2 and "email" in result.err
        return
    page = parse_xml((dist / "releases" / "2026-04-02-links.html").read_bytes())
    mailtos = page.xpath("//*[local-name()='a']/@href[starts-with(., 'mailto:')]")
    assert mailtos
    for href in mailtos:
        assert not re.search(r"[\"<>\\\s`{}|^]", href), href


def test_an_id_with_a_script_scheme_is_refused(tmp_path: Path) -> None:
    result, dist = _build_probe(tmp_path, {"id": "javascript:alert(1)"}, "feed")
    assert result.code == 2, f"accepted; wrote {sorted(p.name for p in dist.rglob('*.xml'))}"
    assert ": id: " in result.err
