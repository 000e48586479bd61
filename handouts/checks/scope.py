"""Scope: which editorial rules apply to which topic.

A rule in required.yaml or forbidden.yaml without `tags` applies to every topic (its
`handouts` patterns still choose the tiers); a rule with `tags` applies only to topics
that declare one of them (`tags: [ketamine, sedation]` in the topic). A topic may be
exempted from a tagged rule by name, with its reason (`exemptions:`); the report shows
every exemption. The universal rules (no tags, every topic's handouts) cannot be exempted.
"""

from __future__ import annotations

import difflib
from fnmatch import fnmatchcase

from ..content.load import Entry, Library
from ..content.model import TIERS, Forbidden, Requirement, Topic
from ..findings import Finding, error


def topic_tags(topic: Topic) -> frozenset[str]:
    return frozenset(topic.tags)


def applies(rule: Requirement | Forbidden, topic: Topic) -> bool:
    """Whether a rule's tags (none: every topic) take in this topic, exemptions aside."""
    return not rule.tags or bool(set(rule.tags) & topic_tags(topic))


def universal(rule: Requirement) -> bool:
    """A rule for every handout of some tier of every topic: 911, Ask Me 3 and the like."""
    return not rule.tags and all(p.split("/")[0] == "*" for p in rule.handouts)


def requirement_covers(rule: Requirement, topic_id: str, topic: Topic, tier: str) -> bool:
    """Whether a required message is asked of this handout: its patterns, its tags, no exemption."""
    named = any(fnmatchcase(f"{topic_id}/{tier}", p) for p in rule.handouts)
    return named and applies(rule, topic) and (universal(rule) or rule.name not in topic.exemptions)


def blocks_users(library: Library) -> dict[str, list[Topic]]:
    """The topics that print each block."""
    users: dict[str, list[Topic]] = {}
    for topic in library.topics.values():
        for block_id in dict.fromkeys(b for tier in TIERS for b in getattr(topic.value.handouts, tier)):
            users.setdefault(block_id, []).append(topic.value)
    return users


def forbidden_rules(library: Library, topics: list[Topic]) -> tuple[str, ...]:
    """The forbidden.yaml keys that hold for text printed by `topics` (all of them, for text no topic uses)."""
    lists = library.editorial.forbidden
    if lists is None:
        return ()
    if not topics:
        return tuple(lists.value)
    return tuple(key for key, rule in lists.value.items()
                 if any(applies(rule, t) and key not in t.exemptions for t in topics))


def exemptions(library: Library) -> list[Finding]:
    """Each exemption must name a rule that applies to the topic and may be exempted."""
    required = library.editorial.required.value if library.editorial.required else ()
    forbidden = library.editorial.forbidden.value if library.editorial.forbidden else {}
    found = []
    for topic_id, entry in sorted(library.topics.items()):
        topic = entry.value
        for name in topic.exemptions:
            where = entry.doc.key_at(("exemptions", name))
            rules = [r for r in required if r.name == name]
            if name in forbidden:
                rules.append(forbidden[name])
            if not rules:
                close = difflib.get_close_matches(name, [r.name for r in required] + list(forbidden), n=1)
                advice = f"; did you mean '{close[0]}'?" if close else ""
                found.append(error(where, f"no rule named '{name}'{advice} Write the name of a message in "
                                   "content/editorial/required.yaml or the key of an entry in forbidden.yaml, "
                                   "exactly as it is written there", "bad-exemption"))
            elif any(isinstance(r, Requirement) and universal(r) for r in rules):
                found.append(error(where, f"'{name}' is asked of every topic and cannot be exempted: add the "
                                   "message to the topic's blocks", "bad-exemption"))
            elif not any(applies(r, topic) for r in rules):
                tags = sorted({t for r in rules for t in r.tags})
                found.append(error(where, f"'{name}' does not apply to '{topic_id}' (it applies to topics tagged "
                                   f"{', '.join(tags)}): delete the exemption", "bad-exemption"))
    return found


def exempted(library: Library) -> list[tuple[Entry[Topic], str, str]]:
    """(topic, rule, reason) for every exemption, for the report."""
    return [(entry, name, reason) for _, entry in sorted(library.topics.items())
            for name, reason in entry.value.exemptions.items()]
