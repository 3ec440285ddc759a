"""`pressroom new`: a release file to fill in, with its id and date chosen once.

The file holds every required field: those pressroom can choose (id, published, language,
kind) filled in, the headline as given, and the summary and the text left empty, so that
`pressroom check` names them until an editor writes them (a placeholder that validates could
be published by mistake). It is a draft (`status: draft`): while it is unfinished, `make`
lists what it lacks as warnings and publishes every other release; it is published once the
editor writes `status: published`. Every optional field follows as a comment, with its help
and example from the vocabulary table. An existing file is never overwritten.
"""

from __future__ import annotations

import os
import re
import secrets
import textwrap
import unicodedata
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from pressroom.errors import Problem, SourceError, UsageError
from pressroom.load import zones
from pressroom.load.docs import DOCS_PATH, dump_yaml
from pressroom.load.fields import RELEASE
from pressroom.load.schema import SLUG
from pressroom.load.site import MAX_BYTES, PUBLICATION_FILE, load_publication
from pressroom.load.yamlnodes import ILLEGAL
from pressroom.text.locale import LANGUAGE_TAG

MAX_WORDS = 6
MAX_SLUG = 60
WIDTH = 100
# Latin letters NFKD does not take apart.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l",
                          "þ": "th", "ð": "d", "ı": "i", "ħ": "h"})


def new_release(source_dir: Path, headline: str, *, today: date | None = None,
                language: str | None = None, kind: str = RELEASE["kind"].default,
                slug: str | None = None) -> Path:
    """Write `source_dir/<date>-<slug>.md` for a new release and return its path.

    `today` defaults to the current date in the publication's time zone; `language` to the
    publication's; `slug` to one made from the headline. Raises UsageError for an empty
    headline, a bad option, a missing publication.yaml or a file that already exists, and
    SourceError (with its problems) for an invalid publication.yaml."""
    headline = " ".join(headline.split())
    if not any(unicodedata.category(c)[0] in "LN" for c in headline):
        raise UsageError("a new release needs a headline with words in it, e.g. "
                         "'UN expert urges action'")
    if ILLEGAL.search(headline):
        raise UsageError("the headline contains a control character; type it again")
    if kind not in RELEASE["kind"].choices:
        raise UsageError(f"kind {kind!r} is not one of {', '.join(RELEASE['kind'].choices)}")
    if slug is not None and not SLUG.match(slug):
        raise UsageError(f"slug {slug!r} must be lowercase letters, digits and hyphens, "
                         "e.g. 'mexico-defenders'")
    publication_path = source_dir / PUBLICATION_FILE
    if not publication_path.is_file():
        raise UsageError(f"{publication_path}: not found; run this in the project folder "
                         "or give the source folder (--source)")
    problems: list[Problem] = []
    publication = load_publication(publication_path, problems)
    if publication is None or problems:
        raise SourceError(problems)
    language = publication.language if language is None else language.strip()
    if not LANGUAGE_TAG.match(language):
        raise UsageError(f"language {language!r} is not a BCP 47 language tag, e.g. 'en', "
                         "'fr', 'zh-Hans'")
    today = today or datetime.now(zones.zone(publication.timezone)).date()
    slug = slug or slugify(headline) or f"release-{language.lower()}"
    target = source_dir / f"{today:%Y-%m-%d}-{slug}.md"
    if target.exists():
        raise _exists(target)
    release_id = unique_id(tag_id(publication.base_url, today, slug), existing_ids(source_dir))
    _create(target, template(release_id, headline, today, language, kind))
    return target


def slugify(headline: str) -> str:
    """The first words of a headline in ASCII, lowercase and hyphenated ('' if none are
    Latin): 'Fighting impunity is the best way to...' -> 'fighting-impunity-is-the-best-way'."""
    decomposed = unicodedata.normalize("NFKD", headline.lower().translate(_LETTERS))
    ascii_text = "".join(c for c in decomposed if c.isascii() and not unicodedata.combining(c))
    words = re.findall(r"[a-z0-9]+", ascii_text.replace("'", ""))
    slug = ""
    for word in words[:MAX_WORDS]:
        longer = f"{slug}-{word}" if slug else word[:MAX_SLUG]
        if len(longer) > MAX_SLUG:
            break
        slug = longer
    return slug


def tag_id(base_url: str, day: date, slug: str) -> str:
    """A tag: URI (RFC 4151) on the publication's host and path, dated the day of the release:
    'https://press.example.org/un-news/' -> 'tag:press.example.org,2017-01-25:un-news/<slug>'."""
    parts = urlsplit(base_url)
    path = parts.path.strip("/")
    return f"tag:{parts.hostname},{day:%Y-%m-%d}:{path + '/' if path else ''}{slug}"


def unique_id(candidate: str, taken: set[str]) -> str:
    """`candidate`, or with '-2', '-3'... added until no release uses it."""
    found, number = candidate, 2
    while found in taken:
        found, number = f"{candidate}-{number}", number + 1
    return found


_ID_LINE = re.compile(r"^id:[ \t]*(.*?)[ \t]*(?:[ \t]#.*)?$", re.MULTILINE)


def existing_ids(source_dir: Path) -> set[str]:
    """The ids of the releases in `source_dir`, from their `id:` lines: works while other
    sources are invalid, which `load_site` refuses."""
    ids: set[str] = set()
    for path in source_dir.glob("*.md"):
        if path.name.startswith(".") or not path.is_file():
            continue
        try:
            with path.open(encoding="utf-8", errors="replace") as file:
                text = file.read(MAX_BYTES)
        except OSError:
            continue
        front = text.split("\n---", 1)[0]
        ids.update(m.group(1).strip("'\"") for m in _ID_LINE.finditer(front))
    return ids


def template(release_id: str, headline: str, today: date, language: str, kind: str) -> str:
    """The text of the new file."""
    summary = RELEASE["summary"]
    lines = [
        "---",
        "# Written by `pressroom new`. Fill in the summary and the text below the closing '---';",
        "# `pressroom check` lists what is left to do. The id never changes once published.",
        *dump_yaml({"id": release_id}, width=1_000_000).splitlines(),
        f"kind: {kind}",
        *_wrap(f"kind: {RELEASE['kind'].help}"),
        "status: draft",
        *_wrap("status: draft while you write it: make publishes the other releases and "
               "lists what this one still lacks. Write 'status: published' when it is ready."),
        *dump_yaml({"headline": headline}, width=1_000_000).splitlines(),
        *_wrap(f"REQUIRED: {summary.help} For example:"),
        *_commented(dump_yaml({"summary": summary.example}, WIDTH - 4), "#   "),
        "summary:",
        f"published: {today:%Y-%m-%d}",
        f"language: {language}",
        "#",
        *_wrap("Optional fields: remove the '# ' before those this release needs "
               f"({DOCS_PATH.as_posix()} explains each)."),
    ]
    for name, spec in RELEASE.items():
        if spec.required or name in ("kind", "status"):
            continue
        lines += ["#", *_wrap(spec.help), *_commented(dump_yaml({name: spec.example}, WIDTH - 2))]
    lines += ["#", "# REQUIRED: the text of the release, in Markdown, below this line.", "---",
              "", ""]
    return "\n".join(lines)


def _wrap(prose: str) -> list[str]:
    return textwrap.wrap(prose, WIDTH, initial_indent="# ", subsequent_indent="# ",
                         break_long_words=False, break_on_hyphens=False)


def _commented(yaml_text: str, prefix: str = "# ") -> list[str]:
    """YAML commented out line by line: removing `prefix` restores it."""
    return [(prefix + line).rstrip() for line in yaml_text.splitlines()]


def _exists(target: Path) -> UsageError:
    return UsageError(f"{target}: already exists; pressroom never overwrites a release: "
                      "edit that file, or give the new release another headline or slug")


def _create(target: Path, text: str) -> None:
    """Write the whole file under a hidden name, then link it to `target`: the release
    appears complete or not at all, and never replaces a file, even one created meanwhile."""
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    with temporary.open("x", encoding="utf-8", newline="\n") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise _exists(target) from None
    except OSError:  # no hard links (FAT, some shares): exclusive creation never replaces
        try:
            file = target.open("x", encoding="utf-8", newline="\n")
        except FileExistsError:
            raise _exists(target) from None
        with file:
            try:
                file.write(text)
            except OSError:  # disk full: leave no half-written release behind
                target.unlink()
                raise
    finally:
        temporary.unlink()
