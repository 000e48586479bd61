"""Publish: write outputs atomically, then the manifest that lists them.

Every file goes to a temporary name beside its final one and is renamed into
place, so a reader (or a crash) sees the old file or the new one, never half.
The manifest is written last: it only ever lists files that are complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Output:
    """A printed job, ready to publish, and its manifest entry."""

    pdf: bytes
    html: str
    entry: dict[str, Any]


def read_digest(out: Path) -> str | None:
    try:
        return json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("inputs_digest")
    except (OSError, ValueError, AttributeError):
        return None


def read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    """The entries of the published manifest, by PDF path; empty if there is none or it is unreadable."""
    try:
        entries = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["handouts"]
        return {e["pdf"]: e for e in entries if isinstance(e, dict) and "pdf" in e}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def entry_for(data: bytes, **fields: Any) -> dict[str, Any]:
    return {**fields, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def publish(out: Path, outputs: list[Output], kept: list[dict[str, Any]], removed: list[dict[str, Any]],
            assets: dict[str, Path], inputs_digest: str | None = None,
            also: dict[str, bytes] | None = None) -> None:
    """Write the assets and new outputs, drop removed ones, then the manifest of new and kept entries.

    `inputs_digest` (complete builds only) lets the next build see at once that nothing changed.
    `also`: files that describe the outputs (name -> bytes), written after them and before the manifest.
    """
    _remove_leftovers(out)
    _copy_assets(out, assets)
    for output in outputs:
        write_atomic(out / output.entry["pdf"], output.pdf)
        write_atomic(out / output.entry["html"], output.html.encode("utf-8"))
    for name, data in (also or {}).items():
        write_atomic(out / name, data)
    entries = sorted([o.entry for o in outputs] + kept, key=lambda e: e["pdf"])
    body: dict[str, Any] = {"handouts": entries}
    if inputs_digest:
        body["inputs_digest"] = inputs_digest
    manifest = json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(out / MANIFEST, manifest.encode("utf-8"))
    for entry in removed:
        for key in ("pdf", "html"):
            path = out / entry[key]
            if path.resolve().is_relative_to(out.resolve()):
                path.unlink(missing_ok=True)


def _remove_leftovers(out: Path) -> None:
    """Temporary files a killed build left behind (never at a final path, but untidy)."""
    for leftover in out.rglob(".*.tmp"):
        leftover.unlink(missing_ok=True)


def _copy_assets(out: Path, assets: dict[str, Path]) -> None:
    """Styles, fonts and images beside the HTML pages, so dist/ can be served as it is."""
    for name, folder in assets.items():
        for source in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if source.is_file() and not source.name.startswith("."):
                target = out / name / source.relative_to(folder)
                data = source.read_bytes()
                if not target.is_file() or target.read_bytes() != data:
                    write_atomic(target, data)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; readable as the umask allows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
