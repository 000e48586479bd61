"""The report `check` ends with: one row per handout, its reading figures, pages and findings.

Pages come from the last build's manifest (dist/manifest.json) when there is one; a
check never prints anything itself.
"""

from __future__ import annotations

import datetime
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..checks import editorial, scope
from ..content import approval, translations
from ..findings import Finding
from ..content.load import SOURCE_LANGUAGE, Library
from ..checks.handout_text import handout
from ..checks.units import Units
from ..memo import Memo, ShardedMemo
from ..checks.reading_grade import inflesz_band
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
    ease: float = 0.0             # Fernandez-Huerta for Spanish (Flesch reading ease for English)
    inflesz: float | None = None  # Szigriszt-Pazos perspicuity on the INFLESZ scale: Spanish only
    min_ease: float | None = None     # site.yaml's min_fernandez_huerta
    min_inflesz: float | None = None  # site.yaml's min_inflesz


def rows(library: Library, findings: Iterable[Finding], manifest: Mapping[str, dict] | None = None,
         today: datetime.date | None = None, memo: Memo | ShardedMemo | None = None,
         units: Units | None = None) -> list[Row]:
    """A row for every handout, in topic and tier order (its figures from `memo` where the checks left them;
    `units`: those the checks were keyed by, if at hand, with that memo)."""
    units = units or Units(library, memo)
    findings = list(findings)
    today = today or datetime.date.today()
    pages = _editions(library, manifest or {})
    # Which findings could be about a handout: those in its files, and those naming it (not all of them each time).
    # By the text of their paths: a Path is hashed afresh each time it is looked up.
    at: dict[str, list[Finding]] = defaultdict(list)
    naming: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        at[str(f.location.path)].append(f)
        for name in set(_HANDOUT_NAME.findall(f.message)):
            naming[name].append(f)
    found = []
    checked = set(units.handouts())
    statuses: dict[tuple[str, str], str] = {}
    for lang in library.site.value.languages:
        for topic_id in sorted(library.topics):
            for tier in TIERS:
                if (lang, topic_id, tier) not in checked:
                    continue  # an incomplete translation, or a language the topic is not printed in
                figures = units.memo.get(units.handout(lang, topic_id, tier), lambda: editorial.handout_checks(
                    library, handout(library, topic_id, tier, lang))).figures
                nearby = dict.fromkeys([f for path in (_files(library, topic_id, tier, lang) if at else ())
                                        for f in at.get(str(path), ())] + naming.get(f"{topic_id}/{tier}", []))
                mine = [f for f in nearby if belongs(f, library, topic_id, tier, lang)]
                settings = library.site.value.tiers[tier]
                if (topic_id, lang) not in statuses:
                    statuses[topic_id, lang] = _status(library, topic_id, lang, today)
                found.append(Row(
                    handout=f"{topic_id}/{tier}" + ("" if lang == SOURCE_LANGUAGE else f" ({lang})"),
                    grade=figures["reading_grade"], max_grade=settings.max_grade,
                    formula=figures["reading_formula"], smog=figures["smog"], ease=figures["reading_ease"],
                    inflesz=figures["inflesz"], min_ease=settings.min_fernandez_huerta,
                    min_inflesz=settings.min_inflesz, words=figures["words"],
                    pages=pages.get((topic_id, tier, lang)),
                    errors=sum(f.severity == "error" for f in mine),
                    warnings=sum(f.severity == "warning" for f in mine),
                    status=statuses[topic_id, lang]))
    return found


def _files(library: Library, topic_id: str, tier: str, lang: str) -> list[Path]:
    """The files a handout is written in: its topic's and its blocks' (in its language)."""
    topics, blocks = (library.topics, library.blocks) if lang == SOURCE_LANGUAGE else \
        (library.translations[lang].topics, library.translations[lang].blocks)
    ids = getattr(library.topics[topic_id].value.handouts, tier)
    return [topics[topic_id].doc.path] + [blocks[b].doc.path for b in dict.fromkeys(ids) if b in blocks]


def table(library: Library, findings: Iterable[Finding], manifest: Mapping[str, dict] | None = None,
          today: datetime.date | None = None, memo: Memo | ShardedMemo | None = None, units: Units | None = None
          ) -> str:
    """The report as text: a header, one line per handout, then the totals."""
    findings = list(findings)
    report = rows(library, findings, manifest, today, memo, units)
    graded = [r for r in report if r.inflesz is None or not _ease_limits(r)]
    eased = [r for r in report if r.inflesz is not None and _ease_limits(r)]
    header = ("handout", "grade", "limit", "SMOG", "words", "pages", "errors", "warnings", "status")
    text = _columns(header, [(r.handout, f"{r.grade:.1f}" + ("!" if r.grade > r.max_grade else ""), f"{r.max_grade:g}",
                              "-" if r.smog is None else f"{r.smog:.1f}", *_tail(r)) for r in graded])
    if eased:  # Spanish: the reading-ease scores themselves, higher is easier
        header = ("handout", "F-Huerta", "min", "INFLESZ", "min", "band", "words", "pages", "errors", "warnings",
                  "status")
        text += [""] + _columns(header, [(r.handout, _score(r.ease, r.min_ease), _floor(r.min_ease),
                                          _score(r.inflesz, r.min_inflesz), _floor(r.min_inflesz),
                                          inflesz_band(r.inflesz), *_tail(r)) for r in eased], left=(0, 5, 10))
    drafts = sum(not r.status.startswith("approved") for r in report)
    errors = sum(f.severity == "error" for f in findings)
    text.append(f"{_count(len(report), 'handout')}, {drafts} of them not approved (every page marked Draft); "
                f"{_count(errors, 'error')} and {_count(len(findings) - errors, 'warning')} in all. Grade: Flesch-Kincaid US school grade; F-Huerta: "
                "Fernandez-Huerta reading ease and INFLESZ: Szigriszt-Pazos perspicuity on the INFLESZ scale "
                "(Spanish; higher is easier); ! past the limit in site.yaml; pages: the letter edition of the last "
                "build.")
    return "\n".join(text + notes(library))


def _ease_limits(r: Row) -> bool:
    return r.min_ease is not None or r.min_inflesz is not None


def _score(score: float, floor: float | None) -> str:
    return f"{score:.1f}" + ("!" if floor is not None and score < floor else "")


def _floor(floor: float | None) -> str:
    return "-" if floor is None else f"{floor:g}"


def _tail(r: Row) -> tuple[str, ...]:
    return str(r.words), "-" if r.pages is None else str(r.pages), str(r.errors), str(r.warnings), r.status


def _columns(header: tuple[str, ...], lines: list[tuple[str, ...]], left: tuple[int, ...] = (0, 8)) -> list[str]:
    """`lines` under `header` in aligned columns: text columns (`left`) to the left, numbers to the right."""
    lines = [header] + lines
    widths = [max(map(len, column)) for column in zip(*lines)]
    line = "  ".join(f"{{:{'<' if i in left else '>'}{w}}}" for i, w in enumerate(widths))  # one format for all
    text = [line.format(*cells).rstrip() for cells in lines]
    text.insert(1, "  ".join("-" * w for w in widths))
    return text


def belongs(finding: Finding, library: Library, topic_id: str, tier: str, lang: str = SOURCE_LANGUAGE) -> bool:
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


def _editions(library: Library, manifest: Mapping[str, dict]) -> dict[tuple[str, str, str], int | None]:
    """The pages of each handout's letter (first page size), standard edition in the last build."""
    size = library.site.value.page_sizes[0]
    return {(e.get("topic"), e.get("tier"), e.get("lang")): e.get("pages") for e in manifest.values()
            if (e.get("variant"), e.get("page_size")) == ("standard", size)}


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


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"
