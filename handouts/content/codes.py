"""Coded concepts: the code systems a topic's `codes:` may name, and what a well-formed code looks like.

A topic is found from the record by the code of a problem, drug or procedure (an HL7
Infobutton request names the code and its system's OID). One table here says which
systems are known and how their codes are written; the content check and the
Infobutton responder both ask it, so a code the check accepts is a code a request can match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

OID = re.compile(r"^[0-2](\.(0|[1-9][0-9]*))+$")


@dataclass(frozen=True)
class CodeSystem:
    oid: str
    name: str
    example: str
    problem: Callable[[str], str | None]   # why a code is not well formed, or None
    normalize: Callable[[str], str] = str.strip


def _rxnorm(code: str) -> str | None:
    if not re.fullmatch(r"[1-9][0-9]{0,8}", code):
        return "an RxNorm RXCUI is a whole number of up to 9 digits, without leading zeros"
    return None


# Verhoeff check digit tables (SNOMED CT identifiers end in one).
_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]


def verhoeff_valid(digits: str) -> bool:
    check = 0
    for i, digit in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[i % 8][int(digit)]]
    return check == 0


def _snomed(code: str) -> str | None:
    if not re.fullmatch(r"[1-9][0-9]{5,17}", code):
        return "a SNOMED CT concept id is a number of 6 to 18 digits, without leading zeros"
    if code[-3:-1] not in ("00", "10"):
        return "this SNOMED CT id is not a concept id (its partition digits name a description or relationship)"
    if not verhoeff_valid(code):
        return "this SNOMED CT id fails its check digit: a digit is wrong or two are swapped"
    return None


def _icd10cm_normal(code: str) -> str:
    code = code.strip().upper()
    return code[:3] + "." + code[3:] if len(code) > 3 and "." not in code else code


def _icd10cm(code: str) -> str | None:
    if not re.fullmatch(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?", code):
        return ("an ICD-10-CM code is a letter, a digit, a digit or letter, then optionally a dot and 1 to 4 "
                "more (F33.9, G89.29)")
    return None


def _cpt(code: str) -> str | None:
    if not re.fullmatch(r"[0-9]{4}[0-9FTU]", code):
        return "a CPT code is five characters: four digits, then a digit (or F, T or U)"
    return None


SYSTEMS: dict[str, CodeSystem] = {s.oid: s for s in (
    CodeSystem("2.16.840.1.113883.6.88", "RxNorm", "6130", _rxnorm),
    CodeSystem("2.16.840.1.113883.6.96", "SNOMED CT", "82423001", _snomed),
    CodeSystem("2.16.840.1.113883.6.90", "ICD-10-CM", "G89.29", _icd10cm, _icd10cm_normal),
    CodeSystem("2.16.840.1.113883.6.12", "CPT", "99213", _cpt, lambda c: c.strip().upper()),
)}


def known() -> str:
    """The known systems, for messages: "RxNorm (2.16.840.1.113883.6.88), ..."."""
    return ", ".join(f"{s.name} ({s.oid})" for s in SYSTEMS.values())


def problem(system: str, code: str) -> str | None:
    """Why `code` cannot be a code of `system` (an OID), or None when it is well formed."""
    known_system = SYSTEMS.get(system.strip())
    if known_system is None:
        return f"'{system}' is not a code system this tool knows; use one of: {known()}"
    return known_system.problem(known_system.normalize(code))


def key(system: str, code: str) -> tuple[str, str]:
    """The form a code is indexed and looked up by: its system's OID and the code as that system writes it."""
    system = system.strip()
    known_system = SYSTEMS.get(system)
    return system, known_system.normalize(code) if known_system else code.strip()
