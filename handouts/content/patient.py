"""Fill-in fields: one patient's details for the blanks of a handout, given at print time.

The values never leave the PDFs printed for that patient: they are not cached,
not written to a manifest or a log, and never part of a file name.
"""

from __future__ import annotations

from pathlib import Path

from . import yamldoc
from .printed import describe, refused

FIELDS = ("patient_name", "next_visit")
MAX_LENGTH = 80


class FillError(Exception):
    """A fill-in value the command cannot use (a usage error, not content)."""


def read_fill(pairs: list[str], file: Path | None) -> tuple[tuple[str, str], ...]:
    """The details from `--fill KEY=VALUE` options and a `--fill-file`, checked."""
    values: dict[str, str] = {}
    if file is not None:
        doc, findings = yamldoc.read(file)
        if findings or doc is None or not isinstance(doc.data, dict):
            reason = str(findings[0]) if findings else f"{file}: write KEY: VALUE lines"
            raise FillError(f"cannot read the fill-in file: {reason}")
        values.update({str(k): "" if v is None else str(v) for k, v in doc.data.items()})
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise FillError(f"--fill {key}: write it as KEY=VALUE, e.g. --fill next_visit='Monday 9:00'")
        values[key.strip()] = value
    for key, value in values.items():
        if key not in FIELDS:
            raise FillError(f"--fill: unknown field '{key}'; the fields are {', '.join(FIELDS)}")
        if "\n" in value or len(value) > MAX_LENGTH:
            raise FillError(f"--fill {key}: one line of at most {MAX_LENGTH} characters")
        hidden = [c for c in value if refused(c)]
        if hidden:
            raise FillError(f"--fill {key}: {describe(hidden[0])} is invisible on paper or reorders the letters "
                            "around it; type the value again")
    return tuple((key, " ".join(value.split())) for key, value in values.items() if value.strip())
