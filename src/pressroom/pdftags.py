"""Post-processing of WeasyPrint's tagged PDF (pikepdf).

WeasyPrint 70 gives the text of @page margin boxes an MCID but never links its structure
element into the tree (Kozea/WeasyPrint#1836), so page numbers would be content outside the
structure tree, which PDF/UA forbids. `finish` turns such marked content into
`/Artifact <</Type /Pagination>>`, renumbers the remaining MCIDs, records the release id in
the XMP packet, and saves with a content-derived /ID so the same input gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf


def finish(pdf_bytes: bytes, identifier: str) -> bytes:
    """Artifact the margin boxes, add the id to XMP, save deterministically."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        artifact_margin_boxes(pdf)
        scope_table_headers(pdf)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:identifier"] = identifier
            meta["xmpMM:DocumentID"] = identifier
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True, fix_metadata_version=False)
        return buffer.getvalue()


def reachable_struct_elems(struct_root: Any) -> set[tuple[int, int]]:
    """The ``objgen`` of every indirect StructElem reachable from ``struct_root`` via /K."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [struct_root]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR"
                    and kid.get("/Type") != "/MCR" and kid.is_indirect
                    and kid.objgen not in seen):
                seen.add(kid.objgen)
                stack.append(kid)
    return seen


def scope_table_headers(pdf: Any) -> None:
    """Give each table header cell its scope (PDF/UA, ISO 14289-1 7.5): a TH in the header
    row group heads its column, a TH elsewhere its row. WeasyPrint writes the TH with /A
    << /O /Table >> and no /Scope."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, in_head = stack.pop()
        kind = node.get("/S")
        if kind == "/TH":
            attributes = node.get("/A")
            if not isinstance(attributes, pikepdf.Dictionary):
                attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                node.A = attributes
            attributes.Scope = pikepdf.Name.Column if in_head else pikepdf.Name.Row
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None
                    else []):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                stack.append((kid, in_head or kind == "/THead"))


def artifact_margin_boxes(pdf: Any) -> None:
    """Turn marked content whose StructElem is not in the structure tree into
    ``/Artifact <</Type /Pagination>> BDC`` (WeasyPrint 70 does this to @page
    margin boxes) and renumber the remaining MCIDs per page."""
    root = pdf.Root.StructTreeRoot
    reachable = reachable_struct_elems(root)
    nums = root.ParentTree.Nums
    positions = {int(nums[i]): i + 1 for i in range(0, len(nums), 2)}
    for page in pdf.pages:
        pos = positions.get(int(page.obj.get("/StructParents", -1)))
        if pos is None:
            continue
        old = nums[pos]
        remap: dict[int, int] = {}
        kept = pikepdf.Array()
        for mcid, elem in enumerate(old):
            if elem.objgen in reachable:
                remap[mcid] = len(kept)
                kept.append(elem)
        if len(kept) == len(old):
            continue
        for mcid, new in remap.items():  # renumber MCIDs in kept StructElems
            elem = old[mcid]
            kids = elem.K if isinstance(elem.K, pikepdf.Array) else [elem.K]
            elem.K = pikepdf.Array(
                [new if isinstance(k, int) and int(k) == mcid else k for k in kids])
        _rewrite_marked_content(pdf, page, remap, set())
        nums[pos] = kept


def _rewrite_marked_content(pdf: Any, owner: Any, remap: dict[int, int],
                            seen: set[tuple[int, int]]) -> None:
    """Apply the MCID remap to a page or form XObject (and forms it draws);
    MCIDs missing from ``remap`` become pagination artifacts."""
    out: list[tuple[Any, Any]] = []
    forms: list[Any] = []
    for instruction in pikepdf.parse_content_stream(owner):
        operands: Any = instruction.operands
        op = instruction.operator
        if (str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary)
                and "/MCID" in operands[1]):
            mcid = int(operands[1].MCID)
            if mcid in remap:
                operands = [operands[0], pikepdf.Dictionary(MCID=remap[mcid])]
            else:
                operands = [pikepdf.Name.Artifact,
                            pikepdf.Dictionary(Type=pikepdf.Name.Pagination)]
        elif str(op) == "Do":
            forms.append(operands[0])
        out.append((operands, op))
    data = pikepdf.unparse_content_stream(out)
    if isinstance(owner, pikepdf.Page):
        owner.Contents = pdf.make_stream(data)
        resources = owner.obj.get("/Resources")
    else:
        owner.write(data)
        resources = owner.get("/Resources")
    xobjects: Any = resources.get("/XObject", {}) if resources is not None else {}
    for name in forms:
        xobj = xobjects.get(name)
        if (xobj is not None and xobj.get("/Subtype") == "/Form"
                and xobj.objgen not in seen):
            seen.add(xobj.objgen)
            _rewrite_marked_content(pdf, xobj, remap, seen)


