"""The one Markdown configuration: CommonMark, raw HTML off, typographic quotes and dashes.

Raw HTML in a source is shown as text, never passed through; links are kept only for the
schemes a press release needs (http, https, mailto, tel), so no output can carry script.
Images are not part of the body syntax (figures come from front matter).
"""

from __future__ import annotations

from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "tel:")


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
_PERMISSIVE = _make()
_PERMISSIVE.validateLink = lambda url: True  # type: ignore[method-assign]


def render(text: str) -> str:
    """Body Markdown -> XHTML fragment (the loader has already run `check` on it)."""
    html: str = _MD.render(text)
    return html


def check(text: str) -> list[tuple[int, str]]:
    """Problems in a body, as (line offset from the body's first line, message)."""
    tokens = _PERMISSIVE.parse(text)
    problems = [
        ((token.map[0] if token.map else 0), "use '##' for a section heading; '#' is the headline")
        for token in tokens
        if token.type == "heading_open" and token.tag == "h1"
    ]
    return sorted(problems + _refused_links(tokens, text.split("\n")))


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
    html: str = _MD.render(text)
    return html
