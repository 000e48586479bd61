"""The only way a request reaches the disk: a file below one folder, or nothing.

A request names a file by its path below a folder the server was given. Anything
else is refused before the file system is asked: empty, dot and `..` segments
(however they were encoded: the path arrives decoded), absolute paths, hidden
files, backslashes and NUL bytes. What is left is resolved, symlinks followed,
and must still lie inside the folder and be a regular file: no directory is ever
listed, no link leads out.
"""

from __future__ import annotations

from pathlib import Path


def inside(folder: Path, relative: str) -> Path | None:
    """The regular file at `relative` below `folder`, or None."""
    if not relative or "\\" in relative or "\0" in relative:
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    root = folder.resolve()
    try:
        path = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a loop of links, a name too long
        return None
    return path if path.is_relative_to(root) and path.is_file() else None
