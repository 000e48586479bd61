#!/usr/bin/env python3
"""The command: build, check, list, watch, serve, approve or start (new) patient handouts. See README.md."""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
from pathlib import Path

from handouts.plan import uptodate
from handouts.project import Project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
CLUSTER_ENVIRONMENT = "HANDOUTS_CLUSTER"  # a Dask scheduler's address, when --cluster is not given
ALL_CLINICS = "all"


def _terminated(signum, frame) -> None:
    raise SystemExit(128 + signum)  # so that every `finally` runs: workers stop, temporary files go


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # the command itself, not a test calling main()
        signal.signal(signal.SIGTERM, _terminated)
    args = _parser().parse_args(argv)
    clinic = getattr(args, "clinic", None)
    each_clinic = clinic == ALL_CLINICS and args.command != "list"  # into <out>/clinics/<name>/ each
    out = args.out if getattr(args, "out", None) else ("dist/clinics/" + clinic if clinic and not each_clinic
                                                      else "dist")
    project = Project(content=Path(args.content), out=Path(out))
    plain = _plain_build(args, project, clinic)
    since = uptodate.since_last_build(project, clinic) if plain else None  # the files' stats, no more
    if plain and _nothing_to_do(project, clinic, since):
        return EXIT_OK
    if args.command == "check":
        return _check(project, args.strict, ends=argv is None)
    # Loaded only now: a build with nothing to do never pays for them.
    from handouts import engine
    from handouts.commands import console
    from handouts.content.patient import FillError, read_fill
    from handouts.press.workers import PrintingUnavailable

    if args.command == "list":
        return _list(project, clinic)
    if args.command == "new":
        return _new(project, args)
    if args.command == "approve":
        return _approve(project, args)
    problem = project.out_problem()
    if problem:
        return _usage(problem)
    options = engine.BuildOptions(only=getattr(args, "only", None), lang=getattr(args, "lang", None),
                                  jobs=args.jobs, force=getattr(args, "force", False), clinic=clinic,
                                  page_size=getattr(args, "page_size", None),
                                  variant=getattr(args, "variant", None), cluster=_cluster(args))
    if each_clinic and (args.command == "watch" or args.fill or args.fill_file):
        what = "watch" if args.command == "watch" else "--fill"
        return _usage(f"--clinic {ALL_CLINICS} builds every profile; {what} takes one clinic: name it")
    if getattr(args, "cluster", None) and (args.fill or args.fill_file):
        return _usage("--fill prints on this machine only: a patient's details never travel to a cluster")
    try:
        if each_clinic:
            reports = engine.build_clinics(project, options, progress=console.progress)
            asked_wrong = [f for _, r in reports for f in r.findings if f.code in engine.USAGE_CODES.values()]
            if asked_wrong:
                return _usage(asked_wrong[0].message)
            for each, report in reports:
                console.show_report(report, str(each.out))
            return EXIT_OK if all(report.ok for _, report in reports) else EXIT_CONTENT
        if args.command == "watch":
            from handouts.commands.watch import watch

            print(f"Watching {project.content}, templates and styles; Ctrl-C to stop.", file=sys.stderr)
            signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop: the same clean exit as Ctrl-C
            watch(project, options, lambda result: console.show_report(result, str(project.out), stamp=True),
                  console.progress)
            return EXIT_OK
        if args.command == "serve":
            from handouts.commands.serve import ServeRefused, live, responder_only

            try:
                if args.infobutton_only:
                    return EXIT_OK if responder_only(project, options, args.host, args.port).ok else EXIT_CONTENT
                live(project, options, args.host, args.port)
                return EXIT_OK
            except ServeRefused as exc:
                return _usage(str(exc))
        if args.fill or args.fill_file:
            if not args.out:
                return _usage("--fill prints one patient's handouts: give them a folder of their own with --out")
            values = read_fill(args.fill, Path(args.fill_file) if args.fill_file else None)
            published = project.published_folder()
            if published is not None:
                return _usage(f"--out {project.out} is inside {published}, which holds published handouts; give "
                              "the patient's a folder of their own, outside it")
            if not args.only:
                return _usage("--fill prints exactly the handouts you ask for: name them with --only TOPIC[/TIER]")
            result = engine.fill(project, options, values, progress=console.progress)
        else:
            result = engine.build(project, options, progress=console.progress, since=since)
    except (engine.BuildLocked, engine.OutputError, PrintingUnavailable, FillError) as exc:
        return _usage(str(exc))
    except KeyboardInterrupt:
        return EXIT_OK if args.command in ("watch", "serve") else 130
    asked_wrong = [f for f in result.findings if f.code in engine.USAGE_CODES.values()]
    if asked_wrong:
        return _usage(asked_wrong[0].message)
    console.show_report(result, str(project.out))
    return EXIT_OK if result.ok else EXIT_CONTENT


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _plain_build(args, project: Project, clinic: str | None) -> bool:
    """A build of every handout into a usable output folder: one that may have nothing to do."""
    if args.command != "build" or args.force or args.only or args.lang or args.fill or args.fill_file \
            or args.page_size or args.variant:
        return False
    return clinic != ALL_CLINICS and not project.out_problem() and project.content.is_dir()


def _nothing_to_do(project: Project, clinic: str | None, since: uptodate.Since | None) -> bool:
    """Whether every input is as the last complete build found it (said so, then)."""
    if since is not None and since.changed:
        return False  # files changed since the last complete build: no need to read them all to know
    digest, read = uptodate.read_inputs(project.content, project.root, clinic)
    entries = uptodate.published(project.out, digest)
    if entries is None:
        return False
    if since is None:  # no record yet (or one of another version): the next build guesses from this one
        uptodate.remember(project, clinic, read, ((e["topic"], e["inputs"]) for e in entries),
                          {e["pdf"]: e["fingerprint"] for e in entries})
    print(f"Nothing changed: {len(entries)} handouts up to date in {project.out}/")
    return True


def _check(project: Project, strict: bool, ends: bool = False) -> int:
    """The findings, then the report. Only checking is imported: nothing of planning or printing. `ends`:
    the process ends with the check (the command itself, not a caller of main())."""
    from handouts.checks.examine import checks_memo, examined
    from handouts.commands import check_report
    from handouts.commands.console import show_findings
    from handouts.findings import has_errors
    from handouts.publish.files import read_manifest

    # What a check makes lasts until it ends, or is freed as it goes by its count of references: the collector
    # would only scan it again and again (a tenth of a check's time, and no less memory at its peak).
    collecting = gc.isenabled()
    gc.disable()
    try:
        memo = checks_memo(project)
        library, findings, units = examined(project, strict=strict, memo=memo)
        if ends:
            gc.freeze()  # nor need the collection at the process's exit scan it
        show_findings(findings)
        if library is not None:
            print(check_report.table(library, findings, read_manifest(project.out), memo=memo, units=units))
        return EXIT_CONTENT if has_errors(findings) else EXIT_OK
    finally:
        if collecting:
            gc.enable()


def _list(project: Project, clinic: str | None) -> int:
    from handouts import engine
    from handouts.commands import console
    from handouts.findings import has_errors

    library, findings = engine.examine(project)
    console.show_findings(findings)
    if library is None or has_errors(findings):
        return EXIT_CONTENT
    clinics = [clinic] if clinic and clinic != ALL_CLINICS else [None, *sorted(library.clinics)]
    clinics = clinics[1:] if clinic == ALL_CLINICS else clinics
    for name in clinics:
        jobs, problem = engine.jobs_for(project, library, engine.BuildOptions(clinic=name), fingerprints=False)
        if problem:
            return _usage(problem.message)
        folder = f"dist/clinics/{name}" if name else "dist"
        print(f"{'clinic ' + name if name else 'default clinic (content/clinic.yaml)'}, into {folder}/:")
        for job in jobs:
            print(f"  {job.pdf:<46} {job.handout.lang}  {job.variant:<8}  {job.page_size:<6}  {job.title}")
    return EXIT_OK


def _new(project: Project, args) -> int:
    from handouts.content.scaffold import ScaffoldError, new_topic

    try:
        written = new_topic(project.content, args.id, args.title)
    except ScaffoldError as exc:
        return _usage(str(exc))
    for path in written:
        print(f"wrote {os.path.relpath(path)}")
    print("Next: write the text where the files say [[...]], cite sources, choose tags, then run "
          "`python build.py check` until it passes (see the content guide in README.md).")
    return EXIT_OK


def _approve(project: Project, args) -> int:
    from handouts import engine
    from handouts.commands import console
    from handouts.commands.approve import Approval, ApprovalRefused, record
    from handouts.findings import has_errors

    library, findings = engine.examine(project)
    console.show_findings(findings)
    if library is None or has_errors(findings):
        print("Not approved: fix the errors above first; a reviewer approves what will print.", file=sys.stderr)
        return EXIT_CONTENT
    try:
        path, digest, next_review = record(library, Approval(args.topic, args.by, args.on, args.next, args.lang))
    except ApprovalRefused as exc:
        return _usage(str(exc))
    print(f"Approved {args.topic}" + (f" ({args.lang})" if args.lang != "en" else "") + f" as reviewed by "
          f"{args.by.strip()} on {args.on}, next review {next_review}: recorded in {os.path.relpath(path)} "
          f"(digest {digest}). Any later change prints as not yet re-reviewed.")
    return EXIT_OK


def _usage(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Turn content/ into PDF patient handouts.")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="print the handouts whose content changed (default)")
    check = commands.add_parser("check", help="check the content; print findings")
    listing = commands.add_parser("list", help="list every handout a build would print")
    watch = commands.add_parser("watch", help="rebuild the affected handouts after every save")
    new = commands.add_parser("new", help="start a topic from a scaffold: new topic ID --title \"...\"")
    new.add_argument("kind", choices=["topic"], help="what to start (a topic)")
    new.add_argument("id", help="the topic's id: lowercase letters, digits and hyphens")
    new.add_argument("--title", required=True, help="the topic's title, as printed")
    approve = commands.add_parser("approve", help="record a clinician's review of a topic as it reads now")
    approve.add_argument("topic", help="the topic's id")
    approve.add_argument("--by", required=True, metavar="NAME", help="who reviewed it")
    approve.add_argument("--on", required=True, type=_date, metavar="YYYY-MM-DD", help="when it was reviewed")
    approve.add_argument("--next", type=_date, metavar="YYYY-MM-DD", help="next review due (default: a year later)")
    approve.add_argument("--lang", default="en", metavar="L", help="approve its translation into L instead")
    serve = commands.add_parser("serve", help="a live preview in the browser, and the HL7 Infobutton responder")
    for sub in (parser, build, check, listing, watch, serve, new, approve):
        sub.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content)")
    for sub in (parser, build, listing, watch, serve):
        sub.add_argument("--clinic", metavar="NAME", help="use content/clinics/NAME.yaml (output: "
                         f"dist/clinics/NAME); '{ALL_CLINICS}': every profile there, each into OUT/clinics/NAME")
    for sub in (parser, build, watch, serve):
        sub.add_argument("--out", metavar="DIR", help="output folder (default: dist)")
        sub.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                         help="print N handouts at once (default: number of CPUs)")
    for sub in (parser, build):
        sub.add_argument("--only", metavar="TOPIC[/TIER]", help="build one topic or one of its handouts")
        sub.add_argument("--lang", metavar="L", help="build one language")
        sub.add_argument("--page-size", metavar="SIZE", help="build one of site.yaml's page_sizes (letter, a4)")
        sub.add_argument("--variant", metavar="NAME", help="build one of site.yaml's variants (standard, large)")
        sub.add_argument("--force", action="store_true", help="print every handout, changed or not")
        sub.add_argument("--fill", action="append", default=[], metavar="KEY=VALUE",
                         help="one patient's detail for the blanks (patient_name, next_visit); needs --out")
        sub.add_argument("--fill-file", metavar="FILE", help="the same details from a small YAML file")
        add_cluster_option(sub)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000; 0: any free one)")
    add_cluster_option(serve)
    serve.add_argument("--infobutton-only", action="store_true",
                       help="serve only the Infobutton responder and the published files, not the live preview")
    parser.set_defaults(command="build")
    return parser


def add_cluster_option(sub: argparse.ArgumentParser) -> None:
    """--cluster, for every command that prints (build, serve)."""
    sub.add_argument("--cluster", metavar="ADDRESS", help="print on the Dask scheduler at ADDRESS, e.g. "
                     f"tcp://10.0.0.5:8786 (default: ${CLUSTER_ENVIRONMENT}; unset: print here)")


def _cluster(args) -> str | None:
    """The scheduler to print on: --cluster, else $HANDOUTS_CLUSTER, else none (print here)."""
    return getattr(args, "cluster", None) or os.environ.get(CLUSTER_ENVIRONMENT) or None


def _date(text: str):
    import datetime

    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value < 65536:
        raise argparse.ArgumentTypeError("must be a port number, 0 to 65535 (0: any free one)")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _run() -> int:
    """main(), and a reader that closed the pipe early (`build.py check | head`) ends it quietly."""
    try:
        code = main()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own flush at exit must not fail
        return EXIT_OK  # the reader has all it wanted


if __name__ == "__main__":
    sys.exit(_run())
