"""What printing one job needs, as plain data: its pages of HTML and the assets they may use.

A Sheet is a rendered job (no content model, no templates); assets are read through
`read(folder, path)`, from the project's folders (here) or from a bundle of their
bytes keyed by SHA-256 (on a cluster worker, which has no project folders). Both
answer the same questions the same way, so a PDF is the same wherever it is printed.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sheet:
    """A job ready to print: its pages of HTML (a packet has three), language, date and title."""

    pages: tuple[str, ...]
    lang: str
    source_date_epoch: int  # the handout's review date: fontTools stamps subset fonts with it
    title: str | None = None


class AssetFolders:
    """The project's asset folders (styles/, images/), by the name they have in dist/."""

    def __init__(self, folders: dict[str, Path]):
        self.folders = folders

    def read(self, folder: str, path: str) -> bytes | None:
        """The bytes of `path` in `folder`, or None if that is not a file inside it."""
        if folder not in self.folders or not path:
            return None
        found = (self.folders[folder] / path).resolve()
        inside = found.is_relative_to(self.folders[folder]) and found.is_file()
        return found.read_bytes() if inside else None


@dataclass(frozen=True)
class AssetBundle:
    """Every asset file as `folder/path` -> SHA-256, and the bytes under each digest.

    Built here, once per build, from the same folders, and sent to each worker once.
    """

    files: dict[str, str]
    blobs: dict[str, bytes]

    @classmethod
    def of(cls, folders: dict[str, Path]) -> AssetBundle:
        files, blobs = {}, {}
        for name, root in folders.items():
            for path in _files_inside(root):
                data = path.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                files[f"{name}/{path.relative_to(root).as_posix()}"] = digest
                blobs[digest] = data
        return cls(files, blobs)

    def read(self, folder: str, path: str) -> bytes | None:
        normal = posixpath.normpath(path) if path else ""
        if not normal or normal.startswith(("../", "/")) or normal in ("..", "."):
            return None
        digest = self.files.get(f"{folder}/{normal}")
        data = self.blobs.get(digest) if digest else None
        if data is not None and hashlib.sha256(data).hexdigest() != digest:
            return None  # never print from bytes other than the ones named
        return data


def _files_inside(root: Path) -> list[Path]:
    """The files reachable under `root` whose real place is inside it (AssetFolders' rule),
    following links within the folder but never out of it nor round in a loop."""
    root = root.resolve()
    found, seen = [], set()
    if not root.is_dir():
        return found
    for folder, subfolders, names in os.walk(root, followlinks=True):
        real = Path(folder).resolve()
        if real in seen or not real.is_relative_to(root):
            subfolders[:] = []
            continue
        seen.add(real)
        for name in sorted(names):
            path = Path(folder) / name
            target = path.resolve()
            if target.is_relative_to(root) and target.is_file():
                found.append(path)
    return sorted(found)
