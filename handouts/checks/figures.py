"""The pictures' data: numbers that fit their chart, sentences that say those numbers, icons that exist.

A risk chart draws exactly what its numbers say, so the numbers must be right and the
sentence printed beside the picture (its alternative text) must say the same: a rate above
the chart's denominator, a sentence that speaks of a placebo group the row has no rate for,
or a sentence whose numbers are not the row's, is an error at the line to change. Each
language's sentences are held to the English numbers.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..content.figures import Chart
from ..content.load import SOURCE_LANGUAGE, Entry, Library
from ..content.markdown import list_items
from ..findings import Finding, error

# Words that name a comparison group, in the languages the library ships (and the chart's own group name).
COMPARISON = re.compile(r"\b(placebo|dummy|sham|sin medicina|simulad[oa]s?)\b", re.IGNORECASE)


def check(library: Library, icons: Path | None = None) -> list[Finding]:
    """The icons every block names (the blocks' own numbers and words: `block`, one at a time)."""
    return _icons(library, icons) if icons is not None else []


def block(library: Library, lang: str, block_id: str) -> list[Finding]:
    """One block's picture: its numbers and sentences in English, its words held to them in `lang`."""
    english = library.blocks.get(block_id)
    if lang != SOURCE_LANGUAGE:
        return _translated(english, library.translations[lang].blocks[block_id], lang) if english else []
    found: list[Finding] = []
    chart = english.value.chart
    if chart is not None:
        found += _numbers(english, chart)
        found += _sentences(english, chart, chart.treated, chart.placebo, [(r.label, r.says) for r in chart.rows])
    return found + _pictogram_count(english)


def _numbers(block: Entry, chart: Chart) -> list[Finding]:
    found = []
    for i, row in enumerate(chart.rows):
        for group in ("treated", "placebo"):
            rate = getattr(row, group)
            if rate is not None and rate > chart.per:
                found.append(error(block.doc.at(("chart", "rows", i, group)),
                                   f"{group} rate {rate} is more than the chart's {chart.per} people; "
                                   f"write how many of {chart.per} (a chart has one denominator)",
                                   "chart-over-denominator"))
        if row.placebo is not None and not chart.placebo:
            found.append(error(block.doc.at(("chart",)), "a row has a placebo rate but the chart names no "
                               "comparison group; write placebo: with its name (\"Dummy spray\")", "chart-group-name"))
    return found


def _sentences(entry: Entry, chart: Chart, treated: str, placebo: str, words: list[tuple[str, str]],
               english: Entry | None = None) -> list[Finding]:
    """Each row's sentence against the row's numbers (from `english` when `entry` is a translation)."""
    rows = (english or entry).value.chart.rows
    found = []
    for i, ((label, says), row) in enumerate(zip(words, rows)):
        where = entry.doc.at(("chart", "rows", i, "says"))
        mentions = COMPARISON.search(says) or (placebo and placebo.lower() in says.lower())
        if mentions and row.placebo is None:
            found.append(error(where, f"'{says}' speaks of a comparison group, but the row has no placebo rate; "
                               "add placebo: with the number from the source, or reword the sentence",
                               "chart-missing-placebo"))
            continue
        said = [int(n) for n in re.findall(r"\d+", says)]
        expected = [n for n in (row.treated, row.placebo) if n is not None]
        if chart.per not in said or [n for n in said if n != chart.per] != [n for n in expected if n != chart.per]:
            shown = " and ".join(f"{n} in {chart.per}" for n in expected)
            found.append(error(where, f"'{says}' does not say what the picture shows ({shown}, in that order); "
                               "write the row's numbers as digits, with the chart's denominator", "chart-text-numbers"))
    return found


def _pictogram_count(block: Entry) -> list[Finding]:
    if block.value.kind != "pictograms":
        return []
    icons, items = block.value.icons, list_items(block.value.body)
    if len(icons) == len(items):
        return []
    return [error(block.doc.at(("icons",)), f"{len(icons)} pictograms for {len(items)} list items; give one icon "
                  "per item of the body's list, in order", "pictogram-count")]


def _translated(english: Entry, words: Entry, lang: str) -> list[Finding]:
    found = []
    for key, items in (("chart", "rows"), ("schedule", "stages")):
        theirs, mine = getattr(english.value, key), getattr(words.value, key)
        if theirs is None and mine is not None:
            found.append(error(words.doc.at((key,)), f"the English block has no {key}; delete it here",
                               "figure-translation"))
        elif theirs is not None and mine is None:
            found.append(error(words.doc.at(), f"the English block has a {key}: write its words here, under {key}: "
                               f"(the {lang} handouts are not printed until then)", "figure-translation"))
        elif theirs is not None and len(getattr(theirs, items)) != len(getattr(mine, items)):
            found.append(error(words.doc.at((key, items)), f"{len(getattr(mine, items))} {items} here, "
                               f"{len(getattr(theirs, items))} in English: translate each, in the same order",
                               "figure-translation"))
    chart, text = english.value.chart, words.value.chart
    if chart is not None and text is not None and len(chart.rows) == len(text.rows):
        found += _sentences(words, chart, text.treated, text.placebo, [(r.label, r.says) for r in text.rows], english)
    return found


def _icons(library: Library, folder: Path) -> list[Finding]:
    """Every icon a block names is one of the vendored ones, and every language names it in words."""
    known = sorted(p.stem for p in folder.glob("*.svg"))
    found = []
    for block in library.blocks.values():
        named = [(("icons", i), name) for i, name in enumerate(block.value.icons)]
        if block.value.schedule is not None:
            named += [(("schedule", "stages", i, "icon"), s.icon) for i, s in enumerate(block.value.schedule.stages)
                      if s.icon]
        for keys, name in named:
            if name not in known:
                found.append(error(block.doc.at(keys), f"no pictogram '{name}'; use one of: {', '.join(known)} "
                                   "(or add one to templates/icons/)", "unknown-icon"))
                continue
            for lang, strings in library.strings.items():
                if name not in strings.value.icons:
                    where = strings.doc.at(("icons",)) if "icons" in strings.doc.data else strings.doc.at()
                    found.append(error(where, f"pictogram '{name}' has no words in {'English' if lang == SOURCE_LANGUAGE else lang}; "
                                       f"add it under icons: (its alternative text)", "icon-label"))
    return sorted(set(found))
