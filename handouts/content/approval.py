"""Approval: a digest of exactly what a reviewer saw, and the status a handout may print.

A clinician approves a topic as its handouts read: the topic's title, summary and
tiers, every block they use, the sources those blocks cite and the words the
templates print around them (strings.yaml); a translator approves a translation
as it reads on top of that. `digest` hashes exactly that, and `build.py approve`
records it in the review. While it matches, the topic prints as approved; once any
of it changes (a shared block, a source, a string), every handout of the topic
prints as changed since its review until someone approves it again.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from .load import SOURCE_LANGUAGE, Library
from .model import TIERS, Review

State = Literal["draft", "approved", "changed"]


@dataclass(frozen=True)
class Status:
    """What a topic's handouts in one language may say about their review."""

    state: State
    review: Review  # the review the status stands on: the English one, or the translation's

    @property
    def date(self) -> datetime.date | None:
        return self.review.reviewed_on

    def describe(self) -> str:
        """The status in words, as the check report shows it (the manifest holds `state`)."""
        if self.state == "approved":
            return f"approved {self.date} by {self.review.reviewed_by}"
        if self.state == "changed":
            return f"changed since its review of {self.date}: not yet re-reviewed"
        return "draft"


def digest(library: Library, topic_id: str, lang: str = SOURCE_LANGUAGE) -> str:
    """The digest of what a reviewer of `topic_id` in `lang` reads (16 hex digits)."""
    topic = library.topics[topic_id].value
    block_ids = list(dict.fromkeys(b for tier in TIERS for b in getattr(topic.handouts, tier)))
    blocks = {b: library.blocks[b].value.model_dump(mode="json") if b in library.blocks else None for b in block_ids}
    cited = dict.fromkeys(s for b in blocks.values() if b for s in b["sources"])
    sources = library.sources.value
    seen = {
        "topic": topic.model_dump(mode="json", include={"title", "summary", "handouts"}),
        "blocks": blocks,
        "sources": {s: sources[s].model_dump(mode="json") if s in sources else None for s in cited},
        "strings": _strings(library, SOURCE_LANGUAGE),
    }
    if lang != SOURCE_LANGUAGE:
        translation = library.translations.get(lang)
        topics = translation.topics if translation else {}
        translated = translation.blocks if translation else {}
        seen[lang] = {
            "topic": topics[topic_id].value.model_dump(mode="json", include={"title", "summary"})
            if topic_id in topics else None,
            "blocks": {b: translated[b].value.model_dump(mode="json", include={"title", "body"})
                       if b in translated else None for b in block_ids},
            "strings": _strings(library, lang),
        }
    text = json.dumps(seen, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{topic_id}|{lang}|{text}".encode()).hexdigest()[:16]


def _strings(library: Library, lang: str) -> dict | None:
    entry = library.strings.get(lang)
    return entry.value.model_dump(mode="json") if entry else None


def status(library: Library, topic_id: str, lang: str = SOURCE_LANGUAGE) -> Status:
    """Draft, approved (the digest still matches what was reviewed), or changed since the review.

    A translation is approved only when the English topic is approved and unchanged and the
    translation's own review is too; while the English is not, its status is the English one."""
    english = _status(library.topics[topic_id].value.review, library, topic_id, SOURCE_LANGUAGE)
    if lang == SOURCE_LANGUAGE or english.state != "approved":
        return english
    translation = library.translations.get(lang)
    if translation is None or topic_id not in translation.topics:
        return Status("draft", Review())
    return _status(translation.topics[topic_id].value.review, library, topic_id, lang)


def _status(review: Review, library: Library, topic_id: str, lang: str) -> Status:
    if review.status != "approved":
        return Status("draft", review)
    return Status("approved" if review.digest == digest(library, topic_id, lang) else "changed", review)
