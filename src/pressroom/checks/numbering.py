"""Numbered paragraphs and lettered points must carry the same numbers in every format: the
release's own lists (the prepared body) against what a reader sees in the PDF's text.

A PDF engine that ignores `<ol start>` prints "1." where the release says "3.": every word is
there, but the paragraph a journalist quotes by number is wrong. Each item's marker is
computed from its list's start, type and marker style, and must stand before the item's
first words in the PDF text. Right-to-left text is not compared (pdftotext reorders it).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

ROMAN = (("m", 1000), ("cm", 900), ("d", 500), ("cd", 400), ("c", 100), ("xc", 90),
         ("l", 50), ("xl", 40), ("x", 10), ("ix", 9), ("v", 5), ("iv", 4), ("i", 1))


def roman(number: int) -> str:
    """4 -> 'iv'."""
    out = ""
    for letters, value in ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def marker(number: int, kind: str, style: str) -> str:
    """The marker a reader sees: '3.', 'c.', 'iv.', 'c)' or '(c)'."""
    if kind in ("a", "A"):
        text = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            text = chr(97 + rest) + text
        text = text.upper() if kind == "A" else text
    elif kind in ("i", "I"):
        text = roman(number).upper() if kind == "I" else roman(number)
    else:
        text = str(number)
    if style == "marker-parens":
        return f"({text})"
    return f"{text})" if style == "marker-paren" else f"{text}."


def expected(body_html: str) -> list[tuple[str, str]]:
    """(marker, first words) of every item of every ordered list in a release's body."""
    root = etree.fromstring(f"<div>{body_html}</div>")
    found: list[tuple[str, str]] = []
    for ol in root.iter("ol"):
        parent = ol.getparent()
        if parent is not None and parent.get("role") == "doc-endnotes":
            continue  # endnotes: the PDF prints them as page notes, numbered apart
        start = int(ol.get("start") or "1")
        for offset, item in enumerate(i for i in ol if i.tag == "li"):
            words = " ".join(_own_text(item).split()[:3])
            if words:
                found.append((marker(start + offset, ol.get("type") or "1",
                                     ol.get("class") or ""), words))
    return found


def _own_text(item: Any) -> str:
    """An item's text without its nested lists."""
    parts = [item.text or ""]
    for child in item:
        if child.tag not in ("ol", "ul"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


def problems(body_html: str, text: str, where: str, direction: str = "ltr") -> list[str]:
    """Items whose number (or letter) is not the release's in `text` (a PDF's text)."""
    if direction == "rtl" or "<ol" not in body_html:
        return []
    flat = _squeeze(text)
    return [f"{where}: numbering: item {mark} {words!r} is not numbered {mark}"
            for mark, words in expected(body_html) if _squeeze(f"{mark} {words}") not in flat]


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text)
