"""The editorial workflow's checks: approvals that no longer cover the text, scaffold
placeholders still in place, and languages a topic declares but the site does not build."""

from __future__ import annotations

import re

from ..content import approval
from ..content.load import SOURCE_LANGUAGE, Library
from ..content.model import TIERS
from ..content.translations import declares
from ..findings import Finding, Location, error, warning

# What `build.py new topic` writes where an editor must write: [[...]]
PLACEHOLDER = re.compile(r"\[\[[^\]]*\]\]")


def changed_since_review(library: Library) -> list[Finding]:
    """Approved topics (and translations) whose text changed after the review: not yet re-reviewed."""
    found = []
    for topic_id, topic in sorted(library.topics.items()):
        languages = [SOURCE_LANGUAGE] + sorted(lang for lang in library.translations if declares(topic.value, lang))
        for lang in languages:
            state = approval.status(library, topic_id, lang)
            english = lang == SOURCE_LANGUAGE
            if state.state != "changed" or (not english and approval.status(library, topic_id).state != "approved"):
                continue
            entry = topic if english else library.translations[lang].topics[topic_id]
            suffix = "" if english else f" ({lang})"
            names = ", ".join(f"{topic_id}/{tier}{suffix}" for tier in TIERS)
            since = "was recorded without the digest of what was read" if not state.review.digest \
                else "covers text that has since changed"
            how = f"python build.py approve {topic_id}" + ("" if english else f" --lang {lang}")
            found.append(warning(entry.doc.at(("review", "digest") if state.review.digest else ("review",)),
                                 f"{names}: changed since it was reviewed on {state.date}, not yet re-reviewed (the "
                                 f"approval by {state.review.reviewed_by} {since}); they print as drafts until a "
                                 f"reviewer has read them again and you record it: {how} --by NAME --on DATE "
                                 f"(or set review.digest: {approval.digest(library, topic_id, lang)})",
                                 "changed-since-review"))
    return found


def placeholders(library: Library) -> list[Finding]:
    """Text the scaffold left for an editor to write: a handout is never printed with it."""
    entries = [*library.topics.values(), *library.blocks.values()]
    for translation in library.translations.values():
        entries += [*translation.topics.values(), *translation.blocks.values()]
    found = []
    for entry in entries:
        for field in ("title", "summary", "body"):
            text = entry.doc.data.get(field) if isinstance(entry.doc.data, dict) else None
            if not isinstance(text, str):
                continue
            for match in PLACEHOLDER.finditer(text):
                line = text.count("\n", 0, match.start())
                start = entry.doc.at((field,))
                where = Location(start.path, start.line + line, start.column)
                shown = match.group(0) if len(match.group(0)) <= 70 else match.group(0)[:64] + "...]]"
                found.append(error(where, f"placeholder {shown}: replace it, brackets and all, with the text it "
                                   "asks for (a scaffold is never printed as it is)", "placeholder"))
    return found


def declared_languages(library: Library) -> list[Finding]:
    found = []
    site = library.site.value.languages
    for topic_id, topic in sorted(library.topics.items()):
        declared = topic.value.languages or ()
        for i, lang in enumerate(declared):
            if lang not in site:
                found.append(error(topic.doc.at(("languages", i)), f"'{lang}' is not one of the languages in "
                                   f"site.yaml ({', '.join(site)}): add it there or remove it here", "bad-language"))
        if declared and SOURCE_LANGUAGE not in declared:
            found.append(error(topic.doc.at(("languages",)), f"languages must include {SOURCE_LANGUAGE}: every "
                               "topic is written in English first", "bad-language"))
    return found


def untagged(library: Library) -> list[Finding]:
    """A topic with no tags is checked by the universal rules alone: make that a choice, not an oversight."""
    lists = library.editorial.required
    used = sorted({t for rule in (lists.value if lists else ()) for t in rule.tags})
    if not used:
        return []
    return [warning(topic.doc.at(("tags",)) if "tags" in (topic.doc.data or {}) else topic.doc.at(),
                    f"'{topic_id}' declares no tags, so only the universal rules (911, who to call, Ask Me 3) "
                    f"check it: list the ones that fit it under tags: (in use: {', '.join(used)})", "no-tags")
            for topic_id, topic in sorted(library.topics.items()) if not topic.value.tags]
