"""Pictures drawn from a block's data, as inline SVG: icon arrays, a timeline, pictograms.

Pure functions: values in, SVG text out. No fonts (every word stays in the HTML around
the picture), no colour that carries meaning (a filled figure against an outlined one,
dots on a line, a dashed end): they read the same printed in grey. Each picture is an
<svg role="img"> with an aria-label for the web and a <title>, which WeasyPrint writes
as the alternative text of its Figure in the PDF.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup, escape

from ..content.figures import ChartRow, Schedule

SVG = "http://www.w3.org/2000/svg"
INK = "#000000"
LINE = "#4d4d4d"   # outlines: 8.5:1 on white, still dark after a poor photocopy
# One person in a 10 x 10 cell: a round head and rounded shoulders.
PERSON = "M3.2 2.6a1.8 1.8 0 1 0 3.6 0a1.8 1.8 0 1 0 -3.6 0zM1.7 9.5v-2a2.9 2.9 0 0 1 2.9 -2.9h0.8a2.9 2.9 0 0 1 2.9 2.9v2z"
GAP = 35  # between the two pictures of a row, in cell units (a cell is 10)


def _svg(view_box: str, label: str, body: str, css_class: str) -> Markup:
    name = escape(label)
    return Markup(f'<svg xmlns="{SVG}" class="{css_class}" viewBox="{view_box}" role="img" aria-label="{name}">'
                  f"<title>{name}</title>{body}</svg>")


def _people(shaded: int, per: int, left: float) -> str:
    """`per` people in rows of ten, the first `shaded` filled (row by row, as a reader counts)."""
    shapes = []
    for i in range(per):
        x, y = left + (i % 10) * 10, (i // 10) * 10
        kind = "had" if i < shaded else "not"
        paint = f'fill="{INK}"' if kind == "had" else f'fill="#ffffff" stroke="{LINE}" stroke-width="0.6"'
        shapes.append(f'<path class="{kind}" {paint} transform="translate({x:g} {y:g})" d="{PERSON}"/>')
    return "".join(shapes)


def icon_array(row: ChartRow, per: int) -> Markup:
    """One row of a chart: the treated group's picture, then the comparison group's when there is one,
    each `per` people with those who had the effect filled. Its label is the row's label and sentence,
    as printed beside it."""
    rows = per // 10
    body = f'<g class="group treated">{_people(min(row.treated, per), per, 0)}</g>'
    width = 100
    if row.placebo is not None:
        body += f'<g class="group placebo">{_people(min(row.placebo, per), per, 100 + GAP)}</g>'
        width = 200 + GAP
    return _svg(f"0 0 {width} {rows * 10}", f"{row.label}: {row.says}", body, f"icon-array per-{per}")


def key_figure(filled: bool, label: str) -> Markup:
    """One figure of a chart's key: filled (had it) or outlined (did not)."""
    return _svg("0 0 10 10", label, _people(1 if filled else 0, 1, 0), "key-figure")


def timeline(schedule: Schedule, icons: Path, large: bool = False) -> Markup:
    """The schedule as a line split into stretches by their length, a dot on it for each dose, an arrow
    where it goes on, and each stretch's pictogram above it.

    Stretches are told apart by heavy dividers and alternate plain and grey bars, the open end by a
    dashed outline and an arrow, never by colour alone. The line spans the column; in large print
    its marks are drawn half as large again (a narrower drawing, scaled to the same width)."""
    total = sum(stage.length for stage in schedule.stages)
    width, bar = (667 if large else 1000), 20
    top = 38 if any(stage.icon for stage in schedule.stages) else 2
    parts, x = [], 0.0
    for i, stage in enumerate(schedule.stages):
        w = width * stage.length / total
        end = w - (24 if stage.open else 0)
        dash = ' stroke-dasharray="10 6"' if stage.open else ""
        fill = "#ffffff" if i % 2 == 0 else "#d9d9d9"
        parts.append(f'<rect class="stage" x="{x + 2:.1f}" y="{top}" width="{end - 4:.1f}" height="{bar}" '
                     f'fill="{fill}" stroke="{INK}" stroke-width="3"{dash}/>')
        if stage.open:
            tip = x + w - 2
            parts.append(f'<path class="goes-on" d="M{tip - 26:.1f} {top - 6}L{tip:.1f} {top + bar / 2}'
                         f'L{tip - 26:.1f} {top + bar + 6}z" fill="{INK}"/>')
        for k in range(stage.marks):
            cx = x + (k + 0.5) * end / stage.marks
            parts.append(f'<circle class="dose" cx="{cx:.1f}" cy="{top + bar / 2}" r="7" fill="{INK}"/>')
        if stage.icon:
            parts.append(f'<g class="stage-icon" transform="translate({x + 4:.1f} 0) scale(1.4)">'
                         f"{_icon_shapes(icons / f'{stage.icon}.svg')}</g>")
        x += w
    label = "; ".join(f"{stage.label}: {stage.says}" for stage in schedule.stages)
    label = f"{schedule.caption} {label}" if schedule.caption else label
    return _svg(f"0 0 {width} {top + bar + 8}", label, "".join(parts), "timeline")


def stage_widths(schedule: Schedule) -> list[str]:
    """Each stage's share of the line, as a CSS width, so its words sit under its stretch."""
    total = sum(stage.length for stage in schedule.stages)
    return [f"{100 * stage.length / total:.3f}%" for stage in schedule.stages]


def pictogram(icons: Path, name: str, label: str) -> Markup:
    """A vendored icon (templates/icons/NAME.svg), drawn in black strokes, labelled in the handout's language."""
    return _svg("0 0 24 24", label, _icon_shapes(icons / f"{name}.svg"), "pictogram")


@lru_cache(maxsize=64)
def _icon_shapes(path: Path) -> str:
    """The drawing of an icon file: its paths and shapes, without the invisible frame Tabler draws."""
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    shapes = []
    for element in root:
        tag = element.tag.removeprefix("{" + SVG + "}")
        if tag not in ("path", "circle", "rect", "line", "polyline", "polygon", "ellipse"):
            continue
        if element.get("stroke") == "none":
            continue
        attributes = " ".join(f'{k}="{escape(v)}"' for k, v in element.attrib.items() if re.fullmatch(r"[a-z]+", k))
        shapes.append(f"<{tag} {attributes}/>")
    return (f'<g fill="none" stroke="{INK}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">'
            + "".join(shapes) + "</g>")
