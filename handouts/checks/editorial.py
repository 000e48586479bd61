"""Editorial checks: what would mislead, confuse or endanger a patient, as findings.

Reading level per handout, forbidden phrasing, required messages, review dates and
heading levels live here; plain-language checks in plain_language.py. The lists they read
are content: content/editorial/*.yaml (README, "Editorial checks").
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from . import passages, plain_language, scope
from ..findings import Finding, Location, error, warning
from ..content.load import SOURCE_LANGUAGE, Library
from ..content.markdown import problems as markup_problems
from .forbidden import Lazy, Rules
from .prescreen import literal
from .reading_grade import Grade, count, grade, tally, total
from .handout_text import Handout, Piece, block_pieces, handout, other_pieces, topic_pieces
from .units import Task, Units

HARDEST_SHOWN = 3
MIN_BLOCK_WORDS = 15  # shorter blocks are too short to grade fairly


def check(library: Library, today: datetime.date | None = None, units: Units | None = None) -> list[Finding]:
    """Every editorial finding about the library. `today` decides what is overdue (default: the clock).

    Blocks and handouts are checked one at a time through `units`, which remembers what each gave."""
    units = units or Units(library)
    found = [f for block in units.run(unit_tasks(library, units)) for f in block]
    found += unmatched(library)
    found += review(library, today or datetime.date.today())
    every = units.handouts()
    found += _unlisted(library, every)
    handouts = units.run(handout_tasks(library, units))
    unexplained: list[tuple] = []
    for checked in handouts:
        found += checked.findings
        unexplained += checked.unexplained
    return found + plain_language.unexplained(library, unexplained)


def unit_tasks(library: Library, units: Units) -> list[Task]:
    """The editorial checks of the library-wide text, each topic file and each block, as units."""
    everyone = [t.value for t in library.topics.values()]  # sources, clinic, strings: printed on every topic
    rules = Lazy(lambda: compiled_rules(library))  # read only if some text must be read again
    tasks = [Task(units.rest("editorial"),
                  lambda: forbidden(library, [(p, everyone) for p in other_pieces(library)], rules()))]
    tasks += [Task(units.topic("editorial", lang, topic_id),
                   lambda lang=lang, topic_id=topic_id, entry=entry: _topic(library, lang, topic_id, entry, rules()),
                   topic_id) for lang, topic_id, entry in units.topics()]
    tasks += [Task(units.block("editorial", lang, block_id),
                   lambda lang=lang, block_id=block_id, entry=entry: _block(library, lang, entry,
                                                                            units.users.get(block_id, []), rules()),
                   block_id) for lang, block_id, entry in units.blocks()]
    return tasks


def handout_tasks(library: Library, units: Units) -> list[Task]:
    """The checks of each handout (reading level, denominators, required messages, medical words), as units."""
    shared = Lazy(lambda: plain_language.Shared(library))  # made only if some handout must be read again
    return [Task(units.handout(lang, topic_id, tier),
                 lambda lang=lang, topic_id=topic_id, tier=tier: handout_checks(
                     library, handout(library, topic_id, tier, lang), shared()), topic_id)
            for lang, topic_id, tier in units.handouts()]


@dataclass(frozen=True)
class HandoutChecks:
    """What the checks of one handout found, its medical words used unexplained (reported together
    for every handout that shares the place), and its reading figures."""

    findings: tuple[Finding, ...]
    unexplained: tuple[tuple, ...]
    figures: dict


def handout_checks(library: Library, h: Handout, shared: plain_language.Shared | None = None) -> HandoutChecks:
    """Reading level, one denominator, the required messages and the medical words of one handout."""
    found = reading_level(library, [h]) + plain_language.denominators([h])
    if h.lang == SOURCE_LANGUAGE:
        found += missing(library, h)
    elif library.translations[h.lang].required is not None:
        found += missing(library, h, library.translations[h.lang].required)
    shared = shared or plain_language.Shared(library)
    words = shared.jargon(h) if h.lang == SOURCE_LANGUAGE else shared.glossary(h)
    return HandoutChecks(tuple(found), tuple(words), figures(library, h.topic, h.tier, h.lang, h))


def _block(library: Library, lang: str, entry, users: list, rules: Rules | None) -> list[Finding]:
    """What the editorial checks find in one block (printed by the topics `users`): plain language,
    forbidden phrasing, headings."""
    found = plain_language.body(entry, lang)
    found += forbidden(library, [(p, users) for p in block_pieces(entry)], rules)
    return found + (headings(entry) if lang == SOURCE_LANGUAGE else [])


def _topic(library: Library, lang: str, topic_id: str, entry, rules: Rules | None) -> list[Finding]:
    """A topic's title and summary (in any language: pasted spam is the same in all), held to its rules;
    the English summary's sentences."""
    printed_by = [library.topics[topic_id].value] if topic_id in library.topics else []  # none: every rule
    found = forbidden(library, [(p, printed_by) for p in topic_pieces(entry)], rules)
    return found + (plain_language.summary(entry) if lang == SOURCE_LANGUAGE else [])


def exempt(library: Library) -> frozenset[str]:
    """Words not held against a text's reading level: drug and product names, the glossary's terms."""
    names = library.editorial.names.value if library.editorial.names else ()
    jargon = library.editorial.jargon.value if library.editorial.jargon else {}
    return _exempt(tuple(names), tuple((term, tuple(entry.forms)) for term, entry in jargon.items()))


@lru_cache(maxsize=8)
def _exempt(names: tuple[str, ...], jargon: tuple[tuple[str, tuple[str, ...]], ...]) -> frozenset[str]:
    terms = [*names, *(word for term, forms in jargon for word in (term, *forms))]
    return frozenset(" ".join(t.lower().replace("’", "'").split()) for t in terms)


def measure(library: Library, text: str, lang: str = SOURCE_LANGUAGE) -> tuple[Grade, int, int]:
    """The reading grade of `text`, its words and its sentences."""
    return _graded(count(text, lang, exempt(library)), lang)


def measure_pieces(library: Library, pieces, lang: str = SOURCE_LANGUAGE) -> tuple[Grade, int, int]:
    """The same for pieces read one after another, a full stop after each block title (as Handout.text
    reads them); each piece is counted once, however many handouts print it."""
    words = exempt(library)
    counts = total(tally(p.plain + ("." if p.field == "title" and p.block else ""), lang, words) for p in pieces)
    return _graded(counts, lang)


def _graded(counts, lang: str) -> tuple[Grade, int, int]:
    return grade(counts, lang), counts.words, counts.sentences


def figures(library: Library, topic: str, tier: str, lang: str = SOURCE_LANGUAGE, read: Handout | None = None) -> dict:
    """The reading figures of one handout, for the manifest and the report (`read`: its text, if at hand)."""
    level, words, sentences = measure_pieces(library, (read or handout(library, topic, tier, lang)).pieces, lang)
    return {"words": words, "sentences": sentences, "reading_grade": level.grade,
            "reading_formula": level.formula, "reading_ease": level.ease, "smog": level.smog,
            "inflesz": level.inflesz}


def reading_level(library: Library, every: list[Handout]) -> list[Finding]:
    found = []
    for h in every:
        settings = library.site.value.tiers[h.tier]
        level, _, _ = measure_pieces(library, h.pieces, h.lang)
        where = library.topics[h.topic].doc.key_at(("handouts", h.tier)) if h.lang == SOURCE_LANGUAGE \
            else library.translations[h.lang].topics[h.topic].doc.at()
        def advice() -> str:  # only for a handout that reads too hard: it grades every block
            return (f"use shorter sentences and everyday words, starting with the hardest blocks: "
                    f"{_hardest(library, h, level.inflesz is not None)}")
        if level.inflesz is not None and _ease_limited(settings):
            below = [f"{name} {score} is below {floor:g} (site.yaml: {key})" for name, score, floor, key in (
                ("Fernandez-Huerta", level.ease, settings.min_fernandez_huerta, "min_fernandez_huerta"),
                ("INFLESZ", level.inflesz, settings.min_inflesz, "min_inflesz")) if floor is not None and score < floor]
            if below:
                found.append(error(where, f"{h.name} reads at Fernandez-Huerta {level.ease}, INFLESZ {level.inflesz} "
                                   f"({level.inflesz_band}); for {h.tier} handouts {' and '.join(below)}: {advice()}",
                                   "reading-level"))
            continue
        if level.grade <= settings.max_grade:
            continue
        smog = f"; SMOG {level.smog}" if level.smog is not None else ""
        found.append(error(where, f"{h.name} reads at grade {level.grade} ({level.formula}{smog}); the limit for "
                           f"{h.tier} handouts is {settings.max_grade:g} (site.yaml): {advice()}", "reading-level"))
    return found


def _ease_limited(settings) -> bool:
    return settings.min_fernandez_huerta is not None or settings.min_inflesz is not None


def _hardest(library: Library, h: Handout, by_ease: bool = False) -> str:
    """The blocks that read hardest: by grade, or by Fernandez-Huerta ease (lowest first) for Spanish."""
    graded = []
    for block_id in h.blocks:
        level, words, _ = measure_pieces(library, h.block_pieces(block_id), h.lang)
        graded.append((words < MIN_BLOCK_WORDS, level.ease if by_ease else -level.grade, block_id))
    if by_ease:
        return ", ".join(f"{b} (Fernandez-Huerta {e})" for _, e, b in sorted(graded)[:HARDEST_SHOWN])
    return ", ".join(f"{b} (grade {-g})" for _, g, b in sorted(graded)[:HARDEST_SHOWN])


def forbidden(library: Library, pieces: list[tuple[Piece, list]], compiled: Rules | None = None) -> list[Finding]:
    """Forbidden phrasing in texts that reach a page, as they print, at the word. Each piece comes
    with the topics that print it: it is held to their rules (scope.py), their tags and exemptions."""
    lists = library.editorial.forbidden
    if lists is None:
        return []
    found = []
    compiled = compiled if compiled is not None else compiled_rules(library)
    ruled: dict[int, tuple[str, ...]] = {}  # by list of topics: a block's pieces share theirs
    for piece, printed_by in pieces:
        if id(printed_by) not in ruled:
            mix = tuple((tuple(t.tags), tuple(t.exemptions)) for t in printed_by)
            ruled[id(printed_by)] = compiled.ruled(mix, lambda: scope.forbidden_rules(library, printed_by))
        for key, start, end in compiled.spans(piece.printed.text, ruled[id(printed_by)]):
            entry = lists.value[key]
            written = " ".join(piece.printed.text[start:end].split())
            advice = entry.instead or "delete it or say it another way"
            found.append(error(piece.printed_at(start), f"'{written}' does not belong in a patient handout: "
                               f"{entry.reason}; {advice} (forbidden.yaml: {key})", "forbidden"))
    return found


def compiled_rules(library: Library) -> Rules | None:
    """The rules of forbidden.yaml, each compiled when a text first needs it (forbidden.py)."""
    lists = library.editorial.forbidden
    return Rules(lists.value) if lists else None


def _unlisted(library: Library, every: list[tuple[str, str, str]]) -> list[Finding]:
    """A language with handouts to print needs its own list of required messages
    (content/<lang>/editorial/required.yaml), mirroring the English one entry for entry."""
    found = []
    for lang, translation in sorted(library.translations.items()):
        if translation.required is None and any(language == lang for language, _, _ in every):
            found.append(warning(Location(library.root / lang / "editorial" / "required.yaml"),
                                 f"no list of required messages for {lang}: write it (mirror "
                                 "content/editorial/required.yaml, in the language's own words)",
                                 "required-missing"))
    return found


def unmatched(library: Library) -> list[Finding]:
    """An entry of a list of required messages that names a topic the library does not have."""
    found = []
    lists = [library.editorial.required] + [t.required for _, t in sorted(library.translations.items())]
    for entries in (e for e in lists if e is not None):
        for i, requirement in enumerate(entries.value):
            topics = {p.split("/")[0] for p in requirement.handouts}
            absent = sorted(t for t in topics if not any(c in t for c in "*?") and t not in library.topics)
            if absent:
                found.append(warning(entries.doc.at((i, "handouts")), f"'{requirement.name}' names no topic "
                                     f"{', '.join(absent)}: check the topic ids against content/topics/",
                                     "required-unmatched"))
    return found


def missing(library: Library, h: Handout, lists=None) -> list[Finding]:
    """Each required message must be in every handout its entry names, in topics its tags take in.

    A missing message is reported at the topic's tier, where the blocks are listed: the rule
    stands; the handout is what to change. A translation's list mirrors the English one entry
    for entry, so an exemption (named in English) holds for the entry in the same place."""
    english = library.editorial.required
    lists = lists or english
    if lists is None:
        return []
    mirrored = english is not None and len(english.value) == len(lists.value)
    topic = library.topics[h.topic].value
    found = []
    for i, requirement in enumerate(lists.value):
        rule = english.value[i] if mirrored else requirement  # tags and exemptions as the English entry has them
        if scope.requirement_covers(rule, h.topic, topic, h.tier) and \
                not any(_says(h, a) for a in requirement.any):
            found.append(_missing(library, h, requirement, rule))
    return found


def _says(h: Handout, pattern: str) -> bool:
    """Whether a handout's text matches a required message's pattern (any case): a plain phrase in an
    ASCII text is looked up in the lowered text (prescreen.literal), the rest searched."""
    phrase = _literal(pattern)
    if phrase is not None and h.lowered is not None:
        return phrase in h.lowered
    return _compiled(pattern).search(h.flat) is not None


@lru_cache(maxsize=4096)
def _literal(pattern: str) -> str | None:
    return literal(pattern, re.IGNORECASE)


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def _missing(library: Library, h: Handout, requirement, rule) -> Finding:
    topic = library.topics[h.topic]
    where = topic.doc.key_at(("handouts", h.tier)) if h.lang == SOURCE_LANGUAGE \
        else library.translations[h.lang].topics[h.topic].doc.at()
    counts = ", ".join(f"'{a}'" for a in requirement.any)
    hint = f" ({requirement.hint})" if requirement.hint else ""
    why = f" It is asked of topics tagged {', '.join(sorted(set(rule.tags) & set(topic.value.tags)))}; if it " \
          f"does not apply to this one, list '{rule.name}' under exemptions: with the reason." if rule.tags else ""
    return error(where, f"{h.name} does not say: {requirement.name}{hint}. It counts when the text matches one of "
                 f"{counts} (any case); add it to one of the blocks listed under handouts.{h.tier} in "
                 f"{os.path.relpath(topic.doc.path)}.{why}", "missing-message")


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


def headings(block) -> list[Finding]:
    """Heading levels must not skip: h1 is the topic, h2 each block's title, so a body's first is h3.

    content/markdown.py refuses headings in bodies today, and a heading it refuses is reported
    there alone (one finding, not two that disagree); this is kept so that allowing them later
    cannot break the handouts' outline."""
    found = []
    body: Piece = block_pieces(block)[1]
    outline = passages.read(body.text).headings
    refused = {p.line for p in markup_problems(body.text)} if outline else set()  # none: no parse
    previous = 2
    for heading in outline:
        if heading.line in refused:
            continue
        if heading.level > previous + 1 or heading.level <= 2:
            wanted = "#" * min(max(previous + 1, 3), 6)
            found.append(warning(body.at_line(heading.line), f"heading level {heading.level} after level "
                                 f"{previous} skips or repeats a level of the handout's outline: write it as "
                                 f"'{wanted}'", "heading-level"))
        previous = heading.level
    return found
