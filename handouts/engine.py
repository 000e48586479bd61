"""The engine: runs the stages in order for the command line.

load -> check -> plan -> (only changed jobs) render + print -> publish.
WeasyPrint is imported only when something must be printed, so a build with
nothing to do costs no more than reading and hashing the inputs. After an edit, the
handouts it most likely changed start printing first (plan/ahead.py), while the
whole library is loaded, checked and planned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from itertools import chain
from typing import Callable, Collection, Iterable, Iterator, Mapping

from .checks.examine import examine
from .findings import Finding, Location, error, has_errors
from .content.load import SOURCE_LANGUAGE, Library
from .content.model import TIERS
from .plan import ahead
from .plan.jobs import Job, Packet, Selection, plan
from .press.render import render_index
from .press.workers import Made, Press, press_for
from .project import Project
from .publish.files import BuildLocked  # noqa: F401  (the front-ends catch engine.BuildLocked)
from .publish.files import (Output, OutputError, OutputLock, discard, load_manifest, publish, read_digest,
                            read_manifest, write_atomic)
from .publish.infobutton import INDEX, build_index, index_bytes, write_index
from .publish.outcome import collect, location_of
from .plan.uptodate import Since, Stat, read_inputs, remember

Progress = Callable[[Iterable, list[Job]], Iterator]


# Findings that mean the command asked for something the content does not have: usage errors.
USAGE_CODES = {"languages": "no-such-language", "page_sizes": "no-such-page-size", "variants": "no-such-variant",
               "clinic": "no-such-clinic", "only": "no-such-handout"}


@dataclass(frozen=True)
class BuildOptions:
    only: str | None = None
    lang: str | None = None
    jobs: int = 1
    force: bool = False
    clinic: str | None = None
    page_size: str | None = None
    variant: str | None = None
    cluster: str | None = None  # a Dask scheduler's address: print there (patients' details never go)

    def selection(self, fill: tuple[tuple[str, str], ...] = ()) -> Selection:
        return Selection(self.only, self.lang, self.clinic, fill, self.page_size, self.variant)

    @property
    def partial(self) -> bool:
        """A build of some handouts only: it keeps what it did not plan."""
        return bool(self.only or self.lang or self.page_size or self.variant)


@dataclass(frozen=True)
class BuildReport:
    findings: tuple[Finding, ...] = ()
    printed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def jobs_for(project: Project, library: Library, options: BuildOptions = BuildOptions(), fingerprints: bool = True
             ) -> tuple[list[Job | Packet], Finding | None]:
    """The jobs a build of an examined library would run (not fingerprinted, for a list), or why not."""
    problem = _selection_problem(library, project, options)
    return ([], problem) if problem else (plan(library, project, options.selection(), fingerprints), None)


@dataclass(frozen=True)
class Checked:
    """The content as one moment left it: loaded, checked and planned, nothing printed yet.

    `library` is None when the findings stop a build. `digest` fingerprints the input
    files as they were just before loading (complete builds only), so a publish never
    claims to be newer than what it printed.
    """

    library: Library | None
    findings: tuple[Finding, ...]
    jobs: tuple[Job | Packet, ...] = ()
    digest: str | None = None
    stats: Mapping[str, Stat] | None = None  # each input file's stat as the digest read it (plan/ahead.py)

    @property
    def ok(self) -> bool:
        return self.library is not None


def prepare(project: Project, options: BuildOptions, fill: tuple[tuple[str, str], ...] = (),
            early: Callable[[Checked], None] | None = None,
            examined: tuple[Library | None, list[Finding]] | None = None) -> Checked:
    """Load, check and plan: what a build would print, or the findings that stop it.

    `early` (the live preview) is given the plan as soon as the content's structure has
    checked clean, with the findings so far, before the editorial checks have run. `examined`:
    what examine() already found (another clinic's build from the same library)."""
    complete = not (options.partial or fill)
    digest, stats = read_inputs(project.content, project.root, options.clinic) if complete else (None, None)
    planned: list[Job | Packet] = []

    def loaded(library: Library, findings: list[Finding]) -> None:
        if early is not None and not _selection_problem(library, project, options):
            planned.extend(plan(library, project, options.selection(fill)))
            early(Checked(library, tuple(sorted(set(findings))), tuple(planned), digest))

    library, findings = examined or examine(project, loaded=loaded)
    if library is None:  # whatever stopped it loading stops the build, whichever profile it is in
        return Checked(None, tuple(findings))
    findings = [f for f in findings if _concerns(f, project, options.clinic)]
    if has_errors(findings):
        return Checked(None, tuple(findings))
    problem = _selection_problem(library, project, options)
    if problem:
        return Checked(None, (*findings, problem))
    return Checked(library, tuple(findings), tuple(planned or plan(library, project, options.selection(fill))), digest,
                   stats)


def _profile(finding: Finding, project: Project) -> str | None:
    """The clinic profile `finding` is about: its name, "" for content/clinic.yaml, None for none."""
    path = finding.location.path
    if path.parent == project.content / "clinics" and path.suffix == ".yaml":
        return path.stem
    return "" if path == project.content / "clinic.yaml" else None


def _concerns(finding: Finding, project: Project, clinic: str | None) -> bool:
    """Whether `finding` bears on a build with `clinic`: one profile's slip holds back neither the
    other clinics' handouts nor the default profile's (`check` still reports every one)."""
    profile = _profile(finding, project)
    return profile is None or profile == (clinic or "")


def _selection_problem(library: Library, project: Project, options: BuildOptions) -> Finding | None:
    if options.clinic and options.clinic not in library.clinics:
        known = ", ".join(sorted(library.clinics)) or "none yet"
        return error(Location(project.content / "clinics"), f"no clinic profile '{options.clinic}' "
                     f"(content/clinics/{options.clinic}.yaml); profiles: {known}", "no-such-clinic")
    site = library.site.value
    for asked, offered, key in ((options.lang, site.languages, "languages"), (options.page_size, site.page_sizes,
                                "page_sizes"), (options.variant, site.variants, "variants")):
        if asked and asked not in offered:
            return error(library.site.doc.at((key,)), f"'{asked}' is not one of the {key} in site.yaml "
                         f"({', '.join(offered)})", USAGE_CODES[key])
    if options.only and not any(options.only in (topic, f"{topic}/{tier}") for topic in library.topics for tier in TIERS):
        return error(Location(project.content / "topics"), f"no topic or handout '{options.only}'; see "
                     "`python build.py list`", "no-such-handout")
    return None


def build(project: Project, options: BuildOptions = BuildOptions(), press: Press | None = None,
          progress: Progress = lambda results, jobs: iter(results), checked: Checked | None = None,
          first: Collection[str] = (), since: Since | None = None) -> BuildReport:
    """Print what changed and publish it; publish nothing if anything is wrong.

    Pass a `press` to keep its warm workers between builds (watch, serve; without one the
    build opens its own, local or on the cluster), `checked` to print content already
    prepared, and `first` (PDF paths) for the handouts someone is looking at: they are
    printed before the rest, each on its own. `since`: what changed since the last complete
    build, if the caller has looked already (plan/uptodate.py).
    """
    if press is None:
        with opened_press(project, options) as press:
            return build(project, options, press, progress, checked, first, since)
    early = Early.start(project, options, press, since) if checked is None else Early()
    checked = checked or prepare(project, options)
    if checked.library is None:
        return BuildReport(checked.findings)
    try:
        return _build(project, options, press, progress, checked, first, early)
    except OSError as exc:  # no space, no permission, a path that cannot be a folder: nothing half-written stays
        raise OutputError(f"cannot write to {project.out}: {exc.strerror or exc}") from None


@dataclass(frozen=True)
class Early:
    """Jobs handed to the press ahead of the whole plan, and what they are making."""

    jobs: tuple[Job | Packet, ...] = ()
    made: Iterator[Made] = iter(())

    @classmethod
    def start(cls, project: Project, options: BuildOptions, press: Press, since: Since | None = None) -> Early:
        """Start printing what an edit most likely changed (plan/ahead.py), where printing runs apart
        from this process: with one local worker it would only wait for the plan all the same."""
        if options.force or not isinstance(press, Press) or (press.workers < 2 and not press.apart):
            return cls()
        guessed = ahead.guess(project, options.selection(), since)
        jobs, _ = schedule(guessed, ())
        return cls(tuple(jobs), press.make(jobs, now=True)) if jobs else cls()

    def kept(self, jobs: list[Job | Packet]) -> tuple[list[Job | Packet], Iterator[Made]]:
        """Those of `jobs` printed ahead exactly as planned (equal in every field), and what they
        made, in that order."""
        planned = {job.pdf: job for job in jobs}
        same = {id(job) for job in self.jobs if planned.get(job.pdf) == job}
        return ([planned[job.pdf] for job in self.jobs if id(job) in same],
                (made for job, made in zip(self.jobs, self.made) if id(job) in same))


def schedule(todo: list[Job | Packet], first: Collection[str]) -> tuple[list[Job | Packet], set[int]]:
    """The jobs to hand the press, and (by id) the tiers wanted from the packets among them.

    A packet lays out its three tiers anyway: it prints them too, not a second time. One being
    looked at (`first`, PDF paths) is printed on its own, first: its PDF need not wait for its packet."""
    in_packets = {id(part) for job in todo if isinstance(job, Packet) for part in job.parts if part.pdf not in first}
    scheduled = sorted((job for job in todo if id(job) not in in_packets), key=lambda j: j.pdf not in first)
    return scheduled, set(map(id, todo)) - set(map(id, scheduled))


def _build(project: Project, options: BuildOptions, press: Press, progress: Progress, checked: Checked,
           first: Collection[str], early: Early) -> BuildReport:
    library, findings, jobs, digest = checked.library, list(checked.findings), checked.jobs, checked.digest
    with OutputLock(project.out):
        _, broken = load_manifest(project.out)
        published = read_manifest(project.out)
        notes: list[str] = [f"{project.out / 'manifest.json'} could not be read ({broken}): every handout is "
                            "printed again and the manifest rebuilt from scratch"] if broken else []
        todo = [j for j in jobs if options.force or not up_to_date(j, published.get(j.pdf), project.out)]
        planned = {j.pdf for j in jobs}
        kept = [published[j.pdf] for j in jobs if j not in todo]
        partial = options.partial
        stale = [e for pdf, e in published.items() if pdf not in planned]
        # A partial build keeps what it did not plan; a full one removes what no longer exists.
        kept, removed = (kept + stale, []) if partial else (kept, stale)
        outputs: list[Output] = []
        if todo:
            scheduled, wanted = schedule(todo, first)
            notes += press.notes()
            printed, made = early.kept(scheduled)  # printed ahead, as planned: not again
            ahead_of_plan = {job.pdf for job in printed}
            rest = [job for job in scheduled if job.pdf not in ahead_of_plan]
            scheduled, made = printed + rest, chain(made, press.make(rest))
            results = _with_parts(progress(made, scheduled), scheduled, wanted)
            outputs, problems = collect(results, library, project.out)
            findings += problems
        try:
            if has_errors(findings):
                discard(outputs)
                return BuildReport(tuple(findings), notes=tuple(notes))
            # Every build: coded concepts -> the published handouts (the static Infobutton export), before the
            # manifest, so a build that sees the manifest's digest current finds the export current too.
            index = index_bytes(build_index(library, [o.entry for o in outputs] + kept))
            if outputs or removed or not (project.out / "manifest.json").exists() or read_digest(project.out) != digest:
                publish(project.out, outputs, kept, removed, project.assets(), digest, _index_page(library, project),
                        also={INDEX: index})
        except BaseException:
            discard(outputs)  # what publish had not put in place yet
            raise
        write_index(project.out, index)
        if digest is not None:  # what the next build guesses an edit from
            remember(project, options.clinic, checked.stats or {}, ((j.handout.topic, j.inputs) for j in jobs),
                     {e["pdf"]: e["fingerprint"] for e in [o.entry for o in outputs] + kept})
    return BuildReport(tuple(findings), tuple(j.pdf for j in todo), tuple(e["pdf"] for e in kept),
                       tuple(e["pdf"] for e in removed), tuple(notes))


def opened_press(project: Project, options: BuildOptions) -> Press:
    """The press a build prints on: local workers, or the Dask cluster at options.cluster, which
    is reached (and its workers checked) now, so a wrong address is said before any work."""
    press = press_for(project, options.jobs, options.cluster)
    if options.cluster:
        try:
            press.warm()
        except BaseException:
            press.close()
            raise
    return press


def build_clinics(project: Project, options: BuildOptions, progress: Progress = lambda results, jobs: iter(results)
                  ) -> list[tuple[Project, BuildReport]]:
    """Build every clinic profile in content/clinics/, each into <out>/clinics/<name>/, examining
    the library once and printing on one press; each clinic is published (or not) on its own."""
    examined = library, findings = examine(project)
    shared = [f for f in findings if _profile(f, project) is None]
    names = sorted({p for f in findings if (p := _profile(f, project))} | set(library.clinics if library else ()))
    if library is None or has_errors(shared) or not names:
        none = [] if library is None or names else [
            error(Location(project.content / "clinics"), "--clinic all: there are no clinic profiles in "
                  f"{project.content / 'clinics'}/ (one YAML file per clinic)", "no-such-clinic")]
        return [(project, BuildReport((*findings, *none)))]
    reports = []
    with opened_press(project, options) as press:
        for name in names:
            each = Project(project.content, project.out / "clinics" / name, project.root)
            chosen = replace(options, clinic=name)
            if name in library.clinics:
                report = build(each, chosen, press, progress, prepare(each, chosen, examined=examined))
            else:  # the profile did not load: its findings say why, and its folder stays as it was
                report = BuildReport(tuple(f for f in findings if _profile(f, project) == name))
            if reports:  # the library's own findings are shown once, with the first clinic
                report = replace(report, findings=tuple(f for f in report.findings if f not in shared))
            reports.append((each, report))
    return reports


def _index_page(library: Library, project: Project) -> Callable[[list[dict]], str]:
    """dist/index.html from the manifest's entries, in the content's source language."""
    strings = {lang: entry.value for lang, entry in library.strings.items()}
    return lambda entries: render_index(entries, strings, SOURCE_LANGUAGE, project.templates)


def up_to_date(job: Job | Packet, entry: dict | None, out: Path) -> bool:
    """Whether `entry` (from the manifest) is what this job would print, and its files are in place."""
    if not entry or entry.get("fingerprint") != job.fingerprint:
        return False
    pdf, html = out / job.pdf, out / job.html
    return pdf.is_file() and pdf.stat().st_size == entry.get("bytes") and html.is_file()


def fill(project: Project, options: BuildOptions, values: tuple[tuple[str, str], ...],
         progress: Progress = lambda results, jobs: iter(results)) -> BuildReport:
    """Print handouts with one patient's details in their blanks, into a folder of their own.

    Nothing here is cached, written to a manifest or named after the patient: the
    values live only in the PDFs.
    """
    checked = prepare(project, options, values)
    library, findings, jobs = checked.library, checked.findings, list(checked.jobs)
    if library is None:
        return BuildReport(tuple(findings))
    with Press(project, options.jobs) as press:
        notes = press.notes()
        made = list(progress(press.make(jobs), jobs))
    problems = [error(location_of(library, job), f"{job.pdf} could not be printed: {m.result}", "print-failed")
                for job, m in zip(jobs, made) if isinstance(m.result, str)]
    if problems:
        return BuildReport((*findings, *problems), notes=tuple(notes))
    try:
        for job, m in zip(jobs, made):
            write_atomic(project.out / job.pdf, m.result.pdf, project.out)
    except OSError as exc:
        raise OutputError(f"cannot write to {project.out}: {exc.strerror or exc}") from None
    return BuildReport(tuple(findings), tuple(j.pdf for j in jobs), notes=tuple(notes))


def _with_parts(made: Iterable[Made], jobs: list[Job | Packet], wanted: set[int]) -> Iterator[tuple]:
    """(job, html, printed) for each job, then for each tier its packet printed that is wanted."""
    for job, result in zip(jobs, made):
        yield job, result.html, result.result
        if isinstance(job, Packet):
            for part, (html, printed) in zip(job.parts, result.parts):
                if id(part) in wanted:
                    yield part, html, printed
