"""Load: the content folder into a Library of typed values that remember their lines.

What reading each file gave can be kept between runs in a Memo, keyed by the file's path,
its bytes and its shape: a run after an edit parses only the files that changed, and gives
exactly what a run without the memo gives, findings included. The memo keeps a file's plain
data and packed positions (or its findings), not its typed value, which is validated again
from the data: about what unpickling the models would cost, for a memo half the size.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Mapping, TypeVar

import pydantic
import yaml
from pydantic import BaseModel, TypeAdapter

from . import facts as fact_refs, validation, yamldoc
from ..findings import Finding, Location, error
from ..memo import Memo, ShardedMemo
from .model import (Block, BlockTranslation, Clinic, Forbidden, GlossaryTerm, Id, Jargon, Requirement, Site, Source,
                    Strings, Text, TIERS, Topic, TopicTranslation, is_id)
from .yamldoc import Document
from ..project import linked

T = TypeVar("T")
# Limits against hostile content (a folder of millions of files, gigabytes of YAML), far above
# any real library: a health system's, 10,000 topics of 12 blocks in two languages, is 120,000
# files a folder and about 130 MB (a synthetic 1,000-topic library is 12,000 and 13 MB).
MAX_FILES = 500_000  # in one folder (blocks/, topics/, a translation's blocks/...)
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # of all the YAML a library reads, counted before any of a folder is parsed
# What else decides what a file gives (the package's own source versions the memo already).
_TOOLS = f"python {sys.version}; pydantic {pydantic.VERSION}; pyyaml {yaml.__version__}"  # in every key
Kept = tuple  # what the memo keeps of a file: (data, folded, places, ()) or (None, None, None, findings)


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A content value, its id and the document it was read from."""

    id: str
    value: T
    doc: Document


@dataclass(frozen=True)
class Editorial:
    """content/editorial/: the lists the editorial checks read; None where a file did not load."""

    forbidden: Entry[dict[str, Forbidden]] | None = None
    jargon: Entry[dict[str, Jargon]] | None = None
    required: Entry[tuple[Requirement, ...]] | None = None
    names: Entry[tuple[str, ...]] | None = None


@dataclass(frozen=True)
class Translation:
    """One language's mirror of blocks/ and topics/ (content/<lang>/), the messages its handouts
    must carry (content/<lang>/editorial/required.yaml) and its glossary, in that language."""

    blocks: Mapping[str, Entry[BlockTranslation]]
    topics: Mapping[str, Entry[TopicTranslation]]
    required: Entry[tuple[Requirement, ...]] | None = None
    facts: Entry[dict[str, str]] | None = None  # content/<lang>/facts.yaml
    fact_uses: fact_refs.Uses = field(default_factory=dict)
    glossary: Entry[dict[str, GlossaryTerm]] | None = None  # content/<lang>/editorial/glossary.yaml


@dataclass(frozen=True)
class Library:
    """Everything in a content folder that loaded cleanly."""

    root: Path
    site: Entry[Site]
    clinic: Entry[Clinic]
    sources: Entry[dict[str, Source]]
    blocks: Mapping[str, Entry[Block]]
    topics: Mapping[str, Entry[Topic]]
    strings: Mapping[str, Entry[Strings]]  # by language
    broken: frozenset[str] = field(default=frozenset())  # ids whose files did not load
    editorial: Editorial = field(default=Editorial())
    translations: Mapping[str, Translation] = field(default_factory=dict)  # by language, English not included
    clinics: Mapping[str, Entry[Clinic]] = field(default_factory=dict)  # content/clinics/<name>.yaml
    facts: Entry[dict[str, str]] | None = None  # content/facts.yaml: facts written once
    fact_uses: fact_refs.Uses = field(default_factory=dict)  # block id -> facts its (resolved) body used

    def block_file(self, block_id: str) -> Path:
        return self.root / "blocks" / f"{block_id}.yaml"


_SOURCES = TypeAdapter(dict[Id, Source])
_EDITORIAL = {"forbidden": TypeAdapter(dict[Id, Forbidden]), "jargon": TypeAdapter(dict[Text, Jargon]),
              "required": TypeAdapter(tuple[Requirement, ...]), "names": TypeAdapter(tuple[Text, ...])}
_GLOSSARY = TypeAdapter(dict[Text, GlossaryTerm])
SOURCE_LANGUAGE = "en"


def language_folder(root: Path, lang: str) -> Path:
    """English lives at the top of content/; a translation in its mirror, content/<lang>/."""
    return root if lang == SOURCE_LANGUAGE else root / lang


def load(root: Path, memo: Memo | ShardedMemo | None = None, topics: frozenset[str] | None = None
         ) -> tuple[Library | None, list[Finding]]:
    """Read every content file; return the library and what was wrong with it. With a `memo`,
    a file whose bytes a run has read before is not parsed again (the caller saves the memo).

    With `topics`, only what those topics print is read: the shared files, the topics and the
    blocks they use, in every language; enough to plan and print them (plan/ahead.py), not to
    check the library."""
    if not root.is_dir():
        return None, [error(Location(root), "the content folder does not exist; pass --content DIR", "no-content")]
    read = _Reader(root, [], memo)
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of lasting objects and no cycles: the collector would only rescan them
    try:
        return _load(root, read, topics)
    except _Refused as refused:  # a limit met: one finding, not one for each file it hides
        return None, read.findings + [refused.finding]
    finally:
        if collecting:
            gc.enable()


def _load(root: Path, read: _Reader, only: frozenset[str] | None = None) -> tuple[Library | None, list[Finding]]:
    site = read.one(root / "site.yaml", Site)
    clinic = read.one(root / "clinic.yaml", Clinic)
    sources = read.one(root / "sources.yaml", _SOURCES)
    topics, broken_topics = read.folder(root / "topics", Topic, only=only)
    used = None if only is None else frozenset(b for t in topics.values() for tier in TIERS
                                               for b in getattr(t.value.handouts, tier))
    blocks, broken_blocks = read.folder(root / "blocks", Block, only=used)
    editorial = Editorial(**{name: read.one(root / "editorial" / f"{name}.yaml", shape)
                             for name, shape in _EDITORIAL.items()}) if only is None else Editorial()
    facts = read.facts(root)
    blocks, fact_uses = read.resolve(blocks, facts, root)
    if site is None or clinic is None or sources is None:
        return None, read.findings
    strings = {lang: read.one(language_folder(root, lang) / "strings.yaml", Strings) for lang in site.value.languages}
    if None in strings.values():
        return None, read.findings
    translations = {}
    for lang in site.value.languages:
        if lang != SOURCE_LANGUAGE:
            folder = language_folder(root, lang)
            translated_blocks, _ = read.folder(folder / "blocks", BlockTranslation, optional=True, only=used)
            translated_topics, _ = read.folder(folder / "topics", TopicTranslation, optional=True, only=only)
            required, glossary = folder / "editorial" / "required.yaml", folder / "editorial" / "glossary.yaml"
            translated_facts = read.facts(folder)
            translated_blocks, translated_uses = read.resolve(translated_blocks, translated_facts, folder)
            translations[lang] = Translation(translated_blocks, translated_topics,
                                             read.one(required, _EDITORIAL["required"]) if required.exists() else None,
                                             translated_facts, translated_uses,
                                             read.one(glossary, _GLOSSARY) if glossary.exists() else None)
    clinics, _ = read.folder(root / "clinics", Clinic, optional=True)
    library = Library(root, site, clinic, sources, blocks, topics, strings, frozenset(broken_blocks | broken_topics),
                      editorial=editorial, translations=translations, clinics=clinics, facts=facts,
                      fact_uses=fact_uses)
    return library, read.findings


class _Refused(Exception):
    """A limit met by the whole library: loading stops with this one finding."""

    def __init__(self, finding: Finding):
        self.finding = finding


@dataclass
class _Reader:
    """Reads the files of one content folder, collecting findings."""

    root: Path
    findings: list[Finding]
    memo: Memo | ShardedMemo | None = None
    total: int = 0  # bytes of YAML read so far

    def one(self, path: Path, shape: type | TypeAdapter) -> Entry | None:
        problem = self._refused(path)
        if problem is not None:
            self.findings.append(problem)
            return None
        return self._entry(path, shape, *self._bytes(path))

    def _refused(self, path: Path) -> Finding | None:
        """Why `path` is not read: missing, or reached through a link."""
        if not path.exists() and not path.is_symlink():
            return error(Location(path), f"missing {path.name}; every content folder needs one", "missing-file")
        if not path.resolve().is_relative_to(self.root.resolve()):
            return error(Location(path), "links to a file outside the content folder; copy the file here instead "
                         "of linking to it", "outside-content")
        if linked(self.root, path):
            return error(Location(path), "a link, not a file: links in the content folder are never followed; "
                         "copy the file here instead", "symlink")
        return None

    def _bytes(self, path: Path, regular: bool | None = None) -> tuple[bytes | None, Finding | None]:
        raw, problem = yamldoc.read_bytes(path, regular)
        self.total += len(raw or b"")
        if self.total > MAX_TOTAL_BYTES:
            limit = f"{MAX_TOTAL_BYTES >> 20} MiB" if MAX_TOTAL_BYTES >= 1 << 20 else f"{MAX_TOTAL_BYTES:,} bytes"
            raise _Refused(error(Location(self.root), f"the content folder holds more than {limit} of YAML, more "
                                 "than any library needs (10,000 topics in two languages are about 130 MiB): move "
                                 "what is not content elsewhere, or split the library into several content "
                                 "folders", "too-big"))
        return raw, problem

    def _entry(self, path: Path, shape: type | TypeAdapter, raw: bytes | None, problem: Finding | None,
               stem: str | None = None) -> Entry | None:
        if raw is None:
            self.findings.append(problem)
            return None
        sha = hashlib.sha256(raw).hexdigest()
        if self.memo is None:
            doc, value, found = _understood(path, raw, sha, shape)
        else:
            doc, value, found = self._remembered(path, raw, sha, shape)
        self.findings.extend(found)
        return None if doc is None else Entry(stem or path.stem, value, doc)

    def _remembered(self, path: Path, raw: bytes, sha: str, shape: type | TypeAdapter
                    ) -> tuple[Document | None, Any, tuple[Finding, ...]]:
        """What `_understood` gives, from what the memo kept of these bytes where it kept them."""
        parsed = []

        def parse() -> Kept:
            parsed.append(_understood(path, raw, sha, shape))
            doc, _, found = parsed[0]
            return (None, None, None, found) if doc is None else (doc.data, doc.folded, doc.places, ())

        key = f"{validation.key_name(shape, _TOOLS)} {path} {sha}"  # names every input; a digest would cost more
        data, folded, places, found = self.memo.get(key, parse)
        if parsed or data is None:
            return parsed[0] if parsed else (None, None, found)
        doc = Document(path, data, sha, folded, places)
        value = validation.validate(doc, shape, [])
        # Validation is a function of the data alone; were it ever not, the file is read afresh.
        return (doc, value, ()) if value is not None else _understood(path, raw, sha, shape)

    def facts(self, folder: Path) -> Entry[dict[str, str]] | None:
        """<folder>/facts.yaml, if there is one (a library without facts needs none)."""
        path = folder / fact_refs.FILE
        if not path.exists() and not path.is_symlink():
            return None
        entry = self.one(path, fact_refs.SHAPE)
        if entry is not None:
            self.findings.extend(fact_refs.problems(entry.value, entry.doc))
        return entry

    def resolve(self, entries: dict[str, Entry], facts: Entry | None, folder: Path) -> tuple[dict[str, Entry], dict]:
        """Each block with its [[fact]] references replaced; an unknown one is a finding at its place."""
        path = folder / fact_refs.FILE
        known = facts.value if facts else (None if path.exists() else {})  # a broken file: reported already
        resolved, uses = {}, {}
        for block_id, entry in entries.items():
            written = entry.doc.data["body"]  # as written, so that lines and columns match the file
            if "[[" not in written:  # most bodies: nothing to look for
                resolved[block_id] = entry
                continue
            body, used, unknown = fact_refs.resolve(written, known)
            if unknown:  # a place is looked up only when a finding needs one
                start = entry.doc.at(("body",))
                self.findings.extend(fact_refs.unknown_reference(fact_refs.where(start, written, offset), name,
                                                                 path, known or {}) for offset, name in unknown)
            # A fact is one line, so the resolved body keeps every line where it was written.
            doc = entry.doc
            resolved[block_id] = entry if body == written else Entry(
                entry.id, entry.value.model_copy(update={"body": body.strip()}),
                Document(doc.path, {**doc.data, "body": body}, doc.digest, doc.folded, doc.places))
            if used:
                uses[block_id] = used
        return resolved, uses

    def folder(self, folder: Path, shape: type[BaseModel], optional: bool = False, only: frozenset[str] | None = None
               ) -> tuple[dict[str, Entry], set[str]]:
        """Every file of a folder (only those of the ids in `only`, if given), by id, and the ids that broke."""
        entries: dict[str, Entry] = {}
        broken: set[str] = set()
        if not folder.is_dir():
            if not optional:  # a translation not yet started is reported block by block by check
                self.findings.append(error(Location(folder), f"missing folder {folder.name}/", "missing-file"))
            return entries, broken
        listing = self._listing(folder)
        if only is not None:
            listing = [item for item in listing if item.name.endswith(".yaml") and item.name[:-5] in only]
        # A file in a folder that is itself inside the content folder and reached through no link
        # needs no check of its own unless it is a link: the checks `one` makes, without their cost.
        plain = not linked(self.root, folder) and folder.resolve().is_relative_to(self.root.resolve())
        # Every file is read (and counted against the limit) before any is parsed.
        read: list[tuple[Path, str, Finding | tuple[bytes | None, Finding | None]]] = []
        for item in listing:
            name = item.name
            path = folder / name
            if not name.endswith(".yaml"):  # Path.suffix, for a name that does not start with a dot
                read.append((path, name, error(Location(path), "only .yaml files belong here; rename or move it",
                                               "not-yaml")))
            elif not is_id(name[:-5]):
                read.append((path, name, error(Location(path), f"'{path.stem}' is not a plain id: name the file "
                                               "with lowercase letters, digits and hyphens", "bad-id")))
            elif plain and not item.is_symlink():
                read.append((path, name, self._bytes(path, item.is_file())))
            else:
                read.append((path, name, self._refused(path) or self._bytes(path)))
        for path, name, got in read:
            stem = name[:-5]
            if isinstance(got, Finding):
                self.findings.append(got)
                if got.code not in ("not-yaml", "bad-id"):
                    broken.add(stem)
                continue
            entry = self._entry(path, shape, *got, stem=stem)
            if entry is None:
                broken.add(stem)
            else:
                entries[stem] = entry
        return entries, broken

    def _listing(self, folder: Path) -> list[os.DirEntry]:
        """The folder's entries by name, dot files aside; a folder of more than MAX_FILES stops the load."""
        listing = []
        try:
            with os.scandir(folder) as found:
                for item in found:
                    if not item.name.startswith("."):
                        listing.append(item)
                        if len(listing) > MAX_FILES:  # stop listing: the count alone says enough
                            raise _Refused(error(Location(folder), f"more than {MAX_FILES:,} files in one folder, "
                                                 "more than any library needs (a 10,000-topic library has about "
                                                 "120,000): move what is not content elsewhere, or split the "
                                                 "library into several content folders", "too-many"))
        except OSError as exc:
            self.findings.append(error(Location(folder), f"cannot read the folder ({exc.strerror}); check its "
                                       "permissions", "unreadable"))
        return sorted(listing, key=lambda item: item.name)


def _understood(path: Path, raw: bytes, sha: str, shape: type | TypeAdapter
                ) -> tuple[Document | None, Any, tuple[Finding, ...]]:
    """What one file's bytes give: its document and validated value (None if either failed) and
    its findings. A pure function of its arguments: what the memo keeps."""
    doc, problems = yamldoc.parse(path, raw, sha)
    if doc is None:
        return None, None, tuple(problems)
    found = list(problems)
    value = validation.validate(doc, shape, found)  # even after a bad value: report every problem at once
    return (None, None, tuple(found)) if value is None or problems else (doc, value, tuple(found))
