"""Reading `source/`: front matter + Markdown files and `publication.yaml` -> a validated Site.

Every problem in every file is collected before anything is reported, so one run tells an
editor all there is to fix. Messages are `path:line: field: message`.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from pressroom.errors import Problem, SourceError
from pressroom.load import mapping, rules, yamlnodes
from pressroom.load.fields import PUBLICATION, RELEASE, release_fields
from pressroom.load.rules import aware
from pressroom.load.rules import to_datetime as to_datetime  # read by tests from here
from pressroom.load.schema import SLUG, Outcome, Spec, precision, validate
from pressroom.model import Publication, Release, Site
from pressroom.text import markdown

PUBLICATION_FILE = "publication.yaml"


class SourceCache(Protocol):
    """Where loads of unchanged files are kept between builds (pressroom.cache.SourceCache)."""

    def get(self, path: Path) -> dict[str, Any] | None:
        """What loading `path` produced, if the file is unchanged since."""

    def put(self, path: Path, **values: Any) -> None:
        """Record what loading `path` produced."""

    def keep_only(self, names: set[str]) -> None:
        """Forget files that are gone."""


def load_site(source_dir: Path, cache: SourceCache | None = None) -> Site:
    """Load and validate `publication.yaml` and every `*.md` release; raise SourceError.

    With a cache, unchanged valid files are taken from it instead of being parsed again."""
    problems: list[Problem] = []
    publication = load_publication(source_dir / PUBLICATION_FILE, problems)
    releases: list[tuple[Release, dict[str, int]]] = []
    paths = [p for p in sorted(source_dir.glob("*.md"))
             if not p.name.startswith(".")]  # editors' lock and backup files
    problems += [Problem(str(p), None, "", "file name must end in '.md' (lowercase) to be read "
                         "as a release") for p in sorted(source_dir.iterdir())
                 if p.suffix.lower() in (".md", ".markdown") and p.suffix != ".md"
                 and not p.name.startswith(".")] if source_dir.is_dir() else []
    if cache is not None:
        cache.keep_only({p.name for p in paths})
    for path in paths:
        loaded = _from_cache(path, publication, cache) \
            or load_release(path, publication, problems, cache)
        if loaded is not None:
            releases.append(loaded)
    rules.check_site(releases, problems)
    if problems or publication is None:
        raise SourceError(problems)
    ordered = sorted((r for r, _ in releases), key=lambda r: (r.published, r.id), reverse=True)
    return Site(publication=publication, releases=tuple(ordered))


def _from_cache(path: Path, publication: Publication | None, cache: SourceCache | None
                ) -> tuple[Release, dict[str, int]] | None:
    """An unchanged valid release from the cache; None (load it) on a miss or odd entry."""
    hit = cache.get(path) if cache is not None and publication is not None else None
    if hit is None or publication is None:
        return None
    if hit.get("image") != _image_stat(hit.get("values", {}), hit.get("body"), path.parent):
        return None  # a picture changed: check it again
    try:
        values = hit["values"]
        moments = _aware(mapping.moments(RELEASE, values), publication)
        return _release(path, values, moments, publication, hit["body"], hit["body_line"],
                        hit["lines"]), \
            hit["lines"]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file's text as UTF-8 (a BOM and CRLF/CR line ends accepted), or None and a problem."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            problems.append(Problem(str(path), None, "", "is a directory, not a file"))
            return None
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            problems.append(Problem(str(path), None, "", "is not a regular file"))
            return None
        if info.st_size > MAX_BYTES:
            problems.append(Problem(str(path), None, "", f"file is {info.st_size / 1e6:.1f} MB;"
                                    f" a release may be at most {MAX_BYTES // 1_000_000} MB"))
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(str(path), None, "", f"cannot read: {exc.strerror}"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        problems.append(Problem(str(path), before.count(b"\n") + 1, "",
                                "is not UTF-8 text; save it as UTF-8"))
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = ILLEGAL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        char = bad.group()
        kind = "noncharacter" if char in "\ufffe\uffff" else "control character"
        problems.append(Problem(str(path), line, "", f"{kind} U+{ord(char):04X} is not allowed"
                                " in text"))
        return None
    return text


ILLEGAL = yamlnodes.ILLEGAL
MAX_BYTES = 1_000_000
"""A release is at most 1 MB: a larger file is a mistake (a pasted attachment), and would
take minutes and hundreds of MB to print."""
LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")
"""Characters YAML reads as line breaks but editors show as spaces: refused in front matter."""


def load_publication(path: Path, problems: list[Problem]) -> Publication | None:
    """Read `publication.yaml`."""
    if not path.exists():
        problems.append(Problem(str(path), None, "", "missing: every source/ needs one"))
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.strip():
        names = [k for k, spec in PUBLICATION.items() if spec.required]
        required = ", ".join(names[:-1]) + " and " + names[-1]
        problems.append(Problem(str(path), 1, "", f"file is empty; it needs {required}"))
        return None
    outcome = _validated(path, text, 1, PUBLICATION, problems)
    if outcome is None:
        return None
    made = mapping.build(PUBLICATION, outcome.values, {})
    if not made["base_url"].endswith("/"):
        made["base_url"] += "/"
    return Publication(**made, source_path=str(path), lines=outcome.lines)


def _validated(
    path: Path, text: str, first_line: int, specs: dict[str, Spec], problems: list[Problem]
) -> Outcome | None:
    """What validation found (values, line of each field, dates), or None when there were
    problems."""
    separator = LINE_SEPARATORS.search(text)
    if separator is not None:
        line = text.count("\n", 0, separator.start()) + first_line
        name = {"\x85": "next line", "\u2028": "line separator", "\u2029": "paragraph separator"}
        char = separator.group()
        problems.append(Problem(str(path), line, "", f"character U+{ord(char):04X} "
                                f"({name[char]}) is not allowed in front matter; use a space"))
        return None
    try:
        node = yamlnodes.load(text, first_line)
    except yamlnodes.YamlProblem as exc:
        problems.append(Problem(str(path), exc.line, "", exc.message))
        return None
    if node.value is None:
        problems.append(Problem(str(path), first_line, "", "front matter is empty"))
        return None
    outcome = validate(node, specs)
    problems.extend(Problem(str(path), line, name, msg) for line, name, msg in outcome.problems)
    return None if outcome.problems else outcome


def split_front_matter(text: str) -> tuple[str, str, int] | str:
    """(yaml, body, body_first_line), or an error message."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return "must start with a '---' line opening the YAML front matter"
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return "the front matter is not closed by a '---' line"


def load_release(path: Path, publication: Publication | None, problems: list[Problem],
                 cache: SourceCache | None = None) -> tuple[Release, dict[str, int]] | None:
    """Read one release and the line of its id; problems are appended, None when unusable."""
    before = len(problems)
    where = str(path)
    if not SLUG.match(path.stem):
        problems.append(Problem(where, None, "", "file name must be lowercase letters, digits "
                                "and hyphens (it names the outputs), e.g. 2017-01-25-mexico.md"))
    text = read_text(path, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(Problem(where, 1, "", "file is empty; a release starts with '---'"))
        return None
    split = split_front_matter(text)
    if isinstance(split, str):
        problems.append(Problem(where, 1, "", split))
        return None
    front, body, body_line = split
    validated = _validated(path, front, 2, release_fields(
        tuple(k.key for k in publication.kinds) if publication else ()), problems)
    if not body.strip():
        problems.append(Problem(where, body_line, "body", "the release has no text after the "
                                "front matter"))
    problems.extend(Problem(where, body_line + offset, "body", message)
                    for offset, message in markdown.check(body))
    problems.extend(Problem(where, body_line + offset, "body", message)
                    for offset, src in markdown.pictures(body)
                    for message in rules.image_problems(src, path.parent))
    if validated is None or publication is None:
        return None
    values, lines = validated.values, validated.lines
    moments = _aware(validated.moments, publication)
    rules.check_release(where, values, lines, moments, publication, path.parent, problems)
    if len(problems) > before:
        return None
    if cache is not None:
        cache.put(path, values=values, body=body, body_line=body_line, lines=lines,
                  image=_image_stat(values, body, path.parent))
    return _release(path, values, moments, publication, body, body_line, lines), lines


def _image_stat(values: dict[str, Any], body: Any, source_dir: Path) -> list[list[int]]:
    """Size and time of every picture the release shows (front matter and body), to notice
    when one changes."""
    image = values.get("image") if isinstance(values, dict) else None
    sources = [image["src"]] if isinstance(image, dict) and isinstance(image.get("src"), str) \
        else []
    if isinstance(body, str):
        sources += [src for _, src in markdown.pictures(body)]
    return [rules.image_stat(src, source_dir) for src in sources]


def _aware(moments: Mapping[str, date | datetime], publication: Publication
           ) -> dict[str, datetime]:
    """Parsed dates as aware datetimes (a date alone: noon in the publication's zone)."""
    zone = ZoneInfo(publication.timezone)
    return {path: aware(moment, zone) for path, moment in moments.items()}


def _release(path: Path, values: dict[str, Any], moments: Mapping[str, datetime],
             publication: Publication, body: str, body_line: int,
             lines: dict[str, int]) -> Release:
    """The model of a valid release, as the field table maps it; then what the table cannot
    say: corrections and updates oldest first, `updated` no earlier than the last of them,
    and how much of `published` was given (a year or a month alone, for archive imports)."""
    made = mapping.build(RELEASE, values, moments, inherited=publication)
    updated = made.get("updated", made["published"])
    for name in ("corrections", "updates"):
        items: tuple[Any, ...] = made.get(name, ())
        order = sorted(range(len(items)), key=lambda index: items[index].date)
        if order != list(range(len(order))):
            made[name] = tuple(items[index] for index in order)
            lines = _renumbered(lines, name, order)
        if items:
            updated = max(updated, made[name][-1].date)
    return Release(**made | {"updated": updated}, slug=path.stem, body=body,
                   published_precision=precision(values["published"]),
                   source_path=str(path), body_line=body_line, lines=lines)


def _renumbered(lines: dict[str, int], name: str, order: list[int]) -> dict[str, int]:
    """`lines` with the items of list `name` numbered in the new `order` (old indexes), so that
    `corrections[0].text` is the line of the model's first correction."""
    new = {old: index for index, old in enumerate(order)}
    item = re.compile(rf"^{re.escape(name)}\[(\d+)\]")
    return {item.sub(lambda m: f"{name}[{new[int(m.group(1))]}]", key): line
            for key, line in lines.items()}
