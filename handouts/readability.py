"""Reading level: words, sentences and syllables, and the grade formulas built on them.

Syllables come from pyphen's hyphenation dictionaries (installed with WeasyPrint),
so counting works offline in every language it knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")


@dataclass(frozen=True)
class Counts:
    words: int
    sentences: int
    syllables: int
    polysyllables: int  # words of three or more syllables, for SMOG

    @property
    def flesch_kincaid(self) -> float:
        """US school grade (Flesch-Kincaid); 0 for no text."""
        if not self.words:
            return 0.0
        return round(0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59, 1)

    @property
    def smog(self) -> float:
        if not self.words:
            return 0.0
        return round(1.043 * (self.polysyllables * 30 / self.sentences) ** 0.5 + 3.1291, 1)


def count(text: str, lang: str = "en", exempt: frozenset[str] = frozenset()) -> Counts:
    """Counts for `text`; words in `exempt` (drug names, glossary) count as two syllables."""
    sentences = max(1, sum(1 for s in _SENTENCE_END.split(text) if _WORD.search(s)))
    words = _WORD.findall(text)
    syllables = polysyllables = 0
    for word in words:
        n = 2 if word.lower() in exempt else syllable_count(word, lang)
        syllables += n
        polysyllables += n >= 3
    return Counts(len(words), sentences, syllables, polysyllables)


def syllable_count(word: str, lang: str = "en") -> int:
    return _syllables(word.lower(), lang)


@lru_cache(maxsize=50_000)
def _syllables(word: str, lang: str) -> int:
    dictionary = _dictionary(lang)
    pieces = dictionary.inserted(word).count("-") + 1
    # Hyphenation dictionaries never split short words; count their vowel groups instead.
    vowels = len(re.findall(r"[aeiouyáéíóúü]+", word)) - (word.endswith("e") and not word.endswith("le"))
    return max(1, pieces, vowels)


@lru_cache(maxsize=8)
def _dictionary(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=lang if lang in pyphen.LANGUAGES else "en_US", left=1, right=1)
