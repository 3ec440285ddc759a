"""Typography that only does typography: dashes and the ellipsis, and nothing else.

markdown-it's own `replacements` rule also turns (c) (r) (tm) into symbols, +- into ±, ",," into
"," and any run of dots into "…": in legal and UN text ("section 7(c)", "wait....") those are
words and numbers, and a press office's words must reach every format exactly. This rule
replaces it. Quotation marks are markdown-it's `smartquotes` (per language, text/locale.py).

What changes: `---` -> em dash, `--` -> en dash (a run of four or more hyphens is left alone,
it is a rule or a placeholder), exactly three full stops `...` -> "…" (two, or four and more,
are left alone). Never inside code or a bare URL.

Quotation marks follow markdown-it's `smartquotes` rule to the character, but in linear time:
markdown-it's looks for each closing quote's opener through every unmatched opener before it
and rebuilds the text on each replacement, so a long paragraph of stray quotes (`"a' ` ...)
took minutes; `smartquotes` here keeps the openers of each kind chained and applies the
replacements once per text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

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
    """Replace markdown-it's `replacements` with `dashes_and_ellipsis`, and its `smartquotes`
    with `smartquotes` (the same quotes, in linear time)."""
    md.disable("replacements")
    md.core.ruler.before("smartquotes", "pressroom_typography", _rule)
    md.core.ruler.after("smartquotes", "pressroom_quotes", smartquotes)
    md.disable("smartquotes")


_QUOTE = re.compile("['\"]")
APOSTROPHE = "\u2019"


@dataclass(slots=True)
class _Opener:
    token: int
    pos: int
    single: bool
    level: int
    below: int
    """Index in the stack of the previous opener of the same kind (-1: none)."""


def smartquotes(state: StateCore) -> None:
    """markdown-it's `smartquotes` core rule (straight quotes to the `quotes` option's, an
    apostrophe inside a word), with the same results in time linear in the text."""
    if not state.md.options.typographer:
        return
    quotes = state.md.options.quotes
    for token in state.tokens:
        if token.type == "inline" and token.children is not None \
                and _QUOTE.search(token.content):
            _process(token.children, quotes)


def _process(tokens: list[Token], quotes: str | list[str]) -> None:
    """One inline token's children, as markdown-it's `process_inlines`. The stack of openers
    has non-decreasing levels, so the opener a closing quote may match is the topmost of its
    kind, if that one is at the quote's level; `tops` points at it."""
    stack: list[_Opener] = []
    tops = {True: -1, False: -1}
    edits: dict[int, dict[int, str]] = {}

    def pop_to(size: int) -> None:
        while len(stack) > size:
            gone = stack.pop()
            tops[gone.single] = gone.below

    for i, token in enumerate(tokens):
        level = token.level
        while stack and stack[-1].level > level:
            pop_to(len(stack) - 1)
        if token.type != "text":
            continue
        text = token.content
        mine = edits.setdefault(i, {})
        for match in _QUOTE.finditer(text):
            index = match.start()
            single = match.group() == "'"
            last = _last_char(tokens, i, text, index, edits)
            after = _next_char(tokens, i, text, index)
            last_punct = last is not None and (isMdAsciiPunct(last) or isPunctChar(chr(last)))
            next_punct = after is not None and (isMdAsciiPunct(after)
                                                or isPunctChar(chr(after)))
            last_space = last is not None and isWhiteSpace(last)
            next_space = after is not None and isWhiteSpace(after)
            can_open = not next_space and not (next_punct and not (last_space or last_punct))
            can_close = not last_space and not (last_punct and not (next_space or next_punct))
            if after == 0x22 and not single and last is not None and 0x30 <= last <= 0x39:
                can_open = can_close = False  # 1"" : the first is an inch mark
            if can_open and can_close:  # inside punctuation, not inside a word
                can_open, can_close = last_punct, next_punct
            if not can_open and not can_close:
                if single:
                    mine[index] = APOSTROPHE  # inside a word
                continue
            if can_close:
                top = tops[single]
                if top >= 0 and stack[top].level == level:
                    opener = stack[top]
                    mine[index] = quotes[3] if single else quotes[1]
                    edits.setdefault(opener.token, {})[opener.pos] = \
                        quotes[2] if single else quotes[0]
                    pop_to(top)
                    continue
            if can_open:
                stack.append(_Opener(i, index, single, level, tops[single]))
                tops[single] = len(stack) - 1
            elif can_close and single:
                mine[index] = APOSTROPHE
    for i, changes in edits.items():
        if changes:
            tokens[i].content = _applied(tokens[i].content, changes)


def _last_char(tokens: list[Token], i: int, text: str, index: int,
               edits: dict[int, dict[int, str]]) -> int | None:
    """The character before a quote as the text reads now (an earlier quote replaced), or
    that of the nearest token before with content on the same line; a space if none."""
    if index > 0:
        return ord(edits[i].get(index - 1, text[index - 1])[-1])
    for j in range(i - 1, -1, -1):
        if tokens[j].type in ("softbreak", "hardbreak"):
            break
        content = tokens[j].content
        if content:
            return ord(edits.get(j, {}).get(len(content) - 1, content[-1])[-1])
    return 0x20


def _next_char(tokens: list[Token], i: int, text: str, index: int) -> int | None:
    """The character after a quote, or the first of the nearest token after with content on
    the same line; a space if none."""
    if index + 1 < len(text):
        return ord(text[index + 1])
    for j in range(i + 1, len(tokens)):
        if tokens[j].type in ("softbreak", "hardbreak"):
            break
        if tokens[j].content:
            return ord(tokens[j].content[0])
    return 0x20


def _applied(text: str, changes: dict[int, str]) -> str:
    """`text` with the characters at the keys of `changes` replaced by their values."""
    parts: list[str] = []
    start = 0
    for index in sorted(changes):
        parts += [text[start:index], changes[index]]
        start = index + 1
    parts.append(text[start:])
    return "".join(parts)
