"""Editorial checks: what would mislead, confuse or endanger a patient, as findings.

Reading level per handout, forbidden phrasing, required messages, review dates and
heading levels live here; plain-language checks in plain_language.py. The lists they read
are content: content/editorial/*.yaml (README, "Editorial checks").
"""

from __future__ import annotations

import datetime
import os
import re
from fnmatch import fnmatchcase
from functools import lru_cache

from . import passages, plain_language
from ..findings import Finding, Location, error, warning
from ..content.load import SOURCE_LANGUAGE, Library
from .phrases import compile_any, normalize
from .reading_grade import Grade, count, grade
from .handout_text import Handout, Piece, block_pieces, handout, handouts, other_pieces, topic_pieces, translated

HARDEST_SHOWN = 3
MIN_BLOCK_WORDS = 15  # shorter blocks are too short to grade fairly


def check(library: Library, today: datetime.date | None = None) -> list[Finding]:
    """Every editorial finding about the library. `today` decides what is overdue (default: the clock)."""
    every, others = handouts(library), translated(library)
    found: list[Finding] = []
    found += reading_level(library, every + others)
    found += plain_language.check(library, every)
    found += forbidden(library)
    found += required(library, every)
    found += translated_required(library, others)
    found += review(library, today or datetime.date.today())
    found += headings(library)
    return found


def exempt(library: Library) -> frozenset[str]:
    """Words not held against a text's reading level: drug and product names, the glossary's terms."""
    terms: list[str] = []
    if library.editorial.names:
        terms += library.editorial.names.value
    if library.editorial.jargon:
        for term, entry in library.editorial.jargon.value.items():
            terms += [term, *entry.forms]
    return frozenset(" ".join(t.lower().replace("’", "'").split()) for t in terms)


def measure(library: Library, text: str, lang: str = SOURCE_LANGUAGE) -> tuple[Grade, int, int]:
    """The reading grade of `text`, its words and its sentences."""
    counts = count(text, lang, exempt(library))
    return grade(counts, lang), counts.words, counts.sentences


def figures(library: Library, topic: str, tier: str, lang: str = SOURCE_LANGUAGE) -> dict:
    """The reading figures of one handout, for the manifest and the report."""
    level, words, sentences = measure(library, handout(library, topic, tier, lang).text, lang)
    return {"words": words, "sentences": sentences, "reading_grade": level.grade,
            "reading_formula": level.formula, "reading_ease": level.ease, "smog": level.smog}


def reading_level(library: Library, every: list[Handout]) -> list[Finding]:
    found = []
    for h in every:
        limit = library.site.value.tiers[h.tier].max_grade
        level, _, _ = measure(library, h.text, h.lang)
        if level.grade <= limit:
            continue
        smog = f"; SMOG {level.smog}" if level.smog is not None else ""
        where = library.topics[h.topic].doc.key_at(("handouts", h.tier)) if h.lang == SOURCE_LANGUAGE \
            else library.translations[h.lang].topics[h.topic].doc.at()
        found.append(error(where,
                           f"{h.name} reads at grade {level.grade} ({level.formula}{smog}); the limit for "
                           f"{h.tier} handouts is {limit:g} (site.yaml): use shorter sentences and everyday "
                           f"words, starting with the hardest blocks: {_hardest(library, h)}", "reading-level"))
    return found


def _hardest(library: Library, h: Handout) -> str:
    graded = []
    for block_id in h.blocks:
        text = "\n".join(p.plain + ("." if p.field == "title" else "") for p in h.block_pieces(block_id))
        level, words, _ = measure(library, text, h.lang)
        graded.append((words < MIN_BLOCK_WORDS, -level.grade, block_id))
    return ", ".join(f"{b} (grade {-g})" for _, g, b in sorted(graded)[:HARDEST_SHOWN])


def forbidden(library: Library) -> list[Finding]:
    """Forbidden phrasing in every text that reaches a page, as it prints, at the word."""
    lists = library.editorial.forbidden
    if lists is None:
        return []
    rules = tuple((key, compile_any(entry.phrases, entry.patterns, fold=True), compile_any(entry.unless, fold=True))
                  for key, entry in lists.value.items())
    # Translations too: pasted spam is the same in every language.
    translations = library.translations.values()
    pieces = [p for t in library.topics.values() for p in topic_pieces(t)]
    pieces += [p for t in translations for topic in t.topics.values() for p in topic_pieces(topic)]
    pieces += [p for b in library.blocks.values() for p in block_pieces(b)]
    pieces += [p for t in translations for b in t.blocks.values() for p in block_pieces(b)]
    pieces += other_pieces(library)
    found = []
    for piece in pieces:
        for key, start, end in _forbidden_spans(piece.printed.text, rules):
            entry = lists.value[key]
            written = " ".join(piece.printed.text[start:end].split())
            advice = entry.instead or "delete it or say it another way"
            found.append(error(piece.printed_at(start), f"'{written}' does not belong in a patient handout: "
                               f"{entry.reason}; {advice} (forbidden.yaml: {key})", "forbidden"))
    return found


@lru_cache(maxsize=16_384)
def _forbidden_spans(text: str, rules: tuple) -> tuple[tuple[str, int, int], ...]:
    """(rule, start, end) of each forbidden match in `text`, as printed. Pure, so remembered:
    a watch session checks the same unchanged texts after every save."""
    normalized = normalize(text, fold=True)
    spans = []
    for key, pattern, unless in rules:
        matches = list(pattern.finditer(normalized.text)) if pattern else []
        excused = [m.span() for m in unless.finditer(normalized.text)] if unless and matches else []
        # An honest phrase excuses a match it overlaps from the start ("do not stop" + "your medicine");
        # absolute claims that an excuse would cover are entries of their own (forbidden.yaml).
        for match in matches:
            if not any(s <= match.start() < e for s, e in excused):
                if not any(s < match.end() and match.start() < e for _, s, e in spans):  # one finding a place
                    spans.append((key, *match.span()))
    spans = [(key, *normalized.original(s, e)) for key, s, e in spans]
    return tuple(spans)


def translated_required(library: Library, every: list[Handout]) -> list[Finding]:
    """The same for each translation, from its own list (content/<lang>/editorial/required.yaml)."""
    found = []
    for lang, translation in sorted(library.translations.items()):
        mine = [h for h in every if h.lang == lang]
        if translation.required is None:
            if mine:
                found.append(warning(Location(library.root / lang / "editorial" / "required.yaml"),
                                     f"no list of required messages for {lang}: write it (mirror "
                                     "content/editorial/required.yaml, in the language's own words)",
                                     "required-missing"))
            continue
        found += required(library, mine, translation.required)
    return found


def required(library: Library, every: list[Handout], lists=None) -> list[Finding]:
    """Each required message must be in every handout its entry names."""
    lists = lists or library.editorial.required
    if lists is None:
        return []
    found = []
    for i, requirement in enumerate(lists.value):
        chosen = [h for h in every if any(fnmatchcase(f"{h.topic}/{h.tier}", p) for p in requirement.handouts)]
        if not chosen:
            found.append(warning(lists.doc.at((i, "handouts")), f"'{requirement.name}' applies to no handout: "
                                 "check the topic ids against content/topics/", "required-unmatched"))
        alternatives = [re.compile(a, re.IGNORECASE) for a in requirement.any]
        for h in chosen:
            if any(a.search(h.flat) for a in alternatives):
                continue
            topic_file = os.path.relpath(library.topics[h.topic].doc.path)  # the blocks are listed there
            hint = f" ({requirement.hint})" if requirement.hint else ""
            found.append(error(lists.doc.at((i,)), f"{h.name} does not say: {requirement.name}{hint}; add it to "
                               f"one of the blocks listed under handouts.{h.tier} in {topic_file}",
                               "missing-message"))
    return found


def review(library: Library, today: datetime.date) -> list[Finding]:
    """Review dates that are overdue, in the future or out of order. A draft is not a finding."""
    found = []
    for topic_id, topic in library.topics.items():
        r, doc = topic.value.review, topic.doc
        if r.next_review and r.next_review < today:
            found.append(warning(doc.at(("review", "next_review")),
                                 f"the review of '{topic_id}' was due on {r.next_review}: have a clinician review "
                                 "its handouts again, then update reviewed_on and next_review", "review-overdue"))
        if r.reviewed_on and r.reviewed_on > today:
            found.append(warning(doc.at(("review", "reviewed_on")), f"reviewed_on {r.reviewed_on} is in the "
                                 "future: write the date the review took place", "review-dates"))
        if r.reviewed_on and r.next_review and r.next_review <= r.reviewed_on:
            found.append(error(doc.at(("review", "next_review")), f"next_review {r.next_review} is not after "
                               f"reviewed_on {r.reviewed_on}: set the date the next review is due", "review-dates"))
    return found


def headings(library: Library) -> list[Finding]:
    """Heading levels must not skip: h1 is the topic, h2 each block's title, so a body's first is h3.

    content/markdown.py refuses headings in bodies today, so this only fires beside that error;
    it is kept so that allowing them later cannot break the handouts' outline."""
    found = []
    for block in library.blocks.values():
        body: Piece = block_pieces(block)[1]
        previous = 2
        for heading in passages.read(body.text).headings:
            if heading.level > previous + 1 or heading.level <= 2:
                wanted = "#" * min(max(previous + 1, 3), 6)
                found.append(warning(body.at_line(heading.line), f"heading level {heading.level} after level "
                                     f"{previous} skips or repeats a level of the handout's outline: write it as "
                                     f"'{wanted}'", "heading-level"))
            previous = heading.level
    return found
