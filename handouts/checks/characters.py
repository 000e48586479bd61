"""Characters on the page: what the font cannot draw, and what a reader cannot see.

Both read the printed text (content/printed.py) of every value that reaches a page, so
a character written as a reference (`&#1091;`, `&#x202E;`) is judged as the character it
prints.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..content import slips
from ..content.load import Entry, Library
from ..content.printed import describe
from ..findings import Finding, error
from .handout_text import Piece, block_pieces, other_pieces, texts


MAX_WORD = 40  # characters: about a line of large print


def check(library: Library, fonts: Path | None) -> list[Finding]:
    """Every value of site, clinic profiles, sources and strings; topics and blocks are checked
    one at a time (`topic`, `block`), so that a memo can keep what each one gave."""
    return _pieces(other_pieces(library), drawable(fonts))


def topic(entry: Entry, fonts: Path | None) -> list[Finding]:
    """Every value of one topic file (or its translation) that reaches a page."""
    pieces = [Piece(text, entry.doc.at(keys), ".".join(map(str, keys))) for keys, text in texts(entry.doc.data)]
    return _pieces(pieces, drawable(fonts))


def block(entry: Entry, fonts: Path | None) -> list[Finding]:
    """The same for one block: its title, body and picture's words."""
    return _pieces(block_pieces(entry), drawable(fonts))


@lru_cache(maxsize=4)
def drawable(fonts: Path | None) -> frozenset[int]:
    """The code points the shipped fonts can all draw (none known: nothing is held against a character)."""
    return _drawable(tuple(sorted(fonts.glob("*.ttf")))) if fonts is not None else frozenset()


def _pieces(pieces, drawable: frozenset[int]) -> list[Finding]:
    found = []
    for piece in pieces:
        found += invisible(piece)
        found += long_words(piece)
        if drawable:
            found += undrawable(piece, drawable)
    return found


def invisible(piece: Piece) -> list[Finding]:
    """Bidi controls and invisible characters: the page would not show what the checks read."""
    refused = piece.printed.refused
    if not refused:
        return []
    shown = ", ".join(dict.fromkeys(describe(c) for _, c in refused))
    return [error(piece.location(refused[0][0]), f"{shown}: invisible on paper, or it reorders the letters around "
                  "it, so the page would not say what was checked; delete it", "invisible")]


def long_words(piece: Piece) -> list[Finding]:
    """A word longer than a large-print line: the page breaks it (handout.css) rather than cut it
    off, but a reader should not meet it. Web and e-mail addresses are left alone."""
    found = []
    for match in re.finditer(r"\S{%d,}" % (MAX_WORD + 1), piece.printed.text):
        if not re.search(r"://|@|www\.", match.group()):
            found.append(error(piece.printed_at(match.start()), f"a word of {len(match.group())} characters "
                                 f"(\"{match.group()[:20]}...\") is longer than a line; it will be broken across "
                                 "lines: put spaces in it or shorten it", "long-word"))
            break
    return found


def undrawable(piece: Piece, drawable: frozenset[int]) -> list[Finding]:
    """Characters the shipped font cannot draw. The printer would borrow them from some
    system font: a different look on every machine, or an empty box on the page."""
    shown = piece.printed.shown
    missing = sorted({c for c in set(shown) if ord(c) not in drawable and not c.isspace()})
    if not missing:
        return []
    first = next(i for i, c in enumerate(shown) if c in missing)
    shown_as = "; ".join(f"{slips.character_name(c)}: write {slips.instead(c)}" for c in missing)
    return [error(piece.location(piece.printed.shown_origin[first]), f"the handout font cannot print {shown_as}",
                  "no-glyph")]


@lru_cache(maxsize=4)
def _drawable(fonts: tuple[Path, ...]) -> frozenset[int]:
    """The code points every shipped font file can draw (regular, bold, italic alike)."""
    from fontTools.ttLib import TTFont

    maps = [set(TTFont(path, lazy=True).getBestCmap()) for path in fonts]
    return frozenset(set.intersection(*maps)) if maps else frozenset()
