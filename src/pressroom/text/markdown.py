"""The one Markdown configuration: CommonMark, raw HTML off, typographic quotes and dashes.

Raw HTML in a source is shown as text, never passed through; links are kept only for the
schemes a press release needs (http, https, mailto, tel), so no output can carry script.
Images are not part of the body syntax (figures come from front matter).
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from pressroom.text import locale

ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(ALLOWED_SCHEMES)


def _make(language: str = "en") -> MarkdownIt:
    """CommonMark with typography for `language` (its quotation marks; French spacing), and
    `[a phrase]{lang=fr}` marking a phrase in another language (no other attribute is kept)."""
    key = locale.base(language)
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "xhtmlOut": True,
                                   "quotes": locale.QUOTES.get(key, locale.QUOTES["en"])})
    md.enable(["replacements", "smartquotes"])
    md.disable(["image", "html_block", "html_inline"])
    md.use(attrs_plugin, spans=True, allowed=["lang"], after=("span_close",))
    md.validateLink = _validate_link  # type: ignore[method-assign]
    if key == "fr":
        md.core.ruler.push("french_spacing", _french_spacing)
    return md


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


def render(text: str, language: str = "en") -> str:
    """Body Markdown -> XHTML fragment (the loader has already run `check` on it)."""
    html: str = _for(locale.base(language)).render(text)
    return html


def check(text: str) -> list[tuple[int, str]]:
    """Problems in a body, as (line offset from the body's first line, message)."""
    tokens = _PERMISSIVE.parse(text)
    problems = [
        ((token.map[0] if token.map else 0), "use '##' for a section heading; '#' is the headline")
        for token in tokens
        if token.type == "heading_open" and token.tag == "h1"
    ]
    return sorted(problems + _refused_links(tokens, text.split("\n")) + _bad_languages(tokens))


def _bad_languages(tokens: list[Token]) -> list[tuple[int, str]]:
    """`[phrase]{lang=...}` whose language is not a BCP 47 tag."""
    from pressroom.load.schema import LANGUAGE_TAG

    return [((token.map[0] if token.map else 0),
             f"{{lang={child.attrs['lang']}}} is not a BCP 47 language tag; e.g. "
             "[droit à l'eau]{lang=fr}")
            for token in tokens if token.type == "inline"
            for child in token.children or ()
            if "lang" in child.attrs and not LANGUAGE_TAG.match(str(child.attrs["lang"]))]


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
    only quotes, dashes, ellipses and (c)-style replacements change."""
    tokens = _for(locale.base(language)).parseInline(_SYNTAX.sub(r"\\\1", text))
    out: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return "".join(out)
