"""The structure of a release survives into every format: numbered paragraphs keep their
numbers across headings (the PDF too, where WeasyPrint ignores <ol start>), and headings
keep a descending hierarchy."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from pressroom.checks.pdf import extract_text

from .conftest import FIXTURES, ROOT, Built, run

BODY = """Paragraphs are numbered, as UN releases number them.

2. The second paragraph of the statement.

## Background

3. The third paragraph, after a heading.

4. The fourth paragraph.

### Detail

A detail under a third-level heading.

Members of the panel

| Member | Designation | Term |
|:--|:--|--:|
| Ana Example | Chair | 2024–2027 |
| Li Example | Rapporteur | 2025–2028 |

The Council:

a. decides to act on the report;

b. requests the Secretary-General:

    i. to report within 90 days;

    ii. to consult the States concerned;

c. remains seized of the matter.

(a) a point in parentheses;
(b) another point.

The Council acted under resolution 2231 (2015).[^res] The panel reported in May.[^url]

The resolution is cited again.[^res]

![A water point in a village square](images/water-point.jpg "The water point, rebuilt in 2025.")

[^res]: Security Council resolution 2231 (2015), adopted unanimously.
[^url]: https://www.un.org/securitycouncil/content/2231/background
"""
CELLS = ["Member", "Designation", "Term", "Ana Example", "Chair", "2024–2027", "Li Example",
         "Rapporteur", "2025–2028"]


@pytest.fixture(scope="module")
def numbered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("numbered") / "source"
    shutil.copytree(FIXTURES / "site", source)
    shutil.copytree(FIXTURES / "newsroom" / "images", source / "images")
    note = source / "2026-02-01-short-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "The whole of the note's body.", BODY), encoding="utf-8")
    dist = source.parent / "dist"
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--quiet")
    assert result.code == 0, result.err
    return dist


def test_pdf_keeps_paragraph_numbers_across_headings(numbered: Path) -> None:
    text = extract_text(numbered / "pdf" / "2026-02-01-short-note.pdf")
    numbers = re.findall(r"^\s*(\d+)\.\s+The (?:second|third|fourth)", text, re.MULTILINE)
    assert numbers == ["2", "3", "4"], text


@pytest.mark.parametrize("output", ["releases/2026-02-01-short-note.html", "feed/atom.xml"])
def test_html_outputs_keep_the_start_numbers(numbered: Path, output: str) -> None:
    data = (numbered / output).read_text(encoding="utf-8").replace("&lt;", "<").replace(
        "&quot;", '"')
    assert re.findall(r'<ol start="(\d+)"', data) == ["2", "3"]


def test_epub_keeps_the_start_numbers(numbered: Path) -> None:
    with zipfile.ZipFile(numbered / "epub" / "2026-02-01-short-note.epub") as book:
        text = book.read("EPUB/text.xhtml").decode("utf-8")
    assert re.findall(r'<ol start="(\d+)"', text) == ["2", "3"]
    assert 'style="counter-reset' not in text  # only the PDF needs it


def test_headings_descend_in_size() -> None:
    base = (ROOT / "styles" / "base.css").read_text(encoding="utf-8")
    sizes = {level: float(re.search(rf"\.release (?:\.body )?{level} {{ font-size: ([\d.]+)em",
                                    base).group(1)) for level in ("h2", "h3", "h4")}
    assert sizes["h2"] > sizes["h3"] > sizes["h4"]


def _cells(xhtml: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", xhtml, re.S)]


def test_the_table_reaches_the_page_epub_and_feeds(numbered: Path) -> None:
    page = (numbered / "releases" / "2026-02-01-short-note.html").read_text(encoding="utf-8")
    assert _cells(page) == CELLS
    assert 'class="align-right">Term' in page and "style=" not in page.split("<body")[1]
    with zipfile.ZipFile(numbered / "epub" / "2026-02-01-short-note.epub") as book:
        assert _cells(book.read("EPUB/text.xhtml").decode("utf-8")) == CELLS
    atom = (numbered / "feed" / "atom.xml").read_text(encoding="utf-8")
    import html

    assert CELLS[3] in html.unescape(atom) and "<th" in html.unescape(atom)


def test_the_table_is_tagged_with_header_scope_in_the_pdf(numbered: Path) -> None:
    import pikepdf

    text = extract_text(numbered / "pdf" / "2026-02-01-short-note.pdf")
    for cell in CELLS:
        assert cell in text
    with pikepdf.open(numbered / "pdf" / "2026-02-01-short-note.pdf") as pdf:
        scopes = [str(o.A.Scope) for o in pdf.objects
                  if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/TH"]
        kinds = {str(o.S) for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and "/S" in o and "/P" in o}
    assert scopes == ["/Column"] * 3
    assert {"/Table", "/TR", "/TH", "/TD"} <= kinds


NOTES = ["Security Council resolution 2231 (2015), adopted unanimously.",
         "https://www.un.org/securitycouncil/content/2231/background"]


def test_footnotes_sit_at_the_foot_of_the_pdf_page(numbered: Path) -> None:
    text = extract_text(numbered / "pdf" / "2026-02-01-short-note.pdf")
    assert "(2015).1 The panel reported in May.2" in " ".join(text.split())
    assert "The resolution is cited again.1" in text
    for number, note in enumerate(NOTES, 1):
        assert f"{number}. {note}" in text  # once each, at the page foot
        assert text.count(note) == 1
    assert "[^" not in text and "\u2191" not in text


def test_footnotes_are_endnotes_with_back_links_on_the_page(numbered: Path) -> None:
    page = (numbered / "releases" / "2026-02-01-short-note.html").read_text(encoding="utf-8")
    assert 'role="doc-endnotes"' in page and page.count('role="doc-backlink"') == 3
    assert 'href="#fn-2026-02-01-short-note-1"' in page
    for note in NOTES:
        assert note in page


def test_footnotes_are_epub_notes(numbered: Path) -> None:
    with zipfile.ZipFile(numbered / "epub" / "2026-02-01-short-note.epub") as book:
        text = book.read("EPUB/text.xhtml").decode("utf-8")
    assert 'xmlns:epub="http://www.idpf.org/2007/ops"' in text
    assert text.count('epub:type="noteref"') == 3 and text.count('epub:type="endnotes"') == 1
    for note in NOTES:
        assert note in text


def test_the_release_is_checked_block_by_block(numbered: Path) -> None:
    from pressroom.checks.text import coverage as _coverage
    from pressroom.checks.text import markup_text as _text
    from pressroom.load.site import load_site
    from pressroom.prepare.document import prepare

    source = numbered.parent / "source"
    doc = next(d for d in prepare(load_site(source))
               if d.release.slug == "2026-02-01-short-note")
    pdf_text = extract_text(numbered / "pdf" / "2026-02-01-short-note.pdf")
    assert _coverage(doc, pdf_text, "pdf") == []
    page = (numbered / "releases" / "2026-02-01-short-note.html").read_text(encoding="utf-8")
    body = page[page.index("<article"):page.index("</article>") + len("</article>")]
    assert _coverage(doc, _text(body), "page") == []
    # one dropped cell, footnote or number is seen
    for dropped in ("Rapporteur", NOTES[1], "2024–2027"):
        assert _coverage(doc, pdf_text.replace(dropped, ""), "pdf") != []


def test_the_seed_brief_is_fitted_on_one_page(seed_build: Built) -> None:
    """Its closing block (source line, web address, QR code) once sat alone on a second
    sheet; a brief that spills a few lines is set tighter when that saves the page."""
    import pikepdf

    with pikepdf.open(seed_build.dist / "pdf" / "2017-01-25-mexico-defenders.pdf") as pdf:
        assert len(pdf.pages) == 1
    text = extract_text(seed_build.dist / "pdf" / "2017-01-25-mexico-defenders.pdf")
    assert "Online: https://" in text


def test_a_headline_never_ends_on_a_lone_word() -> None:
    from pressroom.render.pdfwriter import no_lone_word

    assert no_lone_word("<h1>Fighting impunity – UN expert</h1>") == \
        '<h1>Fighting impunity – <span class="keep">UN expert</span></h1>'
    assert no_lone_word("<h1>Alone</h1>") == "<h1>Alone</h1>"


def test_lettered_and_roman_lists_keep_their_markers(numbered: Path) -> None:
    page = (numbered / "releases" / "2026-02-01-short-note.html").read_text(encoding="utf-8")
    assert re.findall(r"<ol[^>]*>", page)[2:5] == [
        '<ol type="a">', '<ol type="i">', '<ol type="a" class="marker-parens">']
    with zipfile.ZipFile(numbered / "epub" / "2026-02-01-short-note.epub") as book:
        assert '<ol type="i">' in book.read("EPUB/text.xhtml").decode("utf-8")
    text = " ".join(extract_text(numbered / "pdf" / "2026-02-01-short-note.pdf").split())
    for marker, words in (("a.", "decides to act"), ("b.", "requests the"),
                          ("i.", "to report within"), ("ii.", "to consult"),
                          ("c.", "remains seized"), ("(a)", "a point in"),
                          ("(b)", "another point")):
        assert f"{marker} {words}" in text, marker


@pytest.mark.parametrize(("source", "kinds"), [
    ("a. one\nb. two", {0: "a", 1: "a"}),
    ("h. eight\ni. nine", {0: "a", 1: "a"}),
    ("i. one\nii. two\niii. three\niv. four\nv. five", {0: "i", 1: "i", 2: "i", 3: "i",
                                                            4: "i"}),
    ("A.  Upper, two spaces", {0: "A"}),
    ("A. Smith said so.", {}),
    ("Mr. Forst and e.g. this", {}),
    ("(a) one\n(b) two", {0: "a()", 1: "a()"}),
    ("```\na. code\n```", {}),
])
def test_fancy_markers_are_recognised(source: str, kinds: dict[int, str]) -> None:
    from pressroom.text.lists import rewrite

    text, found = rewrite(source)
    assert found == kinds
    assert len(text.split("\n")) == len(source.split("\n"))


PICTURE = "images/2026-02-01-short-note--water-point.jpg"


def test_a_body_picture_is_a_figure_in_every_format(numbered: Path) -> None:
    page = (numbered / "releases" / "2026-02-01-short-note.html").read_text(encoding="utf-8")
    assert f'<img src="../{PICTURE}" alt="A water point in a village square" />' in page
    assert "<figcaption>The water point, rebuilt in 2025.</figcaption>" in page
    published = (numbered / PICTURE).read_bytes()
    assert published[:2] == b"\xff\xd8" and b"Exif" not in published[:200]
    with zipfile.ZipFile(numbered / "epub" / "2026-02-01-short-note.epub") as book:
        assert f'src="{PICTURE}"' in book.read("EPUB/text.xhtml").decode("utf-8")
        assert book.read(f"EPUB/{PICTURE}") == published
    atom = (numbered / "feed" / "atom.xml").read_text(encoding="utf-8")
    assert f"https://press.example.org/ero/{PICTURE}" in atom
    assert "pressroom-source:" not in atom + page
    text = extract_text(numbered / "pdf" / "2026-02-01-short-note.pdf")
    assert "The water point, rebuilt in 2025." in text
    import pikepdf

    with pikepdf.open(numbered / "pdf" / "2026-02-01-short-note.pdf") as pdf:
        alts = [str(o.Alt) for o in pdf.objects
                if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure" and "/Alt" in o]
    assert "A water point in a village square" in alts


@pytest.mark.parametrize(("line", "message"), [
    ("![A chart](images/missing.png)", "'images/missing.png' was not found"),
    ("![A chart](https://example.org/a.png)", "never fetches"),
    ("![](images/chart.svg)", "needs its text alternative"),
    ("Text ![A chart](images/chart.svg) inline.", "paragraph of its own"),
    ("![A chart](../outside.png)", "must be a path below source/"),
])
def test_a_body_picture_that_cannot_be_shown_is_a_source_error(
        tmp_path: Path, line: str, message: str) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "site", source)
    shutil.copytree(FIXTURES / "newsroom" / "images", source / "images")
    note = source / "2026-02-01-short-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "The whole of the note's body.", "Intro.\n\n" + line), encoding="utf-8")
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(tmp_path / "dist"), "--quiet")
    assert result.code == 2
    assert "2026-02-01-short-note.md:14: body: " in result.err and message in result.err, \
        result.err
    assert not (tmp_path / "dist").exists()


def test_the_check_sees_numbering_that_differs_from_the_release(numbered: Path) -> None:
    from pressroom.checks import numbering
    from pressroom.load.site import load_site
    from pressroom.prepare.document import prepare

    doc = next(d for d in prepare(load_site(numbered.parent / "source"))
               if d.release.slug == "2026-02-01-short-note")
    marks = [m for m, _ in numbering.expected(doc.body_html)]
    assert marks == ["2.", "3.", "4.", "a.", "b.", "c.", "i.", "ii.", "(a)", "(b)"]
    text = extract_text(numbered / "pdf" / "2026-02-01-short-note.pdf")
    assert numbering.problems(doc.body_html, text, "pdf") == []
    renumbered = text.replace("3. The third", "1. The third")  # what WeasyPrint did alone
    assert numbering.problems(doc.body_html, renumbered, "pdf") == [
        "pdf: numbering: item 3. 'The third paragraph,' is not numbered 3."]


@pytest.mark.parametrize(("number", "kind", "style", "mark"), [
    (3, "1", "", "3."), (3, "a", "", "c."), (28, "a", "", "ab."), (4, "i", "", "iv."),
    (9, "I", "", "IX."), (2, "a", "marker-parens", "(b)"), (2, "i", "marker-paren", "ii)"),
])
def test_markers(number: int, kind: str, style: str, mark: str) -> None:
    from pressroom.checks.numbering import marker

    assert marker(number, kind, style) == mark


def test_kinds_are_data_built_in_and_the_publications_own(tmp_path: Path) -> None:
    """A statement is labelled in the release's language; publication.yaml may add a kind,
    labelled by language, and a release may then name it; an unknown kind is an error."""
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "site", source)
    publication = source / "publication.yaml"
    publication.write_text(publication.read_text(encoding="utf-8") + (
        "kinds:\n  - key: op-ed\n    label: OP-ED\n    labels: {fr: TRIBUNE}\n"),
        encoding="utf-8")
    note = source / "2026-02-01-short-note.md"
    note.write_text(note.read_text(encoding="utf-8").replace("kind: news-story",
                                                             "kind: op-ed"), encoding="utf-8")
    water = source / "2026-03-10-water-rights.md"
    water.write_text(water.read_text(encoding="utf-8").replace("kind: press-release",
                                                               "kind: statement"),
                     encoding="utf-8")
    dist = tmp_path / "dist"
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "build",
                 "--dist", str(dist), "--quiet")
    assert result.code == 0, result.err
    page = (dist / "releases" / "2026-02-01-short-note.html").read_text(encoding="utf-8")
    assert '<p class="kind">OP-ED' in page
    pdf_text = extract_text(dist / "pdf" / "2026-03-10-water-rights.pdf")
    assert "STATEMENT" in pdf_text.replace(" ", "")  # letter-spaced in print
    note.write_text(note.read_text(encoding="utf-8").replace("kind: op-ed", "kind: oped"),
                    encoding="utf-8")
    result = run("--source", str(source), "--styles", str(ROOT / "styles"), "check")
    assert result.code == 2
    assert "kind: 'oped' is not one of press-release" in result.err
    assert "did you mean 'op-ed'?" in result.err
