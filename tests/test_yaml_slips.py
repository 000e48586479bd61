"""YAML syntax slips: the advice names the line that is wrong, and following it makes the file load."""

from __future__ import annotations

import re

import pytest

import build
from handouts.content import yamldoc

# A clinic profile whose Spanish `fasting:` moved two spaces left (lines 13 and 14 as an editor found them).
RIVERSIDE = """\
# Riverside's details for its handouts.
name: Riverside Clinic
phone: "(555) 010-0200"
after_hours_phone: "(555) 010-0299"
address: |-
  200 River Road
  Springfield, IL 62701
fasting: Do not eat for 8 hours before your visit.
arrival: Arrive 45 minutes early.
translations:
  es:
    after_hours_phone: "(555) 010-0299, marque 2 para hablar con la enfermera"
  fasting: No coma nada durante las 8 horas antes de su cita.
    arrival: Llegue 45 minutos antes. Traiga una identificación.
"""
# The same profile after following the advice the slip used to get (quote line 14's value).
RIVERSIDE_QUOTED = RIVERSIDE.replace("arrival: Llegue 45 minutos antes. Traiga una identificación.",
                                     'arrival: "Llegue 45 minutos antes. Traiga una identificación."')
# The quoted phone line indented under the line above it, which holds text.
PHONE_TOO_DEEP = """\
name: Riverside Clinic
translations:
  es:
    fasting: No coma nada durante las 8 horas antes de su cita.
      after_hours_phone: "(555) 010-0299, marque 2 para hablar con la enfermera"
"""
# A block whose body has one line two spaces left of the rest.
BODY_LINE_LEFT = """\
title: What it is
body: |
  Test medicine helps some people.
Ask your doctor before you start.
  Rest after each dose.
sources: [label]
"""
BODY_LINE_LEFT_OF_FOUR = """\
title: What it is
body: |
    Test medicine helps some people.
  Ask your doctor: before you start.
    Rest after each dose.
sources: [label]
"""
SECOND_COLON = "title: Lidocaine: what to know\nbody: |\n  Text.\nsources: [label]\n"


def syntax_findings(path) -> list[str]:
    _, findings = yamldoc.read(path)
    return [f"{f.location.line}:{f.location.column}: {f.message}" for f in findings if f.code == "yaml-syntax"]


def written(tmp_path, text: str, name: str = "riverside.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def follow(text: str, advice: str) -> str:
    """The text changed as the advice says (each kind of advice these findings give)."""
    lines = text.split("\n")
    moved = re.search(r"line (\d+) is (?:indented \d+ spaces?|not indented) but .*; "
                      r"(?:indent it (\d+) spaces?|start it at the left edge)", advice)
    quoted = re.search(r"^(\d+):\d+: .*put the whole value in quotes: (.*)$", advice)
    if moved:
        index, column = int(moved.group(1)) - 1, int(moved.group(2) or 0)
        lines[index] = " " * column + lines[index].lstrip(" ")
    elif quoted:
        index = int(quoted.group(1)) - 1
        lines[index] = re.match(r"\s*", lines[index]).group() + quoted.group(2)
    else:
        raise AssertionError(f"no advice to follow in: {advice}")
    return "\n".join(lines)


def test_a_key_moved_left_is_named_at_its_own_line_by_check(capsys, content):
    (content / "clinics").mkdir()
    written(content / "clinics", RIVERSIDE)
    assert build.main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "yaml-syntax" in line]
    assert line.endswith("clinics/riverside.yaml:13:3: error: YAML syntax: line 13 is indented 2 spaces but the "
                         "other keys under 'es:' are indented 4; indent it 4 spaces like them (yaml-syntax)")


@pytest.mark.parametrize("text, finding", [
    (BODY_LINE_LEFT, "4:1: YAML syntax: line 4 is not indented but the text under 'body: |' is indented 2; "
                     "indent it 2 spaces like the rest of that text"),
    (BODY_LINE_LEFT_OF_FOUR, "4:3: YAML syntax: line 4 is indented 2 spaces but the text under 'body: |' is "
                             "indented 4; indent it 4 spaces like the rest of that text"),
], ids=["left-edge", "two-of-four"])
def test_a_body_line_moved_left_is_named_at_its_own_line(tmp_path, text, finding):
    assert syntax_findings(written(tmp_path, text, "what-it-is.yaml")) == [finding]


def test_a_true_second_colon_still_says_to_quote_the_value(tmp_path):
    assert syntax_findings(written(tmp_path, SECOND_COLON, "lidocaine.yaml")) == [
        '1:17: YAML syntax: line 1 has a second colon and a space inside its value; put the whole value in quotes: '
        'title: "Lidocaine: what to know"']


@pytest.mark.parametrize("text", [RIVERSIDE, RIVERSIDE_QUOTED, PHONE_TOO_DEEP, BODY_LINE_LEFT,
                                  BODY_LINE_LEFT_OF_FOUR, SECOND_COLON],
                         ids=["riverside", "riverside-quoted", "phone", "body", "body-four", "second-colon"])
def test_following_the_advice_makes_the_file_load(tmp_path, text):
    path = written(tmp_path, text)
    [advice] = syntax_findings(path)
    path.write_text(follow(text, advice), encoding="utf-8")
    doc, findings = yamldoc.read(path)
    assert doc is not None and [f for f in findings if f.code == "yaml-syntax"] == []


@pytest.mark.parametrize("text, line", [(RIVERSIDE_QUOTED, 13), (PHONE_TOO_DEEP, 5)],
                         ids=["arrival", "phone"])
def test_a_value_already_in_quotes_is_never_told_to_be_quoted(tmp_path, text, line):
    [advice] = syntax_findings(written(tmp_path, text))
    assert "quotes" not in advice
    assert advice.startswith(f"{line}:")
