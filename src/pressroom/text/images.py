"""Pictures inside the body: `![what it shows](images/chart.png "Caption")`, alone in its
paragraph, becomes a figure with the lead image's treatment (scaled, stripped, alt required).

The Markdown names a file under source/; the rendered XHTML carries it as
`src="pressroom-source:images/chart.png"`, and each renderer puts its own address there
(`resolve`): the web page's published file, the EPUB's manifest item, the PDF's prepared
bytes, the feeds' absolute URL. pressroom never fetches a picture: a remote one is a source
error, as is a missing file (load/site.py checks the files).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

SCHEME = "pressroom-source:"
_SRC = re.compile(r'src="pressroom-source:([^"]*)"')


def sources(html: str) -> list[str]:
    """The source/ paths of the body pictures in rendered XHTML, in order, once each."""
    return list(dict.fromkeys(_unescape(m) for m in _SRC.findall(html)))


def resolve(html: str, address: Callable[[str], str]) -> str:
    """The XHTML with each body picture's placeholder replaced by `address(source path)`."""
    return _SRC.sub(lambda m: f'src="{address(_unescape(m.group(1)))}"', html)


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&quot;", '"')


def body_images(md: MarkdownIt) -> None:
    """Images on, rendered with the placeholder; an image alone in its paragraph becomes a
    figure, its title the caption."""
    md.enable("image")
    md.core.ruler.push("body_figures", _figures)
    md.add_render_rule("image", _image)


def _figures(state: StateCore) -> None:
    tokens = state.tokens
    for index in range(1, len(tokens) - 1):
        inline = tokens[index]
        if inline.type != "inline" or not inline.children:
            continue
        pictures = [c for c in inline.children if c.type == "image"]
        rest = [c for c in inline.children
                if c.type not in ("image", "softbreak") and not (c.type == "text"
                                                                 and not c.content.strip())]
        if len(pictures) != 1 or rest:
            continue
        opening, closing = tokens[index - 1], tokens[index + 1]
        if opening.type == "paragraph_open" and closing.type == "paragraph_close":
            opening.tag = closing.tag = "figure"
            opening.attrSet("class", "image body")
            pictures[0].meta["figure"] = True


def _image(self: object, tokens: list[Token], idx: int, options: object, env: object) -> str:
    token = tokens[idx]
    src = str(token.attrs.get("src", ""))
    alt = "".join(c.content for c in token.children or () if c.type in ("text", "code_inline"))
    title = str(token.attrs.get("title", "") or "")
    img = f'<img src="{SCHEME}{_escape(src)}" alt="{_escape(alt)}" />'
    if token.meta.get("figure") and title:
        return f"{img}\n<figcaption>{_escape(title)}</figcaption>"
    return img


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def problems(tokens: list[Token]) -> list[tuple[int, str, str]]:
    """(line, source path, message) of body pictures that cannot be shown; a problem's path is
    '' when there is no file to check, and the message '' for a file the loader must check."""
    found: list[tuple[int, str, str]] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        children = token.children
        for child in children:
            if child.type != "image":
                continue
            src = str(child.attrs.get("src", ""))
            alt = "".join(c.content for c in child.children or ()).strip()
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", src):
                found.append((line, "", f"picture {src!r} must be a file under source/, e.g. "
                              "'images/chart.png': pressroom never fetches"))
            elif not alt:
                found.append((line, "", f"picture {src!r} needs its text alternative: "
                              "![what it shows](" + src + ")"))
            elif len([c for c in children if c.type not in ("softbreak",)
                      and not (c.type == "text" and not c.content.strip())]) > 1:
                found.append((line, "", f"picture {src!r} must stand in a paragraph of its "
                              "own (it is printed as a figure)"))
            else:
                found.append((line, src, ""))
    return found
