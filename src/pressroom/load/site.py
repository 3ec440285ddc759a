"""Reading `source/`: front matter + Markdown files and `publication.yaml` -> a validated Site.

Every problem in every file is collected before anything is reported, so one run tells an
editor all there is to fix. Messages are `path:line: field: message`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from pressroom.errors import Problem, SourceError
from pressroom.layout import body_image_path
from pressroom.load import glyphs, mapping, rules, yamlnodes, zones
from pressroom.load.fields import PUBLICATION, RELEASE, release_fields
from pressroom.load.rules import aware
from pressroom.load.rules import to_datetime as to_datetime  # read by tests from here
from pressroom.load.schema import SLUG, Outcome, Spec, precision, validate
from pressroom.model import Publication, Release, Site, Status
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


def load_site(source_dir: Path, cache: SourceCache | None = None, *,
              styles_dir: Path | None = None, drafts: bool = False) -> Site:
    """Load and validate `publication.yaml` and every `*.md` release; raise SourceError.

    With `styles_dir`, every printed character must be in its fonts (load/glyphs.py). A draft
    with problems does not stop the others: it is left out, its problems become the site's
    `warnings` ('(draft: not published)'), unless `drafts` are to be built, when they are
    errors like any other. With a cache, unchanged valid files are taken from it instead of
    being parsed again; what depends on the file system (links, readability) is checked
    anyway."""
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
    unfinished: dict[str, dict[str, Any]] = {}  # drafts with problems: their front matter
    for path in paths:
        found: list[Problem] = []
        loaded = _from_cache(path, publication, cache) \
            or load_release(path, publication, found, cache)
        draft = _draft_front(path) if found and not drafts else None
        if draft is not None:
            unfinished[str(path)] = draft
        problems += found
        if loaded is not None:
            releases.append(loaded)
    pending = {front["translation_group"] for front in unfinished.values()
               if isinstance(front.get("translation_group"), str)}
    rules.check_site(releases, problems, pending)
    if styles_dir is not None and publication is not None:
        problems += glyphs.check(publication, [r for r, _ in releases], styles_dir)
    if not drafts:
        unfinished.update({p.path: {} for p in problems if p.path not in unfinished and any(
            r.source_path == p.path and r.status is Status.DRAFT for r, _ in releases)})
    warnings = [dataclasses.replace(p, message=f"{p.message} {DRAFT_NOTE}")
                for p in problems if p.path in unfinished]
    problems = [p for p in problems if p.path not in unfinished]
    if problems or publication is None:
        raise SourceError(problems + warnings)
    kept = (r for r, _ in releases if r.source_path not in unfinished)
    ordered = sorted(kept, key=lambda r: (r.published, r.id), reverse=True)
    return Site(publication=publication, releases=tuple(ordered),
                warnings=tuple(sorted(warnings, key=lambda p: (p.path, p.line or 0))),
                drafts_left_out=tuple(Path(p).stem for p in sorted(unfinished)))


DRAFT_NOTE = "(draft: not published)"
"""Ends the message of a draft's problem: a warning, since drafts are not published."""
_DRAFT_LINE = re.compile(r"""^status:[ \t]*(["']?)draft\1[ \t]*(?:#.*)?$""", re.MULTILINE)


def _draft_front(path: Path) -> dict[str, Any] | None:
    """The front matter of a release that says `status: draft`, as plain values (empty when it
    is not valid YAML but has a `status: draft` line of its own); None for any other file."""
    text = read_text(path, [])
    split = split_front_matter(text) if text is not None else ""
    if isinstance(split, str):
        return None
    try:
        node = yamlnodes.load(split[0], 2)
    except yamlnodes.YamlProblem:
        return {} if _DRAFT_LINE.search(split[0]) else None
    front = yamlnodes.plain(node)
    if isinstance(front, dict) and front.get("status") == "draft":
        return front
    return None


def _from_cache(path: Path, publication: Publication | None, cache: SourceCache | None
                ) -> tuple[Release, dict[str, int]] | None:
    """An unchanged valid release from the cache; None (load it) on a miss or odd entry, or
    when the file system says something the cache cannot know: the file or a picture is now
    a link leading outside source/, or the file cannot be read."""
    hit = cache.get(path) if cache is not None and publication is not None else None
    if hit is None or publication is None:
        return None
    values, body = hit.get("values", {}), hit.get("body")
    if _outside(path) or not os.access(path, os.R_OK):
        return None
    pictures = hit.get("pictures")
    if not (isinstance(pictures, list) and all(isinstance(p, str) for p in pictures)):
        pictures = _pictures(values, body)
    if hit.get("image") != [rules.image_stat(src, path.parent) for src in pictures]:
        return None  # a picture changed: check it again
    if any(rules.place_problems(src, path.parent) for src in pictures):
        return None
    try:
        moments = _aware(mapping.moments(RELEASE, values), publication)
        return _release(path, values, moments, publication, hit["body"], hit["body_line"],
                        hit["lines"]), \
            hit["lines"]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def _outside(path: Path) -> bool:
    """Whether a file of source/ is a link to a file outside source/ (a dangling link or a
    loop is not: reading it says what is wrong)."""
    if not path.is_symlink():
        return False
    try:
        return not path.resolve(strict=True).is_relative_to(path.parent.resolve())
    except (OSError, RuntimeError):
        return False


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
LINE_SEPARATORS = yamlnodes.LINE_SEPARATORS
"""Characters YAML reads as line breaks but editors show as spaces, and the PDF renderer draws
as an empty box: refused in front matter and body alike."""


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
    logo = outcome.values.get("logo")
    wrong = rules.image_problems(logo, path.parent) if logo else []
    problems += [Problem(str(path), outcome.lines.get("logo"), "logo", m) for m in wrong]
    if wrong:
        return None
    made = mapping.build(PUBLICATION, outcome.values, {})
    if not made["base_url"].endswith("/"):
        made["base_url"] += "/"
    made["timezone"] = zones.canonical(made["timezone"])  # 'US/Eastern': America/New_York
    return Publication(**made, source_path=str(path), lines=outcome.lines)


def _validated(
    path: Path, text: str, first_line: int, specs: dict[str, Spec], problems: list[Problem]
) -> Outcome | None:
    """What validation found (values, line of each field, dates), or None when there were
    problems."""
    found = separators(path, text, first_line, "", "front matter", "use a space") + [
        problem for number, line in enumerate(text.split("\n"))
        for problem in unbalanced_directions(path, line, first_line + number, "")]
    if found:
        problems += found
        return None
    try:
        node = yamlnodes.load(text, first_line)
    except yamlnodes.YamlProblem as exc:
        problems.extend(Problem(str(path), line, "", message) for line, message in exc.problems)
        return None
    if node.value is None:
        problems.append(Problem(str(path), first_line, "", "front matter is empty"))
        return None
    outcome = validate(node, specs)
    problems.extend(Problem(str(path), line, name, msg) for line, name, msg in outcome.problems)
    return None if outcome.problems else outcome


def separators(path: Path, text: str, first_line: int, field: str, where: str, hint: str
               ) -> list[Problem]:
    """A problem for each line of `text` holding a line or paragraph separator (U+2028,
    U+2029): invisible, or a line break only in some programs."""
    found: dict[int, Problem] = {}
    for match in LINE_SEPARATORS.finditer(text):
        line = text.count("\n", 0, match.start()) + first_line
        found.setdefault(line, Problem(str(path), line, field, yamlnodes.separator_message(
            match.group(), where, hint)))
    return list(found.values())


_OPENERS = {"\u202a": ("left-to-right embedding", "\u202c"),
            "\u202b": ("right-to-left embedding", "\u202c"),
            "\u202d": ("left-to-right override", "\u202c"),
            "\u202e": ("right-to-left override", "\u202c"),
            "\u2066": ("left-to-right isolate", "\u2069"),
            "\u2067": ("right-to-left isolate", "\u2069"),
            "\u2068": ("first-strong isolate", "\u2069")}
_CLOSERS = {"\u202c": "pop directional formatting", "\u2069": "pop directional isolate"}


def unbalanced_directions(path: Path, text: str, first_line: int, field: str
                          ) -> list[Problem]:
    """A problem for each invisible direction control (U+202A-202E, U+2066-2069) a paragraph
    of `text` leaves open, or closes without opening: left open, it reverses the order of the
    words (an override: the letters) after it in every format, a garbling no reader can see
    the cause of. Paired ones are kept: Arabic and Hebrew texts use them."""
    found: list[Problem] = []
    if not any(c in text for c in (*_OPENERS, *_CLOSERS)):
        return found
    line = first_line
    for block in re.split(r"(\n[ \t]*\n)", text):
        if not block.strip():
            line += block.count("\n")
            continue
        stack: list[tuple[str, int]] = []
        for offset, char in enumerate(block):
            if char in _OPENERS:
                stack.append((char, line + block.count("\n", 0, offset)))
            elif char in _CLOSERS:
                if stack and _OPENERS[stack[-1][0]][1] == char:
                    stack.pop()
                else:
                    found.append(Problem(str(path), line + block.count("\n", 0, offset), field,
                                         f"invisible {_CLOSERS[char]} (U+{ord(char):04X}) closes "
                                         "nothing; remove it"))
        found += [Problem(str(path), at, field, f"invisible {_OPENERS[char][0]} "
                          f"(U+{ord(char):04X}) is never closed "
                          f"(U+{ord(_OPENERS[char][1]):04X}) in its paragraph: it turns the "
                          "words after it around; close it or remove it") for char, at in stack]
        line += block.count("\n")
    return found


BODY_SEPARATOR_HINT = ("it is a line break only in some programs (text pasted from a word "
                       "processor); end the line there (a blank line starts a new paragraph)")


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
    if len(path.stem) > MAX_STEM:
        problems.append(Problem(where, None, "", f"file name is {len(path.stem)} characters "
                                f"before '.md'; it may have at most {MAX_STEM} (it names the "
                                "outputs, and a file name may have at most 255 bytes): "
                                "shorten it"))
    if _outside(path):
        problems.append(Problem(where, None, "", "leads outside source/ (a symbolic link?); "
                                "copy the file into source/"))
        return None
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
    problems += separators(path, body, body_line, "body", "the text", BODY_SEPARATOR_HINT)
    problems += unbalanced_directions(path, body, body_line, "body")
    problems.extend(Problem(where, body_line + offset, "body", message)
                    for offset, message in markdown.check(body))
    problems.extend(Problem(where, body_line + offset, "body", message)
                    for offset, src in markdown.pictures(body)
                    for message in rules.image_problems(src, path.parent)
                    + _published_name(path.stem, src))
    if validated is None or publication is None:
        return None
    values, lines = validated.values, validated.lines
    moments = _aware(validated.moments, publication)
    rules.check_release(where, values, lines, moments, publication, path.parent, problems)
    if len(problems) > before:
        return None
    if cache is not None:
        pictures = _pictures(values, body)
        cache.put(path, values=values, body=body, body_line=body_line, lines=lines,
                  pictures=pictures,
                  image=[rules.image_stat(src, path.parent) for src in pictures])
    return _release(path, values, moments, publication, body, body_line, lines), lines


MAX_STEM = 200
"""Characters of a release's file name before '.md'. A file name may have 255 bytes; the
longest made from a release's is a temporary file of files.write_atomic
('.<slug>.epub.<pid>.<random>.tmp': 27 more) or a preview picture ('<slug>-desktop.png' and
its temporary file: 34 more): 221 would do, 200 leaves room."""
NAME_MAX = 255
TEMPORARY = len("..4194304.xxxxxxxx.tmp")
"""What files.write_atomic adds to a name for its temporary file: '.', '.<pid>.', 8 random
characters and '.tmp' (process ids have at most 7 digits)."""


def _published_name(slug: str, src: str) -> list[str]:
    """Why a body picture's published name ('images/<release>--<picture>.png') would be too
    long for a file system, if it would."""
    name = body_image_path(slug, src).rsplit("/", 1)[-1]
    if len(name.encode("utf-8")) + TEMPORARY <= NAME_MAX:
        return []
    return [f"{src!r} would be published as {name!r}, a file name of {len(name)} characters; "
            f"it may have at most {NAME_MAX - TEMPORARY}: shorten the picture's file name"]


def _pictures(values: Any, body: Any) -> list[str]:
    """The picture files a release shows (its figure, then its body's), as written."""
    image = values.get("image") if isinstance(values, dict) else None
    sources = [image["src"]] if isinstance(image, dict) and isinstance(image.get("src"), str) \
        else []
    if isinstance(body, str):
        sources += [src for _, src in markdown.pictures(body)]
    return sources


def _aware(moments: Mapping[str, date | datetime], publication: Publication
           ) -> dict[str, datetime]:
    """Parsed dates as aware datetimes (a date alone: noon in the publication's zone)."""
    zone = zones.zone(publication.timezone)
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
