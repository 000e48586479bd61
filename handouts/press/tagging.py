"""Page headers and footers as artifacts, as PDF/UA asks.

WeasyPrint tags the text of page-margin boxes like body text, with structure
elements that it leaves out of the document's tree (PDF 1.7 has no way to put
an artifact in the tree). Screen readers skip them, but checkers see tagged
content that belongs to no element. This pass, run on each printed PDF, marks
that content as /Artifact and drops the orphaned elements from the parent tree.
"""

from __future__ import annotations

import io

import pikepdf


def mark_orphans_as_artifacts(pdf_bytes: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None or "/ParentTree" not in root:
            return pdf_bytes
        reachable = _reachable(root)
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
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        # Same bytes in, same bytes out: no new /ID, no timestamps.
        pdf.save(out, static_id=True, deterministic_id=False, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()


def _reachable(root: pikepdf.Dictionary) -> set[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    stack = [root.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in seen:
            seen.add(node.objgen)
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
