"""Codes: each topic's coded concepts name a known code system, a well-formed code and a source.

A wrong code sends a patient the wrong handout, so a malformed code, an unknown system
or a code without a source is an error at the line that holds it; the same concept
listed twice in a topic is a warning.
"""

from __future__ import annotations

from ..content import codes
from ..content.load import Library
from ..findings import Finding, error, warning


def check(library: Library) -> list[Finding]:
    found: list[Finding] = []
    for topic in library.topics.values():
        seen: set[tuple[str, str]] = set()
        for i, code in enumerate(topic.value.codes):
            where = ("codes", i)
            if code.system not in codes.SYSTEMS:
                found.append(error(topic.doc.at((*where, "system")), f"codes[{i}].system: '{code.system}' is "
                                   f"not a code system this tool knows; use one of: {codes.known()}",
                                   "unknown-code-system"))
            elif problem := codes.problem(code.system, code.code):
                found.append(error(topic.doc.at((*where, "code")), f"codes[{i}].code: '{code.code}': {problem}",
                                   "bad-code"))
            elif codes.key(code.system, code.code) in seen:
                found.append(warning(topic.doc.at((*where, "code")), f"codes[{i}]: {code.code} is listed twice in "
                                     "this topic; delete one", "duplicate-code"))
            else:
                seen.add(codes.key(code.system, code.code))
            if code.source not in library.sources.value:
                found.append(error(topic.doc.at((*where, "source")), f"codes[{i}].source: no source "
                                   f"'{code.source}' in sources.yaml: add the page you checked the code in, "
                                   "or fix the id",
                                   "missing-source"))
    return found
