"""The press: renders and prints jobs, here or in warm worker processes.

Workers start with forkserver (spawn where there is none), never plain fork: a
process forked after WeasyPrint loaded would share its font configuration. Each
worker imports WeasyPrint once and then prints job after job; a watch session
keeps its press, so an edit reaches the PDF without paying for start-up again.

Workers keep their temporary files (WeasyPrint's font copies) in a folder the press
owns and removes when it closes, so none outlives a build, even when a worker is
killed in the middle of a job.
"""

from __future__ import annotations

import multiprocessing
import shutil
import signal
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from typing import Iterator

from jinja2 import TemplateError

from ..plan.jobs import Job, Packet
from ..project import Project
from .render import prepare
from .sheets import AssetFolders, Sheet


APT_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0"


class PrintingUnavailable(Exception):
    """WeasyPrint or a system library under it is missing: nothing can be printed here."""


class Press:
    """Prints jobs. `apart`: in worker processes even with one worker, so the caller's
    process stays free (a server answering pages while it prints)."""

    def __init__(self, project: Project, workers: int = 1, apart: bool = False):
        self.project = project
        self.workers = max(1, workers)
        self.apart = apart
        self._pool: ProcessPoolExecutor | None = None
        self._scratch: str | None = None  # the workers' temporary folder

    def make(self, jobs: list[Job | Packet], now: bool = False) -> Iterator[Made]:
        """What each job made, in order. `now`: in the workers, starting at once, even one job (the
        caller has other work to do meanwhile)."""
        if not (now or self.apart) and (self.workers == 1 or (len(jobs) == 1 and self._pool is None)):
            return (make_one(job, self.project) for job in jobs)
        return self._workers().map(make_one, jobs, repeat(self.project))

    def notes(self) -> list[str]:
        """What the user should know about this machine's printing, once per build.

        Raises PrintingUnavailable when WeasyPrint or the libraries under it cannot load.
        """
        try:
            from . import pdf
        except (OSError, ImportError) as exc:
            raise PrintingUnavailable(f"cannot load WeasyPrint ({str(exc).splitlines()[0]}); install the "
                                      f"system libraries it needs: sudo apt-get install {APT_PACKAGES}") from None
        return [pdf.SUBSET_ADVICE] if pdf.harfbuzz_subset_missing() else []

    def warm(self) -> None:
        """Start the workers now rather than at the first job (watch mode)."""
        if self.workers > 1 or self.apart:
            list(self._workers().map(_ready, range(self.workers)))
        else:
            import weasyprint  # noqa: F401  (here, in this process)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def __enter__(self) -> Press:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            self._scratch = tempfile.mkdtemp(prefix="handouts-press-")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context(method),
                                             initializer=_start, initargs=(self._scratch,))
        return self._pool


def press_for(project: Project, workers: int = 1, cluster: str | None = None):
    """A press with that many local workers or, given a scheduler's address, one that prints on
    that Dask cluster (press/cluster.py): the same interface either way."""
    if not cluster:
        return Press(project, workers)
    try:
        from .cluster import ClusterPress
    except ImportError as exc:
        raise PrintingUnavailable(f"printing on a cluster needs dask and distributed ({exc}); install the "
                                  "pinned versions: pip install -r requirements.txt") from None
    return ClusterPress(project, cluster)


@dataclass(frozen=True)
class Made:
    """What a job made: its web page and its PDF (a Printed), or the error that stopped it.
    A packet also hands back each of its tiers, (web page, Printed), from the same layout."""

    html: str
    result: object
    parts: tuple[tuple[str, object], ...] = ()


def make_one(job: Job | Packet, project: Project) -> Made:
    """Render and print one job."""
    prepared = prepare_one(job, project)
    if isinstance(prepared, Made):
        return prepared
    html, sheet = prepared
    return made(html, sheet, print_sheet(sheet, AssetFolders(project.assets())))


def prepare_one(job: Job | Packet, project: Project) -> tuple[str, Sheet] | Made:
    """A job's web page and sheet, or (as a Made) why its templates could not render it."""
    try:
        return prepare(job, project.templates)
    except TemplateError as exc:  # a broken template (templates/ is the clinic's to adapt too)
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
        return Made("", f"template error: {where}{exc.message or exc}")


def print_sheet(sheet: Sheet, assets) -> object:
    """A sheet's Printed, or the message of the PrintError that stopped it."""
    from .pdf import PrintError, print_pdf  # WeasyPrint loads here, only when printing

    try:
        return print_pdf(sheet, assets)
    except PrintError as exc:
        return str(exc)


def made(html: str, sheet: Sheet, printed: object) -> Made:
    """What a job made, from its web page, its sheet and what printing the sheet gave."""
    if isinstance(printed, str):
        return Made("", printed)
    return Made(html, printed, tuple(zip(sheet.pages, printed.parts)))


def _start(scratch: str) -> None:
    """A worker's start: its temporary files go to the press's folder, then WeasyPrint loads.

    Workers leave Ctrl-C to the command, which stops them itself: a terminal sends it
    to every process, and a worker's traceback is nothing a user should read.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tempfile.tempdir = scratch  # this process is the press's: nothing else of it uses /tmp
    _ready(0)


def _ready(_: int) -> None:
    """Import WeasyPrint (and so Pango and fontconfig) before the first job arrives."""
    import weasyprint  # noqa: F401
