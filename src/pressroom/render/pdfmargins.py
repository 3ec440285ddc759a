"""Page furniture as a pagination artifact, drawn so by WeasyPrint itself.

WeasyPrint 70 draws the text of @page margin boxes ("Page 1 of 2") as marked content whose
structure elements it keeps out of the structure tree (an Artifact there is PDF 2.0 only);
PDF/UA wants that text marked `/Artifact <</Type /Pagination>>` in the content stream. Rewriting
each page's content stream afterwards cost milliseconds a brief; this wraps WeasyPrint's drawing
of a margin box in that artifact instead, with no marked content inside, and keeps margin boxes
out of the structure-tree builder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pydyf
from weasyprint import draw
from weasyprint.formatting_structure import boxes
from weasyprint.pdf import tags

_MARK = "_pressroom_margins"


def install() -> None:
    """Wrap WeasyPrint's drawing and tree building once per process (both call themselves
    through their module)."""
    if not getattr(draw.draw_stacking_context, _MARK, False):
        draw.draw_stacking_context = _drawn_as_artifact(draw.draw_stacking_context)
    if not getattr(tags._build_box_tree, _MARK, False):
        tags._build_box_tree = _without_margins(tags._build_box_tree)


def _drawn_as_artifact(original: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    def drawn(stream: Any, context: Any) -> None:
        marks = getattr(stream, "_tags", None)
        if marks is None or not isinstance(context.box, boxes.MarginBox):
            original(stream, context)
            return
        stream._tags = None  # nothing marked inside: it is all furniture
        stream.begin_marked_content("Artifact", pydyf.Dictionary({"Type": "/Pagination"}))
        try:
            original(stream, context)
        finally:
            stream.end_marked_content()
            stream._tags = marks

    setattr(drawn, _MARK, True)
    drawn.__wrapped__ = original  # type: ignore[attr-defined]
    return drawn


def _without_margins(original: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def build(box: Any, *args: Any) -> Iterator[Any]:
        if isinstance(box, boxes.MarginBox):
            return
        yield from original(box, *args)

    setattr(build, _MARK, True)
    build.__wrapped__ = original  # type: ignore[attr-defined]
    return build
