"""Ahead: what an edit changed, guessed from the last complete build, so printing starts at once.

A complete build leaves a record (plan/uptodate.py): the stat of every input file as it read
it, the content files each topic's handouts are made from, and the fingerprint of every PDF
it published. The next build compares the files' stats with it: the few topics whose files
changed are loaded alone and planned, and those of their jobs whose fingerprint is not what
was published start printing while the whole library is read, checked and planned.

Only a guess, never trusted: the build keeps a print made ahead only for a job equal in every
field to the one its full plan made, and publishes nothing unless the whole library checked
clean. A wrong guess costs time, never a wrong handout.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..content.load import Library, load
from ..content.model import TIERS
from ..findings import has_errors
from ..project import Project
from .jobs import Job, Packet, Selection, plan
from .uptodate import Record, Since, since_last_build

# More topics changed than this (a shared file: site, strings, sources): planning them alone
# would cost about what the whole plan does, so nothing is guessed.
MOST_TOPICS = 64


def guess(project: Project, selection: Selection, since: Since | None = None) -> list[Job | Packet]:
    """The jobs the edits `since` the last complete build (found now if not given) most likely
    changed, planned from the topics they touched alone; [] when there is no record, nothing
    changed, or too much did."""
    since = since or since_last_build(project, selection.clinic)
    if since is None:
        return []
    record = since.record
    topics = _touched(record, since.changed, project.content)
    if not topics or len(topics) > MOST_TOPICS:
        return []
    library, findings = load(project.content, topics=frozenset(topics))
    if library is None or has_errors(findings) or not _plannable(library):
        return []  # the whole build will say what is wrong
    return [job for job in plan(library, project, selection) if record.published.get(job.pdf) != job.fingerprint]


def _plannable(library: Library) -> bool:
    """Whether every block the topics print, and every source those blocks cite, loaded: what a plan
    reads (the whole build's checks report a name that leads nowhere before it plans)."""
    blocks, sources = library.blocks, library.sources.value
    return all(block in blocks and all(source in sources for source in blocks[block].value.sources)
               for topic in library.topics.values() for tier in TIERS
               for block in getattr(topic.value.handouts, tier))


def _touched(record: Record, changed: frozenset[str], content: Path) -> set[str]:
    """The topics that read a changed file, and those whose own file is new (or gone)."""
    readers: dict[str, list[str]] = {}
    for topic, files in record.topics.items():
        for name in files:
            readers.setdefault(name, []).append(topic)
    root, touched = os.path.realpath(content), set()
    for path in changed:
        touched.update(readers.get(path, ()))
        folder, name = os.path.split(path)
        parent = os.path.dirname(folder)
        if os.path.basename(folder) == "topics" and name.endswith(".yaml") and root in (parent, os.path.dirname(parent)):
            touched.add(name[:-5])  # content/topics/<id>.yaml or content/<lang>/topics/<id>.yaml
    return touched
