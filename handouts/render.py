"""Render: a job to HTML text. Pure: no file writes, no clock."""

from __future__ import annotations

import datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .markup import to_html
from .plan import Job


def render(job: Job, templates: Path) -> str:
    """The handout of `job` as a complete HTML page."""
    template = _environment(templates).get_template(f"{job.handout.tier}.html.j2")
    return template.render(h=job.handout, job=job)


@lru_cache(maxsize=4)
def _environment(templates: Path) -> Environment:
    # autoescape=True, not select_autoescape(): that one leaves .j2 files unescaped.
    env = Environment(loader=FileSystemLoader(templates), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True)
    env.filters["markdown"] = lambda body: Markup(to_html(body))
    env.filters["long_date"] = _long_date
    return env


def _long_date(date: datetime.date | None, lang: str) -> str:
    return format_date(date, format="long", locale=lang) if date else ""
