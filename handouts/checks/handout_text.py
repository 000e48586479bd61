"""A handout as the editorial checks read it: a topic's tier, its pieces of text in order.

Each piece remembers where it was written, so a finding about a word can name the
file, line and column an editor must change. Bodies are kept as written (Markdown,
before pydantic strips them), so their line numbers match the file; where the Library
holds a body that differs from the file (facts filled in), the Library's is read.
Every check reads a piece's printed text (content/printed.py): what the page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..findings import Location
from ..content.load import SOURCE_LANGUAGE, Entry, Library
from ..content.printed import Printed, printed
from .phrases import line_and_column, normalize


@dataclass(frozen=True)
class Piece:
    """One piece of text: a topic's title or summary, or a block's title or body."""

    text: str              # as written; Markdown for a body
    start: Location        # where `text` starts in its file
    field: str             # "title", "summary" or "body" (or the key of any other printed value)
    block: str | None = None  # the block's id; None for the topic's own pieces

    def location(self, offset: int) -> Location:
        """Where the character at `offset` of `text` is written."""
        line, column = line_and_column(self.text, offset)
        return Location(self.start.path, self.start.line + line, self.start.column + column)

    def at_line(self, line: int) -> Location:
        """The start of a line of `text` (0-based), for findings about a whole sentence or list."""
        return Location(self.start.path, self.start.line + line, self.start.column)

    def printed_at(self, index: int) -> Location:
        """Where the character at `index` of the printed text is written."""
        return self.location(self.printed.source(index))

    @cached_property
    def printed(self) -> Printed:
        """The text as it prints: a body through Markdown, then normalised (content/printed.py)."""
        return printed(self.text, markdown=self.field == "body")

    @cached_property
    def plain(self) -> str:
        """The words a reader sees, with smart punctuation made plain."""
        return normalize(self.printed.text).text


@dataclass(frozen=True)
class Handout:
    """The text of one handout: the topic's title and summary, then each block's title and body."""

    topic: str
    tier: str
    pieces: tuple[Piece, ...]
    lang: str = SOURCE_LANGUAGE

    @property
    def name(self) -> str:
        return f"{self.topic}/{self.tier}" + ("" if self.lang == SOURCE_LANGUAGE else f" ({self.lang})")

    @cached_property
    def blocks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.block for p in self.pieces if p.block))

    def block_pieces(self, block_id: str) -> tuple[Piece, ...]:
        return self._by_block.get(block_id, ())

    @cached_property
    def _by_block(self) -> dict[str, tuple[Piece, ...]]:
        found: dict[str, list[Piece]] = {}
        for piece in self.pieces:
            found.setdefault(piece.block, []).append(piece)
        return {block: tuple(pieces) for block, pieces in found.items()}

    @cached_property
    def text(self) -> str:
        """The plain text, one title per line and a full stop after each block title, for reading counts."""
        lines = []
        for piece in self.pieces:
            lines.append(piece.plain + (".\n" if piece.field == "title" and piece.block else ""))
        return "\n".join(lines)

    @cached_property
    def flat(self) -> str:
        """The plain text on one line, for phrases that may run across line breaks."""
        return re.sub(r"\s+", " ", self.text)

    @cached_property
    def lowered(self) -> str | None:
        """`flat` lowered, when it is ASCII alone (None otherwise): a plain phrase is looked up in it."""
        return self.flat.lower() if self.flat.isascii() else None


def handout(library: Library, topic_id: str, tier: str, lang: str = SOURCE_LANGUAGE) -> Handout | None:
    """One handout's text in `lang`; None when that translation is not complete."""
    if lang == SOURCE_LANGUAGE:
        topic, blocks = library.topics[topic_id], library.blocks
    else:
        translation = library.translations[lang]
        if topic_id not in translation.topics:
            return None
        topic, blocks = translation.topics[topic_id], translation.blocks
    ids = dict.fromkeys(getattr(library.topics[topic_id].value.handouts, tier))
    if lang != SOURCE_LANGUAGE and any(b not in blocks for b in ids):
        return None
    pieces = list(topic_pieces(topic))
    for block_id in ids:
        if block_id in blocks:
            pieces += block_pieces(blocks[block_id])
    return Handout(topic_id, tier, tuple(pieces), lang)


def topic_pieces(topic: Entry) -> tuple[Piece, ...]:
    found = [_piece(topic, "title")]
    if topic.value.summary:
        found.append(_piece(topic, "summary"))
    return tuple(found)


def block_pieces(block: Entry) -> tuple[Piece, ...]:
    """A block's pieces: the same ones (their printed and plain text worked out once) every time the
    same block is asked about, by each check and each handout that prints it."""
    kept = _block_pieces.get(id(block))
    if kept is not None and kept[0] is block:  # held here, so its id is not another's
        return kept[1]
    if len(_block_pieces) >= KEPT_BLOCKS:  # a long watch session reads many libraries
        _block_pieces.clear()
    pieces = _piece(block, "title", block.id), _piece(block, "body", block.id), *figure_pieces(block)
    _block_pieces[id(block)] = (block, pieces)
    return pieces


KEPT_BLOCKS = 1 << 16  # every block of a 1,000-topic library, in each language
_block_pieces: dict[int, tuple[Entry, tuple[Piece, ...]]] = {}


def figure_pieces(block: Entry) -> tuple[Piece, ...]:
    """The words a block's picture prints (a chart's group names, each row's label and sentence; each
    stage's label and words), in the order they print, each where it is written."""
    value, found = block.value, []
    if getattr(value, "chart", None) is not None:
        found += [(("chart", "treated"), value.chart.treated)]
        found += [(("chart", "placebo"), value.chart.placebo)] if value.chart.placebo else []
        for i, row in enumerate(value.chart.rows):
            found += [(("chart", "rows", i, "label"), row.label), (("chart", "rows", i, "says"), row.says)]
    if getattr(value, "schedule", None) is not None:
        found += [(("schedule", "caption"), value.schedule.caption)] if value.schedule.caption else []
        for i, stage in enumerate(value.schedule.stages):
            found += [(("schedule", "stages", i, "label"), stage.label), (("schedule", "stages", i, "says"), stage.says)]
    # Labels print as headings of a sort: read as their own sentence, like a title.
    return tuple(Piece(text, block.doc.at(keys), "title" if keys[-1] != "says" else "figure", block.id)
                 for keys, text in found)


def _piece(entry: Entry, field: str, block: str | None = None) -> Piece:
    written = entry.doc.data.get(field) if isinstance(entry.doc.data, dict) else None
    held = getattr(entry.value, field)
    text = written if isinstance(written, str) and written.strip() == held else held
    return Piece(text, entry.doc.at((field,)), field, block)


NOT_PRINTED = ("note", "logo")  # a source's note to editors; a logo's file name (its picture prints)


def other_pieces(library: Library) -> tuple[Piece, ...]:
    """Every other value that reaches a page: site, clinic profiles, sources, the strings around the content."""
    entries = [library.site, library.clinic, *library.clinics.values(), library.sources, *library.strings.values()]
    return tuple(Piece(text, entry.doc.at(keys), ".".join(map(str, keys)))
                 for entry in entries for keys, text in texts(entry.doc.data)
                 if not (keys and keys[-1] in NOT_PRINTED))


def texts(data, keys: tuple = ()):
    """(keys, text) of every string in a document."""
    if isinstance(data, str):
        yield keys, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from texts(value, keys + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts(value, keys + (i,))
