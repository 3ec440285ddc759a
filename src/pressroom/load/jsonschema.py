"""The field table as a JSON Schema (draft 2020-12), for editors' YAML language servers:
`pressroom schema`. Made from the same `Spec`s the loader validates with, so they cannot
drift apart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pressroom.load.schema import BASE_URL, EMAIL, HTTP_URL, IRI, PHONE, SLUG, Spec
from pressroom.text.locale import LANGUAGE_TAG


def json_schema(specs: Mapping[str, Spec], title: str = "") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a table of specs."""
    schema: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if title:
        schema["title"] = title
    schema.update(_object_schema(specs))
    return schema


def _object_schema(specs: Mapping[str, Spec], one_of: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": [k for k, s in specs.items() if s.required],
        "properties": {k: _field_schema(s) for k, s in specs.items()},
    }
    if one_of:
        out["anyOf"] = [{"required": [key]} for key in one_of]
    return out


def _field_schema(spec: Spec) -> dict[str, Any]:
    base: dict[str, Any] = {"description": spec.help, "examples": [spec.example]}
    if spec.default is not None:
        base["default"] = spec.default
    if spec.type == "object":
        return base | _object_schema(spec.fields, spec.one_of)
    if spec.type == "objects":
        return base | {"type": "array", "items": _object_schema(spec.fields, spec.one_of)}
    if spec.type == "flag":
        return base | {"type": "boolean"}
    if spec.type == "list":
        items: dict[str, Any] = {"type": "array", "uniqueItems": True,
                                 "items": {"type": "string", "minLength": 1}}
        if spec.min_items:
            items["minItems"] = spec.min_items
        if spec.max_items:
            items["maxItems"] = spec.max_items
        return base | items
    if spec.type == "mapping":
        return base | {
            "type": "object",
            "propertyNames": {"pattern": SLUG.pattern},
            "additionalProperties": {"type": "string", "minLength": 1},
        }
    if spec.type == "enum":
        return base | {"enum": list(spec.choices)}
    patterns = {"iri": IRI, "url": HTTP_URL, "base": BASE_URL, "email": EMAIL, "phone": PHONE,
                "language": LANGUAGE_TAG}
    out = base | {"type": "string", "minLength": 1}
    if spec.type in patterns:
        out["pattern"] = patterns[spec.type].pattern
    if spec.type == "count":
        return base | {"type": "integer", "minimum": 1, "maximum": 100_000}
    if spec.type == "datetime":
        out["anyOf"] = [{"format": "date"}, {"format": "date-time"}]
    return out
