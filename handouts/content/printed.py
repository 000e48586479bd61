"""The printed text: what a patient reads, the one text every check reads.

A value is printed as written, except a block body, which is Markdown: it is
parsed by the same parser that renders it (markdown.tokens), so character
references (`&#98;`, `&nbsp;`) are decoded, backslash escapes and emphasis marks
are gone, and the text of a link joins its neighbours (`b[u](...)y` reads "buy").
Then the text is normalised as a reader sees it (NFKC: full-width letters,
ligatures and no-break spaces become plain ones), and what a reader cannot see
but a printer obeys is taken out and reported: bidi controls, which reorder the
letters on paper ("Call <RLO>911" prints "Call 119"), zero-width and other
invisible characters, which hide words from a search.

Every character remembers the offset it came from in the written value, so a
finding still names the file, line and column an editor must change.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .markdown import tokens

# Invisible to a reader, or reordering what a reader sees; never meant in a handout.
_INVISIBLE_RANGES = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x2800, 0x2800),
                     (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xE0000, 0xE0FFF))
_ENTITY = re.compile(r"&(?:#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")
_UNUSUAL = re.compile(r"[^\x20-\x7e\n\t]")  # all that may be refused
_SKIPPED = set("*_`[]!<>\\ \t\n")  # what Markdown drops around and between the words


def refused(char: str) -> bool:
    """A character that prints as nothing, or that changes the order of what prints."""
    if char in "\n\t":
        return False
    code = ord(char)
    category = unicodedata.category(char)
    return category in ("Cf", "Cc", "Cs", "Co", "Zl", "Zp") or any(a <= code <= b for a, b in _INVISIBLE_RANGES)


def describe(char: str) -> str:
    return f"U+{ord(char):04X} ({unicodedata.name(char, 'an unnamed control character').lower()})"


@dataclass(frozen=True)
class Printed:
    """One value as printed. `shown`: the characters the page is given (for the font check);
    `text`: what a patient reads (NFKC). `refused`: (offset, character) of invisible ones."""

    shown: str
    shown_origin: tuple[int, ...]
    text: str
    origin: tuple[int, ...]
    refused: tuple[tuple[int, str], ...]

    def source(self, index: int) -> int:
        """The offset in the written value of `text[index]` (the end, past the last one)."""
        if not self.origin:
            return 0
        return self.origin[index] if index < len(self.origin) else self.origin[-1] + 1


@lru_cache(maxsize=1 << 17)  # every piece of a 1,000-topic library: the checks read each several times
def printed(written: str, markdown: bool = False) -> Printed:
    """`written` as it prints: a body (markdown=True) through the renderer's parser, anything else as it is."""
    if markdown:
        shown, origin = _markdown_text(written)
    else:
        shown, origin = written, list(range(len(written)))
    refusals = [(origin[m.start()], m.group()) for m in _UNUSUAL.finditer(shown) if refused(m.group())]
    if refusals:
        kept_origin = [at for char, at in zip(shown, origin) if not refused(char)]
        kept = "".join(char for char in shown if not refused(char))
    else:  # most text: nothing to take out
        kept, kept_origin = shown, origin
    # Text already in NFKC (plain ASCII, most accented letters) keeps every character where it is.
    text, text_origin = (kept, kept_origin) if unicodedata.is_normalized("NFKC", kept) else _nfkc(kept, kept_origin)
    return Printed(kept, tuple(kept_origin), text, tuple(text_origin), tuple(refusals))


def _nfkc(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """NFKC, a letter and its combining marks at a time, each result keeping its origin."""
    out: list[str] = []
    where: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        for piece in unicodedata.normalize("NFKC", text[i:j]):
            out.append(piece)
            where.append(origin[i])
        i = j
    return "".join(out), where


def _markdown_text(written: str) -> tuple[str, list[int]]:
    """The words of a body: one line per paragraph or list item, with each character's origin."""
    body = written.strip()
    lead = len(written) - len(written.lstrip())
    starts = [0]
    for line in body.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    lines = body.split("\n")
    out: list[str] = []
    origin: list[int] = []
    for token in tokens(body):
        if token.type != "inline" or not token.map:
            continue
        offsets = _raw_offsets(token.content, token.map[0], lines, starts)
        if out:
            out.append("\n")
            origin.append(offsets[0] if offsets else 0)
        _inline(token.content, offsets, token.children or (), out, origin)
    return "".join(out), [lead + o for o in origin]


def _raw_offsets(raw: str, first_line: int, lines: list[str], starts: list[int]) -> list[int]:
    """For each character of an inline token's content, its offset in the body."""
    offsets: list[int] = []
    for k, raw_line in enumerate(raw.split("\n")):
        n = first_line + k
        if n >= len(lines):
            base = starts[-1]
        else:
            base = starts[n] + max(0, len(lines[n].rstrip()) - len(raw_line.rstrip()))
        offsets.extend(range(base, base + len(raw_line) + 1))  # + the line break
    return offsets[: len(raw)] or [0]


def _inline(raw: str, offsets: list[int], children, out: list[str], origin: list[int]) -> None:
    cursor = 0
    for child in children:
        if child.type in ("text", "code_inline") or child.type == "image":
            cursor = _align(child.content, raw, cursor, offsets, out, origin)
        if child.type in ("softbreak", "hardbreak"):
            found = raw.find("\n", cursor)
            cursor = found if found >= 0 else cursor
            out.append(" ")
            origin.append(offsets[min(cursor, len(offsets) - 1)])
            cursor += 1
        elif (child.type == "link_close" and child.markup != "autolink") or child.type == "image":
            cursor = _past_destination(raw, cursor)


def _align(piece: str, raw: str, cursor: int, offsets: list[int], out: list[str], origin: list[int]) -> int:
    """Append `piece` (decoded text) and find where each of its characters stands in `raw`."""
    if raw.startswith(piece, cursor):  # most text: written as it prints, each character in its place
        out.extend(piece)
        origin.extend(offsets[cursor:cursor + len(piece)])
        return cursor + len(piece)
    i = 0
    last = len(offsets) - 1
    while i < len(piece):
        char = piece[i]
        if cursor >= len(raw):
            out.append(char)
            origin.append(offsets[last])
            i += 1
            continue
        entity = _ENTITY.match(raw, cursor) if raw[cursor] == "&" else None
        decoded = html.unescape(entity.group()) if entity else ""
        if raw[cursor] == char:
            out.append(char)
            origin.append(offsets[cursor])
            i, cursor = i + 1, cursor + 1
        elif decoded and piece.startswith(decoded, i):
            out.extend(decoded)
            origin.extend([offsets[cursor]] * len(decoded))
            i, cursor = i + len(decoded), entity.end()
        elif raw[cursor] == "\\" and raw[cursor + 1: cursor + 2] == char:
            out.append(char)
            origin.append(offsets[cursor])
            i, cursor = i + 1, cursor + 2
        elif raw[cursor] in _SKIPPED:
            cursor += 1
        else:  # cannot be placed exactly: give it the nearest place, and go on
            out.append(char)
            origin.append(offsets[min(cursor, last)])
            i += 1
    return cursor


def _past_destination(raw: str, cursor: int) -> int:
    """Past a link's or an image's `](destination "title")`."""
    start = raw.find("](", cursor)
    if start < 0:
        return cursor
    depth, i = 1, start + 2
    while i < len(raw) and depth:
        if raw[i] == "\\":
            i += 1
        elif raw[i] == "(":
            depth += 1
        elif raw[i] == ")":
            depth -= 1
        i += 1
    return i
