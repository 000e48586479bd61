#!/usr/bin/env python3
"""The command: build, check or list the patient handouts. See README.md."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from handouts import engine
from handouts.findings import has_errors
from handouts.project import Project

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    project = Project(content=Path(args.content), out=Path(getattr(args, "out", "dist")))
    if args.command == "check":
        _, findings = engine.examine(project, strict=args.strict)
        _print_findings(findings)
        return EXIT_CONTENT if has_errors(findings) else EXIT_OK
    if args.command == "list":
        jobs, findings = engine.jobs_for(project)
        _print_findings(findings)
        for job in jobs:
            print(f"{job.pdf:<44} {job.handout.full_title}")
        return EXIT_CONTENT if has_errors(findings) else EXIT_OK
    options = engine.BuildOptions(only=args.only, lang=args.lang, jobs=args.jobs, force=args.force)
    try:
        report = engine.build(project, options)
    except engine.BuildLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _print_findings(report.findings)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if not report.ok:
        print("Nothing was published: fix the errors above and build again.", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Printed {len(report.printed)}, unchanged {len(report.unchanged)}, removed {len(report.removed)} "
          f"handouts in {project.out}/")
    return EXIT_OK


def _print_findings(findings) -> None:
    for finding in findings:
        print(finding, file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Turn content/ into PDF patient handouts.")
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="print the handouts whose content changed (default)")
    check = commands.add_parser("check", help="check the content; print findings")
    listing = commands.add_parser("list", help="list every handout a build would print")
    for sub in (parser, build, check, listing):
        sub.add_argument("--content", default="content", metavar="DIR", help="content folder (default: content)")
    for sub in (parser, build):
        sub.add_argument("--out", default="dist", metavar="DIR", help="output folder (default: dist)")
        sub.add_argument("--only", metavar="TOPIC[/TIER]", help="build one topic or one of its handouts")
        sub.add_argument("--lang", metavar="L", help="build one language")
        sub.add_argument("--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                         help="print N handouts at once (default: number of CPUs)")
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
