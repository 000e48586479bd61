"""The engine: runs the stages in order for the command line.

load -> check -> plan -> (only changed jobs) render + print -> publish.
WeasyPrint is imported only when something must be printed, so a build with
nothing to do costs no more than reading and hashing the inputs.
"""

from __future__ import annotations

import fcntl
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import editorial
from .check import check
from .findings import Finding, error, has_errors
from .load import Library, load
from .plan import Job, plan
from .press import Press
from .project import Project
from .publish import Output, entry_for, publish, read_manifest

Progress = Callable[[Iterable, list[Job]], Iterator]


@dataclass(frozen=True)
class BuildOptions:
    only: str | None = None
    lang: str | None = None
    jobs: int = 1
    force: bool = False


@dataclass(frozen=True)
class BuildReport:
    findings: tuple[Finding, ...] = ()
    printed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


class BuildLocked(Exception):
    """Another build is writing to the same output folder."""


def examine(project: Project, strict: bool = False) -> tuple[Library | None, list[Finding]]:
    """Load and check the content: the library (if it loaded) and every finding."""
    library, findings = load(project.content)
    if library is not None:
        findings += check(library)
    findings = sorted(set(findings))
    return library, [f.strict() for f in findings] if strict else findings


def jobs_for(project: Project, options: BuildOptions = BuildOptions()) -> tuple[list[Job], list[Finding]]:
    """The jobs a build would run, or the findings that stop it."""
    library, findings = examine(project)
    if library is None or has_errors(findings):
        return [], findings
    return plan(library, project, options.only, options.lang), findings


def build(project: Project, options: BuildOptions = BuildOptions(), press: Press | None = None,
          progress: Progress = lambda results, jobs: iter(results)) -> BuildReport:
    """Print what changed and publish it; publish nothing if anything is wrong.

    Pass a `press` to keep its warm workers between builds (watch mode).
    """
    library, findings = examine(project)
    if library is None or has_errors(findings):
        return BuildReport(tuple(findings))
    jobs = plan(library, project, options.only, options.lang)
    if options.only and not jobs:
        return BuildReport((error(project.content / "topics", f"no topic or handout '{options.only}'; "
                                  "see `python build.py list`", "no-such-handout"),))
    with _lock(project.out):
        published = read_manifest(project.out)
        todo = [j for j in jobs if options.force or not _up_to_date(j, published.get(j.pdf), project.out)]
        planned = {j.pdf for j in jobs}
        kept = [published[j.pdf] for j in jobs if j not in todo]
        partial = bool(options.only or options.lang)
        stale = [e for pdf, e in published.items() if pdf not in planned]
        # A partial build keeps what it did not plan; a full one removes what no longer exists.
        kept, removed = (kept + stale, []) if partial else (kept, stale)
        notes: list[str] = []
        if todo:
            own = press is None
            press = press or Press(project, options.jobs)
            try:
                notes = press.notes()
                outputs, problems = _collect(progress(press.make(todo), todo), todo, library)
            finally:
                if own:
                    press.close()
            findings += problems
        else:
            outputs = []
        if has_errors(findings):
            return BuildReport(tuple(findings), notes=tuple(notes))
        if outputs or removed or not (project.out / "manifest.json").exists():
            publish(project.out, outputs, kept, removed, project.assets())
    return BuildReport(tuple(findings), tuple(j.pdf for j in todo), tuple(e["pdf"] for e in kept),
                       tuple(e["pdf"] for e in removed), tuple(notes))


def _up_to_date(job: Job, entry: dict | None, out: Path) -> bool:
    if not entry or entry.get("fingerprint") != job.fingerprint:
        return False
    pdf, html = out / job.pdf, out / job.html
    return pdf.is_file() and pdf.stat().st_size == entry.get("bytes") and html.is_file()


def _collect(results: Iterable, jobs: list[Job], library: Library) -> tuple[list[Output], list[Finding]]:
    outputs, findings = [], []
    for job, (html, printed) in zip(jobs, results):
        where = library.topics[job.handout.topic].doc.at(("handouts", job.handout.tier))
        if isinstance(printed, str):
            findings.append(error(where, f"{job.pdf} could not be printed: {printed}", "print-failed"))
            continue
        if job.max_pages and printed.pages > job.max_pages:
            findings.append(error(where, f"{job.pdf} runs to {printed.pages} pages; the limit for this tier is "
                                  f"{job.max_pages} (site.yaml): shorten its blocks", "too-long"))
        h = job.handout
        entry = entry_for(printed.pdf, topic=h.topic, tier=h.tier, lang=h.lang, variant=job.variant,
                          page_size=job.page_size, pdf=job.pdf, html=job.html, pages=printed.pages,
                          **editorial.figures(library, h.topic, h.tier, h.lang), status=h.review.status,
                          title=h.full_title, inputs=list(job.inputs), fingerprint=job.fingerprint)
        outputs.append(Output(printed.pdf, html, entry))
    return outputs, findings


class _lock:
    """One build at a time per output folder; a second one is told, not blocked."""

    def __init__(self, out: Path):
        self.out = out

    def __enter__(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.file = open(self.out / ".build.lock", "a")  # "a": opening must not touch it
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise BuildLocked(f"another build is writing to {self.out}; wait for it to finish") from None

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()
