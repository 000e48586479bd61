"""One web application from groups of routes, served by uvicorn on a socket bound first.

A `RouteGroup` is what a responder brings: its routes and what must start and stop
with the server. The live preview is one group; others (an HL7 Infobutton
responder, say) are served beside it by passing their group too:

    run(host, port, [preview_group, infobutton_group])

The socket is bound before anything else starts, so a port in use is one line and
exit code 2, not a traceback after the preview has begun building.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable, Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.routing import BaseRoute


@dataclass(frozen=True)
class RouteGroup:
    """Routes served together, and what starts and stops with them."""

    routes: Sequence[BaseRoute]
    start: Callable[[], None] = lambda: None   # called in the server's event loop, before the first request
    stop: Callable[[], None] = lambda: None    # as the server begins to stop: quick, and safe to call twice
    wait: Callable[[], None] = lambda: None    # once it has stopped: wait for what `stop` asked to end
    name: str = ""
    banner: Sequence[str] = field(default=())  # lines printed once the server listens


LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"]


def application(groups: Sequence[RouteGroup], hosts: Sequence[str] = ("*",)) -> Starlette:
    """A Starlette application serving every group's routes, in the order given.

    `hosts`: the Host headers answered; on loopback only loopback names, so a web page
    elsewhere cannot reach the server by pointing its own name at 127.0.0.1 (DNS rebinding).
    """

    @contextlib.asynccontextmanager
    async def lifespan(app):
        started = []
        try:
            for group in groups:
                group.start()
                started.append(group)
            yield
        finally:
            for group in reversed(started):
                group.stop()
            for group in reversed(started):
                group.wait()

    return Starlette(routes=[route for group in groups for route in group.routes], lifespan=lifespan,
                     middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))])


class PortInUse(Exception):
    """The address cannot be bound (in use, or not this machine's)."""


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or PortInUse saying why in one line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                        "stop what is using it or choose another with --port") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(host: str, port: int, groups: Sequence[RouteGroup]) -> None:
    """Serve the groups on host:port until Ctrl-C; PortInUse if it cannot listen there."""
    run(bind(host, port), groups)


def run(sock: socket.socket, groups: Sequence[RouteGroup]) -> None:
    """Serve the groups on a bound socket until Ctrl-C; open event streams do not hold it up."""
    host, port = sock.getsockname()[:2]
    hosts = LOOPBACK_NAMES if ipaddress.ip_address(host).is_loopback else ["*"]
    config = uvicorn.Config(application(groups, hosts), log_level="warning", timeout_graceful_shutdown=2,
                            lifespan="on", access_log=False)
    shown = f"[{host}]" if ":" in host else host
    banner = [line.format(address=f"http://{shown}:{port}") for group in groups for line in group.banner]
    _Server(config, groups, banner).run(sockets=[sock])


class _Server(uvicorn.Server):
    """uvicorn, telling the groups to stop as soon as it is asked to: a page's event
    stream never ends by itself, and uvicorn waits for open connections."""

    def __init__(self, config: uvicorn.Config, groups: Sequence[RouteGroup], banner: Sequence[str]):
        super().__init__(config)
        self.groups, self.banner = groups, banner

    async def startup(self, sockets=None) -> None:
        """Started: the address is said once it answers and Ctrl-C is this server's to handle
        (said before, a Ctrl-C at once could land while the event loop was being made)."""
        await super().startup(sockets)
        if self.started:
            for line in self.banner:
                print(line, flush=True)

    def handle_exit(self, sig, frame) -> None:
        for group in self.groups:
            group.stop()
        super().handle_exit(sig, frame)
