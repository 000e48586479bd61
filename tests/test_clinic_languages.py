"""A clinic's own words in every language it prints: a Spanish handout never prints the
clinic's fasting or arrival rule in English (checks/clinics.py, Clinic.in_language)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from test_editions import add_spanish, text_of
from handouts import engine
from handouts.content.load import load
from handouts.checks.library import check
from handouts.engine import BuildOptions
from handouts.project import HOME

FASTING = "Do not eat for 8 hours before your visit."
ARRIVAL = "Come 30 minutes early with an adult who can drive you home."
AYUNO = "No coma nada durante las 8 horas antes de su cita."
LLEGADA = "Llegue 30 minutos antes con un adulto que le lleve a casa."
CLINIC = f"""\
name: Lakeside Clinic
phone: "555-0100"
after_hours_phone: "555-0199"
address: 1 Lake Road
website: https://clinic.example
fasting: {FASTING}
arrival: {ARRIVAL}
"""


@pytest.fixture
def spanish(content):
    """The test library in English and Spanish, its steps block asking for the clinic's rules."""
    steps = content / "blocks" / "how-given.yaml"
    steps.write_text(steps.read_text() + "clinic_details: [fasting, arrival]\n")
    add_spanish(content)
    (content / "clinic.yaml").write_text(CLINIC)
    return content


def with_spanish(words: str) -> str:
    return CLINIC + "translations:\n  es:\n" + "".join(f"    {line}\n" for line in words.splitlines())


def findings(content, code="untranslated-clinic"):
    library, found = load(content)
    assert library is not None, [str(f) for f in found]
    return [f for f in found + check(library) if f.code == code]


def test_a_spanish_handout_prints_the_clinics_rules_in_spanish(spanish, project):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: {AYUNO}\narrival: {LLEGADA}"))
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok, [str(f) for f in report.findings]
    spanish_text = " ".join(text_of(project.out / "es" / "test-medicine-expectations.pdf").split())
    english_text = " ".join(text_of(project.out / "en" / "test-medicine-expectations.pdf").split())
    assert f"Comer y beber: {AYUNO}" in spanish_text and f"Hora de llegada: {LLEGADA}" in spanish_text
    assert FASTING not in spanish_text and ARRIVAL not in spanish_text
    assert FASTING in english_text and ARRIVAL in english_text and AYUNO not in english_text


def test_a_detail_the_translation_leaves_out_prints_as_the_profile_has_it(spanish, project):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: {AYUNO}\narrival: {LLEGADA}"))
    assert engine.build(project, BuildOptions(jobs=1)).ok
    spanish_text = text_of(project.out / "es" / "test-medicine-expectations.pdf")
    assert "Lakeside Clinic" in spanish_text and "555-0100" in spanish_text and "1 Lake Road" in spanish_text


def test_a_rule_without_spanish_words_is_an_error_at_its_line(spanish):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: {AYUNO}"))
    found = findings(spanish)
    assert [(f.severity, f.location.path.name, f.location.line) for f in found] == [("error", "clinic.yaml", 7)]
    assert "arrival has no Spanish words" in found[0].message and "translations: es: arrival:" in found[0].message


def test_a_build_with_an_untranslated_rule_publishes_nothing(spanish, project):
    report = engine.build(project, BuildOptions(jobs=1))
    assert not report.ok and {f.code for f in report.findings if f.severity == "error"} == {"untranslated-clinic"}
    assert not list(project.out.rglob("*.pdf"))


def test_the_command_names_the_file_line_and_fix_in_one_line_each(spanish):
    run = subprocess.run([sys.executable, str(HOME / "build.py"), "check", "--content", str(spanish)],
                         capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr + run.stdout
    lines = [line for line in (run.stdout + run.stderr).splitlines() if "untranslated-clinic" in line]
    assert len(lines) == 2 and "content/clinic.yaml:6:10: error: fasting has no Spanish words" in lines[0]
    assert "fasting: \"\"" in lines[0]


def test_an_empty_spanish_rule_prints_a_blank_to_fill_in_by_hand(spanish, project):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: \"\"\narrival: {LLEGADA}"))
    assert findings(spanish) == []
    assert engine.build(project, BuildOptions(jobs=1)).ok
    spanish_text = " ".join(text_of(project.out / "es" / "test-medicine-expectations.pdf").split())
    assert "Comer y beber:" in spanish_text and FASTING not in spanish_text


def test_a_rule_no_block_asks_for_needs_no_translation(content):
    add_spanish(content)
    (content / "clinic.yaml").write_text(CLINIC)
    assert findings(content) == []


def test_a_phone_with_words_but_none_in_spanish_is_an_error(spanish):
    phone = "555-0199, press 2 for the nurse on call"
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: {AYUNO}\narrival: {LLEGADA}")
                                         .replace('"555-0199"', f'"{phone}"'))
    found = findings(spanish)
    assert [(f.severity, f.location.line) for f in found] == [("error", 3)]
    assert f"'{phone}'" in found[0].message and "translations: es: after_hours_phone:" in found[0].message


def test_a_spanish_phone_line_prints_in_the_spanish_handout(spanish, project):
    phone = "555-0199, press 2 for the nurse on call"
    telefono = "555-0199, marque 2 para la enfermera de guardia"
    words = f"fasting: {AYUNO}\narrival: {LLEGADA}\nafter_hours_phone: {telefono}"
    (spanish / "clinic.yaml").write_text(with_spanish(words).replace('"555-0199"', f'"{phone}"'))
    assert engine.build(project, BuildOptions(jobs=1)).ok
    spanish_text = " ".join(text_of(project.out / "es" / "test-medicine-expectations.pdf").split())
    assert telefono in spanish_text and phone not in spanish_text


def test_a_rule_left_empty_under_spanish_is_an_error_at_that_line(spanish):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting:\narrival: {LLEGADA}"))
    found = findings(spanish)
    assert [(f.severity, f.location.line) for f in found] == [("error", 10)]
    assert "fasting is empty" in found[0].message


def test_a_phone_with_only_an_extension_needs_no_translation(spanish):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: {AYUNO}\narrival: {LLEGADA}")
                                         .replace('"555-0199"', '"555-0199 ext. 4567"'))
    assert findings(spanish) == []


def test_words_for_a_language_the_site_does_not_print_are_a_warning(content):
    (content / "clinic.yaml").write_text(CLINIC + "translations:\n  fr:\n    fasting: Ne mangez rien.\n")
    found = findings(content, "clinic-translation")
    assert [(f.severity, f.location.line) for f in found] == [("warning", 9)] and "'fr'" in found[0].message


def test_english_words_under_translations_are_an_error(content):
    (content / "clinic.yaml").write_text(CLINIC + "translations:\n  en:\n    fasting: Nothing by mouth.\n")
    found = findings(content, "clinic-translation")
    assert [(f.severity, f.location.line) for f in found] == [("error", 9)]


def test_a_detail_a_translation_cannot_have_is_refused_at_its_line(spanish):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: {AYUNO}\narrival: {LLEGADA}\nlogo: images/x.svg"))
    library, found = load(spanish)
    assert library is None or not library.clinic.value.translations
    assert any(f.location.path.name == "clinic.yaml" and f.location.line == 12 and f.severity == "error"
               for f in found), [str(f) for f in found]


def test_a_language_that_is_not_a_code_is_named_as_such(content):
    (content / "clinic.yaml").write_text(CLINIC + "translations:\n  spanish:\n    fasting: No coma.\n")
    library, found = load(content)
    assert [(f.location.line, f.code) for f in found] == [(9, "bad-id")]
    assert "'spanish' is not a language code" in found[0].message


@pytest.mark.parametrize("stand_in", ["TBD", "(555) 010-XXXX", "??? ask Dr. Lee", "todo"])
def test_a_stand_in_for_a_detail_is_an_error_at_its_line(spanish, stand_in):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: \"{stand_in}\"\narrival: {LLEGADA}"))
    found = findings(spanish, "placeholder")
    assert [(f.severity, f.location.line) for f in found] == [("error", 10)]


def test_real_details_are_no_stand_ins(spanish):
    (spanish / "clinic.yaml").write_text(with_spanish(f"fasting: {AYUNO}\narrival: {LLEGADA}")
                                         .replace('"555-0199"', '"555-0199 ext. 4567"'))
    assert findings(spanish, "placeholder") == []
