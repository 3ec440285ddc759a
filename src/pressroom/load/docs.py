"""docs/writing-a-release.md and the README's field table, generated from the field table
the loader validates against.

Each field's name, type, help and example comes from `load/fields.py`, and the rules for dates
and for the text from the code that applies them, so the page cannot drift from what
`pressroom check` accepts: tests compare the committed page with `render_markdown()` and the
README's table (between its `fields:start` and `fields:end` markers) with `readme_fields()`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from pressroom.load.fields import PUBLICATION, RELEASE
from pressroom.load.rules import NOON
from pressroom.load.schema import FIRST, LAST, Spec
from pressroom.load.site import MAX_BYTES, MAX_STEM, PUBLICATION_FILE
from pressroom.text.markdown import ALLOWED_SCHEMES, MAX_PARAGRAPH, MAX_SPANS

DOCS_PATH = Path("docs") / "writing-a-release.md"
README_PATH = Path("README.md")
README_START = ("<!-- fields:start: generated from src/pressroom/load/fields.py by `make docs`; "
                "edit that table, not these lines -->")
README_END = "<!-- fields:end -->"
EXAMPLE_FIELDS = ("id", "kind", "headline", "summary", "published", "language", "dateline",
                  "keywords", "contacts", "boilerplate")
"""The fields of the short release at the top of the page (each with its table example)."""
EXAMPLE_BODY = (
    "Mr. Forst visited Mexico from 16 to 24 January 2017, crisscrossing from Mexico City to "
    "the states of Chihuahua, Guerrero, Oaxaca and State of Mexico.\n\n"
    "## Recommendations\n\n"
    "On the final day of his visit, the expert delivered a [preliminary report]"
    "(https://www.ohchr.org/) with a series of recommendations to the Mexican authorities.\n"
)
TYPES = {
    "text": "text; it may run over several lines",
    "line": "text on one line",
    "lines": "text on several lines, kept as written",
    "iri": "an absolute IRI, such as a tag: URI",
    "url": "an absolute http or https address",
    "base": "an absolute http or https address, without user:password@, query or #fragment",
    "email": "an e-mail address",
    "phone": "a phone number, with its country code",
    "language": "a BCP 47 language tag",
    "timezone": "an IANA time zone name: Area/City, or UTC",
    "count": "a whole number from 1 to 100000",
    "flag": "true or false",
    "datetime": "a date (YYYY-MM-DD) or an ISO 8601 date-time with its zone offset",
    "list": "a list of text",
    "object": "a mapping with {}",
    "objects": "a list of mappings with {}",
    "mapping": "a mapping of lowercase-with-hyphens keys to text",
}
"""Each field type of `fields.Spec` in plain words (`enum` lists its choices)."""


class _Dumper(yaml.SafeDumper):
    """Block style with lists indented under their key, as sources are written; dates are left
    unquoted, since pressroom reads them as text and parses them itself."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Text with line breaks as a `|` block, as an editor writes an address."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text
                                   else None)


_Dumper.add_representer(str, _text)
_Dumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}


def dump_yaml(values: Mapping[str, Any], width: int = 100) -> str:
    """Fields as block YAML that pressroom's loader reads back to the same values."""
    text: str = yaml.dump(dict(values), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=width)
    return text


def describe(spec: Spec) -> str:
    """A field's type in plain words."""
    if spec.type == "enum":
        return "one of: " + ", ".join(spec.choices)
    if spec.type == "datetime" and spec.partial:
        return TYPES["datetime"] + ", or a year (YYYY) or a month (YYYY-MM) alone"
    if spec.type == "list" and spec.is_printed:
        count = f"{spec.min_items} to {spec.max_items} " if spec.min_items and spec.max_items \
            else ""
        return f"a list of {count}lines of text"
    return TYPES[spec.type].format(", ".join(f"`{name}`" for name in spec.fields))


def example_release(names: Iterable[str] = EXAMPLE_FIELDS, body: str = EXAMPLE_BODY) -> str:
    """A release file made of the table's examples of `names`, in table order."""
    wanted = set(names)
    front = dump_yaml({k: s.example for k, s in RELEASE.items() if k in wanted})
    return f"---\n{front}---\n\n{body}"


def render_markdown() -> str:
    """docs/writing-a-release.md, from vocabulary.RELEASE and PUBLICATION."""
    schemes = [f"`{s.rstrip(':')}`" for s in ALLOWED_SCHEMES]
    parts = [
        "# Writing a release",
        "<!-- Generated from src/pressroom/load/fields.py by `make docs`: edit that table, "
        "not this page. -->",
        "A release is one file in `source/`, named `<date>-<short-name>.md` in lowercase "
        "letters, digits and hyphens (`2017-01-25-mexico-defenders.md`); the name names its "
        "outputs in `dist/`. It starts with YAML front matter between two `---` lines (the "
        "fields below), and the text of the release follows in Markdown. "
        '`make new TITLE="UN expert urges action"` (`pressroom new`) writes a new one with its '
        "id and today's date and leaves the summary and the text to write; `pressroom check` "
        "lists whatever is missing or wrong as `file:line: field: message`.",
        "A short release:",
        f"```markdown\n{example_release()}```",
        "## Dates and time zones",
        f"A date alone (`2017-01-25`) is read as {NOON:%H:%M} in the `timezone` of "
        f"`{PUBLICATION_FILE}`, so that it names the same calendar day for readers from UTC−11 "
        "to UTC+11. A date-time needs its zone offset (`2017-01-25T10:00:00+01:00` or "
        "`2017-01-25T10:00:00Z`): a time without one is an error, and so is an offset that is "
        "not whole minutes (`+01:00:30`). Every date and date-time lies in the years "
        f"{FIRST.year} to {LAST.year}, both as written and in UTC (a date alone counts as its "
        f"{NOON:%H:%M} in the `timezone`): that is what every output can carry. "
        "`embargo_until` always "
        "takes a time and a zone. `updated`, corrections, updates and a withdrawal may not be "
        "earlier than `published`, and an embargo may not end after it. For archive imports, "
        "`published` may be a year (`2014`) or a month (`2014-10`) alone: it is printed as "
        "such ('2014', 'October 2014', 'octobre 2014') and feeds, metadata and ordering use "
        "its first instant (00:00 on 1 January 2014, or on 1 October, in the `timezone`); "
        "`updated` defaults to that instant too.",
        "## The text",
        "The text after the front matter is CommonMark. Raw HTML is shown as text, never "
        f"passed through; links must be absolute {', '.join(schemes[:-1])} or {schemes[-1]} "
        "addresses (anything else is an error); `##` starts a section heading (`#` is the "
        "headline's). A phrase in another language is marked `[droit à l'eau]{lang=fr}`. "
        "Straight quotes and `--` become the typographic quotes and dashes of the release's "
        "language. Images are not part of the text: a figure is the `image` field. A release "
        f"file is at most {MAX_BYTES // 1_000_000} MB and its name at most {MAX_STEM} "
        f"characters before `.md`; a paragraph has at most {MAX_PARAGRAPH} characters and "
        f"{MAX_SPANS} emphasized, linked or code passages (more would take minutes to print). "
        "A line separator or paragraph separator "
        "(U+2028, U+2029: a line break in some word processors, invisible elsewhere) is an "
        "error: end the line there instead.",
        "## Front-matter fields",
        "`pressroom schema` prints these fields as a JSON Schema, for editors that complete "
        "and check YAML as you type.",
        *_fields(RELEASE),
        f"## {PUBLICATION_FILE}",
        f"`source/{PUBLICATION_FILE}` holds what every release shares "
        "(`pressroom schema publication` prints its JSON Schema).",
        *_fields(PUBLICATION),
    ]
    return "\n\n".join(parts) + "\n"


def _fields(specs: Mapping[str, Spec]) -> list[str]:
    table = ["| field | required | type |", "|---|---|---|"]
    table += [f"| [`{name}`](#{_anchor(specs, name)}) | {'yes' if spec.required else 'no'} | "
              f"{describe(spec)} |" for name, spec in specs.items()]
    parts = ["\n".join(table)]
    for name, spec in specs.items():
        parts += [f"### `{name}`",
                  f"{'**Required**' if spec.required else 'Optional'}; {describe(spec)}.",
                  spec.help + _one_of(spec)]
        if spec.fields:
            parts.append("\n".join(_nested(spec.fields)))
        parts.append(f"```yaml\n{dump_yaml({name: spec.example})}```")
    return parts


def _nested(specs: Mapping[str, Spec]) -> list[str]:
    return [f"- `{name}` ({'required' if spec.required else 'optional'}; {describe(spec)}): "
            f"{spec.help} {_example(spec.example)}" for name, spec in specs.items()]


def _example(value: Any) -> str:
    if isinstance(value, str) and "\n" in value.strip():
        lines = ", ".join(f"`{line}`" for line in value.strip().split("\n"))
        return f"Example, line by line: {lines}"
    return f"Example: `{_inline(value)}`"


def _one_of(spec: Spec) -> str:
    if not spec.one_of:
        return ""
    names = ", ".join(f"`{name}`" for name in spec.one_of)
    return f" {'Each' if spec.type == 'objects' else 'It'} needs at least one of {names}."


def _inline(value: Any) -> str:
    if isinstance(value, str):
        return value
    return yaml.dump(value, Dumper=_Dumper, default_flow_style=True, allow_unicode=True,
                     width=1_000_000).strip().removesuffix("...").strip()


def _anchor(specs: Mapping[str, Spec], name: str) -> str:
    """GitHub's anchor of the heading "`name`": names of the release come first on the page,
    so a publication field of the same name gets '-1'."""
    return name + "-1" if specs is PUBLICATION and name in RELEASE else name


def write_markdown(path: Path = DOCS_PATH) -> bool:
    """Write the page to `path` (atomically); False when it was already up to date."""
    return _write(path, render_markdown())


def readme_fields() -> str:
    """The README's table of front-matter fields: name, whether required, help, the fields
    of an object, the choices and the default."""
    rows = ["| field | required | what it holds |", "|---|---|---|"]
    rows += [f"| `{name}` | {'yes' if spec.required else 'no'} | {_cell(spec)} |"
             for name, spec in RELEASE.items()]
    return "\n".join(rows)


def _cell(spec: Spec) -> str:
    parts = [spec.help + _one_of(spec)]
    if spec.fields:
        names = [f"`{name}`" + (" (required)" if inner.required else "")
                 for name, inner in spec.fields.items()]
        parts.append(f"Fields: {', '.join(names)}.")
    if spec.choices:
        parts.append(f"One of {', '.join(f'`{choice}`' for choice in spec.choices)}.")
    if spec.default is not None:
        parts.append(f"Default: `{spec.default}`.")
    return " ".join(parts).replace("|", "\\|").replace("<", "&lt;")  # not HTML: '<date>'


def render_readme(readme: str) -> str:
    """`readme` with the text between its field-table markers made `readme_fields()`;
    ValueError when the markers are missing."""
    start, end = readme.find(README_START), readme.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {README_START!r} ... {README_END!r} markers")
    return f"{readme[:start]}{README_START}\n{readme_fields()}\n{readme[end:]}"


def write_readme(path: Path = README_PATH) -> bool:
    """Update the field table of the README at `path`; False when it was already up to date."""
    return _write(path, render_readme(path.read_text(encoding="utf-8")))


def _write(path: Path, text: str) -> bool:
    """Write `text` to `path` (atomically); False when it was already up to date."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)
    return True
