"""Benchmark: build times as ratios against baselines measured in the same run.

    .venv/bin/python tests/benchmark.py [--content content] [--jobs N]

Not collected by pytest (the machines are shared and noisy: no timed tests).
Prints, for the given content library copied to a temporary folder:
  - the same HTML printed by a plain one-process WeasyPrint loop (the baseline),
  - a full cold build (worker start-up included) against that loop,
  - a no-op build (a fresh `python build.py`) against a bare Python start,
  - a one-block edit rebuild (a fresh `python build.py`) and its handouts' share of the loop,
  - watch mode: the time from saving a block to its PDF being published,
  - serve: with a handout that uses the block open in Debian's Chromium, the time from
    saving the block to the new preview laid out in the browser, and to that handout's
    new PDF being served, against loading and checking the library (the least a new
    preview can cost) and the loop's time for one document.
  - the same full build locally (--jobs 2) and on a two-worker Dask cluster on loopback
    (`dask scheduler` and two `dask worker` processes, one thread each), as a ratio,
    and the cluster's print jobs (and PDFs) per second per worker.

    .venv/bin/python tests/benchmark.py --cluster-only    just the last comparison
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handouts import engine  # noqa: E402
from handouts.engine import BuildOptions  # noqa: E402
from handouts.plan.jobs import plan  # noqa: E402
from handouts.project import HOME, Project  # noqa: E402
from handouts.press.render import render  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--content", default=str(HOME / "content"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cluster-only", action="store_true", help="only local --jobs 2 against the cluster")
    parser.add_argument("--rounds", type=int, default=1, help="alternate local and cluster builds N times")
    args = parser.parse_args()
    if not args.cluster_only:
        _one_machine(args)
    _cluster_against_local(Path(args.content), args.rounds)


def _one_machine(args) -> None:
    with tempfile.TemporaryDirectory() as folder:
        content = Path(folder) / "content"
        shutil.copytree(args.content, content)
        project = Project(content=content, out=Path(folder) / "dist")
        library, _ = engine.examine(project)
        jobs = plan(library, project)
        block = _least_shared_block(library)

        loop, documents = _plain_loop(project, jobs)
        cold = _timed(lambda: engine.build(project, BuildOptions(jobs=args.jobs)))
        start = _median(lambda: _run([sys.executable, "-c", "pass"]))
        noop = _median(lambda: _run(_command(project)))
        edited = _edit(content / "blocks" / f"{block}.yaml")
        edit = _timed(lambda: _run(_command(project) + ["--jobs", str(args.jobs)]))
        # Documents printed again: a handout that uses the block, or all three tiers of its packet.
        reprinted = sum(len(parts) for parts in (getattr(j, "parts", (j,)) for j in jobs)
                        if any(block in _block_ids(library, part) for part in parts))
        latency = _watch_latency(project, content / "blocks" / f"{block}.yaml", args.jobs)
        _edit(content / "blocks" / f"{block}.yaml", edited)
        examined = _median(lambda: engine.examine(project))
        on_screen = next(j for j in jobs if not hasattr(j, "parts") and j.variant == "standard"
                         and block in _block_ids(library, j))
        preview, announced, printed = _serve_latency(project, content / "blocks" / f"{block}.yaml", on_screen, args.jobs)

    per = loop / documents
    print(f"PDFs: {len(jobs)} ({documents} handout documents, packets included), workers: {args.jobs}, "
          f"CPUs: {os.cpu_count()}")
    print(f"plain WeasyPrint loop (baseline)   {loop:7.2f} s   {per:.3f} s a document")
    print(f"full cold build                    {cold:7.2f} s   {cold / loop:.2f} x the loop")
    print(f"bare Python start (baseline)       {start:7.3f} s")
    print(f"no-op build (python build.py)      {noop:7.3f} s   {noop / start:.2f} x a Python start")
    print(f"one-block edit '{block}' ({reprinted} documents to print again)")
    print(f"  rebuild (python build.py)        {edit:7.2f} s   {edit / (per * reprinted):.2f} x the loop's "
          f"time for those {reprinted}")
    print(f"  watch: save to published PDF     {latency:7.2f} s   {latency / (per * reprinted):.2f} x the loop's "
          f"time for those {reprinted}")
    print(f"  serve, {on_screen.html} on screen (median of {EDITS} saves):")
    print(f"    load and check the library     {examined:7.3f} s   (baseline: the least a new preview costs)")
    print(f"    save to new preview in browser {preview:7.3f} s   {preview / examined:.2f} x load and check; "
          f"target 0.3 s")
    print(f"      of which save to its event   {announced:7.3f} s   {announced / examined:.2f} x load and check "
          "(the rest: the browser loads and lays out the pages)")
    print(f"    save to its new PDF served     {printed:7.3f} s   {printed / per:.2f} x the loop's time for one "
          f"document")


def _cluster_against_local(content: Path, rounds: int) -> None:
    """The same full build printed by two local worker processes and by two Dask workers on
    loopback: the same two cores, so the ratio is the cluster's overhead (target: within 1.15x)."""
    from loopback import Loopback

    local_times, cluster_times = [], []
    with tempfile.TemporaryDirectory() as folder, Loopback(Path(folder) / "cluster") as cluster:
        cluster.scheduler()
        cluster.worker("one")
        cluster.worker("two")
        from distributed import Client

        with Client(cluster.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
        tasks = []

        def counted(results, jobs):
            tasks[:] = jobs
            return iter(results)

        for round_ in range(rounds):
            here = Project(content=content, out=Path(folder) / f"local-{round_}")
            there = Project(content=content, out=Path(folder) / f"cluster-{round_}")
            local_times.append(_timed(lambda: engine.build(here, BuildOptions(jobs=2))))
            report = None

            def on_cluster():
                nonlocal report
                report = engine.build(there, BuildOptions(cluster=cluster.address), progress=counted)

            cluster_times.append(_timed(on_cluster))
            assert report.ok, [str(f) for f in report.findings]
            same = all((here.out / p).read_bytes() == (there.out / p).read_bytes() for p in report.printed)
    local, remote = sorted(local_times)[len(local_times) // 2], sorted(cluster_times)[len(cluster_times) // 2]
    print(f"PDFs: {len(report.printed)} from {len(tasks)} print jobs (a packet's job prints its three tiers too); "
          f"byte-identical to the local build: {'yes' if same else 'NO'}; rounds: {rounds}")
    print(f"local build, --jobs 2 (baseline)   {local:7.2f} s   {len(tasks) / local / 2:.2f} jobs/s per worker")
    print(f"two-worker loopback Dask cluster   {remote:7.2f} s   {remote / local:.2f} x local (target 1.15 x)   "
          f"{len(tasks) / remote / 2:.2f} jobs/s, {len(report.printed) / remote / 2:.2f} PDFs/s per worker")


def _plain_loop(project: Project, jobs) -> tuple[float, int]:
    """The irreducible cost: the same HTML through WeasyPrint, one after another, warm."""
    import weasyprint

    # A packet is its three tiers printed again, into one PDF: the loop prints them one by one.
    pages = [render(part, project.templates) for job in jobs for part in getattr(job, "parts", (job,))]
    base = project.root.resolve().as_uri() + "/"
    weasyprint.HTML(string=pages[0], base_url=base).write_pdf(pdf_variant="pdf/ua-1")  # warm up
    started = time.perf_counter()
    for html in pages:
        weasyprint.HTML(string=html, base_url=base).write_pdf(pdf_variant="pdf/ua-1")
    return time.perf_counter() - started, len(pages)


def _watch_latency(project: Project, block: Path, jobs: int) -> float:
    from handouts.commands.watch import watch

    manifest = project.out / "manifest.json"
    stop, built = threading.Event(), threading.Event()
    thread = threading.Thread(target=watch, args=(project, BuildOptions(jobs=jobs), lambda r: built.set(),
                                                  lambda results, todo: iter(results), stop), daemon=True)
    thread.start()
    built.wait(120)
    time.sleep(0.5)
    before = manifest.stat().st_mtime_ns
    built.clear()
    started = time.perf_counter()
    _edit(block)
    while manifest.stat().st_mtime_ns == before and time.perf_counter() - started < 60:
        time.sleep(0.005)
    latency = time.perf_counter() - started
    stop.set()
    thread.join(10)
    return latency


EDITS = 5


def _serve_latency(project: Project, block: Path, job, jobs: int) -> tuple[float, float, float]:
    """Medians, over EDITS saves, of save -> new preview laid out in the browser, save -> the server's
    announcement of it, and save -> its PDF served."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(HOME / "tests"))
    from live_server import running
    from test_preview import ARGS, CHROMIUM

    previews, pdfs, events = [], [], []
    with running(project.content, project.out, "--jobs", str(jobs)) as (address, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{address}/preview/{job.html}")
        _until(page, "document.querySelector('#sheets iframe').contentDocument.body.dataset.paged === 'true'")
        page.evaluate("""pdf => {  // when the page shows a new preview, and when the server says its PDF is ready
            window.marks = {};
            new MutationObserver(() => {
                const shown = document.querySelector('#sheets iframe:not(.loading)');
                if (shown && shown.src !== window.marks.src) { window.marks.src = shown.src; window.marks.preview = Date.now(); }
            }).observe(document.getElementById('sheets'), {subtree: true, attributes: true, childList: true});
            const events = new EventSource('/events');
            events.addEventListener('pdf', e => { if (JSON.parse(e.data).pdf === pdf) window.marks.pdf = Date.now(); });
            events.addEventListener('built', () => { window.marks.built = Date.now(); });
            events.addEventListener('preview', () => { window.marks.event = window.marks.event || Date.now(); });
        }""", job.pdf)
        for _ in range(EDITS):
            time.sleep(1.0)  # idle, as an editor between saves
            page.evaluate("window.marks.preview = window.marks.pdf = window.marks.built = window.marks.event = null")
            saved = time.time()
            original = _edit(block)
            _until(page, "window.marks.preview && window.marks.pdf && window.marks.built")
            marks = page.evaluate("window.marks")
            previews.append(marks["preview"] / 1000 - saved)
            events.append(marks["event"] / 1000 - saved)
            pdfs.append(marks["pdf"] / 1000 - saved)
            page.evaluate("window.marks.built = null")
            _edit(block, original)
            _until(page, "window.marks.built")
        browser.close()
    return sorted(previews)[EDITS // 2], sorted(events)[EDITS // 2], sorted(pdfs)[EDITS // 2]


def _until(page, expression: str, seconds: float = 300) -> None:
    """Poll the page (its policy allows no script from strings, so no wait_for_function)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(expression)
        time.sleep(0.01)


def _least_shared_block(library) -> str:
    """A typical edit: a block that one handout uses."""
    uses: dict[str, int] = {}
    for topic in library.topics.values():
        for tier in ("overview", "expectations", "risks"):
            for block in getattr(topic.value.handouts, tier):
                uses[block] = uses.get(block, 0) + 1
    return min(sorted(uses), key=uses.get)


def _block_ids(library, job) -> list[str]:
    return list(getattr(library.topics[job.handout.topic].value.handouts, job.handout.tier))


def _edit(path: Path, original: str | None = None) -> str:
    text = path.read_text(encoding="utf-8")
    # An edit that changes the file (so its handouts print again) but not what they say,
    # so the edited library still passes every check.
    path.write_text(original if original is not None else text + f"# edited {time.time()}\n", encoding="utf-8")
    return text


def _command(project: Project) -> list[str]:
    return [sys.executable, str(HOME / "build.py"), "--content", str(project.content), "--out", str(project.out)]


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, cwd=HOME)


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _median(action, runs: int = 5) -> float:
    return sorted(_timed(action) for _ in range(runs))[runs // 2]


if __name__ == "__main__":
    main()
