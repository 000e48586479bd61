"""Up to date: a build with nothing to do, found before anything heavy is imported.

The manifest of a complete build records one digest of every file that build read
(content, templates, styles) and every version that can change a PDF. While that
digest holds and every published file is in place, there is nothing to load, check,
plan or print: the command answers in the time it takes to hash the inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .versions import versions

MANIFEST = "manifest.json"


def inputs_digest(content: Path, root: Path, clinic: str | None = None) -> str:
    """One digest of every input a complete build reads, and of the versions behind it."""
    digest = hashlib.sha256(f"{versions()}|clinic={clinic}".encode())
    for folder in (content, root / "templates", root / "styles"):
        for relative in _files(folder):
            with open(os.path.join(folder, relative), "rb") as file:
                data = file.read()
            digest.update(f"{folder.name}/{relative}".encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _files(folder: Path) -> list[str]:
    """Every file under `folder` (hidden ones and those in hidden folders aside), relative to it, in the
    order rglob would sort them; os.walk, because a library of thousands of files is hashed on every build."""
    found = []
    for top, folders, names in os.walk(folder):
        folders[:] = [f for f in folders if not f.startswith(".")]
        here = os.path.relpath(top, folder)
        found += [name if here == "." else os.path.join(here, name) for name in names
                  if not name.startswith(".") and os.path.isfile(os.path.join(top, name))]
    return sorted(found, key=lambda relative: Path(relative).parts)


def published(out: Path, digest: str) -> int | None:
    """How many handouts are published and current, if nothing needs building; else None."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("inputs_digest") != digest or not (out / "infobutton.json").is_file():
            return None
        entries = manifest["handouts"]
        for entry in entries:
            pdf = out / entry["pdf"]
            if not (pdf.is_file() and pdf.stat().st_size == entry["bytes"] and (out / entry["html"]).is_file()):
                return None
        return len(entries)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
