"""Outcome: what printing gave, as manifest entries and findings.

Takes each job with its web page and what printing it gave; gives the outputs to publish
and the findings of what did not print, ran over its page limit or is too big to email.
A handout over its page limit is kept at <out>/overflow/ for its editor, never published.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable

from ..checks import editorial
from ..content.load import Library
from ..findings import Finding, Location, error
from ..plan.jobs import Job, Packet
from .files import Output, discard, entry_for, staged, write_atomic
from ..press.render import status_line

# Email-ready sizes (issue: handouts ready to email): a handout and a packet at most.
MAX_HANDOUT_BYTES = 150 * 1024
MAX_PACKET_BYTES = 400 * 1024
# Where a handout over its page limit is kept for its editor: never published, removed once it fits.
OVERFLOW = "overflow"
# Lines of standard 12 pt text (line height 1.32) in a page's text area, to say an overflow in lines.
LINES_PER_PAGE = {"letter": 43, "a4": 46}


def location_of(library: Library, job: Job | Packet) -> Location:
    topic = library.topics[job.handout.topic]
    return topic.doc.at(("handouts", job.handout.tier)) if isinstance(job, Job) else topic.doc.at(("handouts",))


def collect(results: Iterable, library: Library, out: Path) -> tuple[list[Output], list[Finding]]:
    """Manifest entries for what printed, and findings for what did not or ran over its limit.

    A handout over its page limit is kept at <out>/overflow/ for the editor to open (never
    published); the next time it fits, that copy is removed."""
    outputs, findings = [], []
    measured: dict[tuple[str, str, str], dict] = {}

    def figures_of(h) -> dict:  # the same text in every variant and page size: measure it once
        key = (h.topic, h.tier, h.lang)
        if key not in measured:
            measured[key] = editorial.figures(library, h.topic, h.tier, h.lang)
        return measured[key]

    try:
        for job, html, printed in results:
            output, found = _outcome(library, out, job, html, printed, figures_of)
            outputs += [output] if output is not None else []
            findings += found
    except BaseException:  # stopped (Ctrl-C, a broken worker): nothing staged stays behind
        discard(outputs)
        raise
    return outputs, findings


def _outcome(library: Library, out: Path, job: Job | Packet, html: str, printed,
             figures_of: Callable[[Any], dict]) -> tuple[Output | None, list[Finding]]:
    """One job's output, staged beside its final paths; or None and why, when it did not print or
    must not be published."""
    where = location_of(library, job)
    if isinstance(printed, str):
        return None, [error(where, f"{job.pdf} could not be printed: {printed}", "print-failed")]
    findings = []
    overflow = out / OVERFLOW / job.pdf
    if job.max_pages and printed.pages > job.max_pages:
        write_atomic(overflow, printed.pdf)
    elif overflow.exists():
        overflow.unlink()
        for folder in (overflow.parent, out / OVERFLOW):  # leave no empty folders behind
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    if job.max_pages and printed.pages > job.max_pages:
        findings.append(too_long(library, job, printed, out))
    limit = MAX_PACKET_BYTES if isinstance(job, Packet) else MAX_HANDOUT_BYTES
    if len(printed.pdf) > limit:
        findings.append(error(where, f"{job.pdf} is {len(printed.pdf) // 1024} KB, too big to email; the limit "
                              f"is {limit // 1024} KB: remove images or shorten it", "too-big"))
    if findings:  # it will not be published: nothing to stage
        return None, findings
    h = job.handout
    if isinstance(job, Packet):
        parts = [figures_of(p.handout) for p in job.parts]
        figures = {"words": sum(p["words"] for p in parts), "reading_grade": max(p["reading_grade"] for p in parts)}
        tier = "packet"
    else:
        figures, tier = figures_of(h), h.tier
    entry = entry_for(printed.pdf, topic=h.topic, tier=tier, lang=h.lang, variant=job.variant,
                      page_size=job.page_size, pdf=job.pdf, html=job.html, pages=printed.pages,
                      headroom=printed.headroom,
                      **figures, status=h.status, status_text=status_line(h), title=job.title,
                      topic_title=h.title, inputs=list(job.inputs),
                      fingerprint=job.fingerprint)
    return staged(out, printed.pdf, html, entry), findings


def too_long(library: Library, job: Job | Packet, printed, out: Path) -> Finding:
    """How far a handout runs over its last allowed page, and the block that crosses it."""
    h, limit = job.handout, job.max_pages
    over = sum(page.used for page in printed.layout[limit:])
    lines = max(1, round(over * LINES_PER_PAGE[job.page_size]))
    amount = f"{over:.2f} of a page (about {lines} lines)" if over < 1 else f"{over:.1f} pages"
    crossing = next(iter(printed.layout[limit].blocks), None) if len(printed.layout) > limit else None
    ids = getattr(library.topics[h.topic].value.handouts, h.tier)
    where, which = location_of(library, job), ""
    if crossing is not None and crossing < len(ids):
        where = library.topics[h.topic].doc.at(("handouts", h.tier, crossing))
        which = f"; block '{ids[crossing]}' crosses onto page {limit + 1}"
    elif crossing is None:
        which = f"; only its sources (and QR code) cross onto page {limit + 1}"
    return error(where, f"{out / job.pdf} runs to {printed.pages} pages, over the {limit} this tier allows "
                 f"(site.yaml) by {amount}{which}. See it at {out / OVERFLOW / job.pdf}; shorten or split "
                 "the blocks from there on, or move one to another tier", "too-long")
