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

from ..project import linked


@dataclass(frozen=True)
class Sheet:
    """A job ready to print: its pages of HTML (a packet's tiers, then its sources), language, date, title."""

    pages: tuple[str, ...]
    lang: str
    source_date_epoch: int  # the handout's review date: fontTools stamps subset fonts with it
    title: str | None = None
    parts: int = 0  # a packet: how many of its first pages (its tiers) are also printed on their own


class AssetFolders:
    """The project's asset folders (styles/, images/), by the name they have in dist/."""

    def __init__(self, folders: dict[str, Path]):
        self.folders = folders

    def read(self, folder: str, path: str) -> bytes | None:
        """The bytes of `path` in `folder`, or None unless it is a file inside it reached through
        no link (no `..`, no absolute path, no symbolic link on the way)."""
        if folder not in self.folders or not _plain(path):
            return None
        root = self.folders[folder]
        found = root / path
        return found.read_bytes() if found.is_file() and not linked(root, found) else None


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
        if not _plain(path):
            return None
        digest = self.files.get(f"{folder}/{posixpath.normpath(path)}")
        data = self.blobs.get(digest) if digest else None
        if data is not None and hashlib.sha256(data).hexdigest() != digest:
            return None  # never print from bytes other than the ones named
        return data


def _plain(path: str) -> bool:
    """A relative path that stays where it starts: no `..`, not absolute, not empty."""
    return bool(path) and not path.startswith("/") and ".." not in path.split("/")


def _files_inside(root: Path) -> list[Path]:
    """The files AssetFolders.read serves from `root`: under it, and reached through no link."""
    if not root.is_dir() or linked(root, root):
        return []
    found = []
    for folder, subfolders, names in os.walk(root):  # os.walk never follows a linked folder
        subfolders[:] = [name for name in subfolders if not (Path(folder) / name).is_symlink()]
        found += [Path(folder) / name for name in names
                  if not (Path(folder) / name).is_symlink() and (Path(folder) / name).is_file()]
    return sorted(found)
