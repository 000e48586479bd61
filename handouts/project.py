"""Where a build reads from and writes to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent


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

    def assets(self) -> dict[str, Path]:
        """The only folders a handout may use, by the name they have beside it in dist/."""
        return {"styles": self.styles.resolve(), "images": self.images.resolve()}
