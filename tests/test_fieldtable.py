"""The field table drives everything about a field: a release (and a publication.yaml) with
every field of the table filled in is checked for glyphs in every field the table marks
printed, at the field's line, and prepared with typography in every field it marks typeset.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from PIL import Image

from pressroom.cache import SourceCache
from pressroom.load import glyphs, mapping
from pressroom.load.docs import dump_yaml
from pressroom.load.fields import PUBLICATION, RELEASE
from pressroom.load.schema import Spec
from pressroom.load.site import load_site
from pressroom.model import Site
from pressroom.prepare.document import Document, prepare
from pressroom.prepare.templates import release_xhtml

from .conftest import ROOT

STYLES = ROOT / "styles"
SLUG = "2017-01-25-every-field"
LEFT_OUT = {"translation_group"}
"""Needs a second release; not printed."""
LATER_CORRECTION = {"date": "2017-01-25T12:00:00Z", "text": "An earlier version misdated it."}
"""Earlier than the table's example correction, written after it: the model sorts it first."""

PRINTED_RELEASE = {
    "headline", "summary", "publisher", "byline", "dateline.place", "dateline.agency",
    "based_on.publisher", "based_on.kind", "based_on.title", "contacts[0].name",
    "contacts[0].role", "contacts[0].organization", "contacts[0].phone",
    "contacts[0].emails[0].label", "contacts[0].phones[0].label",
    "contacts[0].phones[0].number", "contacts[0].address", "contacts[0].note",
    "withdrawn.reason", "corrections[0].text",
    "corrections[1].text", "notes", "end_mark", "related[0].title", "symbol", "image.alt",
    "image.caption", "image.credit", "image.licence", "highlights[0]", "highlights[1]",
    "updates[0].text", "notes_heading", "about",
}
"""What people read of a release (its body aside); ids, addresses, dates, keys and file names
are not printed as written."""
PRINTED_PUBLICATION = {
    "name", "short_name", "feed.title", "feed.subtitle", "end_mark", "contacts[0].name",
    "contacts[0].role", "contacts[0].organization", "contacts[0].phone",
    "contacts[0].emails[0].label", "contacts[0].phones[0].label",
    "contacts[0].phones[0].number", "contacts[0].address", "contacts[0].note",
    "boilerplate.special-procedures", "kinds[0].label", "kinds[0].labels.fr", "notes_heading",
}
TYPESET_RELEASE = PRINTED_RELEASE - {"contacts[0].phone", "contacts[0].phones[0].number",
                                     "notes", "about", "end_mark", "symbol"}
"""Printed and typeset alike; phone numbers, symbols and end marks are printed as written and
notes and the about paragraph are Markdown (typeset when rendered)."""

Mark = Callable[[str, Spec, str], str]


def filled(specs: Mapping[str, Spec], mark: Mark, prefix: str = "") -> dict[str, Any]:
    """Every field of `specs` with its example (an object: each of its fields'), each text
    passed through `mark(path, spec, text)`."""
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        path = prefix + name
        if name in LEFT_OUT:
            continue
        if spec.type == "object":
            out[name] = filled(spec.fields, mark, path + ".")
        elif spec.type == "objects":
            out[name] = [filled(spec.fields, mark, f"{path}[0].")]
        elif spec.type == "mapping":
            out[name] = {key: mark(f"{path}.{key}", spec, text)
                         for key, text in spec.example.items()}
        elif spec.type == "list" and spec.is_printed:
            out[name] = [mark(f"{path}[{i}]", spec, text) for i, text in enumerate(spec.example)]
        elif isinstance(spec.example, str):
            out[name] = mark(path, spec, spec.example)
        else:
            out[name] = spec.example
    return out


def write_site(folder: Path, release_mark: Mark, publication_mark: Mark,
               body: str = "The text.\n") -> Path:
    """source/ with publication.yaml and one release of every field of the table."""
    source = folder / "source"
    (source / "images").mkdir(parents=True)
    Image.new("RGB", (300, 200), (40, 90, 160)).save(source / RELEASE["image"].example["src"])
    publication = filled(PUBLICATION, publication_mark)
    del publication["logo"]  # a file; not printed
    (source / "publication.yaml").write_text(dump_yaml(publication), encoding="utf-8")
    front = filled(RELEASE, release_mark)
    front["status"] = "withdrawn"
    front["notes"] = release_mark("notes", RELEASE["notes"], "First line of the notes.\n"
                                  "Second line, and the third:\n")
    later = {"date": LATER_CORRECTION["date"],
             "text": release_mark("corrections[1].text", RELEASE["corrections"].fields["text"],
                                  LATER_CORRECTION["text"])}
    front["corrections"].append(later)
    (source / f"{SLUG}.md").write_text(f"---\n{dump_yaml(front)}---\n\n{body}",
                                       encoding="utf-8")
    return source


def plain(path: str, spec: Spec, text: str) -> str:
    return text


# --- glyph coverage --------------------------------------------------------------------------


class Marks:
    """A character no font has (private use, U+E000 on), one per printed field (but phone
    numbers, which are digits and punctuation or not valid)."""

    def __init__(self) -> None:
        self.printed: set[str] = set()
        self.by_path: dict[str, str] = {}
        self.used: list[str] = []

    def __call__(self, path: str, spec: Spec, text: str) -> str:
        if spec.is_printed:
            self.printed.add(path)
        if not spec.is_printed or spec.type == "phone":
            return text
        char = chr(0xE000 + len(self.used))
        self.used.append(char)
        self.by_path[path] = char
        return text.rstrip("\n") + f" {char}" + ("\n" if text.endswith("\n") else "")


def line_of(path: Path, char: str) -> int:
    (line,) = [n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1)
               if char in text]
    return line


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Marks, Marks]:
    release, publication = Marks(), Marks()
    source = write_site(tmp_path_factory.mktemp("glyphs"), release, publication,
                        body="The text.\n\nA second paragraph \ue0ff here.\n")
    return source, release, publication


def test_the_table_says_what_is_printed(marked: tuple[Path, Marks, Marks]) -> None:
    _, release, publication = marked
    assert release.printed == PRINTED_RELEASE
    assert publication.printed == PRINTED_PUBLICATION


def test_every_printed_field_is_checked_at_its_line(marked: tuple[Path, Marks, Marks]) -> None:
    source, release, publication = marked
    site = load_site(source)
    problems = glyphs.check_site(site, STYLES)
    found = {(p.path, p.field): (p.line, re.search(r"U\+(E0[0-9A-F]{2})", p.message))
             for p in problems}
    assert len(found) == len(problems), "one problem per field"
    md, yaml_file = source / f"{SLUG}.md", source / "publication.yaml"
    expected = {(str(md), "body"): "\ue0ff"}
    expected |= {(str(md), path): char for path, char in release.by_path.items()}
    expected |= {(str(yaml_file), path): char for path, char in publication.by_path.items()}
    # The model holds corrections oldest first: the correction written second is the first.
    first, second = (str(md), "corrections[0].text"), (str(md), "corrections[1].text")
    expected[first], expected[second] = expected[second], expected[first]
    assert set(found) == set(expected)
    for (file, field), char in expected.items():
        line, code = found[file, field]
        assert code is not None and code.group(1) == f"{ord(char):04X}", field
        assert line == line_of(Path(file), char), field


def test_the_message_is_unchanged(marked: tuple[Path, Marks, Marks]) -> None:
    source, release, _ = marked
    (problem,) = [p for p in glyphs.check_site(load_site(source), STYLES)
                  if p.field == "image.caption"]
    char = release.by_path["image.caption"]
    assert str(problem) == (
        f"{source / f'{SLUG}.md'}:{line_of(source / f'{SLUG}.md', char)}: image.caption: "
        f"character {char!r} (U+{ord(char):04X} unnamed) is in none of "
        f"pressroom's fonts ({STYLES / 'fonts'}); it would print as an empty box: remove it "
        "or add a font that has it")


def test_inherited_values_are_checked_where_they_are_written(tmp_path: Path) -> None:
    """A release without contacts, publisher or end mark shows the publication's: a missing
    glyph there is one problem, in publication.yaml, not one more per release."""
    marks = Marks()
    source = write_site(tmp_path, plain, marks)
    path = source / f"{SLUG}.md"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^(publisher|end_mark):.*\n", "", text, flags=re.MULTILINE)
    text = re.sub(r"^contacts:\n(?:[ -].*\n)+", "", text, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    site = load_site(source)
    (release,) = site.releases
    assert release.contacts == site.publication.contacts
    assert release.publisher == site.publication.name
    problems = glyphs.check_site(site, STYLES)
    assert {p.path for p in problems} == {str(source / "publication.yaml")}
    assert {p.field for p in problems} == set(marks.by_path)


# --- typography ------------------------------------------------------------------------------

QUOTED = ' "x" -- it\'s'
CURLY = " “x” – it’s"


def quoted(path: str, spec: Spec, text: str) -> str:
    return text + QUOTED if spec.is_typeset else text


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Document]:
    source = write_site(tmp_path_factory.mktemp("typography"), quoted, plain,
                        body='"Water is life," said the expert.\n')
    site = load_site(source)
    (doc,) = prepare(site)
    return site, doc


def texts(doc: Document) -> dict[str, str]:
    return {path: text for path, _, text in mapping.texts(RELEASE, doc.release)}


def test_the_table_says_what_is_typeset(prepared: tuple[Site, Document]) -> None:
    site, _ = prepared
    (release,) = site.releases
    given = {path for path, _, text in mapping.texts(RELEASE, release) if QUOTED in text}
    assert given == TYPESET_RELEASE


def test_every_typeset_field_is_typeset(prepared: tuple[Site, Document]) -> None:
    site, doc = prepared
    (release,) = site.releases
    before = {path: text for path, _, text in mapping.texts(RELEASE, release)}
    after = texts(doc)
    for path in before.keys() & TYPESET_RELEASE:  # ("..." in an example becomes "…" too)
        assert after[path].endswith(CURLY) and '"' not in after[path], path
    for path in before.keys() - TYPESET_RELEASE:
        assert after[path] == before[path], path
    assert doc.headline == doc.release.headline and doc.headline.endswith(CURLY)
    assert doc.summary == doc.release.summary and doc.summary.endswith(CURLY)
    assert [text for _, _, text in doc.corrections] == [c.text for c in doc.release.corrections]
    assert all(text.endswith(CURLY) for _, _, text in doc.corrections)
    assert [text for _, _, text in doc.updates] == [u.text for u in doc.release.updates]
    assert all(text.endswith(CURLY) for _, _, text in doc.updates)
    assert all(text.endswith(CURLY) for text in doc.release.highlights)
    assert doc.release.image is not None and release.image is not None
    assert doc.release.image.src == release.image.src
    assert doc.release.related[0].url == release.related[0].url
    assert doc.release.contacts[0].email == release.contacts[0].email


def xhtml(doc: Document) -> etree._Element:
    """The XHTML the PDF is made from (which prints the most: the letterhead too)."""
    return etree.fromstring(release_xhtml(STYLES, doc, "pdf").encode("utf-8"))


def test_no_straight_quote_is_printed(prepared: tuple[Site, Document]) -> None:
    """Every typeset field the article prints (all but the withdrawal reason, which only the
    feeds' tombstone carries) reaches the XHTML in its printed form."""
    _, doc = prepared
    root = xhtml(doc)
    words = " ".join(" ".join(root.itertext()).split())
    attributes = " ".join(str(v) for element in root.iter() for v in element.attrib.values())
    assert '"x"' not in words and '"x"' not in attributes
    printed = {path: text for path, text in texts(doc).items()
               if path in TYPESET_RELEASE and path != "withdrawn.reason"}
    for path, text in printed.items():
        where = attributes if path == "image.alt" else words
        assert " ".join(text.split()) in where, path


def test_caption_credit_byline_and_dateline_get_curly_quotes_like_the_body(
        tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "images").mkdir()
    Image.new("RGB", (30, 20)).save(source / "images" / "p.png")
    (source / "publication.yaml").write_text(
        (ROOT / "source" / "publication.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (source / "2017-01-25-quotes.md").write_text(
        "---\nid: tag:x.example.org,2017:q\nheadline: Quotes\nsummary: A summary.\n"
        "published: 2017-01-25\nlanguage: en\n"
        "byline: 'Ana \"the Desk\" Example'\n"
        "dateline: {place: 'GENEVA \"OLD TOWN\"'}\n"
        "image: {src: images/p.png, alt: 'A sign: \"water\"', caption: 'The \"water\" sign',"
        " credit: 'Photo: \"Desk\"'}\n"
        "---\n\n\"Water is life,\" said the expert.\n", encoding="utf-8")
    (doc,) = prepare(load_site(source))
    root = xhtml(doc)

    def text(xpath: str) -> str:
        (element,) = root.xpath(xpath)
        return "".join(element.itertext())

    assert "“Water is life,”" in text("//*[local-name()='p'][contains(., 'said')]")
    assert text("//*[local-name()='figcaption']").startswith("The “water” sign")
    assert text("//*[@class='credit']") == "Photo: “Desk”"
    assert text("//*[@class='byline']") == "Ana “the Desk” Example"
    assert text("//*[@class='place']") == "GENEVA “OLD TOWN”"
    assert root.xpath("//*[local-name()='img']/@alt") == ["A sign: “water”"]


def test_typeset_fields_come_back_from_the_cache(tmp_path: Path) -> None:
    source = write_site(tmp_path, quoted, plain)
    cache_path = tmp_path / "cache.json"

    def documents() -> Iterator[Document]:
        cache = SourceCache(cache_path, source)
        yield from prepare(load_site(source, cache), cache)
        cache.save()

    (fresh,) = documents()
    (cached,) = documents()
    assert cached.release == fresh.release
    assert (cached.headline, cached.summary, cached.corrections) == \
        (fresh.headline, fresh.summary, fresh.corrections)
    assert texts(cached)["image.caption"].endswith(CURLY)
