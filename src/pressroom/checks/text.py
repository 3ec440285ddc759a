"""Agreement of text: every sentence of a release, block by block, must be in what a reader
of each format sees (the PDF's text, the EPUB's chapters, the web page, the feeds, ninjs).

The release is read block by block (a heading, a list item, a table cell ends where it ends,
full stop or not). The PDF's page furniture (its footer, the notes at a page's foot) is set
aside before looking, so that a sentence crossing a page break is found whole. Right-to-left
text is compared word by word, letters in any order: pdftotext reorders bidi runs, spells the
lam-alef ligature backwards and may split a word at an embedded direction mark.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from lxml import etree

from pressroom.prepare.document import Document
from pressroom.text import locale


def words(text: str) -> str:
    """Text with whitespace collapsed, for comparing what a reader sees."""
    return " ".join(text.split())


def sentences(doc: Document) -> list[str]:
    """The release's sentences as published (summary, key points, body, boilerplate, about
    paragraph, updates), block by block: a heading, a list item or a table cell ends where it
    ends, full stop or not."""
    parts = [doc.summary, *doc.release.highlights, *blocks(doc.body_html),
             *(b for p in doc.boilerplate_html for b in blocks(p)),
             *(blocks(doc.about_html) if doc.about_html else ()),
             *(text for _, _, text in doc.updates)]
    found: list[str] = []
    for part in parts:
        found += [s for s in re.split(r"(?<=[.!?”])\s+", words(part)) if s]
    return found


BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd",
                    "figcaption", "pre", "caption"})
"""Elements whose text a reader sees as one run (a paragraph, an item, a cell)."""


def blocks(html: str) -> list[str]:
    """The text of each block of an XHTML fragment, in order; a block's nested blocks (a list
    inside an item) are blocks of their own."""
    out: list[str] = []

    def walk(element: Any, into: list[str] | None) -> None:
        if element.get("role") == "doc-backlink":  # a footnote's way back: not text
            if into is not None and element.tail:
                into.append(element.tail)
            return
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        own, slot = into, -1
        if tag in BLOCKS:
            own, slot = [], len(out)
            out.append("")  # its place in reading order
        if own is not None and element.text:
            own.append(element.text)
        for child in element:
            walk(child, own)
            if own is not None and child.tail and child.get("role") != "doc-backlink":
                own.append(child.tail)
        if slot >= 0 and own is not None:
            out[slot] = "".join(own)

    walk(etree.fromstring(f"<div>{html}</div>"), None)
    return [text for text in out if text.strip()]


def markup_text(html: str) -> str:
    """The text of an XHTML fragment (or document), as a reader sees it."""
    return "".join(str(t) for t in etree.fromstring(f"<div>{html}</div>").itertext())


def coverage(doc: Document, text: str, where: str, pdf: bool = False) -> list[str]:
    """Sentences of the release missing from `text`. Whitespace and hyphens are ignored: a
    PDF line break inside a long URL or after a hyphen is not a missing word. With `pdf`, the
    pages' footers and foot notes are set aside first, so a sentence crossing a page break is
    one run of text again (the notes are looked for in the whole text)."""
    missing = _missing(doc, text)
    if missing and pdf:
        flowing = _without_furniture(doc, text)
        missing = [s for s in missing if s in _missing(doc, flowing)]
    return [f"{where}: sentence missing: {s[:60]!r}" for s in missing]


def _missing(doc: Document, text: str) -> list[str]:
    if doc.direction == "rtl":
        found = set(_words(text))
        pieces = [w for w in _pieces(text) if w]
        for size in (2, 3):  # a word pdftotext split at a mark or a ligature
            found |= {"".join(sorted("".join(pieces[i:i + size])))
                      for i in range(len(pieces) - size + 1)}
        return [s for s in sentences(doc) if not all(w in found for w in _words(s))]
    flat = _squeeze(text)
    return [s for s in sentences(doc) if _squeeze(s) not in flat]


def _without_furniture(doc: Document, text: str) -> str:
    """The PDF's text with each page's footer line and the notes at its foot taken out."""
    footer = _footer(doc.release.language)
    notes = _squeeze(" ".join(_notes(doc)))
    pages = []
    for page in text.split("\f"):
        lines = [line for line in page.split("\n") if line.strip()]
        if lines and footer.fullmatch(lines[-1].strip()):
            lines.pop()
        while lines and notes and _squeeze(re.sub(r"^\d+\.\s*", "", lines[-1])) in notes:
            lines.pop()
        pages.append("\n".join(lines))
    return "\n".join(pages)


def _footer(language: str) -> re.Pattern[str]:
    """The page footer ('Page 2 of 6', 'Page 2 sur 6') as a pattern."""
    content = locale.page_content(language)
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|counter\(\w+\)', content)
    pattern = "".join(r"\d+" if token.startswith("counter") else
                      re.escape(token[1:-1].replace('\\"', '"')) for token in tokens)
    return re.compile(r"\s*".join(pattern.split(r"\ ")) or r"(?!)")


def _notes(doc: Document) -> list[str]:
    """The texts of the release's footnotes."""
    root = etree.fromstring(f"<div>{doc.body_html}</div>")
    return ["".join(str(t) for t in li.itertext()) for section in root.iter("section")
            if section.get("role") == "doc-endnotes" for li in section.iter("li")]


def _pieces(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKC", text)  # an invisible mark splits a word in two
    # pieces, which _missing joins again
    return re.split(r"[\W_]+", "".join(c for c in folded if unicodedata.category(c) != "Mn"))


def _words(text: str) -> list[str]:
    """Each word as the sorted letters and digits it has (no marks, compatibility forms
    folded), so word order, letter order and presentation forms do not count."""
    return ["".join(sorted(w)) for w in _pieces(text) if w]


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\-]+", "", text.translate(_invisible()))


@functools.cache
def _invisible() -> dict[int, None]:
    """Default-ignorable characters: format characters (Unicode Cf: zero-width space and
    joiners, the byte order mark, direction marks, embeddings, overrides and isolates, the soft
    hyphen), variation selectors (the emoji form of ©️) and the combining grapheme joiner, which
    a reader never sees and a PDF's text may keep or drop: never a missing word. (Planes 0, 1
    and 14 hold them all.)"""
    ignorable = {*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0), 0x034F}  # variation
    return {code: None for code in (*range(0x20000), *range(0xE0000, 0xE01F0))  # selectors,
            if code in ignorable or unicodedata.category(chr(code)) == "Cf"}  # grapheme joiner
