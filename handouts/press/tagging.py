"""The structure tree as PDF/UA asks: page headers and footers as artifacts, list items whole.

WeasyPrint tags the text of page-margin boxes like body text, with structure
elements that it leaves out of the document's tree (PDF 1.7 has no way to put
an artifact in the tree). Screen readers skip them, but checkers see tagged
content that belongs to no element. This pass, run on each printed PDF, marks
that content as /Artifact and drops the orphaned elements from the parent tree.

WeasyPrint also gives a list item's block children (the paragraphs of a loose
Markdown list: `<li><p>`) to the LI itself, beside its Lbl, where PDF/UA allows
only Lbl and LBody. The same pass gathers them, in order, into one LBody.
"""

from __future__ import annotations

import io

import pikepdf

LIST_ITEM_PARTS = ("/Lbl", "/LBody")


def tidy_structure(pdf_bytes: bytes) -> bytes:
    """The PDF with headers and footers as artifacts and every LI holding only Lbl and LBody."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None or "/ParentTree" not in root:
            return pdf_bytes
        reachable = _reachable(root)
        artifacts = _mark_orphans_as_artifacts(pdf, root, set(reachable))
        bodies = _gather_list_item_bodies(pdf, [e for e in reachable.values() if e.S == "/LI"])
        if not (artifacts or bodies):
            return pdf_bytes
        out = io.BytesIO()
        # Same bytes in, same bytes out: no new /ID, no timestamps.
        pdf.save(out, static_id=True, deterministic_id=False, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def _mark_orphans_as_artifacts(pdf: pikepdf.Pdf, root: pikepdf.Dictionary, reachable: set) -> bool:
    parents = _number_tree(root.ParentTree)
    changed = False
    for page in pdf.pages:
        elements = parents.get(int(page.obj.get("/StructParents", -1)))
        if elements is None:
            continue
        orphans = {i for i, e in enumerate(elements)
                   if isinstance(e, pikepdf.Dictionary) and e.objgen not in reachable}
        if orphans:
            _rewrite(pdf, page, orphans)
            for i in orphans:
                elements[i] = None
            changed = True
    return changed


def _gather_list_item_bodies(pdf: pikepdf.Pdf, items: list[pikepdf.Dictionary]) -> bool:
    """LI > Lbl, P, P becomes LI > Lbl, LBody > (P, P); an LBody already there takes the rest in.

    Only structure elements move: the parent tree points at the elements that hold
    marked content, and those stay as they are. An LI holding content of its own is
    left alone (the checker names it).
    """
    changed = False
    for item in items:
        kids = _kids(item)
        if all(k.get("/S") in LIST_ITEM_PARTS for k in kids) or not all(_is_element(k) for k in kids):
            continue
        bodies = [k for k in kids if k.S == "/LBody"]
        if not all(_is_element(k) for b in bodies for k in _kids(b)):
            continue
        body = bodies[0] if bodies else pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.LBody, P=item))
        content = [g for k in kids if k.S != "/Lbl" for g in (_kids(k) if k.S == "/LBody" else [k])]
        for kid in content:
            kid.P = body
        body.K = pikepdf.Array(content)
        item.K = pikepdf.Array([*(k for k in kids if k.S == "/Lbl"), body])
        changed = True
    return changed


def _is_element(node) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def _kids(element: pikepdf.Dictionary) -> list:
    kids = element.get("/K")
    return [] if kids is None else list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _reachable(root: pikepdf.Dictionary) -> dict[tuple[int, int], pikepdf.Dictionary]:
    seen: dict[tuple[int, int], pikepdf.Dictionary] = {}
    stack = [root.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif _is_element(node) and node.objgen not in seen:
            seen[node.objgen] = node
            stack.append(node.get("/K"))
    return seen


def _number_tree(tree: pikepdf.Dictionary) -> dict[int, pikepdf.Array]:
    found: dict[int, pikepdf.Array] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        nums = node.get("/Nums")
        if nums is not None:
            for i in range(0, len(nums) - 1, 2):
                found[int(nums[i])] = nums[i + 1]
        stack.extend(node.get("/Kids", []))
    return found


def _rewrite(pdf: pikepdf.Pdf, page: pikepdf.Page, orphans: set[int]) -> None:
    instructions = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary) \
                and int(operands[1].get("/MCID", -1)) in orphans:
            instructions.append(([pikepdf.Name.Artifact], pikepdf.Operator("BMC")))
        else:
            instructions.append((operands, operator))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
