"""Coded concepts: a bad code is a finding at its line, and the shipped codes find the shipped topics."""

from __future__ import annotations

import pytest

import build
from handouts.content import codes
from infobutton_library import ICD10CM, RXNORM, shipped_index

TOPIC = """\
title: Test medicine
summary: What to know about the test medicine.
handouts:
  overview: [what-it-is, get-help]
  expectations: [how-given, checklist, call-us]
  risks: [what-it-is, get-help]
codes:
  - system: {system}
    code: {code}
    display: A concept
    source: {source}
"""


def check_with_code(capsys, content, system=RXNORM, code='"238083"', source="label") -> tuple[int, str]:
    (content / "topics" / "test-medicine.yaml").write_text(TOPIC.format(system=system, code=code, source=source))
    status = build.main(["check", "--content", str(content)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return status, captured.err


def test_a_well_formed_code_with_its_source_passes(capsys, content):
    assert check_with_code(capsys, content) == (0, "")


def test_an_unknown_code_system_is_an_error_at_its_line(capsys, content):
    status, err = check_with_code(capsys, content, system="2.16.840.1.113883.6.1")
    assert status == 1
    assert "topics/test-medicine.yaml:8:13: error: codes[0].system: '2.16.840.1.113883.6.1' is not a code system" in err
    assert "(unknown-code-system)" in err


def test_a_malformed_rxnorm_code_is_an_error_at_its_line(capsys, content):
    status, err = check_with_code(capsys, content, code="ketamine")
    assert status == 1
    assert "topics/test-medicine.yaml:9:11: error: codes[0].code: 'ketamine': an RxNorm RXCUI is a whole number" in err


def test_a_snomed_id_with_a_wrong_check_digit_is_an_error(capsys, content):
    status, err = check_with_code(capsys, content, system=codes.SYSTEMS["2.16.840.1.113883.6.96"].oid,
                                  code='"82423002"')
    assert status == 1 and "fails its check digit" in err and "(bad-code)" in err


def test_an_icd10cm_code_in_another_systems_form_is_an_error(capsys, content):
    status, err = check_with_code(capsys, content, system=ICD10CM, code='"238083"')
    assert status == 1 and "an ICD-10-CM code is a letter" in err


def test_a_code_unquoted_is_asked_for_in_quotes(capsys, content):
    status, err = check_with_code(capsys, content, code="238083")
    assert status == 1 and "topics/test-medicine.yaml:9:11: error: codes.0.code: expected text" in err
    assert "put text in quotes" in err


def test_a_code_without_a_known_source_is_an_error(capsys, content):
    status, err = check_with_code(capsys, content, source="rxnav")
    assert status == 1 and "codes[0].source: no source 'rxnav' in sources.yaml" in err


def test_the_same_code_twice_in_a_topic_is_a_warning(capsys, content):
    path = content / "topics" / "test-medicine.yaml"
    path.write_text(TOPIC.format(system=RXNORM, code='"238083"', source="label")
                    + f'  - {{system: {RXNORM}, code: "238083", display: Again, source: label}}\n')
    build.main(["check", "--content", str(content)])
    assert "topics/test-medicine.yaml:12:44: warning: codes[1]: 238083 is listed twice" in capsys.readouterr().err


@pytest.mark.parametrize("system, good, bad", [
    (RXNORM, "2201623", "02201623"),
    ("2.16.840.1.113883.6.96", "370143000", "370143001"),
    (ICD10CM, "G89.29", "89.29"),
    ("2.16.840.1.113883.6.12", "0001F", "9921"),
])
def test_each_known_system_tells_a_well_formed_code_from_a_malformed_one(system, good, bad):
    assert codes.problem(system, good) is None and codes.problem(system, bad)


@pytest.fixture(scope="module", name="shipped_index")
def shipped_index_fixture():
    return shipped_index()


@pytest.mark.parametrize("rxcui", ["6130", "238083"])  # the ingredient, the 100 mg/mL vial
def test_the_shipped_ketamine_drug_codes_find_the_three_ketamine_topics(shipped_index, rxcui):
    found = shipped_index["codes"][RXNORM][rxcui]["topics"]
    assert found == ["ketamine-anesthesia", "ketamine-chronic-pain", "ketamine-depression"]


def test_the_shipped_esketamine_drug_code_finds_only_the_esketamine_topic(shipped_index):
    assert shipped_index["codes"][RXNORM]["2201623"]["topics"] == ["esketamine"]


def test_the_shipped_chronic_pain_code_finds_the_chronic_pain_topic(shipped_index):
    assert shipped_index["codes"][ICD10CM]["G89.29"]["topics"] == ["ketamine-chronic-pain"]


def test_the_shipped_snomed_chronic_pain_code_finds_the_chronic_pain_topic(shipped_index):
    assert shipped_index["codes"]["2.16.840.1.113883.6.96"]["82423001"]["topics"] == ["ketamine-chronic-pain"]


def test_every_shipped_topic_is_coded_in_english_and_spanish(shipped_index):
    topics = shipped_index["topics"]
    assert sorted(topics) == ["esketamine", "ketamine-anesthesia", "ketamine-chronic-pain", "ketamine-depression"]
    assert all(sorted(t["languages"]) == ["en", "es"] for t in topics.values())
