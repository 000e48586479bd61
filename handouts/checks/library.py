"""Check: what is wrong with a loaded library, as findings. Never raises on content."""

from __future__ import annotations

import datetime
from pathlib import Path

from . import characters, clinics, codes, editorial, figures, images, passages, scope, workflow
from ..content import slips, translations
from ..findings import Finding, Location, error, warning
from ..content.load import Library
from ..content.markdown import problems
from ..content.model import TIERS
from ..memo import Memo
from .handout_text import block_pieces
from .units import Task, Units

# Kinds that carry no facts of their own: a tick list, questions, the clinic's numbers.
FACT_FREE_KINDS = ("checklist", "questions", "contact")


def check(library: Library, today: datetime.date | None = None, fonts: Path | None = None,
          icons: Path | None = None, memo: Memo | None = None) -> list[Finding]:
    """Every finding about the library: structure, references, then the editorial checks.

    `today` is the date reviews fall due against (default: the clock; tests pass one);
    `icons` the vendored pictograms (templates/icons/) that blocks may name; `memo` keeps
    what each block and handout gave, for the next run (checks/units.py)."""
    units = Units(library, memo, fonts, icons)
    return sorted(set(structure(library, fonts, icons, units) + later(library, today, units)))


def structure(library: Library, fonts: Path | None = None, icons: Path | None = None,
              units: Units | None = None) -> list[Finding]:
    """The quick part: references, sources, Markdown, clinic profiles, codes, pictures, images, characters,
    translations. A library without errors here can be planned and rendered; `later`
    (reading level, phrasing, required messages, the review workflow) takes most of the time."""
    units = units or Units(library, fonts=fonts, icons=icons)
    findings: list[Finding] = []
    findings += _topic_references(library)
    findings += _block_sources(library)
    findings += _unused(library)
    findings += clinics.check(library)
    findings += codes.check(library)
    findings += figures.check(library, icons)
    findings += images.check(library)
    findings += translations.check(library)
    return findings + [f for found in units.run(structure_tasks(library, fonts, units)) for f in found]


def structure_tasks(library: Library, fonts: Path | None, units: Units) -> list[Task]:
    """The structure checks of each block and topic file (their Markdown, characters, pictures), as units."""
    tasks = [Task(units.rest("structure"), lambda: characters.check(library, fonts))]
    tasks += [Task(units.topic("structure", lang, topic_id), lambda entry=entry: characters.topic(entry, fonts),
                   topic_id) for lang, topic_id, entry in units.topics()]
    tasks += [Task(units.block("structure", lang, block_id),
                   lambda lang=lang, block_id=block_id, entry=entry: _block(library, lang, block_id, entry, fonts),
                   block_id) for lang, block_id, entry in units.blocks()]
    return tasks


def later(library: Library, today: datetime.date | None = None, units: Units | None = None) -> list[Finding]:
    """The slower part, for a library whose structure is sound: the editorial checks, then
    exemptions and the review workflow (changes since a review, placeholders, languages, tags)."""
    findings = editorial.check(library, today, units)
    findings += scope.exemptions(library)
    findings += workflow.changed_since_review(library)
    findings += workflow.placeholders(library)
    findings += workflow.declared_languages(library)
    findings += workflow.untagged(library)
    return findings


def _block(library: Library, lang: str, block_id: str, entry, fonts: Path | None) -> list[Finding]:
    """What the structure checks find in one block: its Markdown, its characters, its picture."""
    found = _block_body(entry) + characters.block(entry, fonts) + figures.block(library, lang, block_id)
    passages.read(block_pieces(entry)[1].text)  # while its parse is at hand: the editorial check reads them next
    return found


def _topic_references(library: Library) -> list[Finding]:
    found = []
    for topic in library.topics.values():
        for tier in TIERS:
            for i, block_id in enumerate(getattr(topic.value.handouts, tier)):
                if block_id not in library.blocks and block_id not in library.broken:
                    found.append(error(topic.doc.at(("handouts", tier, i)),
                                       f"no block '{block_id}': create content/blocks/{block_id}.yaml "
                                       "or fix the id", "missing-block"))
    return found


def _block_sources(library: Library) -> list[Finding]:
    found = []
    known = library.sources.value
    for block in library.blocks.values():
        for i, source_id in enumerate(block.value.sources):
            if source_id not in known:
                found.append(error(block.doc.at(("sources", i)),
                                   f"no source '{source_id}' in sources.yaml: add it there or fix the id",
                                   "missing-source"))
        if not block.value.sources and block.value.kind not in FACT_FREE_KINDS:
            found.append(warning(block.doc.at(("sources",)),
                                 "this block states facts but cites no source; add ids from sources.yaml",
                                 "unsourced"))
    return found


def _block_body(block) -> list[Finding]:
    found = []
    start = block.doc.at(("body",))
    if ("body",) in block.doc.folded:
        found.append(error(block.doc.key_at(("body",)), slips.body_without_pipe(), "no-pipe"))
    for problem in problems(block.value.body):
        where = Location(start.path, start.line + problem.line, start.column)
        found.append(error(where, problem.message, "markup"))
    return found


def _unused(library: Library) -> list[Finding]:
    """Blocks and sources nothing uses. Not while a topic failed to load: its blocks would all
    look unused, burying the one finding that matters under a warning for each."""
    if any(b not in library.topics and (library.root / "topics" / f"{b}.yaml").exists() for b in library.broken):
        return []
    found = []
    used_blocks = {b for t in library.topics.values() for tier in TIERS for b in getattr(t.value.handouts, tier)}
    for block_id, block in library.blocks.items():
        if block_id not in used_blocks:
            found.append(warning(block.doc.at(), f"block '{block_id}' is not used by any topic; "
                                 "add it to a topic's handouts or delete it", "unused-block"))
    if any(b not in library.blocks and library.block_file(b).exists() for b in library.broken):
        return found  # the sources a broken block cites would look unused
    cited = {s for b in library.blocks.values() for s in b.value.sources}
    cited |= {c.source for t in library.topics.values() for c in t.value.codes}  # where a code was looked up
    for source_id in library.sources.value:
        if source_id not in cited:
            found.append(warning(library.sources.doc.key_at((source_id,)),
                                 f"source '{source_id}' is not cited by any block or code", "unused-source"))
    return found
