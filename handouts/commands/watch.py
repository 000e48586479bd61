"""Watch: rebuild the affected handouts after every save, until interrupted.

watchfiles (Rust notify underneath) reports changes; each batch runs an ordinary
incremental build on a press whose workers stay warm. An invalid edit reports
its findings and publishes nothing, so the last good PDFs stay in place.
"""

from __future__ import annotations

from typing import Callable

import watchfiles

from ..engine import BuildOptions, BuildReport, Progress, build
from ..press.workers import Press
from ..project import Project


def watch(project: Project, options: BuildOptions, on_report: Callable[[BuildReport], None],
          progress: Progress, stop=None) -> None:
    """Build once, then again after each change to content, templates or styles."""
    folders = [p for p in (project.content, project.templates, project.styles) if p.is_dir()]
    with Press(project, options.jobs) as press:
        press.warm()
        on_report(build(project, options, press, progress))
        for _changes in watchfiles.watch(*folders, debounce=60, step=20, stop_event=stop,
                                         watch_filter=_worth_a_build):
            on_report(build(project, options, press, progress))


def _worth_a_build(change: watchfiles.Change, path: str) -> bool:
    """Editors' swap and backup files are not content."""
    name = path.rsplit("/", 1)[-1]
    return not (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".tmp")))
