"""Language of tagged PDF structure elements: `/Lang` from the HTML `lang` attribute.

WeasyPrint 70 sets the document's /Lang from <html lang> but no /Lang on the structure
elements of parts in another language (`[droit à l'eau]{lang=fr}`, the names in a language
switcher), so a screen reader reads them with the wrong voice. PDF/UA asks for the language of
every such part. This wraps WeasyPrint's structure-tree builder so each element made for a box
whose HTML element carries `lang` gets that `/Lang`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pydyf
from weasyprint.pdf import tags

_MARK = "_pressroom_lang"


def install() -> None:
    """Wrap WeasyPrint's builder once per process (it calls itself through the module)."""
    original = tags._build_box_tree
    if getattr(original, _MARK, False):
        return
    tags._build_box_tree = _with_language(original)


def _with_language(original: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def build(box: Any, parent: Any, *args: Any) -> Iterator[Any]:
        element = getattr(box, "element", None)
        language = element.get("lang") if element is not None and \
            getattr(box, "element_tag", None) not in ("html", "body") else None
        for made in original(box, parent, *args):
            if language and made.get("P") == parent.reference and "Lang" not in made:
                made["Lang"] = pydyf.String(language)
            yield made

    setattr(build, _MARK, True)
    return build
