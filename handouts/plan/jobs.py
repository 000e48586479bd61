"""Plan: expand a library into jobs, each knowing its inputs and their fingerprint.

A job is one PDF: topic x tier x language x variant x page size. Its fingerprint
hashes every input that can change the PDF, so an unchanged fingerprint means
there is nothing to do (and no reason even to import WeasyPrint).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, meta

from ..content import approval
from ..content.load import SOURCE_LANGUAGE, Library
from ..content.model import TIERS, Block, Clinic, Review, Source, Strings
from ..project import Project
from ..content.translations import Localized, declares, localized
from .versions import versions


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
    status: str = "draft"  # content/approval.py: draft, approved, or changed since its review
    web_address: str = ""
    fill: tuple[tuple[str, str], ...] = ()

    @property
    def filled(self) -> dict[str, str]:
        return dict(self.fill)

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.tier_title}"

    @property
    def date(self) -> datetime.date | None:
        """The date printed on the handout: its review date, never the clock."""
        return self.review.reviewed_on


class _Output:
    """Where a job's PDF and web page go: <lang>/<stem>.pdf and .html."""

    @property
    def pdf(self) -> str:
        return f"{self.handout.lang}/{self.stem}.pdf"

    @property
    def html(self) -> str:
        return f"{self.handout.lang}/{self.stem}.html"


@dataclass(frozen=True)
class Edition:
    """A printable edition a web page links to: its file beside the page and the words for it
    (a key of the strings file)."""

    href: str
    label: str
    page_size: str


def stem(topic: str, tier: str, variant: str = "standard", page_size: str = "letter") -> str:
    """A handout's file name without its extension: <topic>-<tier>[-large][-a4]; tier "packet" too."""
    return (f"{topic}-{tier}" + ("-large" if variant == "large" else "")
            + ("-a4" if page_size == "a4" else ""))


@dataclass(frozen=True)
class Job(_Output):
    """One PDF to print, with everything it depends on."""

    handout: Handout
    variant: str
    page_size: str
    max_pages: int | None  # large print is allowed the pages it needs
    inputs: tuple[str, ...]
    fingerprint: str
    editions: tuple[Edition, ...] = ()  # what its web page links to

    @property
    def stem(self) -> str:
        return stem(self.handout.topic, self.handout.tier, self.variant, self.page_size)

    @property
    def title(self) -> str:
        return self.handout.full_title

    @property
    def online(self) -> str:
        """The address of this handout's page where the site is served, or ""."""
        address = self.handout.web_address
        return f"{address.rstrip('/')}/{self.html}" if address else ""


@dataclass(frozen=True)
class Selection:
    """Which handouts a build asks for, and for whom."""

    only: str | None = None       # TOPIC or TOPIC/TIER
    lang: str | None = None
    clinic: str | None = None     # a profile in content/clinics/; None for content/clinic.yaml
    fill: tuple[tuple[str, str], ...] = ()  # one patient's details, printed into the blanks
    page_size: str | None = None  # one of site.yaml's page_sizes
    variant: str | None = None    # one of site.yaml's variants

    def wants(self, variant: str, page_size: str) -> bool:
        return self.variant in (None, variant) and self.page_size in (None, page_size)


@dataclass(frozen=True)
class Packet(_Output):
    """All three tiers of a topic in one PDF, for email."""

    parts: tuple[Job, ...]
    inputs: tuple[str, ...]
    fingerprint: str
    variant: str = "standard"
    max_pages: int | None = None

    @property
    def handout(self) -> Handout:
        return self.parts[0].handout

    @property
    def title(self) -> str:
        return f"{self.handout.title}: {self.handout.strings.packet}"

    @property
    def page_size(self) -> str:
        return self.parts[0].page_size

    @property
    def stem(self) -> str:
        return stem(self.handout.topic, "packet", page_size=self.page_size)


def plan(library: Library, project: Project, selection: Selection = Selection(), fingerprints: bool = True
         ) -> list[Job | Packet]:
    """Every job the selection asks for: each handout, then each topic's packets. Without
    `fingerprints` (a listing), no job is fingerprinted: it could not be told up to date."""
    planner = _Planner(library, project, selection, fingerprints)
    jobs: list[Job | Packet] = []
    for topic_id in sorted(library.topics):
        topic = library.topics[topic_id].value
        for language in library.site.value.languages:
            if (selection.lang and language != selection.lang) or not declares(topic, language):
                continue
            tiers = [t for t in TIERS if not selection.only or selection.only in (topic_id, f"{topic_id}/{t}")]
            made = [job for tier in tiers for job in planner.jobs(topic_id, tier, language)]
            jobs += made
            if len(tiers) == len(TIERS) and not selection.fill:
                jobs += planner.packets(made)
    return jobs


# What a packet adds to its tiers' pages: its web page and its full list of sources.
PACKET_TEMPLATES = ("packet.html.j2", "packet-sources.html.j2", "page-margins.html.j2", "source.html.j2",
                    "status.html.j2")


# A content image as blocks and clinic profiles name it.
IMAGE = re.compile(r"images/[A-Za-z0-9._-]+")


class _Planner:
    """What every job of one plan shares: the library, settings, hashes already taken."""

    def __init__(self, library: Library, project: Project, selection: Selection, fingerprints: bool = True):
        self.library, self.project, self.selection, self.fingerprints = library, project, selection, fingerprints
        self.clinic = library.clinics[selection.clinic] if selection.clinic else library.clinic
        self.shared = _shared_inputs(library, project, self.clinic.doc.path)
        self.styles = sorted(p for p in project.styles.rglob("*") if p.is_file())
        self.fingerprint = _Fingerprinter()
        self.templates: dict[tuple[str, frozenset[str]], list[Path]] = {}
        self.statuses: dict[tuple[str, str], approval.Status] = {}
        self.whole: dict[tuple[str, str], bool] = {}
        self.clinics: dict[str, Clinic] = {}  # the profile as each language prints it

    def _clinic(self, language: str) -> Clinic:
        if language not in self.clinics:
            self.clinics[language] = self.clinic.value.in_language(language)
        return self.clinics[language]

    def jobs(self, topic_id: str, tier: str, language: str) -> list[Job]:
        library, site = self.library, self.library.site.value
        topic = library.topics[topic_id]
        block_ids = getattr(topic.value.handouts, tier)
        blocks = tuple(library.blocks[b].value for b in block_ids)
        if language == SOURCE_LANGUAGE:
            text = Localized(topic.value.title, topic.value.summary, blocks)
        else:
            text = localized(library, language, topic_id, tier)
            if text is None:  # reported by check; English never stands in for a translation
                return []
        strings = library.strings[language]
        if (topic_id, language) not in self.statuses:
            self.statuses[topic_id, language] = approval.status(library, topic_id, language)
        state = self.statuses[topic_id, language]
        cited = dict.fromkeys(s for b in blocks for s in b.sources)
        handout = Handout(
            topic=topic_id, tier=tier, lang=language, title=text.title,
            tier_title=getattr(strings.value.tiers, tier), summary=text.summary, blocks=text.blocks,
            sources=tuple((s, library.sources.value[s]) for s in cited),
            review=state.review, clinic=self._clinic(language), author=strings.value.author or site.author,
            strings=strings.value, web_address=site.web_address, fill=self.selection.fill, status=state.state)
        content_files = [topic.doc.path, strings.doc.path]
        content_files += [library.blocks[b].doc.path for b in dict.fromkeys(block_ids)]
        facts, uses = library.facts, library.fact_uses
        if language != SOURCE_LANGUAGE:
            translation = library.translations[language]
            # The English approval covers the English strings: a translation's status depends on them too.
            content_files += [translation.topics[topic_id].doc.path, library.strings[SOURCE_LANGUAGE].doc.path]
            content_files += [translation.blocks[b].doc.path for b in dict.fromkeys(block_ids)]
            facts, uses = translation.facts, translation.fact_uses
        # Only the facts this handout uses, so a fact edit reprints exactly the handouts that state it.
        used = [f for f in dict.fromkeys(f for b in block_ids for f in uses.get(b, ()))]
        stated = "|".join(f"{f}={facts.value[f]}" for f in used) if facts and used else ""
        kinds = frozenset(b.kind for b in blocks)
        if (tier, kinds) not in self.templates:
            self.templates[tier, kinds] = _templates(self.project.templates, tier, kinds)
        read = [*self.shared[:3], *content_files, *([facts.doc.path] if stated else [])]
        inputs = tuple(_relative(p, self.project.root) for p in read)
        settings = site.tiers[tier]
        editions = self._editions(topic_id, tier, language)
        # What the handout prints, not the files it came from: a source nobody here cites, an
        # English edit under an unchanged translation, a comment, change nothing printed.
        printed = repr(replace(handout, fill=())) if self.fingerprints else ""
        read_too = [*self.styles, *self._images(handout), *self.templates[tier, kinds]]
        jobs = []
        for variant in site.variants:
            for page_size in site.page_sizes:
                if not self.selection.wants(variant, page_size):
                    continue
                digest = self.fingerprint(read_too, f"{printed}|{variant}|{page_size}|{settings!r}|{editions!r}") \
                    if self.fingerprints else ""
                limit = settings.max_pages if variant == "standard" else None
                jobs.append(Job(handout, variant, page_size, limit, inputs, digest, editions))
        return jobs

    def _images(self, handout: Handout) -> list[Path]:
        """The content images a handout shows: its clinic's logo and those its blocks name."""
        names = set(IMAGE.findall(" ".join(b.body for b in handout.blocks))) | {handout.clinic.logo} - {""}
        return sorted(self.library.root / name for name in names if (self.library.root / name).is_file())

    def _editions(self, topic_id: str, tier: str, language: str) -> tuple[Edition, ...]:
        """Every printable edition of a handout (each variant and page size), then its topic's packets."""
        site = self.library.site.value
        found = [Edition(stem(topic_id, tier, v, size) + ".pdf", "large_link" if v == "large" else "pdf_link", size)
                 for v in site.variants for size in site.page_sizes]
        if (topic_id, language) not in self.whole:  # every tier translated: the topic has packets
            self.whole[topic_id, language] = language == SOURCE_LANGUAGE or all(
                localized(self.library, language, topic_id, t) for t in TIERS)
        whole = self.whole[topic_id, language]
        if whole and not self.selection.fill:
            found += [Edition(stem(topic_id, "packet", page_size=size) + ".pdf", "packet_link", size)
                      for size in site.page_sizes]
        return tuple(found)

    def packets(self, jobs: list[Job]) -> list[Packet]:
        """One packet per page size, from the standard print of the three tiers."""
        packets = []
        for page_size in self.library.site.value.page_sizes:
            parts = tuple(j for j in jobs if j.variant == "standard" and j.page_size == page_size)
            if len(parts) == len(TIERS):
                inputs = tuple(dict.fromkeys(i for part in parts for i in part.inputs))
                own = [self.project.templates / name for name in PACKET_TEMPLATES]
                digest = self.fingerprint(own, "packet|" + "|".join(p.fingerprint for p in parts)) \
                    if self.fingerprints else ""
                packets.append(Packet(parts, inputs, digest))
        return packets


def _shared_inputs(library: Library, project: Project, clinic: Path) -> list[Path]:
    """The files every job is built from: site, clinic and sources (the manifest's `inputs`)."""
    return [library.site.doc.path, clinic, library.sources.doc.path]


def _templates(folder: Path, tier: str, kinds: frozenset[str]) -> list[Path]:
    """The templates a tier's handout is made from: its own, what it extends, the block partials."""
    wanted = [f"{tier}.html.j2", *sorted(f"blocks/{kind}.html.j2" for kind in kinds)]
    seen: dict[str, None] = {}
    while wanted:
        name = wanted.pop()
        if name in seen or not (folder / name).is_file():
            continue
        seen[name] = None
        source = (folder / name).read_text(encoding="utf-8")
        wanted += _references(folder, source)
    found = [folder / name for name in seen]
    if kinds & PICTOGRAM_KINDS:  # the pictograms they may draw (templates/icons/, vendored)
        found += (folder / "icons").glob("*.svg")
    return sorted(found)


PICTOGRAM_KINDS = frozenset({"schedule", "pictograms"})


@lru_cache(maxsize=256)
def _references(folder: Path, source: str) -> tuple[str, ...]:
    """The templates a template's text includes, imports or extends (parsed once per text)."""
    return tuple(ref for ref in meta.find_referenced_templates(_template_env(folder).parse(source)) if ref)


@lru_cache(maxsize=4)
def _template_env(folder: Path) -> Environment:
    return Environment(loader=FileSystemLoader(folder))


class _Fingerprinter:
    """Hashes inputs, reading each file once per plan (a watch session plans many times)."""

    def __init__(self):
        self._files: dict[Path, bytes] = {}

    def __call__(self, paths: list[Path], settings: str) -> str:
        digest = hashlib.sha256()
        digest.update(f"{versions()}|{settings}".encode())
        for path in paths:
            if path not in self._files:
                self._files[path] = hashlib.sha256(path.read_bytes()).digest()
            digest.update(path.name.encode() + b"\0" + self._files[path] + b"\0")
        return digest.hexdigest()


def _relative(path: Path, root: Path) -> str:
    # Content files are never links (load refuses them): each folder is resolved and made relative once.
    folder = _relative_folder(path.parent, root)
    return path.name if folder == "." else os.path.join(folder, path.name)


@lru_cache(maxsize=1024)
def _relative_folder(folder: Path, root: Path) -> str:
    return os.path.relpath(folder.resolve(), root.resolve())
