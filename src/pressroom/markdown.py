"""The one Markdown configuration: CommonMark, raw HTML off, typographic quotes and dashes.

Raw HTML in a source is shown as text, never passed through; links are kept only for the
schemes a press release needs (http, https, mailto, tel), so no output can carry script.
Images are not part of the body syntax (figures come from front matter).
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")


@dataclass(frozen=True, slots=True)
class Fragment:
    """An XHTML fragment and the problems found while making it: (line offset, message)."""

    html: str
    problems: tuple[tuple[int, str], ...] = ()


def _validate_link(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(ALLOWED_SCHEMES)


def _make() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True, "xhtmlOut": True})
    md.enable(["replacements", "smartquotes"])
    md.disable(["image", "html_block", "html_inline"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    return md


_MD = _make()


def render(text: str) -> Fragment:
    """Body Markdown -> XHTML fragment; a level-1 heading is a problem (the headline is h1)."""
    tokens = _MD.parse(text)
    problems = [
        ((token.map[0] if token.map else 0), "use '##' for a section heading; '#' is the headline")
        for token in tokens
        if token.type == "heading_open" and token.tag == "h1"
    ]
    problems += _rejected_links(tokens)
    html = _MD.renderer.render(tokens, _MD.options, {})
    return Fragment(html=html, problems=tuple(problems))


def _rejected_links(tokens: list[Token]) -> list[tuple[int, str]]:
    """Links markdown-it refused (unsafe scheme or relative) stay as text: tell the editor."""
    found: list[tuple[int, str]] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        text = "".join(c.content for c in token.children if c.type == "text")
        if "](" in text:
            line = token.map[0] if token.map else 0
            found.append((line, "a link was not kept: only absolute http, https, mailto and "
                          "tel addresses are allowed"))
    return found


def typography(text: str) -> str:
    """Plain text with typographic quotes and dashes (for headlines, summaries, metadata)."""
    tokens = _MD.parseInline(text)
    out: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return "".join(out)


def render_paragraphs(text: str) -> str:
    """Markdown of a boilerplate paragraph or similar -> XHTML, headings not checked."""
    return _MD.render(text)
