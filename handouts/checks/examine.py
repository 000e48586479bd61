"""Examine: a content folder loaded and checked, what each file and unit gave kept for the next run.

Only what loading and checking need is imported here: `check` runs this and nothing of
planning, printing or publishing.
"""

from __future__ import annotations

import gc
from typing import Callable

from ..content.load import Library, load
from ..findings import Finding, has_errors
from ..memo import Memo, ShardedMemo, folder_for
from ..project import Project
from . import editorial, fanout
from .library import later, structure, structure_tasks
from .units import Units


def examine(project: Project, strict: bool = False, loaded: Callable[[Library, list[Finding]], None] | None = None,
            memo: Memo | ShardedMemo | None = None) -> tuple[Library | None, list[Finding]]:
    """Load and check the content: the library (if it loaded) and every finding.

    `loaded` is called with a library whose structure checked clean (it can be planned
    and rendered) before the slower editorial checks run. What each block and handout gave
    is kept in `memo` (by default the content folder's own, handouts/memo.py) for the next run."""
    library, findings, _ = examined(project, strict, loaded, memo)
    return library, findings


def examined(project: Project, strict: bool = False, loaded: Callable[[Library, list[Finding]], None] | None = None,
             memo: Memo | ShardedMemo | None = None) -> tuple[Library | None, list[Finding], Units | None]:
    """What examine() gives, and the units its checks were keyed by (the check's report reads
    each handout's figures through them), None if the library did not load."""
    memo = memo if memo is not None else checks_memo(project)
    collecting = gc.isenabled()
    gc.disable()  # the memos and the library last the whole run: frozen before any collection scans them
    parsed = ShardedMemo(folder_for(project.content), "load")  # each file as read in earlier runs, by its bytes
    library, findings = load(project.content, parsed)
    gc.freeze()
    if collecting:
        gc.enable()
    parsed.save()
    units = None
    if library is not None:
        units = Units(library, memo, fonts=project.styles / "fonts", icons=project.templates / "icons")
        # Much to check (a cold check): one fan-out for every unit, each topic's in one process, not one
        # a phase; after an edit, the few units to check again are checked where they come.
        if fanout.sharing() and units.unchecked() >= fanout.FROM:
            units.prefill(structure_tasks(library, units.fonts, units) + editorial.unit_tasks(library, units)
                          + editorial.handout_tasks(library, units))
        findings += structure(library, units.fonts, units.icons, units)
        if loaded is not None and not has_errors(findings):
            loaded(library, findings)
        findings += later(library, units=units)
        memo.save()
    gc.unfreeze()
    findings = sorted(set(findings))
    return library, [f.strict() for f in findings] if strict else findings, units


def checks_memo(project: Project) -> ShardedMemo:
    """The memo of the content folder's checks (kept between runs; safe to delete)."""
    return ShardedMemo(folder_for(project.content), "checks")
