"""A small library with coded topics, one translated into Spanish and one not, for the Infobutton tests."""

from __future__ import annotations

from pathlib import Path

from conftest import write_library
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
review: {{status: approved, reviewed_by: "Dr Test", reviewed_on: 2026-11-02, next_review: 2099-11-02}}
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
    return content
