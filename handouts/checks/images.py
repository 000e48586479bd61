"""content/images/: what a handout may show and what dist/ may publish beside it.

A picture is refused, with a finding, when it is a link (links are never followed: a
link could publish any file of the machine), when it has more pixels than a page at
300 dpi (a 10 KB PNG of 9400 x 9400 pixels takes most of a gigabyte to print), or when
it is an SVG that carries a script, an event handler, an entity or a reference to
anything outside itself (web pages show the SVG as it is).
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

from ..content.load import Library
from ..findings import Finding, Location, error

MAX_PIXELS = 2550 * 3300  # a Letter page at 300 dpi
_UNSAFE_SVG = (
    (re.compile(rb"<\s*script", re.I), "a script"),
    (re.compile(rb"\son[a-z]+\s*=", re.I), "an event handler (on...=)"),
    (re.compile(rb"<!\s*(ENTITY|DOCTYPE)", re.I), "a DOCTYPE or entity"),
    (re.compile(rb"<\s*foreignObject", re.I), "foreign HTML (foreignObject)"),
    (re.compile(rb"""href\s*=\s*["']\s*(?!#|data:image/)""", re.I), "a link to another file or address"),
    (re.compile(rb"""url\(\s*["']?\s*(?!#|data:image/)""", re.I), "a url() outside the picture"),
    (re.compile(rb"@import", re.I), "a stylesheet import"),
    (re.compile(rb"javascript:", re.I), "a javascript: address"),
)


def check(library: Library) -> list[Finding]:
    folder = library.root / "images"
    if folder.is_symlink():
        return [_link(folder)]
    if not folder.is_dir():
        return []
    found = []
    for top, folders, files in os.walk(folder):  # never follows links to folders
        for name in sorted(folders + files):
            path = Path(top) / name
            if path.is_symlink():
                found.append(_link(path))
            elif path.is_file():
                found += _picture(path)
    return found


def _link(path: Path) -> Finding:
    return error(Location(path), "a link, not a file: links are never followed (one could publish any file of this "
                 "machine); copy the picture here instead", "symlink")


def _picture(path: Path) -> list[Finding]:
    if path.suffix.lower() == ".svg":
        data = path.read_bytes()
        unsafe = [what for pattern, what in _UNSAFE_SVG if pattern.search(data)]
        if unsafe:
            return [error(Location(path), f"this SVG carries {', '.join(unsafe)}; save it again as a plain drawing "
                          "(in Inkscape: Save As, Plain SVG) without scripts or links", "unsafe-image")]
        return []
    if path.suffix.lower() in (".png", ".jpg", ".jpeg"):
        from PIL import Image

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with Image.open(path) as image:  # reads the header only
                    width, height = image.size
        except Exception:  # Pillow raises many kinds on a broken file  # noqa: BLE001
            return [error(Location(path), "not a picture Pillow can read; save it again as PNG or JPEG",
                          "unsafe-image")]
        if width * height > MAX_PIXELS:
            return [error(Location(path), f"{width} x {height} pixels is more than a page at 300 dpi "
                          f"({MAX_PIXELS:,} pixels); scale it down", "image-too-big")]
    return []
