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
from .model import TIERS, Block, Review, Topic


@dataclass(frozen=True)
class Localized:
    """A topic's tier in one language: what the plan prints."""

    title: str
    summary: str
    blocks: tuple[Block, ...]
    review: Review


def version(value: Block | Topic) -> str:
    """The version of an English block or topic that a translation names."""
    if isinstance(value, Block):
        fields = {"title": value.title, "body": value.body}
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
    blocks = tuple(library.blocks[b].value.model_copy(update={"title": translation.blocks[b].value.title,
                                                              "body": translation.blocks[b].value.body})
                   for b in ids)
    translated = translation.topics[topic_id].value
    # Approved only when both the English content and its translation are.
    review = topic.review if topic.review.status != "approved" else translated.review
    return Localized(translated.title, translated.summary, blocks, review)


def check(library: Library) -> list[Finding]:
    """Missing, stale and orphaned translations, for every language but English."""
    found: list[Finding] = []
    used = {b for t in library.topics.values() for tier in TIERS for b in getattr(t.value.handouts, tier)}
    for lang, translation in sorted(library.translations.items()):
        language = Locale.parse(lang).get_display_name("en")
        folder = f"{library.root.name}/{lang}"
        english = [("topics", i, e) for i, e in sorted(library.topics.items())]
        english += [("blocks", i, e) for i, e in sorted(library.blocks.items()) if i in used]
        for kind, item_id, entry in english:
            current = version(entry.value)
            done = getattr(translation, kind).get(item_id)
            if done is None:
                found.append(warning(entry.doc.at(), f"no {language} translation: write {folder}/{kind}/{item_id}"
                                     f".yaml with translates: {current}; until then its {language} handouts are "
                                     "not built", "missing-translation"))
            elif done.value.translates != current:
                found.append(warning(done.doc.at(("translates",)), f"stale {language} translation: the English "
                                     f"changed since version {done.value.translates}; update the text, then set "
                                     f"translates: {current}", "stale-translation"))
        for kind, english_entries in (("topics", library.topics), ("blocks", library.blocks)):
            for item_id, done in sorted(getattr(translation, kind).items()):
                if item_id not in english_entries:
                    found.append(warning(done.doc.at(), f"translates {kind[:-1]} '{item_id}', which does not exist "
                                         "in English; delete it or fix the file name", "orphan-translation"))
    return found
