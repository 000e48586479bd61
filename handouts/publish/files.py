"""Publish: write outputs atomically, then the manifest that lists them.

Every file goes to a temporary name beside its final one and is renamed into
place, so a reader (or a crash) sees the old file or the new one, never half.
The manifest is written last: it only ever lists files that are complete.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..project import linked

MANIFEST = "manifest.json"
INDEX_PAGE = "index.html"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
TEMPORARY = ".handouts.tmp"  # the end of every temporary file a build makes, and of no other


class OutputError(Exception):
    """The output folder cannot be written as it is (a link in it, no space, no permission): one line."""


@dataclass(frozen=True)
class Output:
    """A printed job, ready to publish: its PDF and web page staged beside their final paths
    (on disk, not in memory: a library of 1,000 topics prints 8,000 PDFs), and its manifest entry."""

    pdf: Path
    html: Path
    entry: dict[str, Any]


def staged(out: Path, data: bytes, html: str, entry: dict[str, Any]) -> Output:
    """The job's files written beside their final paths, to be put in place by publish, or
    thrown away by discard. A build killed in between leaves them to remove_leftovers."""
    pdf = stage(out / entry["pdf"], data, out)
    try:
        return Output(pdf, stage(out / entry["html"], html.encode("utf-8"), out), entry)
    except BaseException:
        pdf.unlink(missing_ok=True)
        raise


def discard(outputs: list[Output]) -> None:
    """Staged files that will not be published (the build found errors, or stopped)."""
    for output in outputs:
        output.pdf.unlink(missing_ok=True)
        output.html.unlink(missing_ok=True)


def read_digest(out: Path) -> str | None:
    manifest, _ = load_manifest(out)
    digest = manifest.get("inputs_digest") if manifest else None
    return digest if isinstance(digest, str) else None


def read_manifest(out: Path) -> dict[str, dict[str, Any]]:
    """The entries of the published manifest, by PDF path; empty if there is none or it is unreadable."""
    manifest, _ = load_manifest(out)
    entries = manifest.get("handouts") if manifest else None
    if not isinstance(entries, list):
        return {}
    return {e["pdf"]: e for e in entries if isinstance(e, dict) and isinstance(e.get("pdf"), str)
            and isinstance(e.get("html"), str)}


def load_manifest(out: Path) -> tuple[dict | None, str | None]:
    """The manifest as JSON, and why it could not be read when it is there but broken."""
    path = out / MANIFEST
    if not path.exists() and not path.is_symlink():
        return None, None
    try:
        if linked(out, path) or not path.is_file():
            return None, "it is not a plain file"
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return None, "it is too big"
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        return None, f"{type(exc).__name__}: {str(exc)[:80]}"
    return (data, None) if isinstance(data, dict) else (None, "it holds no list of handouts")


def entry_for(data: bytes, **fields: Any) -> dict[str, Any]:
    return {**fields, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def publish(out: Path, outputs: list[Output], kept: list[dict[str, Any]], removed: list[dict[str, Any]],
            assets: dict[str, Path], inputs_digest: str | None = None,
            index: Callable[[list[dict[str, Any]]], str] | None = None, also: dict[str, bytes] | None = None
            ) -> None:
    """Write the assets and new outputs, drop removed ones, the index page made from every entry
    (`index`), then the manifest of new and kept entries.

    `inputs_digest` (complete builds only) lets the next build see at once that nothing changed.
    `also`: files that describe the outputs (name -> bytes), written after them and before the manifest.
    """
    entries = sorted([o.entry for o in outputs] + kept, key=lambda e: e["pdf"])
    _copy_assets(out, assets)
    for output in outputs:
        _place(output.pdf, out / output.entry["pdf"], out)
        _place(output.html, out / output.entry["html"], out)
    # After the staged files are in place: they have the leftovers' names until then.
    remove_leftovers(out, [out / e[key] for e in [*entries, *removed] for key in ("pdf", "html")]
                     + [out / name for name in (also or {})] + [out / INDEX_PAGE])
    for name, data in (also or {}).items():
        write_atomic(out / name, data, out)
    if index is not None:
        write_atomic(out / INDEX_PAGE, index(entries).encode("utf-8"), out)
    body: dict[str, Any] = {"handouts": entries}
    if inputs_digest:
        body["inputs_digest"] = inputs_digest
    manifest = json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(out / MANIFEST, manifest.encode("utf-8"), out)
    for entry in removed:
        for key in ("pdf", "html"):
            path = out / entry[key]
            if path.resolve().is_relative_to(out.resolve()) and not linked(out, path.parent):
                path.unlink(missing_ok=True)


def remove_leftovers(out: Path, finals: list[Path]) -> None:
    """Temporary files a killed build left beside the files a build publishes (never at a final
    path, but untidy). Only those: a file the build did not make is not the build's to delete.
    Each folder is listed once (a library of 1,000 topics publishes 16,000 files into two)."""
    inside = out.resolve()
    names: dict[Path, set[str]] = {}
    for final in [*finals, out / MANIFEST]:
        names.setdefault(final.parent, set()).add(final.name)
    for folder, finals_here in names.items():
        if not folder.is_dir() or not folder.resolve().is_relative_to(inside) or linked(out, folder):
            continue
        with os.scandir(folder) as found:
            # write_atomic's temporary name: "." + the final name + "." + random letters + TEMPORARY.
            leftovers = [item for item in found if item.name.startswith(".") and item.name.endswith(TEMPORARY)
                         and item.name[1:-len(TEMPORARY)].rpartition(".")[0] in finals_here
                         and item.is_file(follow_symlinks=False)]
        for leftover in leftovers:
            Path(leftover.path).unlink(missing_ok=True)


def _copy_assets(out: Path, assets: dict[str, Path]) -> None:
    """Styles, fonts and images beside the HTML pages, so dist/ can be served as it is."""
    for name, folder in assets.items():
        if folder.is_symlink() or not folder.is_dir():
            continue
        for top, _, files in os.walk(folder):  # links to folders are not followed; links to files skipped
            for source in sorted(Path(top) / f for f in files):
                if source.is_symlink() or not source.is_file() or source.name.startswith("."):
                    continue
                target = out / name / source.relative_to(folder)
                data = source.read_bytes()
                if linked(out, target) or not target.is_file() or target.read_bytes() != data:
                    write_atomic(target, data, out)


def write_atomic(path: Path, data: bytes, out: Path | None = None) -> None:
    """Replace `path` with `data` in one step; readable as the umask allows. Inside `out`, a
    folder on the way that is a link is refused (OutputError), never followed; a link at
    `path` itself is replaced by the file."""
    temporary = stage(path, data, out)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def stage(path: Path, data: bytes, out: Path | None = None) -> Path:
    """`data` in a temporary file beside `path`, complete and synced: the first half of write_atomic."""
    _refuse_links(path, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def _place(temporary: Path, path: Path, out: Path) -> None:
    """A file staged while the build printed, renamed onto `path` in one step (its folder checked
    again: it may have been changed for a link since)."""
    try:
        _refuse_links(path, out)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _refuse_links(path: Path, out: Path | None) -> None:
    if out is not None and linked(out, path.parent):
        raise OutputError(f"{path.parent} is a link; links in the output folder are never followed: remove it")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class BuildLocked(Exception):
    """Another build is writing to the same output folder."""


class OutputLock:
    """One build at a time per output folder; a second one is told, not blocked."""

    def __init__(self, out: Path):
        self.out = out

    def __enter__(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        # Appending must not touch it; O_NOFOLLOW: a link put in its place is not followed.
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW
        self.file = os.fdopen(os.open(self.out / ".build.lock", flags, 0o666), "a")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            raise BuildLocked(f"another build is writing to {self.out}; wait for it to finish") from None

    def __exit__(self, *exc) -> None:
        fcntl.flock(self.file, fcntl.LOCK_UN)
        self.file.close()
