"""Pictures as published: a release's image made ready once per process, and the QR code.

Scaling and re-encoding an image costs tens of milliseconds, and several formats of one build
need it (the web page ships the file, the EPUB embeds it, the feeds give its size), so the
result is kept per file and per version of the file.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from .document import Document
from .images import Picture, prepare


def picture(doc: Document) -> Picture | None:
    """The release's image, scaled and stripped of metadata; None when it has none."""
    if doc.image is None:
        return None
    info = doc.image.stat()
    return _prepared(doc.image, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=64)
def _prepared(path: Path, mtime_ns: int, size: int) -> Picture:
    return prepare(path)


def qr_svg(url: str) -> bytes:
    """A QR code of `url` as SVG (deterministic), for the printed brief."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=0, xmldecl=False,
                                     svgclass=None, lineclass=None, dark="#000")
    return buffer.getvalue()
