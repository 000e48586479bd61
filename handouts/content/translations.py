"""Translations: what each one translates, what is stale, what is missing.

A translation names the version of its English source (`translates:`, a short
hash of the English title, body or summary). When the English changes, the
translation is stale until a translator updates it and the version. A handout
is built in a language only when every piece of it is translated: English text
is never slipped into a Spanish handout.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from babel import Locale

from ..findings import Finding, warning
from .load import Library
from .model import TIERS, Block, BlockTranslation, Topic


@dataclass(frozen=True)
class Localized:
    """A topic's tier in one language: what the plan prints."""

    title: str
    summary: str
    blocks: tuple[Block, ...]


def version(value: Block | Topic) -> str:
    """The version of an English block or topic that a translation names."""
    if isinstance(value, Block):
        fields = {"title": value.title, "body": value.body}
        # A picture's numbers and words are part of what a translator translates (only when the block has one,
        # so the versions of blocks without pictures stay as they were).
        fields.update({key: getattr(value, key).model_dump(mode="json") for key in ("chart", "schedule")
                       if getattr(value, key) is not None})
    else:
        fields = {"title": value.title, "summary": value.summary}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def localized(library: Library, lang: str, topic_id: str, tier: str) -> Localized | None:
    """The tier in `lang`, or None when any of it is not translated."""
    topic = library.topics[topic_id].value
    ids = getattr(topic.handouts, tier)
    translation = library.translations.get(lang)
    if translation is None or topic_id not in translation.topics or any(b not in translation.blocks for b in ids):
        return None
    blocks = tuple(translate(library.blocks[b].value, translation.blocks[b].value) for b in ids)
    translated = translation.topics[topic_id].value
    return Localized(translated.title, translated.summary, blocks)


def translate(block: Block, words: BlockTranslation) -> Block:
    """The English block with the translation's words: its title, body and its picture's labels and
    sentences, item for item (the numbers stay the English block's). A picture the translation leaves
    out, or words for a different count of items, are reported by checks/figures.py and nothing prints."""
    update: dict = {"title": words.title, "body": words.body}
    if block.chart is not None and words.chart is not None:
        rows = tuple(row.model_copy(update=text.model_dump()) for row, text in zip(block.chart.rows, words.chart.rows))
        update["chart"] = block.chart.model_copy(update={"treated": words.chart.treated,
                                                         "placebo": words.chart.placebo, "rows": rows})
    if block.schedule is not None and words.schedule is not None:
        stages = tuple(stage.model_copy(update=text.model_dump())
                       for stage, text in zip(block.schedule.stages, words.schedule.stages))
        update["schedule"] = block.schedule.model_copy(update={"caption": words.schedule.caption, "stages": stages})
    return block.model_copy(update=update)


@dataclass(frozen=True)
class Coverage:
    """How much of one topic is translated into one language."""

    topic: str
    lang: str
    done: int                # blocks translated
    total: int               # blocks the topic uses
    missing: tuple[tuple[str, str, str], ...]  # (kind, id, version to write) of each missing file
    declared: bool           # the topic is meant to be printed in this language

    def summary(self) -> str:
        return f"{self.lang}: {self.done} of {self.total} blocks translated"


def coverage(library: Library) -> list[Coverage]:
    """Each topic's translation into each language but English, one line per topic and language."""
    found = []
    for lang, translation in sorted(library.translations.items()):
        for topic_id, topic in sorted(library.topics.items()):
            ids = list(dict.fromkeys(b for tier in TIERS for b in getattr(topic.value.handouts, tier)))
            blocks = [b for b in ids if b in library.blocks]
            missing = [("topics", topic_id, version(topic.value))] if topic_id not in translation.topics else []
            missing += [("blocks", b, version(library.blocks[b].value)) for b in blocks if b not in translation.blocks]
            declared = declares(topic.value, lang)
            found.append(Coverage(topic_id, lang, sum(b in translation.blocks for b in blocks), len(blocks),
                                  tuple(missing), declared))
    return found


def declares(topic: Topic, lang: str) -> bool:
    """Whether a topic is printed in `lang`: listed under its `languages`, or it lists none."""
    return topic.languages is None or lang in topic.languages


def check(library: Library) -> list[Finding]:
    """Missing (once per topic and language), stale and orphaned translations, for every language but English.

    A topic that declares its `languages` is not held to the others: what is missing there is
    only summarised in the report."""
    found: list[Finding] = []
    for done in coverage(library):
        if not done.missing or not done.declared:
            continue
        language = Locale.parse(done.lang).get_display_name("en")
        folder = f"{library.root.name}/{done.lang}"
        files = ", ".join(f"{folder}/{kind}/{item}.yaml (translates: {v})" for kind, item, v in done.missing)
        topic = library.topics[done.topic]
        found.append(warning(topic.doc.at(("languages",)) if topic.value.languages else topic.doc.at(),
                             f"{done.summary()} in '{done.topic}'; its {language} handouts are not built until "
                             f"all are. Write {files}; or, to print it in English only for now, write "
                             "languages: [en] in the topic", "missing-translation"))
    for lang, translation in sorted(library.translations.items()):
        language = Locale.parse(lang).get_display_name("en")
        mine = {i: t for i, t in library.topics.items() if declares(t.value, lang)}  # a stale draft elsewhere is no finding
        used = {b for t in mine.values() for tier in TIERS for b in getattr(t.value.handouts, tier)}
        english = [("topics", i, e) for i, e in sorted(mine.items())]
        english += [("blocks", i, e) for i, e in sorted(library.blocks.items()) if i in used]
        for kind, item_id, entry in english:
            current = version(entry.value)
            done = getattr(translation, kind).get(item_id)
            if done is not None and done.value.translates != current:
                found.append(warning(done.doc.at(("translates",)), f"stale {language} translation: the English "
                                     f"changed since version {done.value.translates}; update the text, then set "
                                     f"translates: {current}", "stale-translation"))
        for kind, english_entries in (("topics", library.topics), ("blocks", library.blocks)):
            for item_id, done in sorted(getattr(translation, kind).items()):
                if item_id not in english_entries:
                    found.append(warning(done.doc.at(), f"translates {kind[:-1]} '{item_id}', which does not exist "
                                         "in English; delete it or fix the file name", "orphan-translation"))
    return found
