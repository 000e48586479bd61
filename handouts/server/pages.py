"""The preview's routes: the index, a handout's pages, its current PDF, the event stream.

Every path a request names is looked up, never joined blindly: previews and
interface files by name in memory, assets and the output folder through
`files.inside`. Nothing else of the machine is reachable.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from ..commands import check_report
from ..content.load import SOURCE_LANGUAGE
from ..engine import BuildOptions, BuildReport
from ..findings import Finding
from ..plan.jobs import Job
from ..project import Project
from ..publish.files import read_manifest
from .app import RouteGroup
from .files import inside
from .live import Live

UI = Path(__file__).parent / "ui"
UI_FILES = {"live.js": "text/javascript", "live.css": "text/css"}
PRIVATE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
           "X-Frame-Options": "SAMEORIGIN"}
# The preview's own pages run its one script; a handout's page runs none and fetches only from here,
# as closed as the printer is.
UI_POLICY = {**PRIVATE, "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
             "base-uri 'none'; form-action 'none'"}
HANDOUT_POLICY = {**PRIVATE, "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                  "style-src 'self' 'unsafe-inline'; script-src 'none'; object-src 'none'; base-uri 'none'; "
                  "form-action 'none'"}


def preview_group(project: Project, options: BuildOptions,
                  reported: Callable[[BuildReport], None] = lambda report: None) -> RouteGroup:
    """The live preview as a group of routes, with its watcher and printer; `reported` is
    given each save's outcome (its findings, what it printed)."""
    live = Live(project, options, reported)
    pages = _Pages(project, live)
    get = ["GET", "HEAD"]
    routes = [Route("/", pages.index, methods=get),
              Route("/preview/{path:path}", pages.handout("preview.html.j2"), methods=get),
              Route("/panel/{path:path}", pages.handout("panel.html.j2"), methods=get),
              Route("/pages/{path:path}", pages.page, methods=get),
              Route("/pdf/{path:path}", pages.pdf, methods=get),
              Route("/dist/{path:path}", pages.output, methods=get),
              Route("/events", pages.events, methods=get),
              Route("/ui/{name}", pages.ui, methods=get)]
    return RouteGroup(routes, live.start, live.stop, live.join, "preview",
                      [f"Live preview of {project.content}: {{address}}/  (Ctrl-C to stop)"])


class _Pages:
    def __init__(self, project: Project, live: Live):
        self.project, self.live = project, live

    async def index(self, request: Request) -> Response:
        await self.live.ready()
        part = request.query_params.get("part") == "main"
        return _html("index.html.j2", part=part, **self._index())

    def handout(self, template: str):
        """A route showing one handout through `template`: its whole preview page, or the panel alone."""

        async def show(request: Request) -> Response:
            await self.live.ready()
            shown = self.live.previews.get(request.path_params["path"])
            if shown is None:
                return _missing()
            return _html(template, job=shown.job, **self._panel(shown.job))

        return show

    async def page(self, request: Request) -> Response:
        """A handout's web page exactly as it prints, or a file it uses (styles, images)."""
        await self.live.ready()
        path = request.path_params["path"]
        shown = self.live.previews.get(path)
        if shown is not None:
            return HTMLResponse(shown.html, headers=HANDOUT_POLICY)
        folder, _, rest = path.partition("/")
        assets = self.project.assets()
        found = inside(assets[folder], rest) if folder in assets else None
        return _file(request, found) if found else _missing()

    async def pdf(self, request: Request) -> Response:
        """A handout's current PDF: the one just printed, else the published one."""
        path = request.path_params["path"]
        if not path.endswith(".pdf"):
            return _missing()
        fresh = self.live.pdf(path)
        if fresh is not None:
            return Response(fresh, media_type="application/pdf", headers=PRIVATE)
        return await self.output(request)

    async def output(self, request: Request) -> Response:
        found = inside(self.project.out, request.path_params["path"])
        return _file(request, found) if found else _missing()

    async def events(self, request: Request) -> Response:
        watched = request.query_params.get("pdf")
        return StreamingResponse(self.live.stream(watched), media_type="text/event-stream", headers=PRIVATE)

    async def ui(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in UI_FILES:
            return _missing()
        return Response((UI / name).read_bytes(), media_type=UI_FILES[name], headers=PRIVATE)

    # -- what the templates show -------------------------------------------------------

    def _index(self) -> dict:
        live = self.live
        good, findings = live.good, live.current_findings()
        if good is None:
            return {"live": live, "topics": [], "findings": findings}
        manifest = read_manifest(self.project.out)
        figures = {r.handout: r for r in check_report.rows(good.library, findings, manifest)}
        topics: dict[str, tuple[str, list[dict]]] = {}  # by topic id: its title (the first language's), rows
        for job in good.jobs:
            if isinstance(job, Job):
                h = job.handout
                key = f"{h.topic}/{h.tier}" + ("" if h.lang == SOURCE_LANGUAGE else f" ({h.lang})")
                entry = manifest.get(job.pdf, {})
                topics.setdefault(h.topic, (h.title, []))[1].append(
                    {"job": job, "row": figures.get(key), "entry": entry, "state": self._pdf_state(job, entry)})
        errors = [f for f in findings if f.severity == "error"]
        return {"live": live, "topics": list(topics.values()), "findings": errors}

    def _panel(self, job: Job) -> dict:
        live = self.live
        library = live.good.library if live.good else None
        h = job.handout
        found = live.current_findings()
        mine = [f for f in found if library is None or check_report.belongs(f, library, h.topic, h.tier, h.lang)]
        entry = read_manifest(self.project.out).get(job.pdf, {})
        return {"live": live, "findings": _grouped(mine), "count": len(mine), "entry": entry,
                "state": self._pdf_state(job, entry), "failed": any(f.severity == "error" for f in live.findings)}

    def _pdf_state(self, job: Job, entry: dict) -> str:
        """printing, fresh (printed, not yet published), published, or none."""
        if job.pdf in self.live.printing:
            return "printing"
        if self.live.pdf(job.pdf) is not None:
            return "fresh"
        return "published" if entry and (self.project.out / job.pdf).is_file() else "none"


def _grouped(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by file, errors first within each, files in the order first met."""
    files: dict[str, list[Finding]] = {}
    for finding in sorted(findings, key=lambda f: (f.severity != "error", f.location)):
        files.setdefault(finding.location.shown().rsplit(":", 2)[0], []).append(finding)
    return list(files.items())


def _file(request: Request, path: Path) -> Response:
    """A file, which the browser may keep but must check again each time (fonts load once)."""
    headers = {**PRIVATE, "Cache-Control": "no-cache"}
    response = FileResponse(path, headers=headers, stat_result=os.stat(path))
    if request.headers.get("if-none-match") == response.headers["etag"]:
        return Response(status_code=304, headers={**headers, "ETag": response.headers["etag"]})
    return response


def _html(template: str, **context) -> HTMLResponse:
    return HTMLResponse(_environment().get_template(template).render(**context), headers=UI_POLICY)


def _missing() -> Response:
    return PlainTextResponse("Not found\n", status_code=404, headers=PRIVATE)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(UI), autoescape=True, trim_blocks=True, lstrip_blocks=True)
