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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.text import ffi as weasyprint_ffi

from .plan import Job

# WeasyPrint's own notice when libharfbuzz-subset0 is missing: the engine tells the user once.
SUBSET_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"
SUBSET_ADVICE = ("libharfbuzz-subset0 is missing, so fonts are subset by fontTools, about 7x slower; "
                 "install it with: sudo apt-get install libharfbuzz-subset0")


class PrintError(Exception):
    """WeasyPrint refused or warned: the job's PDF must not be published."""


@dataclass(frozen=True)
class Printed:
    """A job's PDF."""

    pdf: bytes
    pages: int


class ClosedFetcher(weasyprint.URLFetcher):
    """Serves files under the asset folders and data: URLs; refuses everything else."""

    def __init__(self, folders: tuple[Path, ...]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True)
        self.folders = folders

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.folders) and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        raise PrintError(f"refused to fetch {url}: only the project's templates, styles and content images "
                         "can be used")


def harfbuzz_subset_missing() -> bool:
    return weasyprint_ffi.harfbuzz_subset is None


def print_pdf(job: Job, html: str, root: Path, asset_folders: tuple[Path, ...]) -> Printed:
    """The PDF of a rendered job; raises PrintError on any WeasyPrint warning."""
    # fontTools (the fallback subsetter) stamps fonts with this time: take it from the content.
    date = job.handout.date
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(date.timetuple())) if date else "0"
    fetcher = ClosedFetcher(asset_folders)
    with _warnings_as_errors() as problems:
        try:
            document = weasyprint.HTML(string=html, base_url=root.resolve().as_uri() + "/",
                                       url_fetcher=fetcher).render()
            pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
        except weasyprint.urls.FatalURLFetchingError as exc:
            raise PrintError(str(exc.__cause__ or exc)) from None
    if problems:
        raise PrintError("; ".join(dict.fromkeys(problems)))
    return Printed(pdf, len(document.pages))


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
