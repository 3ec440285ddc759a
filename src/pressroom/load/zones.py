"""Time zones: which names `publication.yaml` may give, the zone each one stands for, and the
zone's rules, all from the tz database shipped in Python's `tzdata` package.

The machine's own files (/usr/share/zoneinfo, /etc/localtime) are never read: two machines
with different system tz data, or different local zones, build the same bytes.

A name is accepted when it names a place: a Zone of the database listed in `zone1970.tab`
('Europe/Zurich'), or a Link of the form Area/Location to one ('US/Eastern', 'Asia/Calcutta',
'Europe/Kiev'), which is resolved to the Zone it links to; and `UTC` (or `Etc/UTC`). Names
without an area (EST, MST, GB, Japan, Factory), fixed offsets with their sign inverted
(Etc/GMT+5) and names only a machine has (localtime, posixrules) are refused.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from zoneinfo import ZoneInfo

UTC_NAMES = {"UTC": "Etc/UTC", "Etc/UTC": "Etc/UTC"}
"""The one zone that is no place: Coordinated Universal Time."""
MACHINE = frozenset({"localtime", "posixrules", "posix", "right"})
"""What a machine's zoneinfo folder holds besides the database's names."""


@dataclass(frozen=True, slots=True)
class _Database:
    zones: frozenset[str]
    """Every Zone of the database (tzdata.zi `Z` lines)."""
    links: dict[str, str]
    """Link name -> the Zone it stands for (tzdata.zi `L` lines, followed to the end)."""
    places: frozenset[str]
    """The Zones of places (zone1970.tab)."""


def _package() -> Traversable:
    return resources.files("tzdata").joinpath("zoneinfo")


@cache
def _database() -> _Database:
    text = _package().joinpath("tzdata.zi").read_text(encoding="utf-8")
    zones: set[str] = set()
    links: dict[str, str] = {}
    for line in text.splitlines():
        fields = line.split()
        if fields[:1] == ["Z"] and len(fields) > 1:
            zones.add(fields[1])
        elif fields[:1] == ["L"] and len(fields) > 2:
            links[fields[2]] = fields[1]
    for name, target in links.items():
        for _ in range(10):  # a link to a link (none today) is followed to its zone
            target = links.get(target, target)
        links[name] = target
    tab = _package().joinpath("zone1970.tab").read_text(encoding="utf-8")
    places = {row.split("\t")[2] for row in tab.splitlines()
              if row and not row.startswith("#") and row.count("\t") >= 2}
    return _Database(frozenset(zones), links, frozenset(places & zones))


def canonical(name: str) -> str | None:
    """The Zone a valid name stands for ('US/Eastern' -> 'America/New_York'), or None."""
    if name in UTC_NAMES:
        return UTC_NAMES[name]
    data = _database()
    if "/" not in name or name.startswith("Etc/"):
        return None
    target = data.links.get(name, name)
    return target if target in data.places else None


def problem(name: str) -> str | None:
    """Why `name` is not a time zone pressroom accepts, or None."""
    if canonical(name) is not None:
        return None
    data = _database()
    if name in MACHINE:
        return (f"{name!r} is the machine's own setting, not a time zone (the outputs would "
                "follow the machine they are built on); give the press office's zone as "
                "Area/City")
    if name in data.zones or name in data.links:
        return (f"{name!r} is not the zone of a place (a legacy abbreviation, a country or a "
                "fixed offset); give the press office's zone as Area/City")
    accepted = sorted(data.places | {n for n in data.links if canonical(n)} | set(UTC_NAMES))
    near = difflib.get_close_matches(name, accepted, n=1, cutoff=0.8)
    return f"{name!r} is not an IANA time zone" + (f"; did you mean {near[0]!r}?" if near else "")


@cache
def zone(name: str) -> ZoneInfo:
    """The rules of a zone, read from the tzdata package (never the machine's files);
    `name` must be accepted (KeyError otherwise)."""
    found = canonical(name)
    if found is None:
        raise KeyError(name)
    with _package().joinpath(*found.split("/")).open("rb") as file:
        return ZoneInfo.from_file(file, key=found)

