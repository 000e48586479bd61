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

from pathlib import Path
from typing import Callable, TypeVar

from ..content.load import SOURCE_LANGUAGE, Entry, Library
from ..content.yamldoc import Document
from ..memo import Memo, digest
from .handout_text import Handout
from .scope import blocks_users

T = TypeVar("T")


class Units:
    """The memo of one run's checks, and the keys of its blocks and handouts."""

    def __init__(self, library: Library, memo: Memo | None = None, fonts: Path | None = None,
                 icons: Path | None = None):
        self.library, self.fonts, self.icons = library, fonts, icons
        self.memo = memo if memo is not None else Memo(None, "checks", version="-")
        # Nothing a unit finds depends on the date (reviews falling due are checked for the whole library).
        self.base = digest(str(library.root), *_library_wide(library))
        self.block_base = digest(self.base, *_folder(fonts, "*.ttf"), *_folder(icons, "*.svg"))
        self.users = blocks_users(library)  # block id -> the topics that print it
        self._users = {block: repr(sorted({(tuple(t.tags), tuple(sorted(t.exemptions))) for t in topics}))
                       for block, topics in self.users.items()}

    def block(self, phase: str, lang: str, block_id: str, compute: Callable[[], T]) -> T:
        """What `compute` finds of one block in one language (its phase: "structure" or "editorial")."""
        english = self.library.blocks.get(block_id)
        entry = english if lang == SOURCE_LANGUAGE else self.library.translations[lang].blocks[block_id]
        key = digest(self.block_base, phase, lang, block_id, _file(entry.doc), _file(english.doc) if english else "",
                     self._users.get(block_id, ""))
        return self.memo.get(key, compute)

    def topic(self, phase: str, lang: str, topic_id: str, compute: Callable[[], T]) -> T:
        """What `compute` finds of a topic's own file in one language (its title, summary, codes)."""
        english = self.library.topics.get(topic_id)
        entry = english if lang == SOURCE_LANGUAGE else self.library.translations[lang].topics[topic_id]
        return self.memo.get(digest(self.block_base, phase, lang, topic_id, _file(entry.doc),
                                    _file(english.doc) if english else ""), compute)

    def rest(self, phase: str, compute: Callable[[], T]) -> T:
        """What `compute` finds in the library-wide files alone (site, clinic profiles, sources, strings)."""
        return self.memo.get(digest(self.block_base, phase, "library-wide"), compute)

    def topics(self) -> list[tuple[str, str, Entry]]:
        """(language, id, entry) of every topic, English first."""
        found = [(SOURCE_LANGUAGE, i, e) for i, e in self.library.topics.items()]
        return found + [(lang, i, e) for lang, t in sorted(self.library.translations.items()) for i, e in t.topics.items()]

    def blocks(self) -> list[tuple[str, str, Entry]]:
        """(language, id, entry) of every block, English first."""
        found = [(SOURCE_LANGUAGE, i, e) for i, e in self.library.blocks.items()]
        return found + [(lang, i, e) for lang, t in sorted(self.library.translations.items()) for i, e in t.blocks.items()]

    def handout(self, h: Handout, compute: Callable[[], T]) -> T:
        """What `compute` finds of one handout: its topic and its blocks, in English and in its language."""
        library = self.library
        parts = [h.lang, h.topic, h.tier, _file(library.topics[h.topic].doc)]
        translation = library.translations.get(h.lang)
        if translation is not None:
            parts.append(_file(translation.topics[h.topic].doc))
        for block_id in h.blocks:
            parts.append(_file(library.blocks[block_id].doc))
            if translation is not None:
                parts.append(_file(translation.blocks[block_id].doc))
        return self.memo.get(digest(self.base, "handout", *parts), compute)


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

