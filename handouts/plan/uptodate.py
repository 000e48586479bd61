"""Up to date: a build with nothing to do, found before anything heavy is imported.

The manifest of a complete build records one digest of every file that build read
(content, templates, styles) and every version that can change a PDF. While that
digest holds and every published file is in place, there is nothing to load, check,
plan or print: the command answers in the time it takes to hash the inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..memo import Memo, folder_for, key
from ..project import Project
from .versions import versions

MANIFEST = "manifest.json"
# A file's stat as a signature: when, how big, which inode, when its status last changed. Only ever
# used to see that something changed, never to decide that nothing did.
Stat = tuple[int, int, int, int]


@dataclass(frozen=True)
class Record:
    """What the last complete build into an output folder read and published (kept as a memo)."""

    stats: Mapping[str, Stat]              # each input file (path as read_inputs names it): its stat
    topics: Mapping[str, tuple[str, ...]]  # topic id -> the content files its handouts read
    published: Mapping[str, str]           # PDF (relative to the output folder) -> its fingerprint

    def changed(self, now: Mapping[str, Stat]) -> set[str]:
        """The files whose stat is not what the build saw: edited, added or gone."""
        return {path for path in now.keys() | self.stats.keys() if now.get(path) != self.stats.get(path)}


@dataclass(frozen=True)
class Since:
    """What changed since the last complete build into an output folder, by the files' stats."""

    record: Record
    changed: frozenset[str]


def since_last_build(project: Project, clinic: str | None) -> Since | None:
    """The files changed since the last complete build of `clinic` into project.out (None: no record)."""
    record = read_record(project, clinic)
    return None if record is None else Since(record, frozenset(record.changed(stats(project.content, project.root))))


def record_memo(project: Project, clinic: str | None) -> Memo | None:
    """Where the record of builds of `clinic` into project.out is kept; None when memos are off."""
    folder = folder_for(project.content)
    name = key(os.path.abspath(project.out), os.path.abspath(project.root), clinic or "")[:16]
    return None if folder is None else Memo(folder, "record-" + name)


def remember(project: Project, clinic: str | None, read: Mapping[str, Stat],
             inputs: Iterable[tuple[str, Iterable[str]]], published: Mapping[str, str]) -> None:
    """Keep the record of a complete build (a memo: safe to delete): the stats it `read`, the
    `inputs` of each job by topic (paths relative to the project, as a manifest gives them) and
    the fingerprint of each PDF `published`."""
    memo = record_memo(project, clinic)
    if memo is None:
        return
    root = os.path.realpath(project.root)  # inputs are relative to it; read's paths are real
    topics: dict[str, set[str]] = {}
    for topic, names in inputs:
        topics.setdefault(topic, set()).update(os.path.normpath(os.path.join(root, name)) for name in names)
    memo.put(RECORD, Record(dict(read), {topic: tuple(sorted(files)) for topic, files in topics.items()},
                            dict(published)))
    memo.save()


def read_record(project: Project, clinic: str | None) -> Record | None:
    memo = record_memo(project, clinic)
    found = memo.get(RECORD, lambda: None) if memo is not None and RECORD in memo else None
    return found if isinstance(found, Record) else None


RECORD = "record"


def inputs_digest(content: Path, root: Path, clinic: str | None = None) -> str:
    """One digest of every input a complete build reads, and of the versions behind it."""
    return read_inputs(content, root, clinic)[0]


def read_inputs(content: Path, root: Path, clinic: str | None = None) -> tuple[str, dict[str, Stat]]:
    """inputs_digest, and the stat of each file as it was read (by its path)."""
    digest = hashlib.sha256(f"{versions()}|clinic={clinic}".encode())
    stats = {}
    for folder in (content, root / "templates", root / "styles"):
        real = os.path.realpath(folder)
        for relative in _files(folder):
            path = os.path.join(real, relative)
            with open(path, "rb") as file:
                stats[path] = signature(os.fstat(file.fileno()))
                data = file.read()
            digest.update(f"{folder.name}/{relative}".encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest(), stats


def signature(stat: os.stat_result) -> Stat:
    return stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns


def stats(content: Path, root: Path) -> dict[str, Stat]:
    """The stat of every input file, by its path (as read_inputs names it): a quick look, no reading."""
    found: dict[str, Stat] = {}
    for folder in (content, root / "templates", root / "styles"):
        for _, entry in _walk(os.path.realpath(folder)):
            try:
                found[entry.path] = signature(entry.stat())
            except OSError:  # gone since it was listed: a change all the same
                continue
    return found


def _files(folder: Path) -> list[str]:
    """Every file under `folder`, relative to it, in the order rglob would sort them."""
    return sorted((relative for relative, _ in _walk(str(folder))), key=lambda relative: relative.split(os.sep))


def _walk(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """Every file under `folder` (hidden ones and those in hidden folders aside; a link to a folder is
    not followed), with its path relative to `folder`: one listing a folder, a library of thousands
    of files is looked at on every build."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, prefix + entry.name + os.sep)
        elif entry.is_file():
            yield prefix + entry.name, entry


def published(out: Path, digest: str) -> list[dict] | None:
    """The manifest's entries of the handouts published, if they are current and nothing needs building;
    else None."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("inputs_digest") != digest or not (out / "infobutton.json").is_file():
            return None
        entries = manifest["handouts"]
        for entry in entries:
            pdf = out / entry["pdf"]
            if not (pdf.is_file() and pdf.stat().st_size == entry["bytes"] and (out / entry["html"]).is_file()):
                return None
        return entries
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
