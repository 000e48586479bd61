"""The live preview's state, kept up to date by two threads, pushed to open pages.

After every save, the watcher thread (the loop `watch` runs too) prepares the
content. As soon as its structure has checked clean, it renders the web pages of
the handouts whose fingerprint changed, in this process, and tells every open
page: that is the preview. When the editorial checks have run too, it keeps those
previews (or, if they found errors, brings back the last good ones) and hands the
prepared content to the printer thread, which prints with warm workers (the
handouts on screen first) and publishes through the one engine `build` and `watch`
use. A PDF printed while the rest still print is served from memory until the
build publishes it. An invalid save shows its findings and ends with the last good
previews: its new ones are never kept and never printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import threading
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Callable, Iterator

from jinja2 import TemplateError

from ..commands.watch import follow
from ..engine import BuildLocked, BuildOptions, BuildReport, Checked, build, up_to_date
from ..findings import Finding, Location, error
from ..plan.jobs import Job, Packet
from ..press.render import render
from ..press.workers import Made, Press, PrintingUnavailable, press_for
from ..project import Project
from ..publish.files import read_manifest


@dataclass(frozen=True)
class Preview:
    """A handout's web page as it prints, from the last good save."""

    job: Job
    html: str


class Live:
    """What the pages show: previews, findings, PDFs being printed, and who is looking."""

    def __init__(self, project: Project, options: BuildOptions,
                 reported: Callable[[BuildReport], None] = lambda report: None):
        self.project, self.options = project, options
        self.reported = reported  # each save's outcome, for the terminal the server runs in
        self.version = 0
        self.previews: dict[str, Preview] = {}     # by the handout's web page path, e.g. en/x-overview.html
        self._before: dict[str, Preview | None] = {}  # what previews of a save not yet fully checked replaced
        self.good: Checked | None = None           # the last save that loaded and checked clean
        self.findings: tuple[Finding, ...] = ()    # from the latest save, good or not
        self.report: BuildReport | None = None     # the last build's
        self.notes: tuple[str, ...] = ()
        self.printing: set[str] = set()            # PDF paths
        self.fresh: dict[str, bytes] = {}          # printed this build, not yet published
        self.watchers: Counter[str] = Counter()    # PDF paths on open pages
        self._lock = threading.Lock()
        self._pending: Checked | None = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listeners: set[asyncio.Queue] = set()
        self._checked_once: asyncio.Event | None = None

    # -- the two threads ---------------------------------------------------------------

    def start(self) -> None:
        """Start watching and printing (from the server's event loop)."""
        self._loop = asyncio.get_running_loop()
        self._checked_once = asyncio.Event()
        self._threads = [threading.Thread(target=self._watch, name="preview-watch", daemon=True),
                         threading.Thread(target=self._print, name="preview-print", daemon=True)]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Ask both threads to stop and end every event stream; quick, and safe to call twice."""
        self._stop.set()
        self._wake.set()
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._send, None)

    def join(self) -> None:
        """Wait for the threads: the printer finishes its document and closes its workers."""
        for thread in self._threads:
            thread.join()

    def _watch(self) -> None:
        try:
            follow(self.project, self.options, self.saved, self._stop, early=self.early)
        except Exception as exc:  # noqa: BLE001  (a bug must not end the session silently)
            print(f"error: the preview stopped watching: {exc!r}", file=sys.stderr, flush=True)

    def _print(self) -> None:
        # On the cluster when one is named (checked by the command before the server started).
        press = press_for(self.project, self.options.jobs, self.options.cluster) if self.options.cluster \
            else Press(self.project, self.options.jobs, apart=True)
        with press:
            try:
                press.warm()
            except (OSError, ImportError, BrokenProcessPool):
                pass  # the first build says what is missing (PrintingUnavailable)
            while not self._stop.is_set():
                self._wake.wait()
                self._wake.clear()
                with self._lock:
                    checked, self._pending = self._pending, None
                if checked is not None and not self._stop.is_set():
                    self._publish(press, checked)

    # -- after a save ------------------------------------------------------------------

    def early(self, checked: Checked) -> None:
        """The save's structure checked clean: show its previews now; the editorial checks follow."""
        made, problems = self._render(checked)
        if made and not problems:
            with self._lock:
                self.version += 1
                version = self.version
            self.announce("preview", version=version, ok=True, checking=True, changed=[p.job.html for p in made])

    def saved(self, checked: Checked) -> None:
        """Every check done: keep the new previews and queue the printing, or, for an
        invalid save, bring back the last good previews. Then tell the pages."""
        made, problems = self._render(checked) if checked.ok else ([], [])
        ok = checked.ok and not problems
        manifest = read_manifest(self.project.out) if ok else {}
        with self._lock:
            if ok:
                new = [self.previews[k].job for k in [*self._before, *(p.job.html for p in made)] if k in self.previews]
                self.printing |= {job.pdf for job in new if not up_to_date(job, manifest.get(job.pdf), self.project.out)}
                self.good, self._pending, self._before = checked, checked, {}
                changed = [p.job.html for p in made]
            else:
                changed = self._restore()
            self.version += 1
            self.findings = checked.findings + tuple(problems)
            version = self.version
        self.announce("preview", version=version, ok=ok, changed=changed)
        if not ok:
            self.reported(BuildReport(self.findings))
        if self._loop is not None and self._checked_once is not None:
            self._loop.call_soon_threadsafe(self._checked_once.set)
        if ok:
            self._wake.set()

    def _render(self, checked: Checked) -> tuple[list[Preview], list[Finding]]:
        """The web pages of the handouts whose fingerprint changed (all of them, or none).
        What they replace is kept until the save has passed every check."""
        made, problems = [], []
        for job in checked.jobs:
            if isinstance(job, Job):
                old = self.previews.get(job.html)
                if old is None or old.job.fingerprint != job.fingerprint:
                    try:
                        made.append(Preview(job, render(job, self.project.templates)))
                    except TemplateError as exc:
                        problems.append(_template_finding(self.project, exc))
                        break
        if problems:
            return [], problems
        wanted = {job.html for job in checked.jobs if isinstance(job, Job)}
        with self._lock:
            replaced = [p.job.html for p in made] + [k for k in self.previews if k not in wanted]
            for key in replaced:
                self._before.setdefault(key, self.previews.get(key))
            self.previews = {k: v for k, v in self.previews.items() if k in wanted}
            self.previews.update((p.job.html, p) for p in made)
        return made, []

    def _restore(self) -> list[str]:
        """Back to the previews of the last good save (under the lock); the pages to swap back."""
        restored = list(self._before)
        for key, old in self._before.items():
            if old is None:
                self.previews.pop(key, None)
            else:
                self.previews[key] = old
        self._before = {}
        return restored

    # -- printing ----------------------------------------------------------------------

    def _publish(self, press: Press, checked: Checked) -> None:
        with self._lock:
            first = set(self.watchers)
        try:
            report = build(self.project, self.options, press, self._observe, checked=checked, first=first)
        except (BuildLocked, PrintingUnavailable) as exc:
            report = BuildReport(notes=(str(exc),))
        except Exception as exc:  # noqa: BLE001  (a bug: say so on the page; the next save tries again)
            report = BuildReport(notes=(f"printing failed: {exc!r}",))
        with self._lock:
            self.report, self.notes = report, report.notes
            self.fresh.clear()  # published now, or not to be (the build found errors)
            self.printing.clear()
        self.announce("built", ok=report.ok and not report.notes, printed=list(report.printed))
        self.reported(report)

    def _observe(self, results, jobs: list[Job | Packet]) -> Iterator[Made]:
        """The engine's progress hook: each PDF as it comes off the press."""
        for job, made in zip(jobs, results):
            parts = zip(job.parts, made.parts) if isinstance(job, Packet) else ()
            for part, (_html, printed) in [(job, (made.html, made.result)), *parts]:
                with self._lock:
                    self.printing.discard(part.pdf)
                    if not isinstance(printed, str):
                        self.fresh[part.pdf] = printed.pdf
                self.announce("pdf", pdf=part.pdf, ok=not isinstance(printed, str))
            yield made

    # -- what the pages read -----------------------------------------------------------

    async def ready(self, timeout: float = 120) -> None:
        """Wait (a page request does) until the content has been read once since the start."""
        if self._checked_once is not None and not self._checked_once.is_set():
            try:
                await asyncio.wait_for(self._checked_once.wait(), timeout)
            except asyncio.TimeoutError:
                pass  # the page says what it can

    def current_findings(self) -> list[Finding]:
        """The latest save's findings, and what stopped the last build when printing did (a page too many)."""
        found = list(self.findings)
        if self.report is not None and not self.report.ok:
            found += [f for f in self.report.findings if f not in found]
        return found

    def pdf(self, path: str) -> bytes | None:
        """A PDF printed in this build but not yet published."""
        with self._lock:
            return self.fresh.get(path)

    @contextlib.contextmanager
    def watching(self, pdf: str | None) -> Iterator[None]:
        """While inside, `pdf` counts as on screen (an open page's event stream): it prints first."""
        if pdf:
            with self._lock:
                self.watchers[pdf] += 1
        try:
            yield
        finally:
            if pdf:
                with self._lock:
                    self.watchers[pdf] -= 1
                    self.watchers += Counter()  # drop the zeros

    # -- pushing to the pages ----------------------------------------------------------

    def announce(self, event: str, **data) -> None:
        """Send an event to every open page (from any thread)."""
        message = f"event: {event}\ndata: {json.dumps(data)}\n\n"
        if self._loop is not None and not self._loop.is_closed():
            try:
                self._loop.call_soon_threadsafe(self._send, message)
            except RuntimeError:  # the loop closed meanwhile: nobody is listening
                pass

    def _send(self, message: str | None) -> None:
        for queue in list(self._listeners):
            queue.put_nowait(message)

    async def stream(self, pdf: str | None):
        """Server-sent events for one open page, until it closes or the server stops."""
        queue: asyncio.Queue = asyncio.Queue()
        self._listeners.add(queue)
        try:
            with self.watching(pdf):
                yield f"retry: 1000\nevent: hello\ndata: {json.dumps({'version': self.version})}\n\n"
                while not self._stop.is_set():
                    try:
                        message = await asyncio.wait_for(queue.get(), 15)
                    except asyncio.TimeoutError:
                        message = ": still here\n\n"  # keeps proxies and browsers from timing out
                    if message is None:
                        return
                    yield message
        finally:
            self._listeners.discard(queue)


def _template_finding(project: Project, exc: TemplateError) -> Finding:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    where = Location(project.templates / name, getattr(exc, "lineno", None) or 1) if name else \
        Location(project.templates)
    return error(where, f"template error: {exc.message or exc}", "template-error")
