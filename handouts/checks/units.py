"""Units: the checks of one block and of one handout, remembered between runs.

What the checks say of a block depends only on its file (and, for a translation, on its
English block), on the library-wide files (site, clinic profiles, sources, strings, facts,
the editorial lists, in every language), on the tags and exemptions of the topics that
print it, and on the code. What they say of a handout depends on its topic's files and
its blocks' besides. Each unit's result is kept in the memo (handouts/memo.py) under a
digest of exactly those, so a run after a one-block edit checks that block and the
handouts that print it again and takes the rest from the memo. Without a memo everything
is checked, the same way.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any, Callable, NamedTuple, TypeVar

from ..content.load import SOURCE_LANGUAGE, Entry, Library
from ..content.yamldoc import Document
from ..content.model import TIERS
from ..content.translations import declares
from ..memo import Memo, ShardedMemo, digest, key
from . import fanout
from .scope import blocks_users

T = TypeVar("T")


class Task(NamedTuple):
    """One unit to check: its memo key, how to check it, and its group (its topic: prefill)."""

    key: str
    compute: Callable[[], Any]
    group: str = ""  # the block or topic it checks: prefill keeps a topic's units together


class Units:
    """The memo of one run's checks, and the keys of its blocks and handouts."""

    def __init__(self, library: Library, memo: Memo | ShardedMemo | None = None, fonts: Path | None = None,
                 icons: Path | None = None):
        self.library, self.fonts, self.icons = library, fonts, icons
        self.memo = memo if memo is not None else Memo(None, "checks", version="-")
        # Nothing a unit finds depends on the date (reviews falling due are checked for the whole library).
        self.base = digest(str(library.root), *_library_wide(library))
        self.block_base = digest(self.base, *_folder(fonts, "*.ttf"), *_folder(icons, "*.svg"))
        # Worked out once a run: the digest of what a block's or topic's checks read, which each phase's
        # key names after the phase, and each handout's key (the checks' and the report's).
        self._inputs: dict[tuple[str, str], dict[str, str]] = {}
        self._read: dict[tuple[str, str], dict[str, str]] = {}
        self._handout_keys: dict[tuple[str, str, str], str] = {}

    @cached_property
    def users(self) -> dict[str, list]:
        """Block id -> the topics that print it."""
        return blocks_users(self.library)

    @cached_property
    def _users(self) -> dict[str, str]:
        """Block id -> what a block's checks read of the topics that print it: their tags and exemptions."""
        rules = {id(t.value): (tuple(t.value.tags), tuple(sorted(t.value.exemptions))) for t in self.library.topics.values()}
        spelt: dict[frozenset, str] = {}  # most blocks are printed by topics held to the same rules
        found = {}
        for block, topics in self.users.items():
            held = frozenset(rules[id(t)] for t in topics)
            found[block] = spelt.get(held) or spelt.setdefault(held, repr(sorted(held)))
        return found

    def run(self, tasks: list[Task]) -> list:
        """Each task's result: kept in the memo under its key, or computed now. Many to compute are
        shared out between this process and forked copies of it, one a CPU (fanout.py)."""
        found = self.memo.known(task.key for task in tasks)
        missing = [i for i, task in enumerate(tasks) if task.key not in found]
        for i, result in zip(missing, fanout.results([tasks[i].compute for i in missing])):
            if tasks[i].key not in found:  # the same key twice: kept once, as `get` would
                found[tasks[i].key] = self.memo.put(tasks[i].key, result)
        return [found[task.key] for task in tasks]

    def prefill(self, tasks: list[Task]) -> None:
        """Check now, in one fan-out, the units of several checks that no run has kept, each topic's in
        one process: what one check of a block works out (its parse, its pieces) the next finds at hand,
        and the handouts of its topic too. The checks' own runs then find every result kept."""
        found = self.memo.known(task.key for task in tasks)
        todo = list({task.key: task for task in tasks if task.key not in found}.values())
        printer: dict[str, str] = {}  # block -> the first topic that prints it: a block's units go with it
        for topic_id, topic in self.library.topics.items():
            for tier in TIERS:
                for block_id in getattr(topic.value.handouts, tier):
                    printer.setdefault(block_id, topic_id)
        groups = [printer.get(task.group, task.group) for task in todo]
        for task, result in zip(todo, fanout.results([t.compute for t in todo], groups)):
            self.memo.put(task.key, result)

    def unchecked(self) -> int:
        """How many handouts no run has checked as they read now: all of them in a cold check, a few
        after an edit (a quick look, by keys a run works out anyway)."""
        return sum(self.handout(*each) not in self.memo for each in self.handouts())

    def block(self, phase: str, lang: str, block_id: str) -> str:
        """The key of what a phase ("structure" or "editorial") finds of one block in one language."""
        return f"{phase} {self._read_by('blocks', lang)[block_id]}"

    def topic(self, phase: str, lang: str, topic_id: str) -> str:
        """The key of what a phase finds of a topic's own file in one language (its title, summary, codes)."""
        return f"{phase} {self._read_by('topics', lang)[topic_id]}"

    def _read_by(self, kind: str, lang: str) -> dict[str, str]:
        """By id, the digest of what the checks of each block or topic in one language read: its file, the
        English one's and, for a block, the topics that print it. The same in each phase: worked out once a run."""
        known = self._inputs.get((kind, lang))
        if known is None:
            english, printers = self._files(kind, SOURCE_LANGUAGE), self._users if kind == "blocks" else None
            known = self._inputs[kind, lang] = {
                name: key(self.block_base, kind, lang, name, file, english.get(name, ""),
                          *(() if printers is None else (printers.get(name, ""),)))
                for name, file in self._files(kind, lang).items()}
        return known

    def _files(self, kind: str, lang: str) -> dict[str, str]:
        """By id, each block's or topic's file in one language as read (`_file`), worked out once a run."""
        known = self._read.get((kind, lang))
        if known is None:
            entries = getattr(self.library if lang == SOURCE_LANGUAGE else self.library.translations[lang], kind)
            known = self._read[kind, lang] = {name: _file(entry.doc) for name, entry in entries.items()}
        return known

    def rest(self, phase: str) -> str:
        """The key of what a phase finds in the library-wide files alone (site, clinic profiles, sources, strings)."""
        return key(self.block_base, phase, "library-wide")

    def topics(self) -> list[tuple[str, str, Entry]]:
        """(language, id, entry) of every topic, English first."""
        found = [(SOURCE_LANGUAGE, i, e) for i, e in self.library.topics.items()]
        return found + [(lang, i, e) for lang, t in sorted(self.library.translations.items()) for i, e in t.topics.items()]

    def blocks(self) -> list[tuple[str, str, Entry]]:
        """(language, id, entry) of every block, English first."""
        found = [(SOURCE_LANGUAGE, i, e) for i, e in self.library.blocks.items()]
        return found + [(lang, i, e) for lang, t in sorted(self.library.translations.items()) for i, e in t.blocks.items()]

    def handouts(self) -> list[tuple[str, str, str]]:
        """(language, topic, tier) of every handout to check: each English one, and each translated one
        that its topic declares and that is translated whole (English never stands in)."""
        return list(self._every)

    @cached_property
    def _every(self) -> tuple[tuple[str, str, str], ...]:
        library = self.library
        found = [(SOURCE_LANGUAGE, t, tier) for t in sorted(library.topics) for tier in TIERS]
        for lang, translation in sorted(library.translations.items()):
            for topic_id in sorted(library.topics):
                topic = library.topics[topic_id].value
                if topic_id not in translation.topics or not declares(topic, lang):
                    continue
                found += [(lang, topic_id, tier) for tier in TIERS
                          if all(b in translation.blocks for b in getattr(topic.handouts, tier))]
        return tuple(found)

    def handout(self, lang: str, topic_id: str, tier: str) -> str:
        """The key of what the checks find of one handout: its topic and its blocks, in English and in its
        language (keyed by their files alone: a handout's text is only read when it must be checked again)."""
        known = self._handout_keys.get((lang, topic_id, tier))
        if known is None:
            known = self._handout_keys[lang, topic_id, tier] = self._handout(lang, topic_id, tier)
        return known

    def _handout(self, lang: str, topic_id: str, tier: str) -> str:
        blocks = self._files("blocks", SOURCE_LANGUAGE)
        parts = [lang, topic_id, tier, self._files("topics", SOURCE_LANGUAGE)[topic_id]]
        translated = lang != SOURCE_LANGUAGE and lang in self.library.translations
        if translated:
            parts.append(self._files("topics", lang)[topic_id])
            translated_blocks = self._files("blocks", lang)
        for block_id in dict.fromkeys(getattr(self.library.topics[topic_id].value.handouts, tier)):
            if block_id in blocks:
                parts.append(blocks[block_id])
                if translated:
                    parts.append(translated_blocks[block_id])
        return key(self.base, "handout", *parts)


def _file(doc: Document) -> str:
    """A file as read: its path and the digest of its bytes."""
    return f"{doc.path}\0{doc.digest}"


def _library_wide(library: Library) -> list[str]:
    """Every file that is neither a block nor a topic, in every language: any change re-checks all."""
    entries: list[Entry | None] = [library.site, library.clinic, library.sources, library.facts,
                                   *library.strings.values(), *library.clinics.values(),
                                   *vars(library.editorial).values()]
    for translation in library.translations.values():
        entries += [translation.required, translation.facts, translation.glossary]
    return sorted(_file(e.doc) for e in entries if e is not None) + sorted(map(str, library.broken))


def _folder(folder: Path | None, pattern: str) -> list[str]:
    """The files the checks read beside the content (fonts, icons), by name, size and time."""
    if folder is None:
        return ["-"]
    return [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(folder.glob(pattern))]

