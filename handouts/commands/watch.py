"""Watch: rebuild the affected handouts after every save, until interrupted.

watchfiles (Rust notify underneath) reports changes. `follow` is the loop every
live front-end shares (this command and `serve`): it prepares the content once,
then again after each batch of saves, and hands each result on. `watch` prints it
at once on a press whose workers stay warm. An invalid edit reports its findings
and publishes nothing, so the last good PDFs stay in place.
"""

from __future__ import annotations

from typing import Callable

import watchfiles

from ..engine import BuildOptions, BuildReport, Checked, Progress, build, prepare
from ..press.workers import Press
from ..project import Project


def watch(project: Project, options: BuildOptions, on_report: Callable[[BuildReport], None],
          progress: Progress, stop=None) -> None:
    """Build once, then again after each change to content, templates or styles."""
    with Press(project, options.jobs) as press:
        press.warm()
        follow(project, options, lambda checked: on_report(build(project, options, press, progress, checked)),
               stop)


def follow(project: Project, options: BuildOptions, on_checked: Callable[[Checked], None], stop=None,
           early: Callable[[Checked], None] | None = None) -> None:
    """Prepare the content now, then after every batch of saves, until `stop` is set.
    `early` sees each plan before the editorial checks (see `engine.prepare`)."""
    folders = [p for p in (project.content, project.templates, project.styles) if p.is_dir()]
    on_checked(prepare(project, options, early=early))
    for _changes in watchfiles.watch(*folders, debounce=60, step=20, stop_event=stop, watch_filter=_worth_a_build):
        on_checked(prepare(project, options, early=early))


def _worth_a_build(change: watchfiles.Change, path: str) -> bool:
    """Editors' swap and backup files are not content."""
    name = path.rsplit("/", 1)[-1]
    return not (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")))
