"""A small library with coded topics, one translated into Spanish and one not, for the Infobutton tests."""

from __future__ import annotations

from pathlib import Path

import build
from conftest import write_library
from handouts import engine
from handouts.project import HOME, Project
from handouts.publish.infobutton import build_index
from test_editions import add_spanish

RXNORM, ICD10CM = "2.16.840.1.113883.6.88", "2.16.840.1.113883.6.90"
CODES = f"""\
codes:
  - {{system: {RXNORM}, code: "238083", display: Ketamine hydrochloride 100 mg/mL injection, source: label}}
  - {{system: {ICD10CM}, code: G89.29, display: Other chronic pain, source: label}}
"""
OTHER = f"""\
title: Other medicine
summary: What to know about the other medicine.
review: {{status: draft}}
codes:
  - {{system: {RXNORM}, code: "238083", display: Ketamine hydrochloride 100 mg/mL injection, source: label}}
  - {{system: {ICD10CM}, code: F33.9, display: "Major depressive disorder, recurrent, unspecified", source: label}}
handouts:
  overview: [what-it-is, get-help]
  expectations: [how-given, checklist, call-us]
  risks: [what-it-is, get-help]
"""


def write_coded_library(root: Path) -> Path:
    """content/ with test-medicine (coded, in English and Spanish) and other-medicine (coded, English only)."""
    content = write_library(root)
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text() + CODES)
    (content / "topics" / "other-medicine.yaml").write_text(OTHER)
    add_spanish(content)
    # Approved the way an editor approves: the review records what was read (content/approval.py).
    assert build.main(["approve", "other-medicine", "--content", str(content), "--by", "Dr Test",
                       "--on", "2026-11-02", "--next", "2099-11-02"]) == 0
    return content


def shipped_index() -> dict:
    """The export a complete build of the shipped content writes, from the handouts it plans (nothing printed)."""
    project = Project(content=HOME / "content", out=HOME / "dist")
    library, _ = engine.examine(project)
    jobs, problem = engine.jobs_for(project, library)
    assert problem is None
    entries = [{"topic": j.handout.topic, "lang": j.handout.lang, "variant": j.variant, "page_size": j.page_size,
                "tier": j.handout.tier if isinstance(j, engine.Job) else "packet", "pdf": j.pdf, "html": j.html}
               for j in jobs]
    return build_index(library, entries)
