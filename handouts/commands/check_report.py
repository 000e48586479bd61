"""The report `check` ends with: one row per handout, its reading figures, pages and findings.

Pages come from the last build's manifest (dist/manifest.json) when there is one; a
check never prints anything itself.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..checks import editorial, scope
from ..content import approval, translations
from ..content.translations import declares
from ..findings import Finding
from ..content.load import SOURCE_LANGUAGE, Library
from ..checks.handout_text import handout
from ..content.model import TIERS

_HANDOUT_NAME = re.compile(r"(?<![\w/.-])([a-z0-9]+(?:-[a-z0-9]+)*/(?:overview|expectations|risks))\b")


@dataclass(frozen=True)
class Row:
    """One handout's line of the report."""

    handout: str           # topic/tier
    grade: float
    max_grade: float
    formula: str
    smog: float | None
    words: int
    pages: int | None      # None: not built yet
    errors: int
    warnings: int
    status: str            # review status: draft, approved, or approved but overdue


def rows(library: Library, findings: Iterable[Finding], manifest: Mapping[str, dict] | None = None,
         today: datetime.date | None = None) -> list[Row]:
    """A row for every handout, in topic and tier order."""
    findings = list(findings)
    today = today or datetime.date.today()
    found = []
    for lang in library.site.value.languages:
        for topic_id in sorted(library.topics):
            for tier in TIERS:
                if handout(library, topic_id, tier, lang) is None or not declares(library.topics[topic_id].value, lang):
                    continue  # an incomplete translation, or a language the topic is not printed in
                figures = editorial.figures(library, topic_id, tier, lang)
                mine = [f for f in findings if _belongs(f, library, topic_id, tier, lang)]
                found.append(Row(
                    handout=f"{topic_id}/{tier}" + ("" if lang == SOURCE_LANGUAGE else f" ({lang})"),
                    grade=figures["reading_grade"], max_grade=library.site.value.tiers[tier].max_grade,
                    formula=figures["reading_formula"], smog=figures["smog"], words=figures["words"],
                    pages=_pages(library, manifest or {}, topic_id, tier, lang),
                    errors=sum(f.severity == "error" for f in mine),
                    warnings=sum(f.severity == "warning" for f in mine),
                    status=_status(library, topic_id, lang, today)))
    return found


def table(library: Library, findings: Iterable[Finding], manifest: Mapping[str, dict] | None = None,
          today: datetime.date | None = None) -> str:
    """The report as text: a header, one line per handout, then the totals."""
    findings = list(findings)
    report = rows(library, findings, manifest, today)
    header = ("handout", "grade", "limit", "SMOG", "words", "pages", "errors", "warnings", "status")
    lines = [header] + [(r.handout, f"{r.grade:.1f}" + ("!" if r.grade > r.max_grade else ""), f"{r.max_grade:g}",
                         "-" if r.smog is None else f"{r.smog:.1f}", str(r.words),
                         "-" if r.pages is None else str(r.pages), str(r.errors), str(r.warnings), r.status)
                        for r in report]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(w) if i in (0, 8) else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths)))
            .rstrip() for line in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    drafts = sum(not r.status.startswith("approved") for r in report)
    errors = sum(f.severity == "error" for f in findings)
    text.append(f"{len(report)} handouts, {drafts} of them not approved (every page marked Draft); {errors} errors and "
                f"{len(findings) - errors} warnings in all. Grade: Flesch-Kincaid US school grade (Spanish: "
                "Fernandez-Huerta ease read as a grade band), ! over the "
                "limit in site.yaml; pages: the letter edition of the last build.")
    return "\n".join(text + notes(library))


def _belongs(finding: Finding, library: Library, topic_id: str, tier: str, lang: str = SOURCE_LANGUAGE) -> bool:
    """Whether a finding is about this handout: in its blocks, in its topic file, or naming it."""
    path = finding.location.path
    if lang != SOURCE_LANGUAGE:
        translation = library.translations[lang]
        files = {translation.topics[topic_id].doc.path}
        files |= {translation.blocks[b].doc.path for b in getattr(library.topics[topic_id].value.handouts, tier)}
        return path in files
    topic = library.topics[topic_id]
    named = set(_HANDOUT_NAME.findall(finding.message))
    if named:  # a finding that names handouts is about those alone
        return f"{topic_id}/{tier}" in named
    if path == topic.doc.path:
        spans = {t: _tier_lines(topic, t) for t in TIERS}
        elsewhere = any(finding.location.line in lines for t, lines in spans.items() if t != tier)
        return finding.location.line in spans[tier] or not elsewhere
    blocks = getattr(topic.value.handouts, tier)
    return any(path == library.blocks[b].doc.path for b in blocks if b in library.blocks)


def _tier_lines(topic, tier: str) -> set[int]:
    doc = topic.doc
    lines = {doc.key_at(("handouts", tier)).line}
    return lines | {line for keys, (line, _) in doc.values.items() if keys[:2] == ("handouts", tier)}


def _pages(library: Library, manifest: Mapping[str, dict], topic_id: str, tier: str, lang: str) -> int | None:
    site = library.site.value
    for entry in manifest.values():
        if (entry.get("topic"), entry.get("tier"), entry.get("lang"), entry.get("variant"), entry.get("page_size")) \
                == (topic_id, tier, lang, "standard", site.page_sizes[0]):
            return entry.get("pages")
    return None


def _status(library: Library, topic_id: str, lang: str, today: datetime.date) -> str:
    """The status the handout prints (content/approval.py); its first word is the manifest's `status`."""
    state = approval.status(library, topic_id, lang)
    review = state.review
    if review.next_review and review.next_review < today:
        return f"{state.state}, review overdue since {review.next_review}"
    return state.describe()


def notes(library: Library) -> list[str]:
    """Lines after the table: each exemption with its reason, each topic's translation coverage."""
    lines = [f"{entry.id}: exempt from '{rule}': {reason} ({os.path.relpath(entry.doc.path)}:"
             f"{entry.doc.key_at(('exemptions', rule)).line})" for entry, rule, reason in scope.exempted(library)]
    for done in translations.coverage(library):
        if done.missing:
            what = "its handouts in this language wait for the rest" if done.declared \
                else "not declared under languages:, so it prints in English only"
            lines.append(f"{done.topic}: {done.summary()} ({what})")
    return lines
