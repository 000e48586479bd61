"""A block body as a reader meets it: paragraphs, list items, lists and headings, each with its line.

The words of each are the printed text (content/printed.py), character references decoded.

content/markdown.py says what a body may contain; this module reads what it does contain, so
the plain-language checks can point at the line of a long sentence or a long list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..content.markdown import lenient_tokens
from ..content.printed import printed


@dataclass(frozen=True)
class Passage:
    """The plain text of a paragraph or list item; soft line breaks are spaces at `breaks`."""

    text: str
    line: int  # 0-based body line it starts on
    in_list: bool
    breaks: tuple[int, ...] = ()  # offsets in `text` where the source starts a new line

    def line_at(self, offset: int) -> int:
        return self.line + sum(1 for b in self.breaks if b <= offset)


@dataclass(frozen=True)
class ListInfo:
    line: int
    items: int


@dataclass(frozen=True)
class Heading:
    line: int
    level: int


@dataclass(frozen=True)
class Body:
    passages: tuple[Passage, ...]
    lists: tuple[ListInfo, ...]
    headings: tuple[Heading, ...]


@lru_cache(maxsize=1 << 16)
def read(body: str) -> Body:
    """The passages, lists and headings of a Markdown body (parsed once a body and run)."""
    passages, lists, headings = [], [], []
    open_lists: list[tuple[int, int, list[int]]] = []  # (level, line, item count)
    depth_in_items = 0
    for token in lenient_tokens(body):  # lenient like markdown.problems: a body that breaks the rules is read
        line = token.map[0] if token.map else 0
        if token.type in ("bullet_list_open", "ordered_list_open"):
            open_lists.append((token.level, line, [0]))
        elif token.type == "list_item_open":
            depth_in_items += 1
            if open_lists and token.level == open_lists[-1][0] + 1:
                open_lists[-1][2][0] += 1
        elif token.type == "list_item_close":
            depth_in_items -= 1
        elif token.type in ("bullet_list_close", "ordered_list_close") and open_lists:
            level, start, items = open_lists.pop()
            lists.append(ListInfo(start, items[0]))
        elif token.type == "heading_open":
            headings.append(Heading(line, int(token.tag[1:])))
        elif token.type == "inline":
            text, breaks = _inline_text(token)
            if text.strip():
                passages.append(Passage(text, line, depth_in_items > 0, breaks))
    return Body(tuple(passages), tuple(sorted(lists, key=lambda x: x.line)), tuple(headings))


def _inline_text(token) -> tuple[str, tuple[int, ...]]:
    pieces: list[str] = []
    breaks: list[int] = []
    length = 0
    for child in token.children or ():
        if child.type in ("text", "code_inline", "html_inline", "image"):  # an image: its alternative text
            piece = printed(child.content).text  # as it prints: normalised, invisible characters out
        elif child.type in ("softbreak", "hardbreak"):
            piece = " "
            breaks.append(length + 1)
        else:
            continue
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces), tuple(breaks)

