"""Rules between fields, checked after each field is valid on its own.

The field table (`load/fields.py`) says what each value may be; these rules say how values of
one release relate to each other, to `publication.yaml` and to the files under `source/`:
a boilerplate key must exist, an embargo must end by publication, a correction cannot predate
the release, an image must be a usable file with its text alternative.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pressroom import media
from pressroom.errors import Problem
from pressroom.load.fields import RELEASE
from pressroom.load.schema import DATE_RE, Partial, out_of_range, parse_datetime
from pressroom.model import Publication, Release, Status
from pressroom.text import markdown

PUBLICATION_FILE = "publication.yaml"


def check_release(where: str, values: dict[str, Any], lines: dict[str, int],
                  moments: Mapping[str, datetime], publication: Publication, source_dir: Path,
                  problems: list[Problem]) -> None:
    """Append every problem between the fields of one valid-field release (`moments`: its
    dates, parsed and aware, by path)."""

    def at(name: str, message: str) -> None:
        problems.append(Problem(where, lines.get(name), name, message))

    for name, moment in moments.items():
        wrong = out_of_range(moment)
        if wrong:
            at(name, f"{written(values, name)!r} {wrong}")
    for index, key in enumerate(values.get("boilerplate", ())):
        if key not in publication.boilerplate:
            known = ", ".join(sorted(publication.boilerplate)) or "none defined"
            at(f"boilerplate[{index}]", f"{key!r} is not defined in {PUBLICATION_FILE} "
               f"({known})")
    published = moments["published"]
    if "updated" in moments and moments["updated"] < published:
        at("updated", "is earlier than published")
    if "embargo_until" in values:
        text = values["embargo_until"]
        if DATE_RE.match(text):
            at("embargo_until", "give the hour and zone the embargo ends, e.g. "
               f"'{text}T10:00:00Z'")
        elif moments["embargo_until"] > published:
            at("embargo_until", "ends after `published`: set `published` to when the embargo "
               "ends (or later), the moment readers first see the release")
    status = values.get("status", RELEASE["status"].default)
    if status == "withdrawn" and "withdrawn" not in values:
        at("status", "a withdrawn release needs `withdrawn: {date: ..., reason: ...}`, e.g. "
           "withdrawn: {date: '2017-01-27T09:00:00Z', reason: 'Published in error.'}")
    if "withdrawn" in values:
        if status != "withdrawn":
            at("withdrawn", "is given but `status` is not 'withdrawn'; add `status: withdrawn`")
        elif moments["withdrawn.date"] < published:
            at("withdrawn.date", "is earlier than published")
    for index in range(len(values.get("corrections", ()))):
        if moments[f"corrections[{index}].date"] < published:
            at(f"corrections[{index}].date", "is earlier than published; a correction follows "
               "the release")
    for index in range(len(values.get("updates", ()))):
        if moments[f"updates[{index}].date"] < published:
            at(f"updates[{index}].date", "is earlier than published; an update follows the "
               "release")
    if "notes_heading" in values and "notes" not in values:
        at("notes_heading", "is given but the release has no `notes` to head")
    for name in ("notes", "about"):
        if name in values:
            problems.extend(Problem(where, (lines.get(name) or 0) + 1 + offset, name, message)
                            for offset, message in markdown.check(values[name]))
    if "image" in values:
        for message in image_problems(values["image"]["src"], source_dir):
            at("image.src", message)


def image_problems(src: str, source_dir: Path) -> list[str]:
    """Why an image path cannot be used: outside source/, missing, or not a usable image."""
    return place_problems(src, source_dir) or media.problems(source_dir / src)


def place_problems(src: str, source_dir: Path) -> list[str]:
    """Why a file named in a source cannot be read from where it is: outside source/ (by its
    path or a symbolic link) or missing. What the file system says, never cached."""
    relative = Path(src)
    if relative.is_absolute() or ".." in relative.parts or src.startswith("~"):
        return [f"{src!r} must be a path below source/, e.g. 'images/photo.jpg'"]
    path = source_dir / relative
    try:
        inside = path.resolve().is_relative_to(source_dir.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        return [f"{src!r} leads outside source/ (a symbolic link?); copy the image into source/"]
    if not path.exists():
        return [f"{src!r} was not found in {source_dir}/"]
    return []


def image_stat(src: str, source_dir: Path) -> list[int]:
    """Modification time, size and identity (device, inode) of an image, to notice when it
    changes or is replaced by another file (cache key)."""
    try:
        info = (source_dir / src).stat()
    except OSError:
        return [-1, -1, -1, -1]
    return [info.st_mtime_ns, info.st_size, info.st_dev, info.st_ino]


NOON = time(12, 0)
"""A date given without a time is read as noon in the publication's time zone, so that it
names the same calendar day for readers from UTC-11 to UTC+11."""


def aware(moment: date | datetime, zone: ZoneInfo) -> datetime:
    """A parsed date or aware date-time as an aware datetime (a date means noon in `zone`; a
    year or a month alone, its first instant there)."""
    if isinstance(moment, datetime):
        return moment
    if isinstance(moment, Partial):
        return datetime.combine(moment, time(0, 0), tzinfo=zone)
    return datetime.combine(moment, NOON, tzinfo=zone)


def to_datetime(text: str, zone: ZoneInfo) -> datetime:
    """A validated date or date-time string as an aware datetime (a date means noon there)."""
    return aware(parse_datetime(text), zone)


def written(values: Mapping[str, Any], path: str) -> Any:
    """The validated value at a field path ('published', 'corrections[0].date')."""
    found: Any = values
    for key, index in re.findall(r"([^.\[\]]+)(?:\[(\d+)\])?", path):
        found = found[key]
        if index:
            found = found[int(index)]
    return found


def check_site(releases: list[tuple[Release, dict[str, int]]], problems: list[Problem],
               pending: set[str] | frozenset[str] = frozenset()) -> None:
    """Rules across releases: ids are unique; a translation group holds at least two releases
    (or one and a draft still being written: a group key in `pending`), each in its own
    language. A clash between a draft and another release is the draft's (it yields)."""
    releases = sorted(releases, key=lambda item: item[0].status is Status.DRAFT)
    seen: dict[str, Release] = {}
    for release, lines in releases:
        first = seen.setdefault(release.id, release)
        if first is not release:
            problems.append(Problem(release.source_path, lines.get("id"), "id",
                                    f"{release.id!r} is already used by {first.source_path}"))
    groups: dict[str, list[tuple[Release, dict[str, int]]]] = {}
    for release, lines in releases:
        if release.translation_group:
            groups.setdefault(release.translation_group, []).append((release, lines))
    for key, members in sorted(groups.items()):
        if len(members) == 1 and key not in pending:
            release, lines = members[0]
            near = difflib.get_close_matches(key, [k for k in groups if k != key], n=1)
            hint = f"; did you mean {near[0]!r}?" if near else \
                "; give its translations the same translation_group"
            problems.append(Problem(release.source_path, lines.get("translation_group"),
                                    "translation_group",
                                    f"no other release is in group {key!r}{hint}"))
        by_language: dict[str, Release] = {}
        for release, lines in members:
            language = release.language.lower()
            other = by_language.setdefault(language, release)
            if other is not release:
                problems.append(Problem(
                    release.source_path, lines.get("language"), "language",
                    f"{other.source_path} is already the {release.language!r} version in "
                    f"translation group {key!r}"))
