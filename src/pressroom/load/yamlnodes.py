"""YAML to plain values that remember their line numbers.

PyYAML's C parser builds the node tree; we construct values ourselves so that every key and
value keeps its line, duplicate keys are caught, and only JSON-like types exist: timestamps
stay strings (pressroom parses dates itself) and only `true`/`false` are booleans (YAML 1.1
would turn the language code `no` into False).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

try:
    _Base: type[Any] = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader without the timestamp resolver and with YAML 1.2-style booleans."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))


@dataclass(frozen=True, slots=True)
class Located:
    """A value and the 1-based line where it starts."""

    value: Any
    """str, int, float, bool, None, list[Located] or dict[str, Located]."""
    line: int
    raw: str | None = field(default=None, compare=False)
    """For scalars, the text as written (so `phone: +4122...` or `007` keep their digits)."""


class YamlProblem(Exception):
    """The text is not valid YAML (or uses a feature pressroom refuses); `problems` holds
    every (line, message) found, the first being `line` and `message`."""

    def __init__(self, line: int, message: str,
                 more: list[tuple[int, str]] | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.problems = [(line, message), *(more or [])]


def load(text: str, first_line: int = 1) -> Located:
    """Parse one YAML document; lines are numbered from `first_line`."""
    offset = first_line - 1
    try:
        if "*" in text or "!" in text:  # an alias or a tag needs one; most sources have none
            _refuse_aliases_and_tags(text, offset)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context in _OPENED and exc.context_mark:
            mark = exc.context_mark  # where the quote or bracket opens, not where it ended
        if mark is None:
            raise YamlProblem(first_line, _yaml_message(exc, "")) from None
        line = mark.line + 1 + offset
        lines = text.split("\n")
        bad_line = lines[mark.line] if mark.line < len(lines) else ""
        raise YamlProblem(line, _yaml_message(exc, bad_line)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, str(exc).splitlines()[0]) from None
    if node is None:
        return Located(None, first_line)
    return _construct(node, offset, set(), 0)


ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot carry or that only ever come from a wrong encoding (C0 and C1
controls, DEL, noncharacters): never valid in a source (tabs and line ends excepted)."""
LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
"""Characters YAML and Unicode read as line breaks but editors show as spaces (or nothing),
and renderers draw as an empty box: refused in every text."""
_SEPARATOR_NAMES = {"\x85": "next line", "\u2028": "line separator",
                    "\u2029": "paragraph separator"}


def separator_message(char: str, where: str, hint: str) -> str:
    """'character U+2028 (line separator) is not allowed in <where>; <hint>'."""
    return (f"character U+{ord(char):04X} ({_SEPARATOR_NAMES[char]}) is not allowed in "
            f"{where}; {hint}")


_OPENED = {"while scanning a quoted scalar", "while parsing a flow sequence",
           "while parsing a flow mapping"}
MAX_DEPTH = 100
"""Deeper nesting is never a press release, and would exhaust Python's recursion limit."""


def _refuse_aliases_and_tags(text: str, offset: int) -> None:
    """Aliases (*name) are refused before any node is built (no 'billion laughs'), and so is
    every tag (`!foo`, `!!str`, `!!map`, `!!seq`...), on a scalar, a list or a mapping: a
    value is what it looks like, never what a tag makes of it."""
    found: list[tuple[int, str]] = []
    for event in yaml.parse(text, Loader=_Loader):
        line = (event.start_mark.line if event.start_mark else 0) + 1 + offset
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(line, "invalid YAML: aliases (*name) are not allowed")
        tag = getattr(event, "tag", None)
        if tag is not None:
            found.append((line, f"invalid YAML: tags such as {_written_tag(tag)} are not "
                          "allowed; write the value without it"))
    if found:
        raise YamlProblem(*found[0], more=found[1:])


def _written_tag(tag: str) -> str:
    """A tag as it is written: 'tag:yaml.org,2002:str' -> '!!str'."""
    if tag.startswith(_CORE):
        return "!!" + tag[len(_CORE):]
    return tag if tag.startswith("!") else f"!<{tag}>"


_CORE = "tag:yaml.org,2002:"


def _yaml_message(exc: yaml.MarkedYAMLError, bad_line: str) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    text = "; ".join(parts) or "invalid YAML"
    if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())] or "tab" in text:
        text += " (indent with spaces, not tabs)"
    elif "mapping values are not allowed" in text:
        text += " (put a value containing ': ' in quotes)"
    return f"invalid YAML: {text}"


def _construct(node: yaml.Node, offset: int, seen: set[int], depth: int) -> Located:
    line = node.start_mark.line + 1 + offset
    if depth > MAX_DEPTH:
        raise YamlProblem(line, f"invalid YAML: values nested more than {MAX_DEPTH} levels deep "
                          "are not allowed")
    if id(node) in seen:  # pragma: no cover - aliases are refused by _refuse_aliases
        raise YamlProblem(line, "invalid YAML: aliases (*name) are not allowed")
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Located] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(line_of(key_node, offset),
                                  "invalid YAML: merge keys (<<) are not allowed")
            key = _construct(key_node, offset, seen, depth + 1)
            if not isinstance(key.value, str):
                raise YamlProblem(key.line, f"invalid YAML: key {plain(key)!r} is not text")
            if key.value in out:
                raise YamlProblem(key.line, f"invalid YAML: duplicate key {key.value!r}")
            value = _construct(value_node, offset, seen, depth + 1)
            out[key.value] = Located(value.value, key.line) if _is_empty(value) else value
        return Located(out, line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_construct(item, offset, seen, depth + 1) for item in node.value], line)
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _SCALAR_TAGS:
        raise YamlProblem(line, f"invalid YAML: tag {node.tag!r} is not allowed")
    bad = ILLEGAL.search(node.value)
    if bad is not None:  # written as an escape ("\x01"), so the file check did not see it
        raise YamlProblem(line, f"control character U+{ord(bad.group()):04X} is not allowed "
                          "in text")
    separator = LINE_SEPARATORS.search(node.value)
    if separator is not None:  # "\u2028": a line break no renderer draws
        raise YamlProblem(line, separator_message(separator.group(), "front matter",
                                                  "use a space"))
    try:
        return Located(_scalar(node), line, raw=str(node.value))
    except (ValueError, IndexError):
        raise YamlProblem(line, f"invalid YAML: {node.value!r} is not a number") from None


def line_of(node: yaml.Node, offset: int) -> int:
    """1-based line of a node."""
    return int(node.start_mark.line) + 1 + offset


def _scalar(node: yaml.ScalarNode) -> Any:
    """The value of a resolved scalar (str, int, float, bool or None)."""
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    if node.tag == "tag:yaml.org,2002:null":
        return None
    if node.tag == "tag:yaml.org,2002:bool":
        return node.value.lower() == "true"
    if node.tag == "tag:yaml.org,2002:int":  # YAML's own rules (0x1F, 1_000, ...)
        return _CONSTRUCTOR.construct_yaml_int(node)
    return _CONSTRUCTOR.construct_yaml_float(node)


_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _is_empty(value: Located) -> bool:
    return value.value is None


_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


def plain(value: Located) -> Any:
    """Strip line numbers: the value as ordinary Python data."""
    inner = value.value
    if isinstance(inner, dict):
        return {k: plain(v) for k, v in inner.items()}
    if isinstance(inner, list):
        return [plain(v) for v in inner]
    return inner
