"""What the command prints: findings, progress, and a build's summary."""

from __future__ import annotations

import datetime
import sys
from typing import TYPE_CHECKING, Iterable, Iterator

from ..findings import Finding

if TYPE_CHECKING:  # `check` shows its findings here without loading the engine
    from ..engine import BuildReport
    from ..plan.jobs import Job


def show_findings(findings: Iterable[Finding]) -> None:
    for finding in findings:
        print(finding, file=sys.stderr)


def progress(results: Iterable, jobs: list[Job]) -> Iterator:
    """A progress bar on a terminal; one plain line per handout elsewhere (CI logs)."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(jobs), unit="handout", delay=0.5, leave=False, file=sys.stderr)
        for job, result in zip(jobs, results):
            bar.set_postfix_str(job.pdf, refresh=False)
            bar.update()
            yield result
        bar.close()
        return
    for i, (job, result) in enumerate(zip(jobs, results), 1):
        print(f"[{i}/{len(jobs)}] {job.pdf}", file=sys.stderr, flush=True)
        yield result


def summary(report: BuildReport, out: str) -> str:
    if not report.ok:
        return f"Nothing was published in {out}/: fix the errors above and build again."
    return (f"Printed {len(report.printed)}, unchanged {len(report.unchanged)}, "
            f"removed {len(report.removed)} handouts in {out}/")


def show_report(report: BuildReport, out: str, stamp: bool = False) -> None:
    """The findings and the summary; `stamp` starts the summary with the time (one line per watch cycle)."""
    show_findings(report.findings)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    when = datetime.datetime.now().strftime("[%H:%M:%S] ") if stamp else ""
    print(when + summary(report, out), file=sys.stdout if report.ok else sys.stderr, flush=True)
