"""The one Markdown configuration: CommonMark, raw HTML off, typographic quotes and dashes
(text/typography.py: never a word or number changed).

Raw HTML in a source is shown as text, never passed through; links are kept only for the
schemes a press release needs (http, https, mailto, tel), so no output can carry script.
Pictures in the body are figures of files under source/ (text/images.py). Tables are GFM's.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from pressroom.text import images, locale
from pressroom.text.footnotes import footnotes
from pressroom.text.images import body_images
from pressroom.text.lists import fancy_lists, rewrite
from pressroom.text.typography import typography_plugin

ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(ALLOWED_SCHEMES)


_PICTURE_FILE = re.compile(r"^(?![a-z][a-z0-9+.-]*:|/|~)[^\s]*\.(?:png|jpe?g|svg)$")


def _validate_target(url: str) -> bool:
    """What the parser keeps: an allowed link, or a picture file under source/ (a relative
    path to a PNG, JPEG or SVG; `check` refuses such a path as a link)."""
    return _validate_link(url) or bool(_PICTURE_FILE.match(url.strip().lower()))


def _make(language: str = "en") -> MarkdownIt:
    """CommonMark with typography for `language` (its quotation marks; French spacing), and
    `[a phrase]{lang=fr}` marking a phrase in another language (no other attribute is kept)."""
    key = locale.base(language)
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "xhtmlOut": True,
                                   "quotes": locale.QUOTES.get(key, locale.QUOTES["en"])})
    md.enable(["smartquotes", "table"])
    md.disable(["html_block", "html_inline"])
    md.use(body_images)
    md.use(typography_plugin)
    md.use(footnotes)
    md.use(fancy_lists)
    md.use(attrs_plugin, spans=True, allowed=["lang"], after=("span_close",))
    md.validateLink = _validate_target  # type: ignore[method-assign]
    if key == "fr":
        md.core.ruler.push("french_spacing", _french_spacing)
    md.core.ruler.push("table_alignment", _alignment_classes)
    return md


_ALIGN = {"text-align:left": "align-left", "text-align:right": "align-right",
          "text-align:center": "align-center"}


def _alignment_classes(state: StateCore) -> None:
    """GFM column alignment as a class, not a style attribute: the web pages' Content-Security-
    Policy allows no inline style, and the stylesheets say what alignment looks like."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and "style" in token.attrs:
            token.attrs = {"class": _ALIGN.get(str(token.attrs["style"]), "")}


def _french_spacing(state: StateCore) -> None:
    for token in state.tokens:
        for child in token.children or ():
            if child.type == "text":
                child.content = locale.french_spacing(child.content)


@cache
def _for(language: str) -> MarkdownIt:
    return _make(language)


_PERMISSIVE = _make()
_PERMISSIVE.validateLink = lambda url: True  # type: ignore[method-assign]


def render(text: str, language: str = "en", doc_id: str = "") -> str:
    """Body Markdown -> XHTML fragment (the loader has already run `check` on it); `doc_id`
    makes its footnote ids unique among releases."""
    source, kinds = rewrite(text)
    env = {"docId": doc_id, "list_kinds": kinds}
    html: str = _for(locale.base(language)).render(source, env)
    return html


def pictures(text: str) -> list[tuple[int, str]]:
    """(line offset, path under source/) of each picture the body shows, for the loader to
    check the file."""
    return [(line, src) for line, src, message in
            images.problems(_PERMISSIVE.parse(rewrite(text)[0])) if src and not message]


def check(text: str) -> list[tuple[int, str]]:
    """Problems in a body, as (line offset from the body's first line, message)."""
    text = rewrite(text)[0]
    tokens = _PERMISSIVE.parse(text)
    problems = [
        ((token.map[0] if token.map else 0), "use '##' for a section heading; '#' is the headline")
        for token in tokens
        if token.type == "heading_open" and token.tag == "h1"
    ]
    return sorted(problems + _refused_links(tokens, text.split("\n")) + _bad_languages(tokens)
                  + _unrendered(tokens) + _unprintable(tokens)
                  + [(line, message) for line, _, message in images.problems(tokens) if message])


MAX_PARAGRAPH = 10_000
"""Characters of one paragraph (or heading, list item, table cell). The PDF renderer lays a
paragraph out in more than linear time: ten times this is minutes. A press release's longest
paragraphs have a few hundred words; this is some 1,500."""
MAX_SPANS = 100
"""Emphasized, strong, linked, code and language-marked passages of one paragraph: the PDF
renderer's time grows with the square of their number (on an idle machine, 100 add a tenth of
a second to a brief, 1,250 four seconds, 5,000 fifty). A paragraph of a press release has a
handful."""


def _unprintable(tokens: list[Token]) -> list[tuple[int, str]]:
    """Paragraphs too long, or with too much inline markup, to be printed in reasonable time."""
    found: list[tuple[int, str]] = []
    for token in tokens:
        if token.type != "inline":
            continue
        line = token.map[0] if token.map else 0
        if len(token.content) > MAX_PARAGRAPH:
            found.append((line, f"this paragraph has {len(token.content)} characters; a "
                          f"paragraph may have at most {MAX_PARAGRAPH} (a longer one takes "
                          "minutes to print): split it"))
        spans = sum(1 for child in token.children or ()
                    if child.nesting == 1 or child.type == "code_inline")
        if spans > MAX_SPANS:
            found.append((line, f"this paragraph has {spans} emphasized, linked or code "
                          f"passages; a paragraph may have at most {MAX_SPANS} (more take "
                          "minutes to print): split it or remove some markup"))
    return found


_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")


def _unrendered(tokens: list[Token]) -> list[tuple[int, str]]:
    """Constructs pressroom would print as markup characters: said at their line, never
    garbled in silence."""
    found: list[tuple[int, str]] = []
    for token in tokens:
        line = token.map[0] if token.map else 0
        if token.type != "inline":
            continue
        for child in token.children or ():
            if child.type == "text":
                found += [(line, f"footnote [^{m.group(1)}] has no text: add a line "
                           f"'[^{m.group(1)}]: ...' after the paragraph")
                          for m in _NOTE_CALL.finditer(child.content)]
        lines = token.content.split("\n")
        if len(lines) >= 2 and all(row.strip().startswith("|") and row.strip().endswith("|")
                                   for row in lines):
            found.append((line, "these lines look like a table but are not one: put a "
                          "delimiter row such as '| --- | --- |' under the header row"))
    return found


def _bad_languages(tokens: list[Token]) -> list[tuple[int, str]]:
    """`[phrase]{lang=...}` whose language is not a BCP 47 tag."""
    return [((token.map[0] if token.map else 0),
             f"{{lang={child.attrs['lang']}}} is not a BCP 47 language tag; e.g. "
             "[droit à l'eau]{lang=fr}")
            for token in tokens if token.type == "inline"
            for child in token.children or ()
            if "lang" in child.attrs and not locale.LANGUAGE_TAG.match(str(child.attrs["lang"]))]


def _refused_links(tokens: list[Token], lines: list[str]) -> list[tuple[int, str]]:
    """Links whose scheme is not allowed (inline, reference or autolink), at their line."""
    found: list[tuple[int, str]] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        start = token.map[0] if token.map else 0
        for child in token.children:
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if child.type == "link_open" and not _validate_link(href):
                found.append((_line_of(href, lines, start), REFUSED_LINK))
    return found


def _line_of(href: str, lines: list[str], start: int) -> int:
    """The first line at or after `start` (else anywhere) that spells the link target."""
    candidates = {href, unquote(href)}
    order = list(range(start, len(lines))) + list(range(start))
    return next((i for i in order if any(c in lines[i] for c in candidates)), start)


REFUSED_LINK = ("a link was not kept: only absolute http, https, mailto and tel addresses "
                "are allowed")


_SYNTAX = re.compile(r"([\\`*_\[\]<>&{}~])")
"""Characters inline Markdown reads as markup (emphasis, code, links, autolinks, entities,
`{lang=..}`): escaped, so that plain text keeps them."""


def typography(text: str, language: str = "en") -> str:
    """Plain text with typographic quotes and dashes (for headlines, summaries, metadata).

    The text is not Markdown: `*`, `_`, `` ` ``, `[...]`, `<...>` and `&amp;` stay as written;
    only quotes, dashes and exactly three dots change (text/typography.py)."""
    tokens = _for(locale.base(language)).parseInline(_SYNTAX.sub(r"\\\1", text))
    out: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return "".join(out)
