"""The versions of everything outside the content that can change a PDF.

Kept free of heavy imports: the up-to-date check reads it before anything else loads.
"""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from importlib import metadata

from .. import __version__

PACKAGES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "fonttools", "pillow", "jinja2",
            "markdown-it-py", "babel", "pydantic", "pikepdf", "segno")
SYSTEM_LIBRARIES = ("libpango-1.0", "libpangoft2-1.0", "libharfbuzz", "libharfbuzz-subset", "libfontconfig")


@lru_cache(maxsize=None)
def versions() -> str:
    """The engine's version, its printing packages' and the system libraries' under WeasyPrint."""
    found = [f"handouts={__version__}"]
    for name in PACKAGES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return ",".join(found + _system_libraries())


def _system_libraries() -> list[str]:
    """Pango, HarfBuzz (and whether its subsetter is there), fontconfig: their real file names
    carry their versions (libpango-1.0.so.0.5000.12), read without loading them."""
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return ["system-libraries=unknown"]
    found = {}
    for line in listing.splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.split(".so")[0] in SYSTEM_LIBRARIES:
            found[name.split(".so")[0]] = os.path.basename(os.path.realpath(path))
    return [f"{name}={found.get(name, 'none')}" for name in SYSTEM_LIBRARIES]
