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

    def asset_folders(self) -> tuple[Path, ...]:
        """The only folders the renderer may read from."""
        return (self.templates.resolve(), self.styles.resolve(), self.images.resolve())
