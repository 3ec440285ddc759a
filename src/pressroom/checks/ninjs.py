"""ninjs validation: IPTC's ninjs 2.1 JSON Schema (vendored), and agreement with the release.

The schema is read from the package (`pressroom/schemas/`), never from the network: its one
outside reference (GeoJSON, for `places[].geojson`, which pressroom never writes) is left
unresolved, so a document that used it would be reported, not fetched.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pressroom.checks.text import coverage, markup_text
from pressroom.layout import release_path
from pressroom.prepare.document import Document

SCHEMA = "ninjs-schema_2.1.json"
DATES = ("firstcreated", "versioncreated", "embargoed")
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
_ABSOLUTE = re.compile(r"^(https?:|mailto:|tel:)", re.IGNORECASE)


@cache
def schema() -> dict[str, Any]:
    """The vendored ninjs 2.1 schema, as shipped in the package."""
    text = (resources.files("pressroom") / "schemas" / SCHEMA).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema_errors(item: object) -> list[str]:
    """Where and why `item` is not valid ninjs 2.1; [] when it is."""
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
    from jsonschema.exceptions import SchemaError  # type: ignore[import-untyped]
    from referencing import Registry
    from referencing.exceptions import Unresolvable

    validator = Draft202012Validator(schema(), registry=Registry(),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    try:
        errors = sorted(validator.iter_errors(item), key=lambda e: list(e.absolute_path))
    except (Unresolvable, SchemaError) as exc:
        return [f"cannot be validated offline: {exc}"]
    return list(dict.fromkeys(f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
                              for e in errors))


def check_ninjs(documents: list[Document], dist: Path) -> list[str]:
    """For each public release, dist/ninjs/<slug>.json: valid ninjs 2.1 that agrees with it."""

    problems: list[str] = []
    for doc in documents:
        if doc.held:
            continue
        path = dist / release_path("ninjs", doc.release.slug)
        try:
            item = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            problems.append(f"{path}: missing; run make")
            continue
        except (OSError, ValueError) as exc:
            problems.append(f"{path}: not UTF-8 JSON: {exc}")
            continue
        problems += [f"{path}: {message}"
                     for message in schema_errors(item) + agreement(item, doc)]
    return problems


def agreement(item: Any, doc: Document) -> list[str]:
    """Where the ninjs document says something else than the release."""
    if not isinstance(item, dict):
        return ["not a JSON object"]
    release = doc.release
    found: list[str] = []
    version = 1 + len(release.corrections) + len(release.updates)
    expected = {"uri": release.id, "language": release.language, "type": "text",
                "pubstatus": "usable", "version": str(version)}
    for key, value in expected.items():
        if item.get(key) != value:
            found.append(f"{key} is {item.get(key)!r}, the release says {value!r}")
    headlines = item.get("headlines")
    headline = headlines[0].get("value") if isinstance(headlines, list) and headlines and \
        isinstance(headlines[0], dict) else None
    if headline != doc.headline:
        found.append(f"headline is {headline!r}, the release says {doc.headline!r}")
    moments = {"firstcreated": release.published, "versioncreated": release.updated,
               "embargoed": release.embargo_until}
    for key in DATES:
        found += _date(item.get(key), moments[key], key)
    found += _links(item)
    bodies = item.get("bodies")
    body = bodies[0].get("value") if isinstance(bodies, list) and bodies and \
        isinstance(bodies[0], dict) else ""
    found += coverage(doc, markup_text(str(body)), "bodies")
    return found


def _date(value: Any, moment: datetime | None, key: str) -> list[str]:
    """A date-time with an offset, at the release's instant (absent when the release has none)."""
    if moment is None:
        return [] if value is None else [f"{key} is {value!r}; the release has none"]
    if not isinstance(value, str) or not _RFC3339.match(value):
        return [f"{key} is {value!r}, not an ISO 8601 date-time with an offset"]
    if datetime.fromisoformat(value.replace("Z", "+00:00")) != moment:
        return [f"{key} is {value}, the release says {moment.isoformat()}"]
    return []


def _links(item: dict[str, Any]) -> list[str]:
    """Every href and src in the HTML bodies is absolute."""
    found: list[str] = []
    for body in item.get("bodies") or ():
        if isinstance(body, dict) and body.get("contenttype") == "text/html":
            found += [f"bodies: relative link {url!r}"
                      for url in _LINK.findall(str(body.get("value", "")))
                      if not _ABSOLUTE.match(url)]
    return found
