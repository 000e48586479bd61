"""Render: a job to HTML text. Pure: no file writes, no clock."""

from __future__ import annotations

import calendar
import datetime
import re
from functools import lru_cache
from pathlib import Path

import segno
from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..content.markdown import list_items, to_html
from ..content.model import TIERS
from ..plan.jobs import Handout, Job, Packet
from . import figures
from .sheets import Sheet

TIER_ORDER = {tier: i for i, tier in enumerate((*TIERS, "packet"))}


def render(job: Job, templates: Path) -> str:
    """The handout of `job` as a complete HTML page."""
    template = _environment(templates).get_template(f"{job.handout.tier}.html.j2")
    return template.render(h=job.handout, job=job)


def render_packet(packet: Packet, templates: Path) -> str:
    """The web page of a packet: its title and links to its three handouts."""
    return _environment(templates).get_template("packet.html.j2").render(h=packet.handout, job=packet)


def prepare(job: Job | Packet, templates: Path) -> tuple[str, Sheet]:
    """A job's web page, and the sheet that prints it (a packet's: its three tiers, each also
    printed on its own, then its full list of sources)."""
    date = job.handout.date
    epoch = calendar.timegm(date.timetuple()) if date else 0
    if isinstance(job, Packet):
        pages = tuple(render(part, templates) for part in job.parts)
        sheet = Sheet((*pages, render_packet_sources(job, templates)), job.handout.lang, epoch, job.title,
                      parts=len(pages))
        return render_packet(job, templates), sheet
    html = render(job, templates)
    return html, Sheet((html,), job.handout.lang, epoch)


def render_packet_sources(packet: Packet, templates: Path) -> str:
    """The packet's last page: each tier's numbered sources in full, with their addresses."""
    return _environment(templates).get_template("packet-sources.html.j2").render(h=packet.handout, job=packet)


def render_index(entries: list[dict], strings: dict, lang: str, templates: Path) -> str:
    """dist/index.html: every handout by topic, tier and language, with its status and editions,
    in the words of `lang` (`strings` by language). Each row is one web page and its PDFs."""
    ordered = sorted(entries, key=lambda e: (e["topic"], e["lang"] != lang, e["lang"], TIER_ORDER.get(e["tier"], 9),
                                             e["variant"] != "standard", e["page_size"] != "letter"))
    topics: dict[str, dict[tuple[str, str], list[dict]]] = {}
    for entry in ordered:
        topics.setdefault(entry["topic"], {}).setdefault((entry["lang"], entry["tier"]), []).append(entry)
    languages = {code: s.language for code, s in strings.items()}
    return _environment(templates).get_template("index.html.j2").render(topics=topics, t=strings[lang], lang=lang,
                                                                        languages=languages)


def status_line(h: Handout) -> str:
    """A handout's review status as every page and list prints it (footer, web page, index):
    the draft marking, "Changed since it was reviewed on DATE", or "Reviewed on DATE by WHO".
    Written here only."""
    t = h.strings
    if h.status == "approved":
        return f"{t.reviewed} {_long_date(h.date, h.lang)} {t.by} {h.review.reviewed_by}"
    if h.status == "changed":  # approved once, edited since (content/approval.py)
        return f"{t.draft}: {t.changed} {_long_date(h.date, h.lang)}: {t.not_rereviewed}"
    return f"{t.draft}: {t.draft_footer}"


@lru_cache(maxsize=4)
def _environment(templates: Path) -> Environment:
    # autoescape=True, not select_autoescape(): that one leaves .j2 files unescaped.
    env = Environment(loader=FileSystemLoader(templates), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    env.filters["markdown"] = lambda body: Markup(to_html(body))
    env.filters["long_date"] = _long_date
    env.filters["qr_code"] = _qr_code
    env.filters["css_string"] = _css_string
    env.filters["status_line"] = status_line
    env.filters["list_items"] = list_items
    env.globals["figures"] = figures
    env.globals["icons"] = templates / "icons"
    env.filters["source_date"] = source_date
    env.filters["shared_language"] = shared_language
    return env


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# A date that is the identifier, or its last part after a comma: "February 16, 2022", "64 FR 37673, July 13, 1999".
_CITED_DATE = re.compile(r"(?P<before>(?:[^,]+,\s*)?)(?P<month>" + "|".join(_MONTHS) + r") (?P<day>\d{1,2}), (?P<year>\d{4})")


def source_date(identifier: str, lang: str) -> str:
    """`identifier` with the date it stands for written in `lang` ("16 de febrero de 2022"). A date inside
    other English wording ("Version of January 27, 2025") is left as written: the citation quotes it."""
    match = _CITED_DATE.fullmatch(identifier)
    if lang == "en" or not match:
        return identifier
    date = datetime.date(int(match["year"]), _MONTHS.index(match["month"]) + 1, int(match["day"]))
    return match["before"] + format_date(date, format="long", locale=lang)


def shared_language(sources, lang: str) -> str:
    """The language every source is written in when it is not `lang` and they share it; else ""."""
    languages = {source.language for _, source in sources}
    return next(iter(languages)) if len(languages) == 1 and lang not in languages else ""


def _css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, safe inside <style>: every character outside
    plain letters, digits and spaces is written as a CSS escape."""
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in str(text))
    return Markup(f'"{escaped}"')


def _qr_code(address: str, title: str) -> str:
    """An SVG QR code for `address`, as a data: URL (the fetcher serves those, nothing else)."""
    return segno.make(address, error="m").svg_data_uri(title=title, scale=4, border=2)


def _long_date(date: datetime.date | None, lang: str) -> str:
    return format_date(date, format="long", locale=lang) if date else ""
