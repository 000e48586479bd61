"""Finding phrases in content the way a reader sees them, not the way they were typed.

Text is normalized before matching: smart quotes and dashes become plain ones,
odd spaces become spaces, and what a reader never sees is dropped (Markdown
emphasis marks, backslash escapes, zero-width characters, soft hyphens), so
"B**U**Y", "no\u00a0Rx" and "non‑addictive" read as "BUY", "no Rx" and
"non-addictive". Every normalized character remembers where it stood in the
original, so a match still names the right line and column.

Forbidden phrasing is matched on a folded text (`fold=True`): accents dropped and
letters that look Latin but are not (Cyrillic "у", Greek "ο") read as the Latin
ones, and a phrase's letters also match the digits and signs that stand in for
them ("0rder", "pr3scription", "$ale"). Families of words (synonyms, verb forms) are
data: content/editorial/forbidden.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

_DROP = set("*_`\\\u00ad\u200b\u200c\u200d\u2060\ufeff")
_TRANSLATE = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "⁄": "/",
})
# Cyrillic and Greek letters a reader takes for Latin ones (Unicode's confusables, the common ones).
_LOOKALIKES = str.maketrans(dict(zip(
    "аеорсухіјѕԁһԛԝкмнтвүӏαορνικτυχεɑıɡ",
    "aeopcyxijsdhqwkmhtbylaopviktuxeaig")))
# What stands in for a letter in "leetspeak".
_LEET = {"a": "a4@", "e": "e3", "i": "i1!|", "l": "l1|", "o": "o0", "s": "s5$", "t": "t7+", "b": "b8", "g": "g9"}
_SEPARATOR = r"[\s\-]*"  # between the words of a phrase: spaces, line breaks, hyphens, or nothing
_WORD_START = r"(?<!\w)"


@dataclass(frozen=True)
class Normalized:
    """Text as matched, and for each of its characters the index it came from in the original."""

    text: str
    origin: Sequence[int]  # a range where nothing moved

    def span(self, match: re.Match) -> tuple[int, int]:
        """A match's start and end in the original text."""
        return self.original(*match.span())

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The start and end in the original text of text[start:end]."""
        first = self.origin[start]
        return first, (self.origin[end - 1] + 1 if end > start else first)


# What normalize() may change: anything but plain ASCII letters, digits, signs and line breaks, and
# the Markdown marks it drops. Runs of other characters are copied as they are, in one slice.
_SPECIAL = re.compile(r"[^\x20-\x7e\n]|[*_`\\]")


def normalize(text: str, fold: bool = False) -> Normalized:
    specials = set(_SPECIAL.findall(text))
    if not specials:
        return Normalized(text, range(len(text)))
    table = _READS_AS[fold]
    if all(len(table[ord(c)]) == 1 for c in specials):
        # Each special character reads as one character ("é" as "e", "’" as "'"): nothing moves.
        return Normalized(text.translate(table), range(len(text)))
    return piecewise(text, fold)


def piecewise(text: str, fold: bool = False) -> Normalized:
    """normalize() the plain way, character by character (what it does when a character moves)."""
    out: list[str] = []
    origin: list[int] = []
    done = 0
    for special in _SPECIAL.finditer(text):
        index = special.start()
        out.append(text[done:index])
        origin.extend(range(done, index))
        done = index + 1
        for piece in _character(text[index], fold):
            out.append(piece)
            origin.append(index)
    out.append(text[done:])
    origin.extend(range(done, len(text)))
    return Normalized("".join(out), tuple(origin))


class _ReadsAs(dict):
    """What each character met so far reads as (_character, joined), by code point: for str.translate."""

    def __init__(self, fold: bool):
        super().__init__()
        self.fold = fold

    def __missing__(self, code: int) -> str:
        self[code] = "".join(_character(chr(code), self.fold))
        return self[code]


_READS_AS = {False: _ReadsAs(False), True: _ReadsAs(True)}


@lru_cache(maxsize=4096)
def _character(char: str, fold: bool) -> tuple[str, ...]:
    """What one character reads as: nothing if a reader never sees it, else its characters
    (NFKC folds full-width letters and ligatures, and turns "½" into "1/2")."""
    if char in _DROP:
        return ()
    return tuple(" " if piece.isspace() and piece != "\n" else piece
                 for piece in _fold(unicodedata.normalize("NFKC", char).translate(_TRANSLATE), fold))


def _fold(text: str, fold: bool) -> str:
    """Without accents, look-alike letters read as Latin ones (for forbidden phrasing)."""
    if not fold:
        return text
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return bare.translate(_LOOKALIKES)


def phrase_pattern(phrase: str, fold: bool = False) -> str:
    """A regular expression for `phrase` as whole words, whatever the spacing, hyphens and case
    (and, with `fold`, its accents and its letters written as digits or signs)."""
    return "".join(_atoms(phrase, fold))


def _atoms(phrase: str, fold: bool) -> list[str]:
    """phrase_pattern's pieces: the word-start test, each letter, each gap between words, the word-end test."""
    written = _fold(unicodedata.normalize("NFKC", phrase).translate(_TRANSLATE), fold)
    parts = re.findall(r"[^\W_]+|[^\w\s-]", written)
    atoms = [_WORD_START] if parts and parts[0][0].isalnum() else []
    for previous, part in zip([None, *parts], parts):
        if previous is not None:
            word_to_word = previous[-1].isalnum() and part[0].isalnum()
            atoms.append(_SEPARATOR if word_to_word else r"\s*")
        atoms += [_letter(c) if fold else re.escape(c) for c in part]
    return atoms + ([r"(?!\w)"] if parts and parts[-1][-1].isalnum() else [])


class PhraseScreen:
    """Whether any of many phrases is in a text, as compile_any's pattern of them would find (not which,
    nor where). The phrases are one trie of their pieces, so the engine reads a shared start once;
    and on a text of ASCII alone, a case-sensitive one reads the lowered text (an ASCII letter matches
    under re.IGNORECASE exactly what lowers to it, and lowering moves no character)."""

    def __init__(self, phrases: tuple[str, ...], fold: bool = False):
        pieces = [_atoms(p, fold) for p in phrases]
        self._any_case = re.compile(_trie(pieces), re.IGNORECASE)
        lowered = [[a.lower() if len(a) == 1 else a for a in each] for each in pieces]  # a letter alone
        self._ascii = re.compile(_trie(lowered)) if all(a.isascii() for each in lowered for a in each) else None

    def found_in(self, text: str) -> bool:
        if self._ascii is not None and text.isascii():
            return self._ascii.search(text.lower()) is not None
        return self._any_case.search(text) is not None


def _trie(sequences: list[list[str]]) -> str:
    """One expression matching where any of the sequences of pieces would, their common starts merged."""
    root: dict = {}
    for sequence in sequences:
        node = root
        for piece in sequence:
            node = node.setdefault(piece, {})
        node[""] = {}  # a sequence ends here
    return _alternatives(root) if sequences else "(?!)"


def _alternatives(node: dict) -> str:
    branches = [piece + _alternatives(rest) if piece else "" for piece, rest in node.items()]
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _letter(char: str) -> str:
    stand_ins = _LEET.get(char.lower())
    return f"[{re.escape(stand_ins)}]" if stand_ins else re.escape(char)


@lru_cache(maxsize=1024)
def compile_any(phrases: tuple[str, ...] = (), patterns: tuple[str, ...] = (), fold: bool = False
                ) -> re.Pattern | None:
    """One case-insensitive pattern matching any of the phrases (as whole words) or regular expressions.
    With `fold`, for text normalized with `fold` (a pattern's accents are dropped too)."""
    alternatives = [phrase_pattern(p, fold) for p in phrases] + folded_patterns(patterns, fold)
    return re.compile(_hoisted(alternatives), re.IGNORECASE) if alternatives else None


def folded_patterns(patterns: tuple[str, ...], fold: bool = False) -> list[str]:
    """The regular expressions as compile_any joins them (with `fold`, without accents)."""
    return [f"(?:{_fold(p, fold)})" for p in patterns]


def _hoisted(alternatives: list[str]) -> str:
    """The alternatives, in order, with the word-start test of each run of whole-word phrases written
    once before them, and the phrases of a run grouped by their first letter: inside a word the engine
    gives up at once, and at a word's start tries one group instead of every phrase (the same
    matches: phrases that could match at one place keep their order; many times faster)."""
    runs: list[tuple[bool, list[str]]] = []
    for alternative in alternatives:
        starts_word = alternative.startswith(_WORD_START)
        if runs and runs[-1][0] == starts_word:
            runs[-1][1].append(alternative.removeprefix(_WORD_START) if starts_word else alternative)
        else:
            runs.append((starts_word, [alternative.removeprefix(_WORD_START) if starts_word else alternative]))
    return "|".join(_WORD_START + "(?:" + _by_first_letter(run) + ")" if starts_word else "|".join(run)
                    for starts_word, run in runs)


def _by_first_letter(alternatives: list[str]) -> str:
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        size = alternative.index("]") + 1 if alternative.startswith("[") else 2 if alternative.startswith("\\") else 1
        # The letter as written: a pattern compiled without IGNORECASE (an abbreviation) keeps its case.
        groups.setdefault(alternative[:size], []).append(alternative[size:])
    return "|".join(first + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """0-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset)
    return line, offset - (text.rfind("\n", 0, offset) + 1)
