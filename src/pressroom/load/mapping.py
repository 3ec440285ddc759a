"""The field table applied to the model: validated values -> model objects, and back over a
model object's texts by field path.

`build` makes the keyword arguments of a model class from validated values as the table says
(defaults, values inherited from the publication, white space, dates, enums and nested model
classes), so a new field needs no code here. `texts` walks the texts of a model object by
the same paths the loader records lines under (`headline`, `contacts[0].name`), for glyph
coverage and typography; `retext` returns a copy of the object with some of them replaced.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from pressroom.load.schema import Spec, parse_datetime


def build(specs: Mapping[str, Spec], values: Mapping[str, Any],
          moments: Mapping[str, datetime], inherited: object | None = None,
          prefix: str = "") -> dict[str, Any]:
    """Model keyword arguments (by attribute) from validated `values`: a field not given
    takes its default or the `inherited` object's value, or is left out (the model's own
    empty value); dates come from `moments` (aware, by path)."""
    out: dict[str, Any] = {}
    for name, spec in specs.items():
        path = prefix + name
        if name in values:
            out[spec.attr or name] = _value(spec, values[name], moments, path)
        elif spec.inherit and inherited is not None:
            out[spec.attr or name] = getattr(inherited, spec.inherit)
        elif spec.default is not None:
            out[spec.attr or name] = _value(spec, spec.default, moments, path)
    return out


def _value(spec: Spec, value: Any, moments: Mapping[str, datetime], path: str) -> Any:
    if spec.type == "datetime":
        return moments[path]
    if spec.type == "object":
        return _object(spec, value, moments, path + ".")
    if spec.type == "objects":
        return tuple(_object(spec, item, moments, f"{path}[{index}].")
                     for index, item in enumerate(value))
    if spec.type == "list":
        return tuple(value)
    if spec.type == "mapping":
        return dict(value)
    if spec.type == "count":
        return int(value)
    if spec.type == "flag":
        return bool(value)
    text = " ".join(value.split()) if spec.collapses else value
    return spec.model(text) if spec.model is not None else text


def _object(spec: Spec, value: Mapping[str, Any], moments: Mapping[str, datetime],
            prefix: str) -> Any:
    made = build(spec.fields, value, moments, prefix=prefix)
    return spec.model(**made) if spec.model is not None else made


def moments(specs: Mapping[str, Spec], values: Mapping[str, Any],
            prefix: str = "") -> dict[str, date | datetime]:
    """Every date of already validated `values` parsed, by path (what `validate` records in
    `Outcome.moments`, for values that were not validated in this run: a cache hit)."""
    out: dict[str, date | datetime] = {}
    for name, spec in specs.items():
        value = values.get(name)
        path = prefix + name
        if value is None:
            continue
        if spec.type == "datetime":
            out[path] = parse_datetime(value, spec.partial)
        elif spec.type == "object":
            out.update(moments(spec.fields, value, path + "."))
        elif spec.type == "objects":
            for index, item in enumerate(value):
                out.update(moments(spec.fields, item, f"{path}[{index}]."))
    return out


def texts(specs: Mapping[str, Spec], obj: object,
          prefix: str = "") -> Iterator[tuple[str, Spec, str]]:
    """(path, spec, text) of every non-empty text of a model object: text, line and other
    scalar fields, list items (`people[0]`) and mapping values (`boilerplate.about`), nested
    objects and lists of them included."""
    for name, spec in specs.items():
        value = getattr(obj, spec.attr or name, None)
        path = prefix + name
        if value is None or value == "":
            continue
        if spec.type == "object":
            yield from texts(spec.fields, value, path + ".")
        elif spec.type == "objects":
            for index, item in enumerate(value):
                yield from texts(spec.fields, item, f"{path}[{index}].")
        elif spec.type == "list":
            yield from ((f"{path}[{i}]", spec, item) for i, item in enumerate(value) if item)
        elif spec.type == "mapping":
            yield from ((f"{path}.{key}", spec, item) for key, item in value.items() if item)
        elif isinstance(value, str):
            yield path, spec, value


def retext(specs: Mapping[str, Spec], obj: Any, new: Mapping[str, str], prefix: str = "") -> Any:
    """A copy of the model object `obj` with the texts at the paths of `new` replaced (the
    object itself when nothing changes); nested frozen objects are copied as needed."""
    changes: dict[str, Any] = {}
    for name, spec in specs.items():
        attr = spec.attr or name
        value = getattr(obj, attr, None)
        path = prefix + name
        if value is None:
            continue
        if spec.type == "object":
            changed = retext(spec.fields, value, new, path + ".")
        elif spec.type == "objects":
            changed = tuple(retext(spec.fields, item, new, f"{path}[{index}].")
                            for index, item in enumerate(value))
        elif spec.type == "list":
            changed = tuple(new.get(f"{path}[{i}]", item) for i, item in enumerate(value))
        elif spec.type == "mapping":
            changed = {key: new.get(f"{path}.{key}", item) for key, item in value.items()}
        elif isinstance(value, str):
            changed = new.get(path, value)
        else:
            continue
        if changed != value:
            changes[attr] = changed
    return dataclasses.replace(obj, **changes) if changes else obj
