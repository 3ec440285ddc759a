"""The OPDS catalogue: every document valid against the OPDS 1.2 RELAX NG schema (jing) and
read back by feedparser; every public release's EPUB and PDF offered with their types, and its
cover as the entry's image and thumbnail, a picture in dist/; no release held back, withdrawn
or left out offered anywhere."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

from pressroom.layout import OPDS, OPDS_PATHS, cover_path
from pressroom.prepare.document import Document

ACQUIRE = "http://opds-spec.org/acquisition"
BOOKS = {"epub": "application/epub+zip", "pdf": "application/pdf"}
IMAGES = ("http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail")
SCHEMA = "opds-1.2.rnc"
_JING_LINE = re.compile(r"^(?P<file>/.*?):(?P<line>\d+):(?P<column>\d+): (?P<message>.*)$")


def check_opds(public: list[Document], absent: list[Document], dist: Path) -> list[str]:
    """Problems in dist/opds/ ([] when clean). `absent`: the releases no public output may
    offer (held back, withdrawn, drafts left out)."""
    folder = dist / OPDS
    files = sorted(p for p in folder.rglob("*.xml") if p.is_file())
    if not files:
        return [f"{dist / OPDS_PATHS['root']}: missing; run make"]
    problems = jing(files)
    offered: dict[str, list[tuple[Path, dict[str, Any]]]] = {}
    for path in files:
        found, entries = _read(path)
        problems += [f"{path}: {p}" for p in found]
        for entry in entries:
            offered.setdefault(str(entry.get("id", "")), []).append((path, entry))
    for doc in absent:
        problems += [f"{path}: offers {doc.release.id!r}, which is not public; run make"
                     for path, _ in offered.get(doc.release.id, [])]
    for doc in public:
        places = offered.get(doc.release.id, [])
        if not places:
            problems.append(f"{folder}: {doc.release.id}: not in the catalogue; run make")
        for path, entry in places:
            problems += [f"{path}: {doc.release.id}: {p}" for p in _acquisition(doc, entry)]
            problems += [f"{path}: {doc.release.id}: {p}" for p in _images(doc, entry, dist)]
    return problems


def jing(files: list[Path]) -> list[str]:
    """The documents' RELAX NG problems against the vendored OPDS 1.2 schema (one JVM)."""
    exe = shutil.which("jing")
    if exe is None:
        return ["jing is not installed (Debian package jing); run make setup"]
    schema = resources.files("pressroom") / "schemas" / SCHEMA
    with resources.as_file(schema) as schema_path:
        result = subprocess.run([exe, "-c", str(schema_path), *map(str, files)],
                                capture_output=True, text=True, timeout=300, check=False)
    problems = []
    for line in (result.stdout + result.stderr).splitlines():
        match = _JING_LINE.match(line)
        if match:
            problems.append(f"{match['file']}:{match['line']}: {match['message']}")
    if result.returncode != 0 and not problems:
        problems.append(f"jing failed: {result.stderr.strip() or result.returncode}")
    return problems


def _read(path: Path) -> tuple[list[str], list[Any]]:
    """feedparser's reading of one document: its problems and entries."""
    import feedparser

    parsed = feedparser.parse(path.read_bytes())
    problems = []
    if parsed.get("bozo"):
        problems.append(f"feedparser: {parsed.get('bozo_exception')}")
    if parsed.get("version") != "atom10":
        problems.append(f"feedparser reads it as {parsed.get('version')!r}, not Atom 1.0")
    return problems, list(parsed.get("entries", []))


def _acquisition(doc: Document, entry: Any) -> list[str]:
    """The entry offers the release's EPUB and PDF, each with its media type, and only them."""
    links = [link for link in entry.get("links", [])
             if str(link.get("rel", "")).startswith(ACQUIRE)]
    problems = []
    for fmt, media_type in BOOKS.items():
        href = doc.links.get(fmt, "")
        types = [link.get("type") for link in links if link.get("href") == href]
        if not types:
            problems.append(f"no acquisition link to its {fmt.upper()} ({href})")
        elif types != [media_type]:
            problems.append(f"its {fmt.upper()} is offered as {', '.join(map(str, types))}, "
                            f"not {media_type}")
    wanted = {doc.links.get(fmt, "") for fmt in BOOKS}
    problems += [f"acquisition link to {link.get('href')}, not one of its files"
                 for link in links if link.get("href") not in wanted]
    if entry.get("language") not in (None, doc.release.language):
        problems.append(f"language {entry.get('language')!r} != {doc.release.language!r}")
    return problems


def _images(doc: Document, entry: Any, dist: Path) -> list[str]:
    """The entry's image and thumbnail are the release's cover, a PNG that is in dist/."""
    problems = []
    want = doc.publication.base_url + cover_path(doc.release.slug)
    for rel in IMAGES:
        links = [link for link in entry.get("links", []) if link.get("rel") == rel]
        if [(link.get("href"), link.get("type")) for link in links] != [(want, "image/png")]:
            found = ", ".join(f"{link.get('href')} ({link.get('type')})" for link in links)
            problems.append(f"{rel}: {found or 'none'}, not its cover {want} (image/png)")
    if not (dist / cover_path(doc.release.slug)).is_file():
        problems.append(f"its cover {want} is not in {dist} (the epub format writes it); "
                        "run make")
    return problems
