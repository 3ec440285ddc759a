"""Footnotes (`[^1]` and `[^1]: ...`) as DPUB-ARIA endnotes with back links, ids unique per
release so that a briefing pack or a digest holding many releases stays valid.

The web page, the EPUB, the feeds and ninjs show them as endnotes after the body; the PDF
turns each into a real note at the foot of its page (render/pdfwriter.py `page_footnotes`),
and the EPUB adds its `epub:type` semantics (render/epubbook.py). The call is the note's
number alone, so every format reads "sanctions1" the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

BACK = "\u2191"
"""The back link's glyph (↑, drawn by the shipped fonts; ↩ is not)."""


def _number(tokens: Sequence[Token], idx: int) -> int:
    return int(tokens[idx].meta["id"]) + 1


def _ident(tokens: Sequence[Token], idx: int, env: Any) -> str:
    prefix = f"{env.get('docId')}-" if isinstance(env, dict) and env.get("docId") else ""
    return f"{prefix}{_number(tokens, idx)}"


def _sub(tokens: Sequence[Token], idx: int) -> str:
    sub = int(tokens[idx].meta.get("subId", -1))
    return f"-{sub}" if sub > 0 else ""


def _ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    ident = _ident(tokens, idx, env)
    return (f'<sup class="footnote-ref"><a href="#fn-{ident}" id="fnref-{ident}'
            f'{_sub(tokens, idx)}" role="doc-noteref">{_number(tokens, idx)}</a></sup>')


def _block_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return '<section class="footnotes" role="doc-endnotes">\n<ol>\n'


def _block_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "</ol>\n</section>\n"


def _open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return f'<li id="fn-{_ident(tokens, idx, env)}">'


def _close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return "</li>\n"


def _anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    ident = _ident(tokens, idx, env) + _sub(tokens, idx)
    return f' <a href="#fnref-{ident}" class="footnote-backref" role="doc-backlink">{BACK}</a>'


def footnotes(md: MarkdownIt) -> None:
    """mdit-py-plugins' footnotes, rendered as pressroom's endnotes."""
    md.use(footnote_plugin)
    md.add_render_rule("footnote_ref", _ref)
    md.add_render_rule("footnote_block_open", _block_open)
    md.add_render_rule("footnote_block_close", _block_close)
    md.add_render_rule("footnote_open", _open)
    md.add_render_rule("footnote_close", _close)
    md.add_render_rule("footnote_anchor", _anchor)
