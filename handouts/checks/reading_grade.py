"""Reading level: words, sentences and syllables, and the grade formulas built on them.

Syllables come from pyphen's hyphenation dictionaries (installed with WeasyPrint),
so counting works offline; Spanish, whose syllables follow regular rules, is counted
by those rules. English is graded by Flesch-Kincaid (SMOG beside it); Spanish by its
Fernandez-Huerta reading ease, with the INFLESZ scale (Barrio-Cantalejo et al. 2008, which reads
Szigriszt-Pazos perspicuity in five bands) beside it. Fernandez-Huerta's own table also turns its
score into a school grade, for the manifest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pyphen

from .prescreen import Needles, needles

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"'”’)]|$)|\n+")
# A full stop after these does not end a sentence ("Dr. Lee", "e.g. this", "U.S. Food and ...").
_ABBREVIATIONS = frozenset("dr mr mrs ms st vs etc eg ie e.g i.e no approx min max sr sra dra núm ej".split())

# Fernandez-Huerta's table (1959): reading-ease score from, and the school grade it corresponds to.
_HUERTA_GRADES = ((90, 4), (80, 5), (70, 6), (60, 8), (50, 12), (30, 14), (float("-inf"), 17))
# INFLESZ: the bands of Szigriszt-Pazos perspicuity that Spanish health-literacy work reports.
_INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"),
                  (float("-inf"), "muy difícil"))


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
    def flesch_reading_ease(self) -> float:
        """Flesch Reading Ease, 0 (hard) to 100 (easy)."""
        if not self.words:
            return 0.0
        return round(206.835 - 1.015 * self.words / self.sentences - 84.6 * self.syllables / self.words, 1)

    @property
    def smog(self) -> float:
        if not self.words:
            return 0.0
        return round(1.043 * (self.polysyllables * 30 / self.sentences) ** 0.5 + 3.1291, 1)

    @property
    def fernandez_huerta(self) -> float:
        """Spanish reading ease (Fernandez-Huerta 1959, as corrected): higher is easier."""
        if not self.words:
            return 0.0
        return round(206.84 - 60 * self.syllables / self.words - 1.02 * self.words / self.sentences, 1)

    @property
    def szigriszt_pazos(self) -> float:
        """Spanish perspicuity (Szigriszt-Pazos 1993; the INFLESZ scale reads it): higher is easier."""
        if not self.words:
            return 0.0
        return round(206.835 - 62.3 * self.syllables / self.words - self.words / self.sentences, 1)


@dataclass(frozen=True)
class Grade:
    """A text's reading level: the school grade a limit is compared with, and how it was found."""

    grade: float
    formula: str           # "flesch-kincaid" or "fernandez-huerta"
    ease: float            # the formula family's reading-ease score (Flesch, or Fernandez-Huerta)
    smog: float | None     # SMOG is an English formula; None for other languages
    inflesz: float | None = None  # Szigriszt-Pazos perspicuity, read on the INFLESZ scale (Spanish only)

    @property
    def inflesz_band(self) -> str:
        """The INFLESZ band of the perspicuity score ("bastante fácil"); empty when there is none."""
        return inflesz_band(self.inflesz) if self.inflesz is not None else ""


def grade(counts: Counts, lang: str = "en") -> Grade:
    """The reading level of `counts` by the formula for `lang`."""
    if lang.startswith("es"):
        ease = counts.fernandez_huerta
        level = next(g for floor, g in _HUERTA_GRADES if ease >= floor) if counts.words else 0.0
        return Grade(float(level), "fernandez-huerta", ease, None, counts.szigriszt_pazos)
    return Grade(counts.flesch_kincaid, "flesch-kincaid", counts.flesch_reading_ease, counts.smog)


def inflesz_band(score: float) -> str:
    """The INFLESZ band a Szigriszt-Pazos score falls in: 65 to 80 is "bastante fácil"."""
    return next(band for floor, band in _INFLESZ_BANDS if score >= floor)


def count(text: str, lang: str = "en", exempt: frozenset[str] = frozenset()) -> Counts:
    """Counts for `text`. Words and phrases in `exempt` (drug names, glossary) are lowercase; each of
    their words counts as at most two syllables, so they never make the text read as harder."""
    return total([tally(text, lang, exempt)])


def total(tallies) -> Counts:
    """The counts of texts read one after another, each ending a sentence (a handout's pieces):
    counts add up, so each piece is counted once however many handouts print it."""
    words = sentences = syllables = polysyllables = 0
    for t in tallies:
        words, sentences = words + t.words, sentences + t.sentences
        syllables, polysyllables = syllables + t.syllables, polysyllables + t.polysyllables
    return Counts(words, max(1, sentences), syllables, polysyllables)


@lru_cache(maxsize=1 << 17)
def tally(text: str, lang: str = "en", exempt: frozenset[str] = frozenset()) -> Counts:
    """The counts of one text, its sentences as they are (none for a text without words)."""
    sentences = sum(1 for start, end in sentence_spans(text) if _WORD.search(text, start, end))
    protected = _exempt_spans(text, exempt)
    matches = list(_WORD.finditer(text)) if protected else None  # where a word stands matters only then
    found = _WORD.findall(text) if matches is None else [m.group() for m in matches]
    counted = [_word_syllables(word, lang, exempt) for word in found]
    if matches:  # a word of an exempt phrase ("food and drug administration") counts two at most too
        counted = [2 if n > 2 and any(s <= m.start() < e for s, e in protected) else n
                   for n, m in zip(counted, matches)]
    syllables, polysyllables = sum(counted), sum(1 for n in counted if n >= 3)
    return Counts(len(found), sentences, syllables, polysyllables)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a line break ends one too (list items, titles)."""
    spans, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        if end.group() == "." and _abbreviation_before(text, end.start()):
            continue
        spans.append((start, end.end()))
        start = end.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def syllable_count(word: str, lang: str = "en") -> int:
    return _syllables(word.lower(), lang)


def _abbreviation_before(text: str, dot: int) -> bool:
    start = dot  # the word before the stop runs back to the last space (not a search of all the text before)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    if start == dot:
        return False
    word = text[start:dot].lstrip("(\"'“‘").lower()
    # A single letter before the stop is an initial or part of "U.S.".
    return word in _ABBREVIATIONS or (len(word.split(".")[-1]) == 1 and word[-1:].isalpha())


@lru_cache(maxsize=1 << 16)
def _word_syllables(word: str, lang: str, exempt: frozenset[str]) -> int:
    """A word's syllables, two at most for an exempt word (or its plural)."""
    n = _syllables(word.lower(), lang)
    if n > 2 and exempt:
        lowered = word.lower().replace("’", "'")
        if lowered in exempt or lowered.removesuffix("s") in exempt or lowered.removesuffix("es") in exempt:
            return 2
    return n


def _exempt_spans(text: str, exempt: frozenset[str]) -> list[tuple[int, int]]:
    screened = _screened_phrases(exempt)
    if screened is None:
        return []
    pattern, screen = screened
    if not screen.may_match(0, screen.present(text)):  # no word a match needs is in the text (prescreen.py)
        return []
    return [m.span() for m in pattern.finditer(text)]


@lru_cache(maxsize=16)
def _screened_phrases(exempt: frozenset[str]) -> tuple[re.Pattern, Needles] | None:
    """The pattern of the exempt phrases (those of more than one word), and the needles of its matches."""
    pattern = _phrase_pattern(frozenset(p for p in exempt if " " in p))
    return (pattern, Needles({0: needles(pattern.pattern, pattern.flags)})) if pattern else None


@lru_cache(maxsize=16)
def _phrase_pattern(phrases: frozenset[str]) -> re.Pattern | None:
    if not phrases:
        return None
    alternatives = sorted((r"\s+".join(map(re.escape, p.split())) for p in phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?:e?s)?(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=50_000)
def _syllables(word: str, lang: str) -> int:
    if lang.startswith("es"):
        return _spanish_syllables(word)
    dictionary = _dictionary(lang)
    pieces = dictionary.inserted(word).count("-") + 1
    # Hyphenation dictionaries never split short words; count their vowel groups instead.
    silent_e = lang.startswith("en") and word.endswith("e") and not word.endswith("le")
    vowels = len(re.findall(r"[aeiouyáéíóúü]+", word)) - silent_e
    return max(1, pieces, vowels)


_SPANISH_VOWELS = re.compile(r"[aeiouáéíóúü]+")
_STRONG = set("aeoáéóíú")  # an accented i or u breaks a diphthong: "dí-a", "re-ír"


def _spanish_syllables(word: str) -> int:
    """Spanish syllables are vowel nuclei: a run of vowels is one, plus one for each strong pair (hiatus)."""
    total = 0
    for run in _SPANISH_VOWELS.findall(word):
        total += 1 + sum(1 for a, b in zip(run, run[1:]) if a in _STRONG and b in _STRONG)
    return max(1, total)


@lru_cache(maxsize=8)
def _dictionary(lang: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=lang if lang in pyphen.LANGUAGES else "en_US", left=1, right=1)
