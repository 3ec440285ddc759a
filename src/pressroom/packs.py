"""What a briefing pack PDF holds, as the pack itself records it.

`pressroom pack` writes a pack anywhere below dist/ that no other output owns, so the pack is
its own record: its XMP packet lists the ids of the releases in it (`dc:relation`, written by
`render.pack`), next to its keyword (`pdf:Keywords`) and its identifier
(`<feed id>:pack:<first day>:<last day>:<keyword>`). A build reads it back to keep packs
following what is public (`build.follow_packs`), and `make check` to prove no pack holds a
release that is not.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pressroom.layout import owner

MARK = ":pack:"
"""In the identifier of every pack (`dc:identifier`), never of a release's brief."""
_DESTINATION = "r-"
"""The contents page links each release as `#r-<slug>`, a named destination in the PDF."""


@dataclass(frozen=True, slots=True)
class Pack:
    """A briefing pack as read back from its PDF."""

    releases: frozenset[str]
    """The ids of its releases (`dc:relation`); for a pack made before packs recorded them,
    the slugs its contents page links to."""
    keyword: str
    """The keyword it was selected by ('' for none)."""
    size: tuple[float, float]
    """Width and height of its pages, in points (its paper)."""


def record(pdf: bytes, ids: list[str]) -> bytes:
    """The pack's bytes with the ids of its releases in its XMP packet (saved as
    deterministically as `pdftags.finish`: the same pack gives the same bytes)."""
    import pikepdf  # ~50 ms: only where a PDF is opened, not in every build

    with pikepdf.open(io.BytesIO(pdf)) as document:
        with document.open_metadata(set_pikepdf_as_editor=False,
                                    update_docinfo=False) as meta:
            meta["dc:relation"] = sorted(ids)
        buffer = io.BytesIO()
        document.save(buffer, deterministic_id=True, fix_metadata_version=False)
        return buffer.getvalue()


def read_pack(path: Path) -> Pack | None:
    """The pack at `path`; None for a PDF that is not a pack. Raises OSError if it cannot be
    read, pikepdf.PdfError if it is not a PDF."""
    import pikepdf

    with pikepdf.open(path) as document:
        meta = document.open_metadata()
        if MARK not in str(meta.get("dc:identifier", "")):
            return None
        releases = {str(r) for r in meta.get("dc:relation", set()) or ()}
        if not releases:  # made before packs recorded their releases
            names = document.Root.get("/Names")
            dests = names.get("/Dests") if names is not None else None
            if dests is not None:
                releases = {str(name)[len(_DESTINATION):]
                            for name in pikepdf.NameTree(dests)
                            if str(name).startswith(_DESTINATION)}
        box = [float(x) for x in document.pages[0].mediabox] if document.pages else [0.0] * 4
        return Pack(frozenset(releases), str(meta.get("pdf:Keywords", "") or ""),
                    (box[2] - box[0], box[3] - box[1]))


def pack_releases(path: Path) -> set[str]:
    """What the briefing pack at `path` holds: the ids of its releases (or, for a pack made
    before packs recorded them, their slugs). Raises ValueError if `path` is not a pack."""
    import pikepdf

    try:
        pack = read_pack(path)
    except (OSError, pikepdf.PdfError) as exc:
        raise ValueError(f"{path}: not a readable PDF ({exc})") from None
    if pack is None:
        raise ValueError(f"{path}: not a briefing pack")
    return set(pack.releases)


def find_packs(dist: Path) -> list[Path]:
    """Every briefing pack below dist/: the PDFs in no other output's place that say they are
    packs (one that cannot be read is none)."""
    pdfs = sorted(dist.rglob("*.pdf")) if dist.is_dir() else []
    candidates = [p for p in pdfs if owner(p.relative_to(dist).as_posix()) is None]
    if not candidates:
        return []
    import pikepdf  # only to open one

    found: list[Path] = []
    for path in candidates:
        try:
            if read_pack(path) is not None:
                found.append(path)
        except (OSError, pikepdf.PdfError):
            continue
    return found
