"""The engine behind the field table (load/fields.py): what a `Spec` is, and what the loader,
`pressroom schema` and the docs do with a table of them.

Each `Spec` says what a field holds; `validate` checks located YAML values against a table of
specs and returns plain values plus every problem found; `json_schema` turns the same table
into the schema editors' YAML language servers use. They cannot drift apart.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pressroom.load.yamlnodes import Located
from pressroom.text.locale import LANGUAGE_TAG

IRI = re.compile(r"^(?!(?:javascript|vbscript|data|file):)[a-zA-Z][a-zA-Z0-9+.-]*:"
                 r"[^\s<>\"{}|\\^`]+$", re.IGNORECASE)
HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s<>\"]*$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Spec:
    """One field: its type, whether it is required, help text and a valid example."""

    type: str
    """text, line, iri, url, email, phone, language, timezone, datetime, enum, list, object,
    objects (a list of objects) or mapping (text by key)."""
    help: str
    example: Any
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: Mapping[str, Spec] = field(default_factory=dict)


@dataclass
class Outcome:
    """What `validate` found: the plain values, the problems (line, field, message), and the
    line of every field and list item by its path (e.g. `boilerplate[0]`)."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


_LINES: ContextVar[dict[str, int] | None] = ContextVar("_LINES", default=None)


@contextmanager
def _recording(lines: dict[str, int]) -> Iterator[None]:
    token = _LINES.set(lines)
    try:
        yield
    finally:
        _LINES.reset(token)


def validate(node: Located, specs: Mapping[str, Spec], prefix: str = "") -> Outcome:
    """Check a located mapping against `specs`; report every problem, not just the first."""
    out = Outcome()
    if _LINES.get() is None:
        with _recording(out.lines):
            return _validate(node, specs, prefix, out)
    return _validate(node, specs, prefix, out)


def _validate(node: Located, specs: Mapping[str, Spec], prefix: str, out: Outcome) -> Outcome:
    if not isinstance(node.value, dict):
        out.problems.append((node.line, prefix.rstrip("."), "expected a mapping of fields"))
        return out
    for key, value in node.value.items():
        name = prefix + key
        spec = specs.get(key)
        if spec is None:
            out.problems.append((value.line, name, _unknown(key, specs)))
            continue
        checked = _check(value, spec, name, out.problems)
        if checked is not None:
            out.values[key] = checked
    for key, spec in specs.items():
        if spec.required and key not in out.values and key not in node.value:
            message = f"required field is missing; {_eg(spec)}"
            out.problems.append((node.line, prefix + key, message))
    return out


def _unknown(key: str, specs: Mapping[str, Spec]) -> str:
    near = difflib.get_close_matches(key, list(specs), n=1, cutoff=0.6)
    hint = f"; did you mean '{near[0]}'?" if near else f"; known fields: {', '.join(specs)}"
    return f"unknown field{hint}"


def _eg(spec: Spec) -> str:
    example = spec.example
    if isinstance(example, str):
        return f"e.g. {example!r}"
    return f"e.g. {example}"


def _check(node: Located, spec: Spec, name: str, problems: list[tuple[int, str, str]]) -> Any:
    lines = _LINES.get()
    if lines is not None:
        lines[name] = node.line
    value = node.value
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "" or value == [] or value == {}:
        if spec.required:
            problems.append((node.line, name, f"must not be empty; {_eg(spec)}"))
        return None
    if spec.type in ("object", "objects", "list", "mapping"):
        return _STRUCTURED[spec.type](node, spec, name, problems)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        wanted = "a whole number" if spec.type == "count" else "text"
        problems.append((node.line, name, f"expected {wanted}, got {_describe(value)}; "
                         f"{_eg(spec)}"))
        return None
    text = (node.raw if node.raw is not None else str(value)).strip()
    error = _SCALAR[spec.type](text, spec)
    if error:
        problems.append((node.line, name, f"{error}; {_eg(spec)}"))
        return None
    return text


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _check_list(node: Located, spec: Spec, name: str, problems: list[Any]) -> Any:
    if not isinstance(node.value, list):
        problems.append((node.line, name, f"expected a list, got {_describe(node.value)}"))
        return None
    items: list[str] = []
    for i, item in enumerate(node.value):
        example = spec.example[0] if isinstance(spec.example, list) and spec.example else ""
        text = _check(item, Spec("line", spec.help, example, required=True), f"{name}[{i}]",
                      problems)
        if text is None:
            continue
        if text in items:
            problems.append((item.line, f"{name}[{i}]", f"duplicate entry {text!r}"))
        items.append(text)
    return tuple(items)


def _check_object(node: Located, spec: Spec, name: str, problems: list[Any]) -> Any:
    result = validate(node, spec.fields, name + ".")
    problems.extend(result.problems)
    return result.values if not result.problems else None


def _check_objects(node: Located, spec: Spec, name: str, problems: list[Any]) -> Any:
    if not isinstance(node.value, list):
        problems.append((node.line, name, f"expected a list, got {_describe(node.value)}"))
        return None
    out = [_check_object(item, spec, f"{name}[{i}]", problems) for i, item in enumerate(node.value)]
    return tuple(out) if all(o is not None for o in out) else None


def _check_mapping(node: Located, spec: Spec, name: str, problems: list[Any]) -> Any:
    if not isinstance(node.value, dict):
        problems.append((node.line, name, f"expected a mapping, got {_describe(node.value)}"))
        return None
    out: dict[str, str] = {}
    for key, item in node.value.items():
        if not SLUG.match(key):
            problems.append((item.line, f"{name}.{key}", "key must be lowercase-with-hyphens"))
        text = _check(item, Spec("text", spec.help, "", required=True), f"{name}.{key}", problems)
        if text is not None:
            out[key] = text
    return out


_STRUCTURED: dict[str, Callable[..., Any]] = {
    "list": _check_list,
    "object": _check_object,
    "objects": _check_objects,
    "mapping": _check_mapping,
}


def _line(text: str, spec: Spec) -> str | None:
    if "\n" in text:
        return "must be a single line"
    return None


def _enum(text: str, spec: Spec) -> str | None:
    if text in spec.choices:
        return None
    near = difflib.get_close_matches(text, spec.choices, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"{text!r} is not one of {', '.join(spec.choices)}{hint}"


def _timezone(text: str, spec: Spec) -> str | None:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return f"{text!r} is not an IANA time zone"
    return None


def _count(text: str, spec: Spec) -> str | None:
    if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= 100_000:
        return f"{text!r} is not a whole number from 1 to 100000"
    return None


def _pattern(regex: re.Pattern[str], what: str) -> Callable[[str, Spec], str | None]:
    def check(text: str, spec: Spec) -> str | None:
        return None if regex.match(text) else f"{text!r} is not {what}"

    return check


def parse_datetime(text: str) -> date | datetime:
    """A date (YYYY-MM-DD) or an ISO 8601 date-time; ValueError says what is wrong."""
    if DATE_RE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a valid date ({exc})") from None
    if not DATETIME_RE.match(text):
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD) or a date-time with a zone offset")
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date-time ({exc})") from None


def _datetime(text: str, spec: Spec) -> str | None:
    try:
        moment = parse_datetime(text)
    except ValueError as exc:
        return str(exc)
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return f"{text!r} has a time but no zone offset (add Z or +01:00)"
    if not 1000 <= moment.year <= 9998:
        return f"{text!r} is out of range (years 1000 to 9998)"
    return None


_SCALAR: dict[str, Callable[[str, Spec], str | None]] = {
    "text": lambda text, spec: None,
    "line": _line,
    "iri": _pattern(IRI, "an absolute IRI (such as a tag: URI)"),
    "url": _pattern(HTTP_URL, "an absolute http(s) URL"),
    "email": _pattern(EMAIL, "an e-mail address"),
    "phone": _pattern(PHONE, "a phone number"),
    "language": _pattern(LANGUAGE_TAG, "a BCP 47 language tag"),
    "timezone": _timezone,
    "count": _count,
    "datetime": _datetime,
    "enum": _enum,
}


def json_schema(specs: Mapping[str, Spec], title: str = "") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a table of specs."""
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if title:
        schema["title"] = title
    schema.update(_object_schema(specs))
    return schema


def _object_schema(specs: Mapping[str, Spec]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k, s in specs.items() if s.required],
        "properties": {k: _field_schema(s) for k, s in specs.items()},
    }


def _field_schema(spec: Spec) -> dict[str, Any]:
    base: dict[str, Any] = {"description": spec.help, "examples": [spec.example]}
    if spec.type == "object":
        return base | _object_schema(spec.fields)
    if spec.type == "objects":
        return base | {"type": "array", "items": _object_schema(spec.fields)}
    if spec.type == "list":
        return base | {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "minLength": 1},
        }
    if spec.type == "mapping":
        return base | {
            "type": "object",
            "propertyNames": {"pattern": SLUG.pattern},
            "additionalProperties": {"type": "string", "minLength": 1},
        }
    if spec.type == "enum":
        return base | {"enum": list(spec.choices)}
    patterns = {"iri": IRI, "url": HTTP_URL, "email": EMAIL, "phone": PHONE,
                "language": LANGUAGE_TAG}
    out = base | {"type": "string", "minLength": 1}
    if spec.type in patterns:
        out["pattern"] = patterns[spec.type].pattern
    if spec.type == "count":
        return base | {"type": "integer", "minimum": 1, "maximum": 100_000}
    if spec.type == "datetime":
        out["anyOf"] = [{"format": "date"}, {"format": "date-time"}]
    return out
