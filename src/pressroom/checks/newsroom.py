"""Checks of what a build must keep back: embargoed, draft and withdrawn releases.

A release held back must not leak into any public output (a page, a PDF or EPUB outside
held/, a feed entry, an index or digest), and its press-kit PDF must carry its banner; a
withdrawn release must have left a tombstone in the Atom feed so readers drop it.
"""

from __future__ import annotations

from pathlib import Path

from pressroom.layout import FEED_PATHS, INDEX_PATH, RELEASE_PATHS
from pressroom.plan.visibility import Plan

TOMBSTONE = "{http://purl.org/atompub/tombstones/1.0}deleted-entry"


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
    public_files = [dist / p for p in FEED_PATHS.values()] + [dist / INDEX_PATH] \
        + sorted((dist / "archive").glob("*.html")) + sorted((dist / "feed" / "archive").glob(
            "*.xml"))
    for path in public_files:
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for doc in hidden:
            if doc.release.id in text and not _tombstone(doc.release.id, path, text):
                problems.append(f"{path}: names {doc.release.id}, which is not public")
            elif f"/{doc.release.slug}.html" in text:
                problems.append(f"{path}: links {doc.release.slug}, which is not public")
    for doc in plan.held:
        path = dist / doc.paths["pdf"]
        if path.is_file() and " ".join(doc.banner.split()) not in " ".join(
                extract_text(path).split()):
            problems.append(f"{path}: the banner {doc.banner!r} is not printed")
    atom = dist / FEED_PATHS["atom"]
    if plan.withdrawn and atom.is_file():
        text = atom.read_text(encoding="utf-8")
        problems += [f"{atom}: no tombstone for withdrawn {doc.release.id}"
                     for doc in plan.withdrawn if not _tombstone(doc.release.id, atom, text)]
    return problems


def _tombstone(identifier: str, path: Path, text: str) -> bool:
    """Whether the Atom document at `path` has a deleted-entry for `identifier`."""
    if path.suffix != ".xml" or "deleted-entry" not in text:
        return False
    from lxml import etree

    root = etree.fromstring(text.encode("utf-8"),
                            etree.XMLParser(resolve_entities=False, no_network=True))
    return any(node.get("ref") == identifier for node in root.iter(TOMBSTONE))
