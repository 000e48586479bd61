#!/usr/bin/env python3
"""The command: build, check, list or watch the patient handouts. See README.md."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from handouts import console, engine, report
from handouts.findings import has_errors
from handouts.press import PrintingUnavailable
from handouts.publish import read_manifest
from handouts.project import Project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project = Project(content=Path(args.content), out=Path(getattr(args, "out", "dist")))
    if args.command == "check":
        library, findings = engine.examine(project, strict=args.strict)
        console.show_findings(findings)
        if library is not None:
            print(report.table(library, findings, read_manifest(project.out)))
        return EXIT_CONTENT if has_errors(findings) else EXIT_OK
    if args.command == "list":
        jobs, findings = engine.jobs_for(project)
        console.show_findings(findings)
        for job in jobs:
            print(f"{job.pdf:<44} {job.handout.full_title}")
        return EXIT_CONTENT if has_errors(findings) else EXIT_OK
    problem = project.out_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    options = engine.BuildOptions(only=getattr(args, "only", None), lang=getattr(args, "lang", None),
                                  jobs=args.jobs, force=getattr(args, "force", False))
    try:
        if args.command == "watch":
            from handouts.watch import watch

            print(f"Watching {project.content}, templates and styles; Ctrl-C to stop.", file=sys.stderr)
            watch(project, options, lambda result: console.show_report(result, str(project.out)), console.progress)
            return EXIT_OK
        result = engine.build(project, options, progress=console.progress)
    except (engine.BuildLocked, PrintingUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_OK if args.command == "watch" else 130
    console.show_report(result, str(project.out))
    return EXIT_OK if result.ok else EXIT_CONTENT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Turn content/ into PDF patient handouts.")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="print the handouts whose content changed (default)")
    check = commands.add_parser("check", help="check the content; print findings")
    listing = commands.add_parser("list", help="list every handout a build would print")
    watch = commands.add_parser("watch", help="rebuild the affected handouts after every save")
    for sub in (parser, build, check, listing, watch):
        sub.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content)")
    for sub in (parser, build, watch):
        sub.add_argument("--out", default="dist", metavar="DIR", help="output folder (default: dist)")
        sub.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                         help="print N handouts at once (default: number of CPUs)")
    for sub in (parser, build):
        sub.add_argument("--only", metavar="TOPIC[/TIER]", help="build one topic or one of its handouts")
        sub.add_argument("--lang", metavar="L", help="build one language")
        sub.add_argument("--force", action="store_true", help="print every handout, changed or not")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.set_defaults(command="build")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


if __name__ == "__main__":
    sys.exit(main())
