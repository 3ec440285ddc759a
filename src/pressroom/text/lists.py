"""Lettered and roman lists, as pandoc's fancy_lists: `a.` `A.` `i.` `I.` `a)` `(a)`.

CommonMark numbers lists with digits only. A release that numbers its points "a.", "i." or
"(a)" (UN resolutions, legal text) keeps its markers: before parsing, each such marker is
written as the digits it stands for (the same line, so every line number stays right), and
the list it opens gets its HTML `type` back afterwards (`<ol type="a" start="3">`), which
every format shows: browsers and reading systems natively, the PDF through base.css.

Which is which: a single `i`/`I` starts a roman list unless it follows an `h`/`H` item; `v`,
`x` and other single letters continue the kind of list they are in; `ii`, `iv`, ... are
roman. An upper-case letter followed by a full stop needs two spaces (as in pandoc), so a
paragraph opening "A. Smith said" stays a paragraph.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<open>\(?)(?P<mark>[a-zA-Z]{1,6})"
                     r"(?P<close>[.)])(?P<space>[ \t]+|$)")
_ROMAN = re.compile(r"^(?=[mdclxvi])m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")
_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_value(text: str) -> int:
    """'iv' -> 4 (a valid lower-case roman numeral)."""
    total = 0
    for index, char in enumerate(text):
        value = _VALUES[char]
        following = _VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def rewrite(text: str) -> tuple[str, dict[int, str]]:
    """The text with fancy markers as digits, and the list type of each line (0-based) that
    now holds a digit marker standing for one: 'a', 'A', 'i' or 'I', followed by ')' for
    `a)` markers and '()' for `(a)` ones."""
    lines = text.split("\n")
    kinds: dict[int, str] = {}
    previous: dict[str, tuple[str, str, str]] = {}
    """indent -> (list type and style, marker letters, delimiter written) of the last fancy
    marker at that indent."""
    fence = False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = None if fence else _MARKER.match(line)
        if match is None:
            if line.strip() and not line.startswith((" ", "\t")):
                previous.clear()  # a paragraph at the margin ends every list
            continue
        mark, indent = match["mark"], match["indent"]
        if match["open"] and match["close"] != ")":
            continue  # "(a." is no marker
        last_kind, last_mark, last_delimiter = previous.get(indent, ("", "", "."))
        kind = _kind(mark, last_kind[:1], last_mark)
        if kind is None or (mark.isupper() and len(mark) == 1 and match["close"] == "."
                            and len(match["space"]) < 2 and match["space"] != ""):
            continue
        value = roman_value(mark.lower()) if kind in "iI" else ord(mark.lower()) - 96
        full = kind + ("()" if match["open"] else ")" if match["close"] == ")" else "")
        # CommonMark starts a new list where the delimiter changes: a change of list type or
        # marker style (a. -> i.) starts one, as in pandoc; the delimiter written is no clue
        # to the style, which `full` records.
        delimiter = last_delimiter if not last_kind or last_kind == full else \
            ("." if last_delimiter == ")" else ")")
        digits = f"{value}{delimiter}"
        # keep the column where the text starts: pad or trim the spaces after the marker
        width = len(match["open"]) + len(mark) + 1
        space = match["space"]
        padded = " " * max(1, width + len(space) - len(digits)) if space else ""
        lines[number] = indent + digits + padded + line[match.end():]
        kinds[number] = full
        previous[indent] = (full, mark, delimiter)
    return "\n".join(lines), kinds


def _kind(mark: str, before: str, before_mark: str) -> str | None:
    """'a', 'A', 'i' or 'I' for a marker, given the type and letters of the marker before it
    at the same indent; None for what is no marker (mixed case, not a numeral)."""
    lower = mark.lower()
    upper = mark.isupper()
    if len(mark) > 1:
        if not _ROMAN.match(lower) or (mark != lower and mark != mark.upper()):
            return None
        return "I" if upper else "i"
    if before in ("i", "I") and _ROMAN.match(lower):
        return before
    if lower == "i" and before_mark.lower() != "h":
        return "I" if upper else "i"
    return "A" if upper else "a"


def fancy_lists(md: MarkdownIt) -> None:
    """Give each ordered list opened by a fancy marker its `type` (the source was rewritten
    by `rewrite` and its kinds passed in the environment as `list_kinds`)."""
    md.core.ruler.push("fancy_list_types", _types)


def _types(state: StateCore) -> None:
    kinds = state.env.get("list_kinds") if isinstance(state.env, dict) else None
    if not kinds:
        return
    for index, token in enumerate(state.tokens):
        if token.type != "ordered_list_open" or not token.map:
            continue
        item = state.tokens[index + 1] if index + 1 < len(state.tokens) else None
        line = item.map[0] if item is not None and item.map else token.map[0]
        kind = kinds.get(line)
        if kind:
            token.attrSet("type", kind[0])
            if kind[1:]:  # the marker's punctuation, drawn by the stylesheets
                token.attrSet("class", "marker-parens" if kind[1:] == "()" else "marker-paren")
