"""Facts written once: a rule or a number that many handouts state, kept in one place.

`content/facts.yaml` (and each translation's `content/<lang>/facts.yaml`) maps an id to one
line of text. A block body uses a fact by writing its id in double square brackets:
`[[driving-rule]]`. The loader replaces each reference with the fact's text, so the Library
holds the resolved body and every check, the fingerprints and the renderer read the same text
a patient reads. Nothing is evaluated: a reference is looked up by id, never run, and a fact's
own text is never searched for references.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Mapping

from pydantic import TypeAdapter

from ..findings import Finding, Location, error
from .model import Id, Text

FILE = "facts.yaml"
SHAPE = TypeAdapter(dict[Id, Text])
REFERENCE = re.compile(r"\[\[([^\[\]\n]{0,80})\]\]")

Uses = Mapping[str, tuple[str, ...]]  # block id -> the ids of the facts its body uses, in order


def problems(facts: Mapping[str, str], doc) -> list[Finding]:
    """A fact is one line of plain text, with no reference of its own."""
    found = []
    for fact_id, text in facts.items():
        if "\n" in text.strip():
            found.append(error(doc.at((fact_id,)), f"fact '{fact_id}' runs over more than one line; a fact is one "
                               "line of text (write it on one line, or in two facts)", "bad-fact"))
        elif "[[" in text or "]]" in text:
            found.append(error(doc.at((fact_id,)), f"fact '{fact_id}' holds [[ or ]]; a fact cannot use another "
                               "fact: write its words out", "bad-fact"))
    return found


def resolve(body: str, facts: Mapping[str, str] | None) -> tuple[str, tuple[str, ...], list[tuple[int, str]]]:
    """The body with every known reference replaced, the facts it used, and the unknown
    references as (offset in the body, what was written). With `facts` None (the facts
    file did not load) references are left as they are and none is reported."""
    used: list[str] = []
    unknown: list[tuple[int, str]] = []

    def replace(match: re.Match) -> str:
        name = match.group(1).strip()
        if facts is None:
            return match.group(0)
        if name not in facts:
            unknown.append((match.start(), name))
            return match.group(0)
        used.append(name)
        return facts[name].strip()

    return REFERENCE.sub(replace, body), tuple(dict.fromkeys(used)), unknown


def where(start: Location, body: str, offset: int) -> Location:
    """The file, line and column of `offset` in a body whose first character is at `start`
    (a `|` block keeps every line at the column of its first)."""
    before = body[:offset]
    line_start = before.rfind("\n") + 1
    return Location(start.path, start.line + before.count("\n"), start.column + offset - line_start)


def unknown_reference(location: Location, name: str, facts_file: Path, known: Mapping[str, str]) -> Finding:
    hint = difflib.get_close_matches(name, list(known), n=1)
    advice = f"did you mean [[{hint[0]}]]?" if hint else f"define it in {facts_file.parent.name}/{facts_file.name}"
    return error(location, f"unknown fact [[{name}]]: {advice}", "unknown-fact")
