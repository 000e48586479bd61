"""Finding phrases in content the way a reader sees them, not the way they were typed.

Text is normalized before matching: smart quotes and dashes become plain ones,
odd spaces become spaces, and what a reader never sees is dropped (Markdown
emphasis marks, backslash escapes, zero-width characters, soft hyphens), so
"B**U**Y", "no\u00a0Rx" and "non‑addictive" read as "BUY", "no Rx" and
"non-addictive". Every normalized character remembers where it stood in the
original, so a match still names the right line and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_DROP = set("*_`\\\u00ad\u200b\u200c\u200d\u2060\ufeff")
_TRANSLATE = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "⁄": "/",
})
_SEPARATOR = r"[\s\-]*"  # between the words of a phrase: spaces, line breaks, hyphens, or nothing


@dataclass(frozen=True)
class Normalized:
    """Text as matched, and for each of its characters the index it came from in the original."""

    text: str
    origin: tuple[int, ...]

    def span(self, match: re.Match) -> tuple[int, int]:
        """A match's start and end in the original text."""
        start = self.origin[match.start()]
        end = self.origin[match.end() - 1] + 1 if match.end() > match.start() else start
        return start, end


def normalize(text: str) -> Normalized:
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in _DROP:
            continue
        # NFKC folds full-width letters and ligatures, and turns "½" into "1/2".
        for piece in unicodedata.normalize("NFKC", char).translate(_TRANSLATE):
            out.append(" " if piece.isspace() and piece != "\n" else piece)
            origin.append(index)
    return Normalized("".join(out), tuple(origin))


def phrase_pattern(phrase: str) -> str:
    """A regular expression for `phrase` as whole words, whatever the spacing, hyphens and case."""
    parts = re.findall(r"[^\W_]+|[^\w\s-]", unicodedata.normalize("NFKC", phrase).translate(_TRANSLATE))
    body = ""
    for previous, part in zip([None, *parts], parts):
        if previous is not None:
            word_to_word = previous[-1].isalnum() and part[0].isalnum()
            body += _SEPARATOR if word_to_word else r"\s*"
        body += re.escape(part)
    before = r"(?<!\w)" if parts and parts[0][0].isalnum() else ""
    after = r"(?!\w)" if parts and parts[-1][-1].isalnum() else ""
    return before + body + after


def compile_any(phrases: tuple[str, ...] = (), patterns: tuple[str, ...] = ()) -> re.Pattern | None:
    """One case-insensitive pattern matching any of the phrases (as whole words) or regular expressions."""
    alternatives = [phrase_pattern(p) for p in phrases] + [f"(?:{p})" for p in patterns]
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """0-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)
