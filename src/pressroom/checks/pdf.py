"""PDF validation (pikepdf): metadata, language, tagging, embedded fonts, and no text outside
the structure tree (every text operator inside an /Artifact or a reachable MCID sequence).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pikepdf

from pressroom.pdftags import reachable_struct_elems

ALLOWED_FONTS = ("Pressroom-",)
"""PostScript name prefixes of the fonts a PDF may use: WeasyPrint names a font after the
@font-face family ("Pressroom Serif" -> Pressroom-Serif), so a system font stands out."""
"""Fonts shipped in styles/fonts; anything else is a silent fallback to a system font."""


def extract_text(path: Path) -> str:
    """The PDF's text as a reader's copy-paste would give it (poppler's pdftotext); read once
    per process while the file is unchanged (several checks read each PDF)."""
    info = path.stat()
    return _text(str(path), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=64)
def _text(path: str, mtime_ns: int, size: int) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise RuntimeError("pdftotext (Debian poppler-utils) is needed to check PDF text")
    result = subprocess.run([tool, "-enc", "UTF-8", path, "-"], capture_output=True,
                            check=True)
    return result.stdout.decode("utf-8")


_TEXT_OPS = {"Tj", "TJ", "'", '"'}
_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def _font_problems(pdf: Any) -> list[str]:
    """Every non-Type3 simple font and every CIDFont must carry a FontFile*."""
    problems: list[str] = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        if obj.get("/Subtype") in ("/Type0", "/Type3"):
            continue  # Type0: checked via its DescendantFonts (also /Type /Font)
        fd = obj.get("/FontDescriptor")
        if fd is None or not any(k in fd for k in _FONT_FILES):
            problems.append(f"font not embedded: {obj.get('/BaseFont')}")
    return problems


def _mcids_of(elem: Any) -> set[int]:
    kids = elem.get("/K")
    kids = kids if isinstance(kids, pikepdf.Array) else [kids]
    return {int(k) if isinstance(k, int) else int(k.MCID) for k in kids
            if isinstance(k, int) or (isinstance(k, pikepdf.Dictionary) and "/MCID" in k)}


def _content_problems(owner: Any, resources: Any, where: str, valid_mcids: set[int],
                      seen: set[tuple[int, int]], inside: bool = False) -> list[str]:
    """Text operators must sit inside an /Artifact sequence or an MCID sequence
    whose MCID maps (ParentTree) to a StructElem reachable from the root. A form XObject
    drawn inside such a sequence (an SVG image in a Figure) is covered by it: `inside`."""
    problems: list[str] = []
    stack: list[bool] = [inside]  # one "ok" flag per open marked-content sequence
    for instruction in pikepdf.parse_content_stream(owner):
        operands: Any = instruction.operands
        op = str(instruction.operator)
        if op == "BMC":
            stack.append(operands[0] == "/Artifact")
        elif op == "BDC":
            props, ok = operands[1], operands[0] == "/Artifact"
            if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                ok = int(props.MCID) in valid_mcids
                if not ok:
                    problems.append(f"{where}: MCID {int(props.MCID)} not in structure tree")
            stack.append(ok)
        elif op == "EMC" and len(stack) > 1:
            stack.pop()
        elif op in _TEXT_OPS and not any(stack):
            problems.append(f"{where}: {op} outside tagged/artifact content")
        elif op == "Do" and resources is not None:
            # WeasyPrint form XObjects reuse the MCIDs of the page that draws them.
            xobj = resources.get("/XObject", {}).get(operands[0])
            if (xobj is not None and xobj.get("/Subtype") == "/Form"
                    and xobj.objgen not in seen):
                seen.add(xobj.objgen)
                problems += _content_problems(
                    xobj, xobj.get("/Resources", resources),
                    f"{where} {operands[0]}", valid_mcids, seen, any(stack))
    return problems


def check_pdf(path: str | Path, fonts: tuple[str, ...] = ALLOWED_FONTS) -> list[str]:
    """Return a list of PDF/UA-oriented problems (empty list == OK).

    ``fonts``: name prefixes of the fonts shipped in styles/fonts.
    """
    with pikepdf.open(path) as pdf:
        problems = _catalog_problems(pdf.Root, pdf.docinfo)
        problems += _font_problems(pdf)
        problems += [f"font {name} is not one of pressroom's (a system font fallback?)"
                     for name in sorted(_font_names(pdf)) if not name.startswith(fonts)]
        problems += _tagging_problems(pdf)
    return problems


def _catalog_problems(root: Any, info: Any) -> list[str]:
    """Document info, language, MarkInfo, ViewerPreferences and XMP metadata."""
    problems: list[str] = []
    for key in ("/Title", "/Author"):
        if not str(info.get(key, "")).strip():
            problems.append(f"Info {key} missing/empty")
    if not str(root.get("/Lang", "")).strip():
        problems.append("catalog /Lang missing/empty")
    if not root.get("/MarkInfo", {}).get("/Marked", False):
        problems.append("MarkInfo /Marked not true")
    if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
        problems.append("ViewerPreferences /DisplayDocTitle not true")
    if "/Metadata" not in root:
        problems.append("no XMP /Metadata stream")
    return problems


def _tagging_problems(pdf: Any) -> list[str]:
    """A structure tree, and every page's text inside it (or an artifact)."""
    problems: list[str] = []
    struct = pdf.Root.get("/StructTreeRoot")
    parents: dict[int, Any] = {}
    reachable: set[tuple[int, int]] = set()
    if struct is None:
        problems.append("no StructTreeRoot")
    else:
        reachable = reachable_struct_elems(struct)
        nums = struct.get("/ParentTree", {}).get("/Nums", [])
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for n, page in enumerate(pdf.pages, 1):
        arr = parents.get(int(page.obj.get("/StructParents", -1)), [])
        valid = {i for i, e in enumerate(arr)
                 if isinstance(e, pikepdf.Dictionary) and e.objgen in reachable
                 and i in _mcids_of(e)}
        problems += _content_problems(
            page, page.obj.get("/Resources"), f"page {n}", valid, set())
    return problems


def _font_names(pdf: Any) -> set[str]:
    """Font names (subset tag stripped) used in the PDF."""
    return {str(o.BaseFont)[1:].split("+", 1)[-1] for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"
            and o.get("/Subtype") != "/Type0" and "/BaseFont" in o}
