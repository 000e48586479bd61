"""Load: the content folder into a Library of typed values that remember their lines."""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Mapping, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import facts as fact_refs, slips, yamldoc
from ..findings import Finding, Location, error
from .model import (Block, BlockTranslation, Clinic, Forbidden, GlossaryTerm, Id, Jargon, Requirement, Site, Source,
                    Strings, Text, Topic, TopicTranslation, is_id)
from .yamldoc import Document
from ..project import linked

T = TypeVar("T")
MAX_FILES = 2_000


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


def load(root: Path) -> tuple[Library | None, list[Finding]]:
    """Read every content file; return the library and what was wrong with it."""
    if not root.is_dir():
        return None, [error(Location(root), "the content folder does not exist; pass --content DIR", "no-content")]
    read = _Reader(root, [])
    site = read.one(root / "site.yaml", Site)
    clinic = read.one(root / "clinic.yaml", Clinic)
    sources = read.one(root / "sources.yaml", _SOURCES)
    blocks, broken_blocks = read.folder(root / "blocks", Block)
    topics, broken_topics = read.folder(root / "topics", Topic)
    editorial = Editorial(**{name: read.one(root / "editorial" / f"{name}.yaml", shape)
                             for name, shape in _EDITORIAL.items()})
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
            translated_blocks, _ = read.folder(folder / "blocks", BlockTranslation, optional=True)
            translated_topics, _ = read.folder(folder / "topics", TopicTranslation, optional=True)
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


@dataclass
class _Reader:
    """Reads the files of one content folder, collecting findings."""

    root: Path
    findings: list[Finding]

    def one(self, path: Path, shape: type | TypeAdapter) -> Entry | None:
        if not path.exists() and not path.is_symlink():
            self.findings.append(error(Location(path), f"missing {path.name}; every content folder needs one",
                                       "missing-file"))
            return None
        if not path.resolve().is_relative_to(self.root.resolve()):
            self.findings.append(error(Location(path), "links to a file outside the content folder; copy the "
                                       "file here instead of linking to it", "outside-content"))
            return None
        if linked(self.root, path):
            self.findings.append(error(Location(path), "a link, not a file: links in the content folder are never "
                                       "followed; copy the file here instead", "symlink"))
            return None
        doc, problems = yamldoc.read(path)
        self.findings.extend(problems)
        if doc is None:
            return None
        value = _validate(doc, shape, self.findings)  # even after a bad value: report every problem at once
        return None if value is None or problems else Entry(path.stem, value, doc)

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
            body, used, unknown = fact_refs.resolve(written, known)
            start = entry.doc.at(("body",))
            self.findings.extend(fact_refs.unknown_reference(fact_refs.where(start, written, offset), name,
                                                             path, known or {}) for offset, name in unknown)
            # A fact is one line, so the resolved body keeps every line where it was written.
            resolved[block_id] = entry if body == written else Entry(
                entry.id, entry.value.model_copy(update={"body": body.strip()}),
                dataclasses.replace(entry.doc, data={**entry.doc.data, "body": body}))
            if used:
                uses[block_id] = used
        return resolved, uses

    def folder(self, folder: Path, shape: type[BaseModel], optional: bool = False) -> tuple[dict[str, Entry], set[str]]:
        entries: dict[str, Entry] = {}
        broken: set[str] = set()
        if not folder.is_dir():
            if not optional:  # a translation not yet started is reported block by block by check
                self.findings.append(error(Location(folder), f"missing folder {folder.name}/", "missing-file"))
            return entries, broken
        paths = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        if len(paths) > MAX_FILES:
            self.findings.append(error(Location(folder), f"{len(paths)} files; the limit is {MAX_FILES}: "
                                       "split the library", "too-many"))
            return entries, broken
        for path in paths:
            if path.suffix != ".yaml":
                self.findings.append(error(Location(path), "only .yaml files belong here; rename or move it",
                                           "not-yaml"))
                continue
            if not is_id(path.stem):
                self.findings.append(error(Location(path), f"'{path.stem}' is not a plain id: name the file with "
                                           "lowercase letters, digits and hyphens", "bad-id"))
                continue
            entry = self.one(path, shape)
            if entry is None:
                broken.add(path.stem)
            else:
                entries[path.stem] = entry
        return entries, broken


def _validate(doc: Document, shape: type | TypeAdapter, findings: list[Finding]) -> Any | None:
    adapter = shape if isinstance(shape, TypeAdapter) else TypeAdapter(shape)
    try:
        return adapter.validate_python(doc.data)
    except ValidationError as exc:
        # A list too short only because its items failed is an echo of their findings.
        found = [_finding(doc, adapter, problem) for problem in exc.errors(include_url=False)
                 if not (problem["type"] == "too_short" and problem.get("input"))]
        # A misspelt key is one slip: "did you mean 'overview'?" says it; "missing 'overview'" is its echo.
        meant = {(f.location.path, m.group(1)) for f in found if (m := re.search(r"did you mean '([^']+)'", f.message))}
        findings.extend(f for f in found if not (f.code == "missing-key" and (f.location.path, f.message.split("'")[1])
                                                 in meant))
        return None


def _finding(doc: Document, adapter: TypeAdapter, problem: dict) -> Finding:
    loc = _data_path(doc.data, problem["loc"])
    name = ".".join(str(k) for k in loc) or "this file"
    if not loc and problem["type"] in ("missing", "extra_forbidden"):
        return error(doc.at(), problem["msg"], "bad-value")
    kind, value = problem["type"], problem.get("input")
    if not loc and isinstance(value, str):
        return error(doc.at(), slips.plain_text_file(_shape_name(adapter)), "plain-text")
    if kind == "string_type" and loc and loc[-1] == "body" and isinstance(value, (list, dict)):
        return error(doc.key_at(loc), slips.body_without_pipe(), "no-pipe")
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "digest":
        return error(doc.at(loc), f"{name}: '{value}' is not a digest; let `python build.py approve` write it "
                     "(16 letters and digits)", "bad-value")
    if kind == "string_pattern_mismatch" and slips.run_together(value):
        return error(doc.at(loc), f"{name}: '{value}' reads as one item: the '- ' on the line after it is indented "
                     "further than the item above; start every item of the list at the same column", "indentation")
    if kind == "missing":
        return error(doc.at(loc[:-1]), f"missing required key '{loc[-1]}'", "missing-key")
    if kind == "extra_forbidden":
        allowed = _keys_at(adapter, loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        advice = f"did you mean '{hint[0]}'?" if hint else f"allowed keys: {', '.join(allowed)}"
        return error(doc.key_at(loc), f"unknown key '{loc[-1]}'; {advice}", "unknown-key")
    if kind == "string_pattern_mismatch":
        where = doc.key_at(loc) if "[key]" in problem["loc"] else doc.at(loc)
        return error(where, f"{name}: '{value}' is not a plain id; use lowercase letters, digits and hyphens "
                     "(an id is never a path)", "bad-id")
    if kind == "literal_error":
        expected = problem["ctx"]["expected"]
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        hint = difflib.get_close_matches(str(value), choices, n=1)
        advice = f"did you mean '{hint[0]}'?" if hint else f"use one of: {', '.join(choices)}"
        return error(doc.at(loc), f"{name}: '{value}' is not allowed; {advice}", "bad-value")
    if kind in ("string_too_short", "too_short") and not value:
        return error(doc.at(loc), f"{name} is empty; write it", "empty-value")
    if kind == "value_error":
        return error(doc.at(loc), f"{name}: {problem['msg'].removeprefix('Value error, ')}", "bad-value")
    return error(doc.at(loc), f"{name}: {_plain_type_message(problem, value)}", "wrong-type")


def _data_path(data: Any, loc: tuple) -> tuple:
    """The keys of pydantic's `loc` that are really in the document: its own markers
    ("[key]", "function-after[...]") are dropped, whatever an editor named a key."""
    path, node = [], data
    for key in loc:
        if isinstance(node, dict) and key in node:
            path.append(key)
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            path.append(key)
            node = node[key]
        elif key not in ("[key]",) and not (isinstance(key, str) and key.startswith("function-")):
            path.append(key)  # a missing key: where it should have been
            node = None
    return tuple(path)


def _plain_type_message(problem: dict, value: Any) -> str:
    expected = {
        "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
        "float_type": "a number", "float_parsing": "a number", "tuple_type": "a list",
        "list_type": "a list", "dict_type": "a mapping of keys to values", "model_type": "a mapping of keys to values",
        "date_type": "a date (YYYY-MM-DD)", "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
        "date_parsing": "a date (YYYY-MM-DD)",
    }.get(problem["type"])
    if expected is None:
        return problem["msg"]
    scalar = value is not None and not isinstance(value, (list, tuple, dict))
    hint = " (put text in quotes if it looks like a number, date or yes/no)" if expected == "text" and scalar else ""
    return f"expected {expected}, got {_describe(value)}{hint}"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{str(value)[:40]}'"


def _keys_at(adapter: TypeAdapter, loc: tuple) -> list[str]:
    """The keys a model allows at `loc`, for "did you mean" hints."""
    shape = _unwrap(adapter._type)
    for key in loc:
        if _is_model(shape):
            field = shape.model_fields.get(key)
            shape = _unwrap(field.annotation) if field else None
        else:  # a dict's value or a tuple's item
            args = typing.get_args(shape)
            shape = _unwrap(args[-1]) if args else None
    return list(shape.model_fields) if _is_model(shape) else []


def _unwrap(shape: Any) -> Any:
    """X from Annotated[X, ...] and from X | None."""
    if typing.get_origin(shape) is typing.Annotated:
        return _unwrap(typing.get_args(shape)[0])
    args = [a for a in typing.get_args(shape) if a is not type(None)]
    if type(None) in typing.get_args(shape) and len(args) == 1:
        return _unwrap(args[0])
    return shape


def _is_model(shape: Any) -> bool:
    return isinstance(shape, type) and issubclass(shape, BaseModel)


def _shape_name(adapter: TypeAdapter) -> str:
    shape = _unwrap(adapter._type)
    return shape.__name__ if _is_model(shape) else ""
