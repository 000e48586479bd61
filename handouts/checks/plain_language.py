"""Plain language: long sentences, paragraphs and lists, percentages, unexplained medical words.

The limits follow plain-language and health-literacy guidance (CDC Clear Communication
Index, PEMAT, plainlanguage.gov); they are warnings, which `--strict` makes errors.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Callable

from . import passages
from ..findings import Finding, Location, warning
from ..content.load import Entry, Library
from ..content.model import Jargon
from .phrases import compile_any, normalize
from .prescreen import Needles, needles
from .reading_grade import sentence_spans, words
from .handout_text import Handout, Piece, block_pieces, topic_pieces

MAX_SENTENCE_WORDS = 25
# Spanish says the same in more words, but a Spanish sentence of 20 words or more already reads long
# (the Spanish reading-ease formulas weigh words per sentence): its limit is 19.
MAX_SENTENCE_WORDS_BY_LANGUAGE = {"es": 19}
MAX_PARAGRAPH_WORDS = 60
MAX_SECTION_WORDS = 150   # words under one heading: a block's title is its only heading
MAX_LIST_ITEMS = 7

_NUMBER = re.compile(
    r"(?P<percent>(?<![\w.,])\d+(?:[.,]\d+)?\s*(?:%|percent\b|per\s+cent\b))"
    r"|(?P<fraction>(?<![\w/.,])(?!24/7\b)\d{1,3}\s*/\s*\d{1,3}(?![\w/]))"
    r"|(?P<word>\b(?:one|two|three)[\s-](?:half|halves|third|thirds|quarter|quarters|fourth|fourths|fifth|fifths)\b"
    r"|\b(?:percent|per\s+cent)\b)", re.IGNORECASE)
# A natural frequency and what it is out of: "3 in 10", "61 to 75 in 100", "out of every 100",
# "4 de cada 10". Years and ages are not: nothing counts unless a number stands before "in".
_FREQUENCY = re.compile(
    r"(?:(?<![\w,.])\d[\d,]*(?:\s+(?:to|or|a|o|y)\s+\d[\d,]*)?\s+(?:in|de\s+cada)\s+(?:every\s+)?"
    r"|\b(?:out\s+of\s+every|of\s+every|de\s+cada)\s+)(?P<of>\d{1,3}(?:,\d{3})+|\d+)\b", re.IGNORECASE)
_EXPLAINED_AFTER = re.compile(  # "sedation (deep sleepiness)", "dissociation: feeling ...", "X, which means"
    r"\s*(?:\(|:|-\s|,?\s*(?:which|that)\s+means\b|,?\s*meaning\b|means\b|,\s*or\s|,?\s*also\s+called\b"
    r"|,\s*(?:when|which\s+is|that\s+is)\s|(?:is|are)\s+(?:when|what|how|a|an|the|medicines|drugs)\b"
    r"|[.;]\s*(?:this|that|it)\s+(?:is|means|can\s+mean|may\s+mean)\b)", re.IGNORECASE)
_EXPLAINED_BEFORE = re.compile(  # "slowed breathing (respiratory depression)", "a switch called the NMDA receptor"
    r"(?:\([^()]{0,30}|\b(?:these|this|such)\s+|\b(?:called|known\s+as|the\s+(?:medical\s+)?(?:word|name|term)\s+for\s+this\s+is)"
    r"\s+(?:the\s+|a\s+|an\s+)?\"?)$", re.IGNORECASE)


def summary(topic: Entry) -> list[Finding]:
    """Long sentences in a topic's summary (block bodies: `body`, one block at a time)."""
    found: list[Finding] = []
    for piece in topic_pieces(topic):
        if piece.field == "summary":
            found += _sentences(piece.plain, lambda offset, p=piece: p.at_line(0))
    return found


def body(block: Entry, lang: str) -> list[Finding]:
    """Long sentences, paragraphs, sections and lists, and percentages, in one block's body."""
    return _body(block_pieces(block)[1], block.id, MAX_SENTENCE_WORDS_BY_LANGUAGE.get(lang))


def _body(piece: Piece, block_id: str, most: int | None = None) -> list[Finding]:
    found: list[Finding] = []
    body = passages.read(piece.text)
    total = 0
    for passage in body.passages:
        count = len(words(passage.text))
        total += count
        if not passage.in_list and count > MAX_PARAGRAPH_WORDS:
            found.append(warning(piece.at_line(passage.line),
                                 f"paragraph of {count} words (the limit is {MAX_PARAGRAPH_WORDS}): break it into "
                                 "shorter paragraphs, or make a list", "long-paragraph"))
        found += _sentences(passage.text, lambda offset, p=passage: piece.at_line(p.line_at(offset)),
                            most or MAX_SENTENCE_WORDS)
        found += _numbers(passage, piece)
    if total > MAX_SECTION_WORDS:
        found.append(warning(piece.at_line(0), f"'{block_id}' has {total} words under one heading (the limit is "
                             f"{MAX_SECTION_WORDS}): split it into two blocks, each with its own title",
                             "long-section"))
    for listing in body.lists:
        if listing.items > MAX_LIST_ITEMS:
            found.append(warning(piece.at_line(listing.line),
                                 f"list of {listing.items} items (the limit is {MAX_LIST_ITEMS}): keep the "
                                 f"{MAX_LIST_ITEMS} that matter most, or split it under two titles", "long-list"))
    return found


def _sentences(text: str, locate: Callable[[int], Location], most: int = MAX_SENTENCE_WORDS) -> list[Finding]:
    found = []
    for begin, end in sentence_spans(text):
        begin += len(text[begin:end]) - len(text[begin:end].lstrip())
        count = len(words(text[begin:end]))
        if count > most:
            opening = " ".join(text[begin:end].split()[:6])
            found.append(warning(locate(begin), f"sentence of {count} words (the limit is {most}): "
                                 f"split it into shorter ones (\"{opening} ...\")", "long-sentence"))
    return found


def _numbers(passage: passages.Passage, piece: Piece) -> list[Finding]:
    found = []
    text = normalize(passage.text)
    for match in _NUMBER.finditer(text.text):
        start, end = text.span(match)
        written = " ".join(passage.text[start:end].split())
        found.append(warning(piece.at_line(passage.line_at(start)),
                             f"'{written}': many readers misread percentages and fractions; {_natural(match)} "
                             f"(in \"{_sentence_at(passage.text, start)}\")", "percentage"))
    return found


def denominators(handouts: list[Handout]) -> list[Finding]:
    """One handout, one denominator: "1 in 4" beside "3 in 10" asks a reader to compare unlike
    numbers. Each number out of another denominator than the handout's usual one is a warning."""
    found = []
    for handout in handouts:
        uses = [(of, piece, written, start) for piece in handout.pieces
                for of, written, start in _frequencies(piece.text)]
        counts = Counter(of for of, _, _, _ in uses)
        if len(counts) < 2:
            continue
        usual = max(counts, key=lambda of: (counts[of], -next(i for i, u in enumerate(uses) if u[0] == of)))
        for of, piece, written, start in uses:
            if of != usual:
                written = " ".join(written.split())
                found.append(warning(piece.location(start),
                                     f"'{written}' is out of {int(of):,}, but {handout.name} gives its other numbers "
                                     f"out of {int(usual):,}: write every number in one handout out of the same "
                                     f"number (in \"{_sentence_at(piece.text, start)}\")",
                                     "mixed-denominators"))
    return found


@lru_cache(maxsize=1 << 16)
def _frequencies(text: str) -> tuple[tuple[str, str, int], ...]:
    """(what it is out of, as written, where) of each natural frequency in `text`: a piece prints in many
    handouts."""
    return tuple((m.group("of").replace(",", ""), m.group(), m.start()) for m in _FREQUENCY.finditer(text))


def _sentence_at(text: str, offset: int, most: int = 10) -> str:
    """The sentence around `offset`, its first words, to name it in a finding."""
    begin, end = next(((b, e) for b, e in sentence_spans(text) if b <= offset < e), (0, len(text)))
    shown = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", "", text[begin:end].replace("*", "")).split()
    return " ".join(shown[:most]) + (" ..." if len(shown) > most else "")


def _natural(match: re.Match) -> str:
    """Advice on writing a number as a natural frequency ("about 3 in 10")."""
    if match.group("percent"):
        value = float(re.match(r"\d+(?:[.,]\d+)?", match.group()).group().replace(",", "."))
        if value >= 10:
            return f"write 'about {round(value / 10)} in 10'"
        if value >= 1:
            return f"write 'about {round(value)} in 100'"
        return f"write 'about {max(1, round(value * 10))} in 1,000'"
    if match.group("fraction"):
        top, bottom = (int(n) for n in re.findall(r"\d+", match.group()))
        return f"write '{top} in {bottom}'"
    return "write it as 'about N in 10' (or in 100)"


class Shared:
    """What the medical-word checks work out once a run and share between handouts: each term's
    pattern, and which terms each block uses and explains."""

    def __init__(self, library: Library):
        self.library = library
        jargon = library.editorial.jargon.value if library.editorial.jargon else {}
        self._jargon = _Uses({term: term_pattern(term, entry) for term, entry in jargon.items()})
        self._glossaries: dict[str, _Uses] = {}
        for lang, translation in library.translations.items():
            if translation.glossary is not None:
                terms = translation.glossary.value
                self._glossaries[lang] = _Uses({t: compile_any((t, *e.forms)) for t, e in terms.items()},
                                               {t: compile_any(tuple(e.plain)) for t, e in terms.items()})

    def jargon(self, handout: Handout) -> list[tuple]:
        """(where, written, term, handout) of each medical word `handout` first uses unexplained (README)."""
        jargon = self.library.editorial.jargon
        found = []
        firsts, blocks = self._jargon.firsts(handout), set(handout.blocks)
        for term, entry in (jargon.value.items() if jargon else ()):
            if not blocks.isdisjoint(entry.explained_in):
                continue
            first = firsts.get(term)
            if first is None or self._jargon.explained(handout, first, term):
                continue
            where, written = _first_use(self._jargon.patterns[term], handout.block_pieces(first))
            found.append((where, written, term, handout.name))
        return found

    def glossary(self, handout: Handout) -> list[tuple]:
        """(where, written, term, plain words, handout) of each glossary term a translated handout first
        uses without its plain words (content/<lang>/editorial/glossary.yaml)."""
        uses = self._glossaries.get(handout.lang)
        if uses is None:
            return []
        found = []
        firsts = uses.firsts(handout)
        for term, entry in self.library.translations[handout.lang].glossary.value.items():
            first = firsts.get(term)
            if first is None or uses.explained(handout, first, term):
                continue
            where, written = _first_use(uses.patterns[term], handout.block_pieces(first))
            found.append((where, written, term, entry.plain[0], handout.name))
        return found


def unexplained(library: Library, uses: list[tuple]) -> list[Finding]:
    """One warning for each place a medical word is first used unexplained, naming every handout
    where it is (from Shared.jargon and Shared.glossary)."""
    names: dict[tuple, list[str]] = defaultdict(list)
    for *place, name in uses:
        names[tuple(place)].append(name)
    jargon = library.editorial.jargon
    found = []
    for place, where_used in names.items():
        if len(place) == 3:
            where, written, term = place
            found.append(warning(where, f"'{written}' is a medical word: explain it where it is first used, as in "
                                 f"'{term} ({jargon.value[term].plain})', or write the plain words instead "
                                 f"(first used unexplained in {', '.join(where_used)})", "jargon"))
        else:
            where, written, term, plain = place
            found.append(warning(where, f"'{written}' is a medical word: where a handout first uses it, give the "
                                 f"plain words too, as in '{plain}', or write them instead (glossary.yaml; first "
                                 f"used without them in {', '.join(where_used)})", "glossary"))
    return found


class _Uses:
    """Which terms each block uses, and whether it explains them, worked out once a block and language
    (a block prints in many handouts) and asked of each handout in turn."""

    def __init__(self, patterns: dict[str, re.Pattern], plain: dict[str, re.Pattern] | None = None):
        self.patterns, self.plain = patterns, plain
        self._needles = Needles({term: needles(p.pattern, p.flags) for term, p in patterns.items()})  # prescreen.py
        self._terms: dict[tuple[str, str], frozenset[str]] = {}
        self._explained: dict[tuple[str, str, str], bool] = {}

    def firsts(self, handout: Handout) -> dict[str, str]:
        """The first block of `handout` that uses each term it uses."""
        found: dict[str, str] = {}
        for block in handout.blocks:
            for term in self._used(handout, block):
                found.setdefault(term, block)
        return found

    def _used(self, handout: Handout, block: str) -> frozenset[str]:
        key = (handout.lang, block)
        if key not in self._terms:
            texts = [(text, self._needles.possible(self._needles.present(text)))
                     for text in map(self._text, handout.block_pieces(block))]
            self._terms[key] = frozenset(t for t, pattern in self.patterns.items()
                                         if any((possible is None or t in possible) and pattern.search(text)
                                                for text, possible in texts))
        return self._terms[key]

    def _text(self, piece: Piece) -> str:
        return piece.plain if self.plain is None else normalize(piece.plain).text

    def explained(self, handout: Handout, block: str, term: str) -> bool:
        """Whether `block` explains `term` where it uses it (or, for a glossary, gives its plain words)."""
        key = (handout.lang, block, term)
        if key not in self._explained:
            pieces = handout.block_pieces(block)
            self._explained[key] = (_explained(self.patterns[term], pieces) if self.plain is None else
                                    any(self.plain[term].search(self._text(p)) for p in pieces))
        return self._explained[key]


def term_pattern(term: str, entry: Jargon) -> re.Pattern:
    pattern = compile_any((term, *entry.forms))
    # An abbreviation ("IV", "REMS") is matched in its own case, so "iv" in a word list is not it.
    return re.compile(pattern.pattern) if term.upper() == term else pattern


def _explained(pattern: re.Pattern, pieces: tuple[Piece, ...]) -> bool:
    text = "\n".join(p.plain for p in pieces)
    return any(_EXPLAINED_AFTER.match(text, m.end()) or _EXPLAINED_BEFORE.search(text[:m.start()])
               for m in pattern.finditer(text))


def _first_use(pattern: re.Pattern, pieces: tuple[Piece, ...]):
    for piece in pieces:
        text = normalize(piece.printed.text)
        match = pattern.search(text.text)
        if match:
            start, end = text.span(match)
            return piece.printed_at(start), " ".join(piece.printed.text[start:end].split())
    return pieces[0].start, ""
