"""Approve: record a review in a topic's file, bound to what the reviewer read.

`python build.py approve TOPIC --by NAME --on DATE [--next DATE] [--lang L]` writes the
topic's `review:` (or, with --lang, its translation's) with the digest of its text as it
stands (content/approval.py). The rest of the file, comments included, is left as it is.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from ..content import approval
from ..content.load import SOURCE_LANGUAGE, Library


class ApprovalRefused(Exception):
    """The approval cannot be recorded (a usage error)."""


@dataclass(frozen=True)
class Approval:
    topic: str
    by: str
    on: datetime.date
    next_review: datetime.date | None = None  # default: a year after `on`
    lang: str = SOURCE_LANGUAGE


def record(library: Library, request: Approval) -> tuple[Path, str, datetime.date]:
    """Write the review into the topic's file; the file, the digest and the next review date."""
    if request.topic not in library.topics:
        raise ApprovalRefused(f"no topic '{request.topic}'; topics: {', '.join(sorted(library.topics))}")
    if not request.by.strip():
        raise ApprovalRefused('say who reviewed it: --by "Dr Jane Smith, MD"')
    if request.on > datetime.date.today():
        raise ApprovalRefused(f"--on {request.on} is in the future: give the date the review took place")
    next_review = request.next_review or _a_year_after(request.on)
    if next_review <= request.on:
        raise ApprovalRefused(f"--next {next_review} must come after --on {request.on}")
    if request.lang == SOURCE_LANGUAGE:
        path = library.topics[request.topic].doc.path
    else:
        translation = library.translations.get(request.lang)
        if translation is None or request.topic not in translation.topics:
            raise ApprovalRefused(f"no {request.lang} translation of '{request.topic}' to approve")
        if approval.status(library, request.topic).state != "approved":
            raise ApprovalRefused(f"approve the English '{request.topic}' first: a translation is reviewed "
                                  "against approved English")
        path = translation.topics[request.topic].doc.path
    digest = approval.digest(library, request.topic, request.lang)
    review = (f"review:\n  status: approved\n  reviewed_by: {json.dumps(request.by.strip(), ensure_ascii=False)}\n"
              f"  reviewed_on: {request.on.isoformat()}\n  next_review: {next_review.isoformat()}\n"
              f"  digest: {digest}   # what was reviewed: any change prints as not yet re-reviewed\n")
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(_with_review(text, review), encoding="utf-8")
    return path, digest, next_review


def _with_review(text: str, review: str) -> str:
    """`text` with its top-level `review:` mapping replaced (or added before `handouts:`, or at the end)."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("review:")), None)
    if start is None:
        at = next((i for i, line in enumerate(lines) if line.startswith("handouts:")), len(lines))
        if at == len(lines) and lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        return "".join(lines[:at] + [review] + lines[at:])
    end = start + 1
    while end < len(lines) and (lines[end][:1] in (" ", "\t") or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():  # keep the blank lines after it
        end -= 1
    return "".join(lines[:start] + [review] + lines[end:])


def _a_year_after(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # February 29
        return day.replace(year=day.year + 1, day=28)
