"""The engine: runs the stages in order for the command line.

load -> check -> plan -> (only changed jobs) render + print -> publish.
WeasyPrint is imported only when something must be printed, so a build with
nothing to do costs no more than reading and hashing the inputs.
"""

from __future__ import annotations

import fcntl
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterator

from .check import check
from .findings import Finding, error, has_errors
from .load import Library, load
from .markup import plain_text
from .plan import Job, plan
from .project import Project
from .publish import Output, entry_for, publish, read_manifest
from .readability import count
from .render import render


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
    notes: tuple[str, ...] = field(default=())

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


def build(project: Project, options: BuildOptions = BuildOptions(),
          progress: Callable[[Iterator, int], Iterator] = lambda items, total: items) -> BuildReport:
    """Print what changed and publish it; publish nothing if anything is wrong."""
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
        wanted = {j.pdf for j in jobs}
        kept = [published[j.pdf] for j in jobs if j not in todo]
        removed = [] if options.only or options.lang else [e for p, e in published.items() if p not in wanted]
        if options.only or options.lang:  # a partial build keeps everything else it did not plan
            kept += [e for p, e in published.items() if p not in wanted]
        outputs, problems, notes = _make(todo, project, options.jobs, library, progress)
        findings += problems
        if has_errors(findings):
            return BuildReport(tuple(findings), notes=tuple(notes))
        if outputs or removed or not (project.out / "manifest.json").exists():
            publish(project.out, outputs, kept, removed)
    return BuildReport(tuple(findings), tuple(j.pdf for j in todo), tuple(e["pdf"] for e in kept),
                       tuple(e["pdf"] for e in removed), tuple(notes))


def _up_to_date(job: Job, entry: dict | None, out: Path) -> bool:
    if not entry or entry.get("fingerprint") != job.fingerprint:
        return False
    pdf, html = out / job.pdf, out / job.html
    return pdf.is_file() and pdf.stat().st_size == entry.get("bytes") and html.is_file()


def _make(jobs: list[Job], project: Project, workers: int, library: Library,
          progress: Callable) -> tuple[list[Output], list[Finding], list[str]]:
    if not jobs:
        return [], [], []
    from . import printing  # WeasyPrint loads here, and only when there is printing to do

    notes = [printing.SUBSET_ADVICE] if printing.harfbuzz_subset_missing() else []
    workers = max(1, min(workers, len(jobs)))
    if workers == 1:
        results = (make_one(job, project) for job in jobs)
        return (*_collect(progress(results, len(jobs)), jobs, library), notes)
    # Not fork: a forked WeasyPrint would share the parent's font configuration.
    context = get_context("forkserver" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm) as pool:
        results = pool.map(make_one, jobs, [project] * len(jobs))
        return (*_collect(progress(results, len(jobs)), jobs, library), notes)


def make_one(job: Job, project: Project) -> tuple[str, object]:
    """Render and print one job: its HTML and its Printed PDF, or the error that stopped it."""
    from .printing import PrintError, print_pdf

    html = render(job, project.templates)
    try:
        return html, print_pdf(job, html, project.root, project.asset_folders())
    except PrintError as exc:
        return html, str(exc)


def _warm() -> None:
    """Worker start-up: import WeasyPrint and load the fonts once, not per job."""
    import weasyprint  # noqa: F401


def _collect(results, jobs: list[Job], library: Library) -> tuple[list[Output], list[Finding]]:
    outputs, findings = [], []
    for job, (html, printed) in zip(jobs, results):
        topic = library.topics[job.handout.topic]
        where = topic.doc.at(("handouts", job.handout.tier))
        if isinstance(printed, str):
            findings.append(error(where, f"{job.pdf} could not be printed: {printed}", "print-failed"))
            continue
        if printed.pages > job.max_pages:
            findings.append(error(where, f"{job.pdf} runs to {printed.pages} pages; the limit for this tier is "
                                  f"{job.max_pages} (site.yaml): shorten its blocks", "too-long"))
        text = "\n".join([job.handout.title] + [b.title + ".\n" + plain_text(b.body) for b in job.handout.blocks])
        counts = count(text, job.handout.lang)
        h = job.handout
        entry = entry_for(printed.pdf, topic=h.topic, tier=h.tier, lang=h.lang, variant=job.variant,
                          page_size=job.page_size, pdf=job.pdf, html=job.html, pages=printed.pages,
                          words=counts.words, reading_grade=counts.flesch_kincaid, status=h.review.status,
                          title=h.full_title, inputs=list(job.inputs), fingerprint=job.fingerprint)
        outputs.append(Output(printed.pdf, html, entry))
    return outputs, findings


class _lock:
    """One build at a time per output folder; a second one is told, not blocked."""

    def __init__(self, out: Path):
        self.out = out

    def __enter__(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.file = open(self.out / ".build.lock", "w")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise BuildLocked(f"another build is writing to {self.out}; wait for it to finish") from None

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()
