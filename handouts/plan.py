"""Plan: expand a library into jobs, each knowing its inputs and their fingerprint.

A job is one PDF: topic x tier x language x variant x page size. Its fingerprint
hashes every input that can change the PDF, so an unchanged fingerprint means
there is nothing to do (and no reason even to import WeasyPrint).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, meta

from . import __version__
from .load import Library
from .model import TIERS, Block, Clinic, Review, Source, Strings
from .project import Project

# Python packages and system libraries whose versions can change a PDF.
PRINTING_PACKAGES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "fonttools",
                     "pillow", "jinja2", "markdown-it-py", "babel", "pydantic")
SYSTEM_LIBRARIES = ("libpango-1.0", "libpangoft2-1.0", "libharfbuzz", "libharfbuzz-subset", "libfontconfig")


@dataclass(frozen=True)
class Handout:
    """What one handout says: the resolved content of a topic's tier."""

    topic: str
    tier: str
    lang: str
    title: str
    tier_title: str
    summary: str
    blocks: tuple[Block, ...]
    sources: tuple[tuple[str, Source], ...]
    review: Review
    clinic: Clinic
    author: str
    strings: Strings
    web_address: str = ""

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.tier_title}"

    @property
    def date(self) -> datetime.date | None:
        """The date printed on the handout: its review date, never the clock."""
        return self.review.reviewed_on


@dataclass(frozen=True)
class Job:
    """One PDF to print, with everything it depends on."""

    handout: Handout
    variant: str
    page_size: str
    max_pages: int | None  # large print is allowed the pages it needs
    inputs: tuple[str, ...]
    fingerprint: str

    @property
    def stem(self) -> str:
        h = self.handout
        suffix = ("-large" if self.variant == "large" else "") + ("-a4" if self.page_size == "a4" else "")
        return f"{h.topic}-{h.tier}{suffix}"

    @property
    def pdf(self) -> str:
        return f"{self.handout.lang}/{self.stem}.pdf"

    @property
    def html(self) -> str:
        return f"{self.handout.lang}/{self.stem}.html"

    @property
    def online(self) -> str:
        """The address of this handout's page where the site is served, or ""."""
        address = self.handout.web_address
        return f"{address.rstrip('/')}/{self.html}" if address else ""


def plan(library: Library, project: Project, only: str | None = None, lang: str | None = None) -> list[Job]:
    """Every job the library asks for (optionally only TOPIC or TOPIC/TIER, one language)."""
    site = library.site.value
    shared = _shared_inputs(library, project)
    fingerprint = _Fingerprinter()
    templates_of: dict[tuple[str, frozenset[str]], list[Path]] = {}
    jobs = []
    for topic_id, topic in sorted(library.topics.items()):
        for tier in TIERS:
            if only and only not in (topic_id, f"{topic_id}/{tier}"):
                continue
            block_ids = getattr(topic.value.handouts, tier)
            blocks = tuple(library.blocks[b].value for b in block_ids)
            cited = dict.fromkeys(s for b in blocks for s in b.sources)
            settings = site.tiers[tier]
            for language in site.languages:
                if lang and language != lang:
                    continue
                strings = library.strings[language]
                handout = Handout(
                    topic=topic_id, tier=tier, lang=language, title=topic.value.title,
                    tier_title=getattr(strings.value.tiers, tier), summary=topic.value.summary, blocks=blocks,
                    sources=tuple((s, library.sources.value[s]) for s in cited),
                    review=topic.value.review, clinic=library.clinic.value, author=site.author,
                    strings=strings.value, web_address=site.web_address)
                content_files = [topic.doc.path, strings.doc.path]
                content_files += [library.blocks[b].doc.path for b in dict.fromkeys(block_ids)]
                kinds = frozenset(b.kind for b in blocks)
                if (tier, kinds) not in templates_of:
                    templates_of[tier, kinds] = _templates(project.templates, tier, kinds)
                templates = templates_of[tier, kinds]
                inputs = tuple(_relative(p, project.root) for p in [*shared[:3], *content_files])
                for variant in site.variants:
                    for page_size in site.page_sizes:
                        digest = fingerprint([*shared, *content_files, *templates],
                                              f"{tier}|{language}|{variant}|{page_size}|{settings!r}")
                        limit = settings.max_pages if variant == "standard" else None
                        jobs.append(Job(handout, variant, page_size, limit, inputs, digest))
    return jobs


def _shared_inputs(library: Library, project: Project) -> list[Path]:
    """Inputs every job reads: site, clinic and sources files (first), then all styles and fonts."""
    styles = sorted(p for p in project.styles.rglob("*") if p.is_file())
    return [library.site.doc.path, library.clinic.doc.path, library.sources.doc.path, *styles]


def _templates(folder: Path, tier: str, kinds: frozenset[str]) -> list[Path]:
    """The templates a tier's handout is made from: its own, what it extends, the block partials."""
    env = _template_env(folder)
    wanted = [f"{tier}.html.j2", *sorted(f"blocks/{kind}.html.j2" for kind in kinds)]
    seen: dict[str, None] = {}
    while wanted:
        name = wanted.pop()
        if name in seen or not (folder / name).is_file():
            continue
        seen[name] = None
        source = (folder / name).read_text(encoding="utf-8")
        wanted += [ref for ref in meta.find_referenced_templates(env.parse(source)) if ref]
    return sorted(folder / name for name in seen)


@lru_cache(maxsize=4)
def _template_env(folder: Path) -> Environment:
    return Environment(loader=FileSystemLoader(folder))


class _Fingerprinter:
    """Hashes inputs, reading each file once per plan (a watch session plans many times)."""

    def __init__(self):
        self._files: dict[Path, bytes] = {}

    def __call__(self, paths: list[Path], settings: str) -> str:
        digest = hashlib.sha256()
        digest.update(f"engine {__version__}|{_versions()}|{settings}".encode())
        for path in paths:
            if path not in self._files:
                self._files[path] = hashlib.sha256(path.read_bytes()).digest()
            digest.update(path.name.encode() + b"\0" + self._files[path] + b"\0")
        return digest.hexdigest()


@lru_cache(maxsize=None)
def _versions() -> str:
    found = []
    for name in PRINTING_PACKAGES:
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


def _relative(path: Path, root: Path) -> str:
    return os.path.relpath(path.resolve(), root.resolve())
