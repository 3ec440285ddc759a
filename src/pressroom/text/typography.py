"""Typography that only does typography: dashes and the ellipsis, and nothing else.

markdown-it's own `replacements` rule also turns (c) (r) (tm) into symbols, +- into ±, ",," into
"," and any run of dots into "…": in legal and UN text ("section 7(c)", "wait....") those are
words and numbers, and a press office's words must reach every format exactly. This rule
replaces it. Quotation marks are markdown-it's `smartquotes` (per language, text/locale.py).

What changes: `---` -> em dash, `--` -> en dash (a run of four or more hyphens is left alone,
it is a rule or a placeholder), exactly three full stops `...` -> "…" (two, or four and more,
are left alone). Never inside code or a bare URL.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_EM = re.compile(r"(?<!-)---(?!-)")
_EN = re.compile(r"(?<!-)--(?!-)")
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")


def dashes_and_ellipsis(text: str) -> str:
    """`---` -> '—', `--` -> '–', exactly `...` -> '…'; nothing else changes."""
    if "--" in text:
        text = _EN.sub("\u2013", _EM.sub("\u2014", text))
    if "..." in text:
        text = _ELLIPSIS.sub("\u2026", text)
    return text


def _rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        in_autolink = False
        for child in token.children:
            if child.type == "link_open" and child.markup == "autolink":
                in_autolink = True
            elif child.type == "link_close" and in_autolink:
                in_autolink = False
            elif child.type == "text" and not in_autolink:
                child.content = dashes_and_ellipsis(child.content)


def typography_plugin(md: MarkdownIt) -> None:
    """Replace markdown-it's `replacements` with `dashes_and_ellipsis` (smartquotes stays)."""
    md.disable("replacements")
    md.core.ruler.before("smartquotes", "pressroom_typography", _rule)
