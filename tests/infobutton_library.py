"""A small library with coded topics, one translated into Spanish and one not, for the Infobutton tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import write_library
from handouts.content.load import load
from handouts.content.translations import version
from handouts.project import HOME

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
SPANISH_BLOCKS = {
    "what-it-is": ("Qué es", "El medicamento de prueba ayuda a *algunas* personas.\n"),
    "how-given": ("Cómo se da", "1. Usted se sienta.\n2. Una enfermera lo revisa.\n"),
    "checklist": ("Antes de venir", "- Traiga a alguien que maneje.\n- Traiga su lista.\n"),
    "get-help": ("Cuándo pedir ayuda", "Llame al 911 si no puede respirar.\n"),
    "call-us": ("Llámenos", "Llámenos si tiene preguntas.\n"),
}


def write_coded_library(root: Path) -> Path:
    """content/ with test-medicine (coded, in English and Spanish) and other-medicine (coded, English only)."""
    content = write_library(root)
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text() + CODES)
    (content / "topics" / "other-medicine.yaml").write_text(OTHER)
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("languages: [en]", "languages: [en, es]"))
    spanish = content / "es"
    (spanish / "blocks").mkdir(parents=True)
    (spanish / "topics").mkdir()
    shutil.copy(HOME / "content" / "es" / "strings.yaml", spanish / "strings.yaml")
    library, _ = load(content)
    for block_id, (title, body) in SPANISH_BLOCKS.items():
        text = {"translates": version(library.blocks[block_id].value), "title": title, "body": body}
        (spanish / "blocks" / f"{block_id}.yaml").write_text(yaml.safe_dump(text, allow_unicode=True))
    translated = {"translates": version(library.topics["test-medicine"].value), "title": "Medicamento de prueba",
                  "summary": "Lo que debe saber sobre el medicamento de prueba."}
    (spanish / "topics" / "test-medicine.yaml").write_text(yaml.safe_dump(translated, allow_unicode=True))
    return content
