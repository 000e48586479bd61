"""Print: HTML to PDF bytes with WeasyPrint. Pure, so it can run in a worker process.

Rendering is closed: the URL fetcher serves only files in the project's asset
folders and data: URLs. Anything WeasyPrint warns about fails the job, since a
warning means a missing font, image or style on a page a patient will read.
"""

from __future__ import annotations

import calendar
import logging
import mimetypes
import os
import shutil
import signal
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text import ffi as weasyprint_ffi
from weasyprint.text.fonts import FontConfiguration

from .tagging import tidy_structure
from ..plan.jobs import Job, Packet
from ..project import linked

# WeasyPrint's own notice when libharfbuzz-subset0 is missing: the engine tells the user once.
SUBSET_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
SUBSET_ADVICE = ("libharfbuzz-subset0 is missing, so fonts are subset by fontTools, about 7x slower; "
                 "install it with: sudo apt-get install libharfbuzz-subset0")


SITE_PATH = "/handouts-site/"


class PrintError(Exception):
    """WeasyPrint refused or warned: the job's PDF must not be published."""


@dataclass(frozen=True)
class PageUse:
    """How full a laid-out page is, and which blocks (by their place in the handout) it shows."""

    used: float                # share of the page's text area taken, 0 to 1
    blocks: tuple[int, ...]    # the blocks with boxes on it, in order


@dataclass(frozen=True)
class Printed:
    """A job's PDF; for a packet, also each of its tiers' own PDFs, from the same layout."""

    pdf: bytes
    pages: int
    parts: tuple[Printed, ...] = ()
    layout: tuple[PageUse, ...] = ()

    @property
    def headroom(self) -> float | None:
        """The free share of the last page: what a longer clinic profile or text may still use
        (None for a packet, whose pages are its handouts')."""
        return round(1 - self.layout[-1].used, 3) if self.layout else None


class ClosedFetcher(weasyprint.URLFetcher):
    """Serves the asset folders at their places in the published site, and data: URLs.

    Handouts are printed as if they stood in dist/<lang>/, beside dist/styles/ and
    dist/images/, under a made-up root (SITE): a relative link resolves the same on
    paper as on the web. No real path and no network address is ever opened.
    """

    def __init__(self, assets: dict[str, Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)
        self.assets = assets

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.resolve(url)
        if path is None:
            raise PrintError(f"refused to fetch {url}: only the project's styles and content images can be used")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})

    def resolve(self, url: str) -> Path | None:
        """The file an asset URL stands for, or None if it is not one."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc or not parts.path.startswith(SITE_PATH):
            return None
        folder, _, rest = unquote(parts.path).removeprefix(SITE_PATH).partition("/")
        if folder not in self.assets or not rest or ".." in rest.split("/"):
            return None
        path = self.assets[folder] / rest
        return path if path.is_file() and not linked(self.assets[folder], path) else None


def harfbuzz_subset_missing() -> bool:
    return weasyprint_ffi.harfbuzz_subset is None


def print_pdf(job: Job | Packet, pages: list[str], assets: dict[str, Path], title: str | None = None,
              parts: int = 0) -> Printed:
    """The PDF of a job's rendered pages (one HTML page, or a packet's, in order).

    A packet also returns the own PDF of each of its first `parts` pages (its tiers, laid out
    once for both; its last page, the full list of sources, is the packet's alone).
    Raises PrintError on any WeasyPrint warning.
    """
    # fontTools (the fallback subsetter) stamps fonts with this time: take it from the content.
    date = job.handout.date
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(date.timetuple())) if date else "0"
    fetcher = ClosedFetcher(assets)
    base = f"file://{SITE_PATH}{job.handout.lang}/"
    with _warnings_as_errors() as problems, ExitStack() as fonts:
        try:
            documents = [weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
                         .render(font_config=fonts.enter_context(_Fonts())) for html in pages]
            own = tuple(_write(d, [d]) for d in documents[:parts])
            whole = _write(documents[0], documents, title)
        except weasyprint.urls.FatalURLFetchingError as exc:
            raise PrintError(str(exc.__cause__ or exc)) from None
    if problems:
        raise PrintError("; ".join(dict.fromkeys(problems)))
    return Printed(whole.pdf, whole.pages, own, whole.layout)


def _write(first, documents: list, title: str | None = None) -> Printed:
    """One PDF of the documents' pages, tagged PDF/UA-1, its structure tree tidied (tagging.py)."""
    document = first.copy([page for d in documents for page in d.pages])
    if title:
        document.metadata.title = title
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    layout = tuple(_page_use(page) for page in document.pages) if len(documents) == 1 else ()
    return Printed(tidy_structure(pdf), len(document.pages), layout=layout)


def _page_use(page) -> PageUse:
    """Measured from WeasyPrint's boxes: the page's flow (not its margins) against its text area."""
    box = page._page_box
    flow = [child for child in box.children if type(child).__name__ != "MarginBox"]
    used = max((child.margin_height() for child in flow), default=0.0) / box.height if box.height else 1.0
    blocks = dict.fromkeys(int(b.element.get("data-block")) for b in box.descendants()
                           if getattr(b, "element", None) is not None and b.element.get("data-block") is not None)
    return PageUse(min(1.0, round(used, 4)), tuple(blocks))


class _Fonts(FontConfiguration):
    """WeasyPrint copies each @font-face into a temporary folder (/tmp/weasyprint-*) that it
    removes only when the garbage collector finalises the configuration, which a worker process
    that exits never does. This one makes the folder itself, with Ctrl-C and SIGTERM held back
    until it knows the folder's name, and removes it when the job ends, however it ends."""

    def __enter__(self) -> _Fonts:
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            self._folder = Path(tempfile.mkdtemp(prefix="weasyprint-"))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        return self

    def __exit__(self, *exc) -> None:
        if self._folder:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(SUBSET_FALLBACK):
            self.messages.append(message.strip().splitlines()[0])


class _warnings_as_errors:
    def __enter__(self) -> list[str]:
        self.logger = logging.getLogger("weasyprint")
        self.handler = _Collect()
        self.logger.addHandler(self.handler)
        self.propagate, self.logger.propagate = self.logger.propagate, False
        return self.handler.messages

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self.handler)
        self.logger.propagate = self.propagate
