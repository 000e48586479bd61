"""The versions of everything outside the content that can change a PDF.

Kept free of heavy imports: the up-to-date check reads it before anything else loads.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .. import __version__

PACKAGES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "fonttools", "pillow", "jinja2",
            "markdown-it-py", "babel", "pydantic", "pikepdf", "segno")
HERE = Path(__file__).resolve().parent.parent
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


# The code a cluster worker runs to print: a worker from another checkout could print differently.
PRINTING_CODE = ("press/pdf.py", "press/tagging.py", "press/sheets.py")


@lru_cache(maxsize=None)
def engine() -> dict[str, str]:
    """This machine's printing engine, part by part: what decides a PDF's bytes besides its job.

    versions() (WeasyPrint and its libraries, Pango, HarfBuzz, fontconfig), the fonts fontconfig
    can find (a missing glyph would come from one of them) and the printing code itself.
    A cluster worker prints only when its engine() equals the building machine's.
    """
    found = dict(part.split("=", 1) for part in versions().split(","))
    found["system-fonts"] = _system_fonts()
    digest = hashlib.sha256()
    for name in PRINTING_CODE:
        digest.update(name.encode() + b"\0" + (HERE / name).read_bytes() + b"\0")
    found["printing-code"] = digest.hexdigest()[:16]
    return found


def differences(here: dict[str, str], there: dict[str, str]) -> list[str]:
    """What differs between two engines, as `name: A here, B there`."""
    return [f"{name}: {here.get(name, 'none')} here, {there.get(name, 'none')} there"
            for name in sorted(set(here) | set(there)) if here.get(name) != there.get(name)]


def _system_fonts() -> str:
    """The fonts fontconfig lists (family, style, version, file name), as a count and a digest."""
    try:
        fonts = _fontconfig_list()
    except (OSError, AttributeError):
        return "unknown"
    return f"{len(fonts)} fonts, {hashlib.sha256(chr(10).join(sorted(fonts)).encode()).hexdigest()[:16]}"


def _fontconfig_list() -> list[str]:
    """fc-list, through libfontconfig itself (the fc-list command is not always installed)."""
    library = ctypes.util.find_library("fontconfig") or "libfontconfig.so.1"
    fc = ctypes.CDLL(library)

    class FontSet(ctypes.Structure):
        _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(ctypes.c_void_p))]

    fc.FcInit.restype = ctypes.c_int
    fc.FcPatternCreate.restype = ctypes.c_void_p
    fc.FcObjectSetBuild.restype = ctypes.c_void_p
    fc.FcFontList.restype = ctypes.POINTER(FontSet)
    fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    fc.FcPatternFormat.restype = ctypes.c_void_p
    fc.FcPatternFormat.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    for name in ("FcStrFree", "FcFontSetDestroy", "FcObjectSetDestroy", "FcPatternDestroy"):
        getattr(fc, name).argtypes = [ctypes.c_void_p]
    if not fc.FcInit():
        raise OSError("fontconfig did not start")
    pattern = fc.FcPatternCreate()
    objects = fc.FcObjectSetBuild(b"family", b"style", b"fontversion", b"file", None)
    listed = fc.FcFontList(None, pattern, objects)
    try:
        found = []
        for i in range(listed.contents.nfont):
            text = fc.FcPatternFormat(listed.contents.fonts[i], b"%{family}|%{style}|%{fontversion}|%{file}")
            line = ctypes.string_at(text).decode("utf-8", "replace")
            fc.FcStrFree(text)
            family, style, version, file = line.split("|", 3)
            found.append(f"{family}|{style}|{version}|{os.path.basename(file)}")
        return found
    finally:
        fc.FcFontSetDestroy(listed)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
