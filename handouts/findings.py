"""Findings: what the checks say about the content, as data.

A finding points at the line an editor must change. Stages collect findings and
return them; only the command line prints them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file (1-based line and column)."""

    path: Path
    line: int = 1
    column: int = 1

    def shown(self) -> str:
        return f"{_relative(self.path)}:{self.line}:{self.column}"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in the content, with the place to fix it."""

    location: Location
    severity: Severity
    message: str
    code: str

    def __str__(self) -> str:
        return f"{self.location.shown()}: {self.severity}: {self.message} ({self.code})"

    def strict(self) -> Finding:
        """The same finding, as an error (what `--strict` asks for)."""
        return Finding(self.location, "error", self.message, self.code)


def error(location: Location, message: str, code: str) -> Finding:
    return Finding(location, "error", message, code)


def warning(location: Location, message: str, code: str) -> Finding:
    return Finding(location, "warning", message, code)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


def _relative(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
