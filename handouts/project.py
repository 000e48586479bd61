"""Where a build reads from and writes to."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent


def linked(root: Path, path: Path) -> bool:
    """Whether `path`, a folder between it and `root`, or `root` itself is a symbolic link.
    Nothing the build reads from content/ or writes to --out is ever reached through one."""
    while path != path.parent:
        if path.is_symlink():
            return True
        if path == root:
            return False
        path = path.parent
    return False


@dataclass(frozen=True)
class Project:
    """The engine's own templates and styles, the content folder, the output folder."""

    content: Path
    out: Path
    root: Path = HOME

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def images(self) -> Path:
        return self.content / "images"

    def out_problem(self) -> str | None:
        """Why the output folder cannot be used, or None: a build deletes and replaces
        files there, so it must never be the project itself or hold its sources."""
        out = self.out.resolve()
        if out.exists() and not out.is_dir():
            return f"--out {self.out} is a file, not a folder"
        for folder in (self.content, self.templates, self.styles):
            folder = folder.resolve()
            if out == folder or out.is_relative_to(folder) or folder.is_relative_to(out):
                return f"--out {self.out} would mix handouts with {folder.name}/; choose another folder (dist)"
        if out in (self.root.resolve(), Path(out.anchor)):
            return f"--out {self.out} is not a folder of its own; choose another folder (dist)"
        return None

    def published_folder(self) -> Path | None:
        """The folder at or above --out that holds published handouts (a manifest.json), if any:
        one patient's handouts (--fill) never go among them, at any depth."""
        out = Path(os.path.abspath(self.out))
        for folder in (out, *out.parents):
            if (folder / "manifest.json").exists():
                return folder
        return None

    def assets(self) -> dict[str, Path]:
        """The only folders a handout may use, by the name they have beside it in dist/
        (absolute, links not resolved: a link among them is refused, never followed)."""
        return {"styles": Path(os.path.abspath(self.styles)), "images": Path(os.path.abspath(self.images))}
