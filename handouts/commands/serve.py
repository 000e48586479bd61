"""`serve`: the live preview with the Infobutton responder beside it, or the responder alone.

Takes the project and the build options the command line chose; gives a running server until
Ctrl-C. What the user must fix before it can start (a port in use, an unreachable cluster)
is raised as `ServeRefused`, one line, which the command prints as a usage error.
"""

from __future__ import annotations

import sys

from .. import engine
from ..press.workers import PrintingUnavailable
from ..project import Project
from . import console, infobutton

INFOBUTTON_HINT = "/infobutton?mainSearchCriteria.v.c=CODE&mainSearchCriteria.v.cs=OID"


class ServeRefused(Exception):
    """The server cannot start as asked: one line for the user."""


def live(project: Project, options: engine.BuildOptions, host: str, port: int) -> None:
    """The live preview and the responder on one server, until Ctrl-C."""
    from ..server.app import PortInUse, RouteGroup, serve
    from ..server.pages import preview_group

    if options.cluster:  # reached (and its workers checked) before the server starts: a wrong address is one line
        try:
            engine.opened_press(project, options).close()
        except PrintingUnavailable as exc:
            raise ServeRefused(str(exc)) from None
    responder = RouteGroup(infobutton.routes(project.out), name="infobutton",
                           banner=["Infobutton: {address}" + INFOBUTTON_HINT])
    try:
        serve(host, port, [preview_group(project, options, lambda report: console.show_report(
            report, str(project.out), stamp=True)), responder])
    except PortInUse as exc:
        raise ServeRefused(str(exc)) from None


def responder_only(project: Project, options: engine.BuildOptions, host: str, port: int) -> engine.BuildReport:
    """`--infobutton-only`: build what changed, then answer from what it published, until Ctrl-C.
    Returns the build's report when it found errors (nothing is served then)."""
    problem = infobutton.port_problem(host, port)
    if problem:
        raise ServeRefused(problem)
    try:
        result = engine.build(project, options, progress=console.progress)
    except (engine.BuildLocked, PrintingUnavailable) as exc:
        raise ServeRefused(str(exc)) from None
    console.show_report(result, str(project.out))
    if result.ok:
        print(f"Infobutton: http://{host}:{port}{INFOBUTTON_HINT} (Ctrl-C to stop)", file=sys.stderr)
        try:
            infobutton.run(project.out, host, port)
        except KeyboardInterrupt:
            pass
    return result
