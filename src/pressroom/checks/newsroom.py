"""Checks of what a build must keep back: embargoed, draft and withdrawn releases.

A release held back must not leak into any public output (a page, a PDF or EPUB outside the
press kit, held/ beside dist/; a feed entry, an index or digest), and its press-kit PDF must
carry its banner; a withdrawn release must have left a tombstone in the Atom feed so readers
drop it. Every file below dist/ is read (briefing packs included), whichever format wrote it:
text files as they are, EPUBs member by member, PDFs as their text.
"""

from __future__ import annotations

import html
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pressroom.layout import FEED_PATHS, RELEASE_PATHS, under
from pressroom.plan.visibility import Plan
from pressroom.prepare.document import Document

TOMBSTONE = "{http://purl.org/atompub/tombstones/1.0}deleted-entry"
TEXT_SUFFIXES = frozenset({".html", ".xhtml", ".xml", ".json", ".css", ".txt", ".svg"})


def check_held(plan: Plan, dist: Path) -> list[str]:
    """Problems: leaks of held-back releases, missing banners or tombstones."""
    from pressroom.checks.pdf import extract_text

    problems: list[str] = []
    hidden = plan.held + plan.withdrawn + plan.skipped
    for doc in hidden:
        slug = doc.release.slug
        problems += [f"{dist / path.format(slug=slug)}: {slug} is not public but has a public "
                     f"{fmt} output" for fmt, path in RELEASE_PATHS.items()
                     if (dist / path.format(slug=slug)).exists()]
    if hidden:
        for path in published_files(dist):
            text = readable_text(path)
            problems += [f"{path}: {leak}" for doc in hidden
                         for leak in _leaks(doc, path, text, doc in plan.withdrawn)]
    for doc in plan.held:
        path = under(dist, doc.paths["pdf"])
        if path.is_file() and " ".join(doc.banner.split()) not in " ".join(
                extract_text(path).split()):
            problems.append(f"{path}: the banner {doc.banner!r} is not printed")
    atom = dist / FEED_PATHS["atom"]
    if plan.withdrawn and atom.is_file():
        problems += [f"{atom}: no tombstone for withdrawn {doc.release.id}"
                     for doc in plan.withdrawn if not _tombstone(doc.release.id, atom)]
    return problems


def published_files(dist: Path) -> Iterator[Path]:
    """Every file below dist/ (but a build's temporary files)."""
    for path in sorted(dist.rglob("*")):
        if path.is_file() and not path.name.endswith(".tmp"):
            yield path


def _mail_text(path: Path) -> str:
    """An e-mail's headers and the text of its text parts as a mail client shows them (its
    PDF attachment is the brief in dist/pdf/, read as a file of its own)."""
    import email
    import email.policy

    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    found = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if part.get_content_maintype() == "text" and isinstance(payload, bytes):
            found.append(html.unescape(payload.decode(part.get_content_charset() or "utf-8",
                                                      "replace")))
    return "\n".join(found)


def readable_text(path: Path) -> str:
    """What a reader of the file could find in it: a text file's text (entities resolved, JSON
    strings unescaped), every text member of an EPUB, a PDF's text; '' for other files."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pressroom.checks.pdf import extract_text

        return extract_text(path)
    if suffix == ".epub":
        with zipfile.ZipFile(path) as book:
            return "\n".join(html.unescape(book.read(name).decode("utf-8", "replace"))
                             for name in book.namelist()
                             if Path(name).suffix.lower() in TEXT_SUFFIXES | {".opf", ".ncx"})
    if suffix == ".eml":  # its headers and every part, decoded (quoted-printable, base64)
        return _mail_text(path)
    if suffix not in TEXT_SUFFIXES:
        return ""
    text = path.read_text(encoding="utf-8", errors="replace")
    if suffix == ".json":
        try:
            return "\n".join(_strings(json.loads(text)))
        except ValueError:
            return text
    return html.unescape(text)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _leaks(doc: Document, path: Path, text: str, withdrawn: bool) -> list[str]:
    """How `text` (of the public file at `path`) names a release that is not public: its id
    (outside a tombstone), its file name, or (unless it was withdrawn, and so once public) its
    headline."""
    release = doc.release
    found: list[str] = []
    if release.id in text and not _tombstone(release.id, path):
        found.append(f"names {release.id}, which is not public")
    if re.search(rf"(?<![\w-]){re.escape(release.slug)}(?![\w-])", text):
        found.append(f"names {release.slug}, which is not public")
    if not withdrawn and " ".join(doc.headline.split()) in " ".join(text.split()):
        found.append(f"has the headline of {release.slug}, which is not public")
    return found


def _tombstone(identifier: str, path: Path) -> bool:
    """Whether the Atom document at `path` has a deleted-entry for `identifier`."""
    data = path.read_bytes()
    if path.suffix != ".xml" or b"deleted-entry" not in data:
        return False
    from lxml import etree

    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    return any(node.get("ref") == identifier for node in root.iter(TOMBSTONE))
