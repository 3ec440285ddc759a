"""The engine behind the field table (load/fields.py): what a `Spec` is, and what the loader,
`pressroom schema` and the docs do with a table of them.

Each `Spec` says what a field holds; `validate` checks located YAML values against a table of
specs and returns plain values plus every problem found; `load/jsonschema.py` turns the same table
into the schema editors' YAML language servers use. They cannot drift apart.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from pressroom.load import zones
from pressroom.load.yamlnodes import Located
from pressroom.text import phones
from pressroom.text.locale import LANGUAGE_TAG

IRI = re.compile(r"^(?!(?:javascript|vbscript|data|file):)[a-zA-Z][a-zA-Z0-9+.-]*:"
                 r"[^\s<>\"{}|\\^`]+$", re.IGNORECASE)
HTTP_URL = re.compile(r"^https?://[^\s/$.?#][^\s<>\"]*$")
BASE_URL = re.compile(r"^https?://[^\s/$.?#@<>\"][^\s/?#@<>\"]*(?:/[^\s?#<>\"]*)?$")
"""An address other addresses are made from by adding a path: no user:password@ (it would be
in every link), no query and no #fragment (the page's path would land inside them)."""
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+[0-9][0-9 ()./-]{4,}$")
"""The JSON Schema's rough shape of a phone number; the loader checks it with `phonenumbers`."""
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^\d{4}-\d{2}$")
YEAR_RE = re.compile(r"^\d{4}$")
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


PRINTED = frozenset({"text", "line", "lines", "phone", "mapping"})
"""Types whose values people read, unless a Spec says otherwise: what they hold must be in the
fonts. Ids, addresses, e-mail, language tags, zones, dates, choices and lists of keys are not
printed as written (a choice is printed as its label, a date as the locale writes it)."""
TYPESET = frozenset({"text", "line", "lines"})
"""Printed types that get the language's quotes and dashes, unless a Spec says otherwise."""


@dataclass(frozen=True)
class Spec:
    """One field: its type, whether it is required, help text and a valid example; what the
    loader makes of it (default, model class, whitespace) and how it is printed (glyph
    coverage, typography)."""

    type: str
    """text, line, lines (text whose line breaks are kept), iri, url, base (the address dist/
    is published at), email, phone, language, timezone, datetime, count, flag (true or
    false), enum, list, object, objects (a list of objects) or mapping (text by key)."""
    help: str
    example: Any
    required: bool = False
    choices: tuple[str, ...] = ()
    fields: Mapping[str, Spec] = field(default_factory=dict)
    one_of: tuple[str, ...] = ()
    """Of an object (of each item of objects): it needs at least one of these fields."""
    default: Any = None
    """The value when the field is not given (None: the model's empty value)."""
    inherit: str = ""
    """When the field is not given, the value of this field of the publication."""
    model: Callable[..., Any] | None = None
    """What the loader makes of the value: an enum, or the model class of an object (of each
    item of objects)."""
    attr: str = ""
    """The model attribute, when it is not named like the field."""
    markdown: bool = False
    """Markdown, rendered like the body (typography included); its line breaks are kept."""
    printed: bool | None = None
    """Read by people, so every character must be in the fonts; None: by type (PRINTED)."""
    typeset: bool | None = None
    """Given the language's quotes and dashes when prepared; None: printed text and lines
    that are not Markdown (TYPESET)."""
    min_items: int = 0
    """A list's fewest items (0: no minimum)."""
    max_items: int = 0
    """A list's most items (0: no maximum)."""
    partial: bool = False
    """A datetime that may also be a year (2014) or a month (2014-10) alone: an archive's
    date, read as its first instant (`Partial`)."""

    @property
    def is_printed(self) -> bool:
        """Whether glyph coverage checks the field."""
        return self.type in PRINTED if self.printed is None else self.printed

    @property
    def is_typeset(self) -> bool:
        """Whether `prepare` gives the field typographic quotes and dashes."""
        if self.typeset is not None:
            return self.typeset
        return self.is_printed and self.type in TYPESET and not self.markdown

    @property
    def collapses(self) -> bool:
        """Whether runs of white space (line breaks of a folded block) become one space: text
        that is not Markdown."""
        return self.type == "text" and not self.markdown


@dataclass
class Outcome:
    """What `validate` found: the plain values, the problems (line, field, message), the
    line of every field and list item by its path (e.g. `boilerplate[0]`), and every date
    as parsed by its path (e.g. `corrections[0].date`)."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    moments: dict[str, date | datetime] = field(default_factory=dict)


_RECORD: ContextVar[Outcome | None] = ContextVar("_RECORD", default=None)
"""The outcome of the outermost `validate`, where nested objects record lines and dates."""


@contextmanager
def _recording(out: Outcome) -> Iterator[None]:
    token = _RECORD.set(out)
    try:
        yield
    finally:
        _RECORD.reset(token)


def validate(node: Located, specs: Mapping[str, Spec], prefix: str = "") -> Outcome:
    """Check a located mapping against `specs`; report every problem, not just the first.

    Values stay plain (dates as written: they are cached as JSON); each date is parsed once,
    here, into `Outcome.moments`."""
    out = Outcome()
    if _RECORD.get() is None:
        with _recording(out):
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
    if isinstance(example, bool):
        return f"e.g. {str(example).lower()}"
    if isinstance(example, str) and "\n" in example.strip():
        lines = ", ".join(repr(line) for line in example.strip().split("\n"))
        return f"e.g. a | block of the lines {lines}"
    if isinstance(example, str):
        return f"e.g. {example!r}"
    return f"e.g. {example}"


def _check(node: Located, spec: Spec, name: str, problems: list[tuple[int, str, str]]) -> Any:
    record = _RECORD.get()
    if record is not None:
        record.lines[name] = node.line
    value = node.value
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "" or value == [] or value == {}:
        if spec.required:
            problems.append((node.line, name, f"must not be empty; {_eg(spec)}"))
        return None
    if spec.type in ("object", "objects", "list", "mapping"):
        return _STRUCTURED[spec.type](node, spec, name, problems)
    if spec.type == "flag":
        if isinstance(value, bool):
            return value
        problems.append((node.line, name, f"expected true or false, got {_describe(value)}; "
                         f"{_eg(spec)}"))
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        wanted = "a whole number" if spec.type == "count" else "text"
        problems.append((node.line, name, f"expected {wanted}, got {_describe(value)}; "
                         f"{_eg(spec)}"))
        return None
    text = (node.raw if node.raw is not None else str(value)).strip()
    if spec.type == "datetime":
        moment = _moment(text, spec.partial)
        error = moment if isinstance(moment, str) else None
        if record is not None and not isinstance(moment, str):
            record.moments[name] = moment
    else:
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
    count = len(node.value)
    if count < spec.min_items or count > (spec.max_items or count):
        bounds = f"{spec.min_items} to {spec.max_items}" if spec.min_items and spec.max_items \
            else f"at least {spec.min_items}" if spec.min_items else f"at most {spec.max_items}"
        problems.append((node.line, name, f"has {count} item{'s' if count != 1 else ''}; give "
                         f"{bounds}"))
    return tuple(items)


def _check_object(node: Located, spec: Spec, name: str, problems: list[Any]) -> Any:
    result = validate(node, spec.fields, name + ".")
    problems.extend(result.problems)
    if spec.one_of and isinstance(node.value, dict) and not any(
            key in result.values or _given(node.value.get(key)) for key in spec.one_of):
        *first, last = spec.one_of
        example = spec.fields[first[0]].example
        problems.append((node.line, name, f"needs at least one of {', '.join(first)} or {last}; "
                         f"e.g. {first[0]}: {example!r}"))
    return result.values if not result.problems else None


def _given(node: Located | None) -> bool:
    """Whether a value is written (a wrong one is reported on its own)."""
    return node is not None and node.value not in (None, "", [], {})


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


def _phone(text: str, spec: Spec) -> str | None:
    return _line(text, spec) or phones.problem(text)


def _enum(text: str, spec: Spec) -> str | None:
    if text in spec.choices:
        return None
    near = difflib.get_close_matches(text, spec.choices, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"{text!r} is not one of {', '.join(spec.choices)}{hint}"


def _timezone(text: str, spec: Spec) -> str | None:
    return zones.problem(text)


def _base_url(text: str, spec: Spec) -> str | None:
    if BASE_URL.match(text):
        return None
    if not HTTP_URL.match(text):
        return f"{text!r} is not an absolute http(s) URL"
    parts = urlsplit(text)
    wrong = [what for what, found in (
        ("a user name or password (user:password@)", "@" in parts.netloc),
        ("a query (?...)", "?" in text), ("a fragment (#...)", "#" in text)) if found]
    return f"{text!r} has {' and '.join(wrong) or 'characters not allowed'}; page addresses " \
        "are made by adding their path to it"


def _count(text: str, spec: Spec) -> str | None:
    if not re.fullmatch(r"[0-9]+", text) or not 1 <= int(text) <= 100_000:
        return f"{text!r} is not a whole number from 1 to 100000"
    return None


def _pattern(regex: re.Pattern[str], what: str) -> Callable[[str, Spec], str | None]:
    def check(text: str, spec: Spec) -> str | None:
        return None if regex.match(text) else f"{text!r} is not {what}"

    return check


class Partial(date):
    """A year (2014) or a month (2014-10) given alone, standing for its first day; read as
    the first instant of that day (00:00) in the publication's time zone."""

    precision: str
    """'year' or 'month'."""

    @classmethod
    def of(cls, text: str) -> Partial:
        """The year or month of `text` (YYYY or YYYY-MM); ValueError if it is neither."""
        year, _, month = text.partition("-")
        made = cls(int(year), int(month or 1), 1)
        made.precision = "month" if month else "year"
        return made


def precision(text: str) -> str:
    """How much of a moment a validated date text gives: 'year', 'month' or 'day'."""
    return "year" if YEAR_RE.match(text) else "month" if MONTH_RE.match(text) else "day"


def parse_datetime(text: str, partial: bool = False) -> date | datetime:
    """A date (YYYY-MM-DD) or an ISO 8601 date-time, and with `partial` a year (YYYY) or a
    month (YYYY-MM) alone (a `Partial`); ValueError says what is wrong."""
    if YEAR_RE.match(text) or MONTH_RE.match(text):
        if not partial:
            what = "a year" if YEAR_RE.match(text) else "a month"
            raise ValueError(f"{text!r} is {what} alone; give the day too (only `published` "
                             "may be a year or a month, for archive imports)")
        try:
            return Partial.of(text)
        except ValueError as exc:
            what = "month" if MONTH_RE.match(text) else "year"
            raise ValueError(f"{text!r} is not a valid {what} ({exc})") from None
    if DATE_RE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a valid date ({exc})") from None
    if not DATETIME_RE.match(text):
        forms = "a date (YYYY-MM-DD), a date-time with a zone offset, a month (YYYY-MM) or a " \
            "year (YYYY)" if partial else "a date (YYYY-MM-DD) or a date-time with a zone offset"
        raise ValueError(f"{text!r} is not {forms}")
    try:
        return datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a valid date-time ({exc})") from None


def _moment(text: str, partial: bool = False) -> date | datetime | str:
    """The date or aware date-time `text` stands for, or why it is not one."""
    try:
        moment = parse_datetime(text, partial)
    except ValueError as exc:
        return str(exc)
    if isinstance(moment, datetime) and moment.tzinfo is None:
        return f"{text!r} has a time but no zone offset (add Z or +01:00)"
    offset = moment.utcoffset() if isinstance(moment, datetime) else None
    if offset is not None and offset % timedelta(minutes=1):
        return f"{text!r} has seconds in its zone offset; the offset must be whole minutes"
    if not FIRST.year <= moment.year <= LAST.year:
        return f"{text!r} is out of range (years {FIRST.year} to {LAST.year})"
    return moment


FIRST = datetime(1000, 1, 1, tzinfo=UTC)
LAST = datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC)
RANGE = "the years 1000 to 9998, as written and in UTC"
"""The moments every output can carry: four-digit years (RFC 3339, RFC 822, the OPF and PDF
dates) with a day to spare at each end, so that any zone's local time is one too."""


def out_of_range(moment: datetime) -> str | None:
    """Why an aware moment cannot be published (its UTC instant is outside FIRST..LAST)."""
    utc = moment.astimezone(UTC)
    if FIRST <= utc <= LAST:
        return None
    written = utc.replace(tzinfo=None).isoformat(timespec="seconds")
    return f"is {written}Z in UTC: out of range ({RANGE})"


_SCALAR: dict[str, Callable[[str, Spec], str | None]] = {
    "text": lambda text, spec: None,
    "line": _line,
    "lines": lambda text, spec: None,
    "iri": _pattern(IRI, "an absolute IRI (such as a tag: URI)"),
    "url": _pattern(HTTP_URL, "an absolute http(s) URL"),
    "base": _base_url,
    "email": _pattern(EMAIL, "an e-mail address"),
    "phone": _phone,
    "language": _pattern(LANGUAGE_TAG, "a BCP 47 language tag"),
    "timezone": _timezone,
    "count": _count,
    "enum": _enum,
}
