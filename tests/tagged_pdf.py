"""A tagged PDF read back as a screen reader meets it: its structure tree, with each element's text.

The text of each marked-content sequence (MCID) comes from the page's content stream, through
pypdf's text extraction; the structure tree (pikepdf) says in what order, and in which element,
a reader meets it. Page headers and footers are artifacts, outside the tree.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
from pypdf import PdfReader


@dataclass
class Element:
    kind: str  # the structure type without its slash: "L", "LI", "Lbl", "LBody", "P"...
    parts: list[Element | str] = field(default_factory=list)  # kids and text, in reading order

    @property
    def kids(self) -> list[Element]:
        return [p for p in self.parts if isinstance(p, Element)]

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.text for p in self.parts)

    def find(self, kind: str) -> list[Element]:
        """Every element of this kind below this one, in reading order (not inside each other)."""
        found = []
        for kid in self.kids:
            found += [kid] if kid.kind == kind else kid.find(kind)
        return found

    def outline(self, depth: int = 0) -> str:
        """L > LI > Lbl + LBody as indented lines, each with its words."""
        words = " ".join(self.text.split()) if self.kind in ("Lbl", "LBody") else ""
        lines = ["  " * depth + self.kind + (f": {words!r}" if words else "")]
        if not words:
            lines += [k.outline(depth + 1) for k in self.kids]
        return "\n".join(lines)


def read_back(path: Path) -> Element:
    """The document's structure tree, from StructTreeRoot down, each element with its text."""
    texts = _marked_texts(path)
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}

        def build(node: pikepdf.Dictionary, page: int | None) -> Element:
            if "/Pg" in node:
                page = pages[node.Pg.objgen]
            element = Element(str(node.get("/S", "/StructTreeRoot"))[1:])
            kids = node.get("/K")
            for kid in [] if kids is None else kids if isinstance(kids, pikepdf.Array) else [kids]:
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    element.parts.append(build(kid, page))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    at = pages[kid.Pg.objgen] if "/Pg" in kid else page
                    element.parts.append(texts.get((at, int(kid.MCID)), ""))
                elif not isinstance(kid, pikepdf.Dictionary):  # an MCID on this element's page
                    element.parts.append(texts.get((page, int(kid)), ""))
            return element

        return build(pdf.Root.StructTreeRoot, None)


def _marked_texts(path: Path) -> dict[tuple[int, int], str]:
    """{(page index, MCID): text} for every marked-content sequence that shows text."""
    found: dict[tuple[int, int], str] = {}
    for index, page in enumerate(PdfReader(path).pages):
        open_marks: list[int | None] = []

        def before(operator, operands, cm, tm):
            if operator == b"BDC":
                properties = operands[1] if len(operands) > 1 else None
                mcid = properties.get("/MCID") if hasattr(properties, "get") else None
                open_marks.append(None if mcid is None else int(mcid))
            elif operator == b"BMC":
                open_marks.append(None)
            elif operator == b"EMC" and open_marks:
                open_marks.pop()

        def shown(text, cm, tm, font, size):
            mcid = next((m for m in reversed(open_marks) if m is not None), None)
            if mcid is not None and text:
                found[(index, mcid)] = found.get((index, mcid), "") + text

        page.extract_text(visitor_operand_before=before, visitor_text=shown)
    return found


# Shown on screen only (the print stylesheet hides them), so never in the PDF's reading order:
# a source's publisher and address print only on a packet's last page.
SCREEN_ONLY = frozenset({"screen-only", "source-detail"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.open: list[bool] = []  # per open element: is its text left out?

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        self.open.append(tag in ("head", "script", "style") or bool(classes & SCREEN_ONLY))

    def handle_endtag(self, tag):
        if tag not in _VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        if not any(self.open) and (words := squeeze(data)):
            self.pieces.append(words)


def html_text(html: str) -> list[str]:
    """The text nodes of an HTML page's body, in document order, without whitespace."""
    parser = _Text()
    parser.feed(html)
    return parser.pieces


def squeeze(text: str) -> str:
    """Text without whitespace, in one Unicode form: line breaks fall differently on paper."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def out_of_order(pieces: list[str], text: str) -> str | None:
    """The first piece not found, in order, in `text` (the reading order), or None."""
    at = 0
    for piece in pieces:
        found = text.find(piece, at)
        if found < 0:
            return piece
        at = found + len(piece)
    return None
