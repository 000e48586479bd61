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

Scale mode: how the command grows with the library (issue 20), on synthetic libraries of
4, 100 and 1,000 topics (tests/synthetic_library.py: the content copied with new ids and
words of their own, English and Spanish), each in a fresh process, as ratios and growth
exponents between sizes:

    .venv/bin/python tests/benchmark.py --scale [4,100,1000] [--code DIR] [--work DIR] [--build-limit N]

  - `check` cold (no memo: an empty HANDOUTS_CACHE) and after a one-block edit (the memo kept),
    and `list`, with the content's own site.yaml;
  - with a trimmed site.yaml (letter, standard print; English and Spanish): a complete build, then
    a no-op build (a fresh `build.py` with nothing to do) and the planning of a one-block edit
    (`build.py` from the start of a fresh process to the moment it hands its first jobs to the
    printer, and to the moment its whole plan does; the memo and the build's record as an edit
    built, restored and built again left them);
  - each child's peak memory (its largest process), from wait4().
`--code DIR` measures another checkout (a git worktree of an older commit: the "before") with
this checkout's generator. A complete build of 1,000 topics prints 8,000 PDFs (most of an
hour here): `--work DIR` keeps the libraries and builds there, and a later run's complete build
prints only what that checkout finds changed; `--build-limit N` leaves the build rows out above
N topics.
"""

from __future__ import annotations

import argparse
import json
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
from synthetic_library import edit_block, restore, synthesize  # noqa: E402  (beside this file)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--content", default=str(HOME / "content"))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cluster-only", action="store_true", help="only local --jobs 2 against the cluster")
    parser.add_argument("--rounds", type=int, default=1, help="alternate local and cluster builds N times")
    parser.add_argument("--scale", nargs="?", const="4,100,1000", metavar="N,N,...",
                        help="scale mode: libraries of these many topics (default 4,100,1000)")
    parser.add_argument("--code", type=Path, default=HOME, help="scale mode: the checkout to measure")
    parser.add_argument("--work", type=Path, help="scale mode: keep libraries and builds here between runs")
    parser.add_argument("--build-limit", type=int, help="scale mode: no builds above this many topics")
    args = parser.parse_args()
    if args.scale:
        _scale(args)
        return
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


# Scale mode (issue 20) --------------------------------------------------------------------------

# The targets for 1,000 topics on a quiet 2-core machine: seconds, and MB of peak memory.
TARGETS = {"check cold": 15, "check after a one-block edit": 2, "no-op build": 1.5, "plan a one-block edit": 1}
MEMORY_TARGET_MB = 1500
LONG_RUN = 30  # seconds: a run this long is measured once (the noise is a small share of it)
PLANNING = "plan a one-block edit"
WHOLE = "  until the whole plan hands over its jobs"
COMPLETE = "complete build (trimmed site; see notes)"
ROWS = ("check cold", "check after a one-block edit", "list", COMPLETE, "no-op build",
        PLANNING, WHOLE)
# Run in a fresh process with the measured checkout first on the path: `build.py` itself (its main(),
# with its no-op test first), except that the printer is a stand-in press that notes the moments it is
# handed jobs: a print-ahead (engine.Early, handed the jobs an edit most likely changed before the library
# is checked: `printing`) and the whole plan's (`planned`, then the build stops: nothing is printed or
# published). A checkout without print-ahead hands over jobs once: both moments are that one.
PLAN_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import build
from handouts import engine
from handouts.press.workers import Press

marks = {}

class Planned(BaseException):
    pass

class Printer(Press):
    def notes(self):
        return []

    def make(self, jobs, now=False):
        marks.setdefault("printing", time.time())
        marks.setdefault("jobs", len(jobs))
        if now:  # printed ahead: nothing comes back, so the build plans and hands them over again
            return iter(())
        marks.update(planned=time.time(), planned_jobs=len(jobs))
        raise Planned

engine.opened_press = lambda project, options: Printer(project, options.jobs)
try:
    code = build.main(["--content", sys.argv[2], "--out", sys.argv[3], "--jobs", sys.argv[4]])
    marks["exit"] = code
except Planned:
    pass
print(json.dumps(marks))
"""


# Starts the command from a small process and reports it. Not from the benchmark itself: Linux counts
# the memory a process had before it exec'd into a child's peak, so a child of this process (which
# has read a 1,000-topic library) would never seem smaller than it. wait4 gives the child's own usage,
# whose peak covers the workers it reaped; the time runs from fork to exit, the launcher's start aside.
LAUNCHER = """
import json, os, sys, time
report, command = sys.argv[1], sys.argv[2:]
launched, started = time.time(), time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
with open(report, "w") as out:
    json.dump({"launched": launched, "seconds": seconds, "peak_kb": usage.ru_maxrss}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Run:
    """One command in a fresh process: its wall time, its largest process's peak memory, its output."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str], log: Path):
        report = log.with_suffix(".run.json")
        with open(log, "w+", encoding="utf-8") as out:
            self.code = subprocess.run([sys.executable, "-c", LAUNCHER, str(report), *command], cwd=cwd, env=env,
                                       stdout=out, stderr=subprocess.STDOUT).returncode
            out.seek(0)
            self.output = out.read()
        measured = json.loads(report.read_text())
        self.launched, self.seconds, self.log = measured["launched"], measured["seconds"], log
        self.peak_mb = measured["peak_kb"] / 1024

    def last_line(self) -> str:
        return (self.output.strip().splitlines() or [""])[-1]


def _scale(args) -> None:
    sizes = [int(n) for n in args.scale.split(",")]
    code, source = args.code.resolve(), Path(args.content).resolve()
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="scale-"))
    work.mkdir(parents=True, exist_ok=True)
    block = _edited_block(source)
    bare = [Run([sys.executable, "-c", "pass"], work, dict(os.environ), work / "python.log") for _ in range(5)]
    start = _median_of(bare)
    print(f"Scale: code {_describe(code)}; library: {source} copied (tests/synthetic_library.py); "
          f"CPUs: {os.cpu_count()}; bare Python start (baseline): {start:.3f} s, {bare[0].peak_mb:.0f} MB",
          flush=True)
    results, notes, topics = {}, [], []
    try:
        for n in sizes:
            began, load = time.perf_counter(), os.getloadavg()
            folder = work / f"{n}-topics"
            folder.mkdir(exist_ok=True)
            lib = synthesize(source, folder / "content", n)
            generated = time.perf_counter() - began
            count = len(list((lib / "topics").glob("*.yaml")))
            topics.append(count)
            copies = -(-n // len(list((source / "topics").glob("*.yaml"))))
            edited = block if copies == 1 else f"{block}-c{copies - 1:04d}"
            results[count] = _one_size(args, n, code, lib, folder, edited, notes)
            blocks = len(list((lib / "blocks").glob("*.yaml")))
            print(f"  {count} topics ({blocks} blocks, in English and Spanish): "
                  f"generated in {generated:.1f} s, measured in {time.perf_counter() - began:.0f} s; load average "
                  f"before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; one-block edits to '{edited}'")
            # As each size ends, so that a long run that fails later still leaves its numbers.
            print("    " + "; ".join(f"{row.strip()} {_median_of(runs):.2f} s, {max(r.peak_mb for r in runs):.0f} "
                                     "MB" for row, runs in results[count].items()), flush=True)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    _table("seconds (median of 3; 1 run if over 30 s)", results, topics, lambda runs: _median_of(runs), start,
           TARGETS, "{:9.2f}")
    _table("peak memory, MB (largest process)", results, topics,
           lambda runs: max(r.peak_mb for r in runs), None, {k: MEMORY_TARGET_MB for k in ROWS}, "{:9.0f}",
           ROWS[:-1])  # the whole plan is a moment of the planning run: the same process, the same memory
    for note in notes:
        print(note)


def _one_size(args, n: int, code: Path, lib: Path, folder: Path, block: str, notes: list[str]) -> dict:
    """Every row for one library: lists of runs by row."""
    python, build = sys.executable, str(code / "build.py")
    memo = folder / "memo"
    env = {**os.environ, "HANDOUTS_CACHE": str(memo)}
    runs = 3  # a median of three, unless one run takes longer than LONG_RUN
    rows: dict[str, list] = {}

    def run(row: str, command: list[str], each=None, undo=None) -> list[Run]:
        for i in range(runs if row != COMPLETE else 1):
            print(f"    {n} topics: {row} ({i + 1})", file=sys.stderr, flush=True)
            done = each(i) if each else None
            log = folder / f"{row.split(' (')[0].replace(' ', '-')}-{i}.log"
            rows.setdefault(row, []).append(Run(command, folder, env, log))
            if undo:
                undo(done)
            if rows[row][0].seconds > LONG_RUN:
                break
        return rows[row]

    check = [python, build, "check", "--content", str(lib)]
    run("check cold", check, each=lambda i: shutil.rmtree(memo, ignore_errors=True))

    def edit(i: int) -> dict[Path, str]:
        return edit_block(lib, block, f"(edit {i + 1})")

    run("check after a one-block edit", check, each=edit, undo=restore)
    run("list", [python, build, "list", "--content", str(lib)])
    for row in ("check cold", "check after a one-block edit", "list"):
        _clean(rows[row], row, n, notes)
    if args.build_limit is not None and n > args.build_limit:
        notes.append(f"{n} topics: builds not measured (--build-limit {args.build_limit})")
        return rows
    _trim(lib / "site.yaml")
    out, jobs = str(folder / "build"), str(args.jobs)
    # At low priority: others share this machine, and this build's time is context, not a measurement.
    complete = run(COMPLETE, ["nice", "-n", "10", python, build, "--content", str(lib), "--out", out,
                              "--jobs", jobs])
    notes.append(f"{n} topics, complete build (at nice 10; a kept build is only topped up): "
                 f"{complete[0].last_line()}")
    if complete[0].code:
        notes.append(f"{n} topics: the complete build failed (see {complete[0].log}): no build rows")
        return rows
    # As an editor's builds leave things: the record of a complete build (plan/ahead.py) and the memo.
    # A kept build had nothing to do and left neither; an edit built and restored and built again
    # does (untimed, and at the end the published build is the library's again).
    builder = [python, build, "--content", str(lib), "--out", out, "--jobs", jobs]
    edited = edit(-1)
    Run(builder, folder, env, folder / "warm-up-edited.log")
    restore(edited)
    Run(builder, folder, env, folder / "warm-up-restored.log")
    for noop in run("no-op build", builder):
        if not noop.output.startswith("Nothing changed"):
            notes.append(f"{n} topics: a no-op build did work: {noop.last_line()} ({noop.log})")
    planned = run(PLANNING, [python, "-c", PLAN_CHILD, str(code), str(lib), out, jobs],
                  each=edit, undo=restore)
    for plan_run in planned:
        marks = json.loads(plan_run.last_line()) if plan_run.code == 0 else {}
        if "planned" not in marks:
            notes.append(f"{n} topics: planning did not reach the printer cleanly ({plan_run.log}): {marks}")
            rows.pop(PLANNING, None)
            return rows
        plan_run.seconds, whole = marks["printing"] - plan_run.launched, marks["planned"] - plan_run.launched
        rows.setdefault(WHOLE, []).append(_Mark(whole, plan_run.peak_mb))
    notes.append(f"{n} topics, planning a one-block edit: {marks['jobs']} print job(s) handed to the printer first, "
                 f"{marks['planned_jobs']} by the whole plan (a packet's job prints its tiers too)")
    return rows


class _Mark:
    """A moment within a run, measured like a run."""

    def __init__(self, seconds: float, peak_mb: float):
        self.seconds, self.peak_mb = seconds, peak_mb


def _clean(runs: list[Run], row: str, n: int, notes: list[str]) -> None:
    """A run that failed or found anything in a library meant to be clean is said, not hidden."""
    for r in runs:
        errors, warnings = r.output.count(": error: "), r.output.count(": warning: ")
        if r.code or errors or warnings:
            notes.append(f"{n} topics, {row}: exit {r.code}, {errors} errors, {warnings} warnings (see {r.log})")


def _trim(site: Path) -> None:
    """One page size and one variant, both languages; each tier one page longer, because a copy's
    "(copy N)" words can push a handout that fills its pages exactly onto one more."""
    import re

    text, done = site.read_text(encoding="utf-8"), 0
    for pattern, replacement in ((r"(?m)^page_sizes:.*$", "page_sizes: [letter]"),
                                 (r"(?m)^variants:.*$", "variants: [standard]"),
                                 (r"max_pages: (\d+)", lambda m: f"max_pages: {int(m.group(1)) + 1}")):
        text, count = re.subn(pattern, replacement, text)
        done += bool(count)
    if done != 3:
        raise SystemExit(f"{site}: cannot trim (no page_sizes, variants or max_pages)")
    site.write_text(text, encoding="utf-8")


def _edited_block(source: Path) -> str:
    """The block a one-block edit changes: one that a single handout uses and that names no fact."""
    import yaml

    uses: dict[str, int] = {}
    for topic in sorted((source / "topics").glob("*.yaml")):
        for ids in yaml.safe_load(topic.read_text(encoding="utf-8"))["handouts"].values():
            for block in ids:
                uses[block] = uses.get(block, 0) + 1
    plain = [b for b in sorted(uses) if "[[" not in (source / "blocks" / f"{b}.yaml").read_text(encoding="utf-8")]
    return min(plain, key=uses.get)


def _describe(code: Path) -> str:
    def git(*words: str) -> str:
        return subprocess.run(["git", "-C", str(code), *words], capture_output=True, text=True).stdout

    status = git("status", "--porcelain", "--untracked-files=no")
    changed = [line.split(maxsplit=1)[1] for line in status.splitlines()]
    subject = git("log", "-1", "--format=%h %s").strip()
    return (f"{code} at {subject if len(subject) < 72 else subject[:70] + '...'}"
            + (f" (with local changes: {', '.join(changed)})" if changed else ""))


def _median_of(runs) -> float:
    times = sorted(r.seconds for r in runs)
    return times[len(times) // 2]


def _table(title: str, results: dict, topics: list[int], value, start: float | None, targets: dict, number: str,
           rows: tuple[str, ...] = ROWS):
    """One row per measurement: a column per size, the growth exponent between sizes, the largest
    size against the smallest (and against a bare Python start), and the issue's target."""
    import math

    pairs = list(zip(topics, topics[1:]))
    head = f"{title:<44}" + "".join(f"{f'{n} topics':>12}" for n in topics)
    head += "".join(f"{f'n^ {a}->{b}':>14}" for a, b in pairs)
    head += f"{f'{topics[-1]} / {topics[0]}':>12}" * (len(topics) > 1) + f"{'/ Python':>10}" * bool(start)
    print("\n" + head + f"{'target':>9}")
    for row in rows:
        values = [value(results[n][row]) if row in results[n] else None for n in topics]
        if not any(values):
            continue
        line = f"{row:<44}" + "".join(f"{number.format(v):>12}" if v else f"{'-':>12}" for v in values)
        for (a, b), (x, y) in zip(pairs, zip(values, values[1:])):
            line += f"{math.log(y / x) / math.log(b / a):14.2f}" if x and y else f"{'-':>14}"
        if len(topics) > 1:
            line += f"{values[-1] / values[0]:11.1f}x" if values[0] and values[-1] else f"{'-':>12}"
        if start:
            line += f"{values[-1] / start:9.0f}x" if values[-1] else f"{'-':>10}"
        print(line + (f"{targets[row]:>9}" if row in targets else ""))


if __name__ == "__main__":
    main()
