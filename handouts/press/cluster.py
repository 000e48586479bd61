"""Print on a Dask cluster: the local Press's interface, the printing done by Dask workers.

This process still loads, checks, plans, renders and publishes; a worker only prints.
Each task carries its Sheet (the job's HTML, language, date and title) and a reference
to the build's AssetBundle (asset names -> SHA-256, and the bytes under them), which is
copied to every worker once and read through the same closed fetcher; a worker needs
the pinned environment and this package, not the content tree.

Same bytes everywhere: before printing, every worker's engine (plan.versions.engine:
WeasyPrint, Pango, HarfBuzz, fontconfig, system fonts, printing code) is compared with
this machine's. A worker plugin gives each matching worker, and each worker that joins
or replaces one later, a Dask resource that every print task requires; a worker that
differs never gets it, so it never prints, and the build says why. Each task checks
again on the worker before it prints.

Dask's scheduler does the rest: tasks of a worker that dies are given to another (its
nanny starts a new one), and results come back as they finish, in the plan's order.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import cloudpickle
from distributed import Client
from distributed.comm import connect
from distributed.comm.addressing import parse_address, parse_host_port
from distributed.security import Security

from ..plan.jobs import Job, Packet
from ..plan.versions import differences, engine
from ..project import Project
from . import admission
from .sheets import AssetBundle, Sheet
from .workers import Made, PrintingUnavailable, made, prepare_one, print_sheet

ENVIRONMENT = "HANDOUTS_CLUSTER"  # the scheduler's address when --cluster is not given
CONNECT_SECONDS = 4        # an unreachable scheduler is an error within 10 s of the command starting
WAIT_FOR_WORKERS = 10      # seconds to wait for a first worker on a scheduler that has none
NO_WORKER_LIMIT = 60       # seconds a build waits while no worker able to print is left
ATTEMPTS = 3               # a job whose task is lost (its worker and the bundle's copies gone) is sent again


class ClusterUnavailable(PrintingUnavailable):
    """The scheduler cannot be reached, or none of its workers can print the same bytes as here."""


class MismatchedWorker(Exception):
    """Raised on a worker whose engine differs from the building machine's."""


class ClusterPress:
    """Renders here, prints on the workers of the Dask scheduler at `address`."""

    def __init__(self, project: Project, address: str):
        self.project, self.address = project, address
        self.here = engine()
        digest = hashlib.sha256(repr(sorted(self.here.items())).encode()).hexdigest()
        self.resource = "handouts-engine-" + digest[:12]  # the Dask resource only matching workers hold
        self._client = None
        self._refused: dict[str, str] = {}
        self._able: list[str] = []
        self._bundle = None

    def notes(self) -> list[str]:
        """Who prints: the matching workers, and each worker refused and why (checked anew each build)."""
        able = self._able = self._admit()
        notes = [f"printing on {len(able)} Dask worker{'s' if len(able) != 1 else ''} at {self.address}"]
        return notes + [f"refused worker {w}: {why}" for w, why in sorted(self._refused.items())]

    def warm(self) -> None:
        self._able = self._admit()

    def make(self, jobs: list[Job | Packet]) -> Iterator[Made]:
        """What each job made, in order, each as soon as it and those before it are printed."""
        self._able = self._able or self._admit()
        prepared, futures = [], []
        for job in jobs:  # rendered here, each sent as soon as it is: the workers start at once
            prepared.append(prepare_one(job, self.project))
            futures.append(None if isinstance(prepared[-1], Made) else self._submit(prepared[-1][1]))
        try:
            for i, entry in enumerate(prepared):
                if isinstance(entry, Made):  # a template error: nothing to print
                    yield entry
                    continue
                html, sheet = entry
                yield made(html, sheet, self._result(futures, i, sheet))
                futures[i] = None
        finally:
            self._client.cancel([f for f in futures if f is not None])

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> ClusterPress:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _connect(self):
        if self._client is None:
            try:
                _answers(self.address)
                self._client = Client(self.address, timeout=CONNECT_SECONDS, set_as_default=False)
            except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address...
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise ClusterUnavailable(f"cannot reach the Dask scheduler at {self.address}: {reason}") from None
        return self._client

    def _admit(self) -> list[str]:
        """The workers that can print here (at least one), having refused the others."""
        client = self._connect()
        try:  # Dask's scheduler unpickles each task, so it too must be able to import this package
            client.run_on_scheduler(scheduler_can_load)
        except Exception as exc:
            raise ClusterUnavailable(f"the Dask scheduler at {self.address} cannot load the handouts engine "
                                     f"({type(exc).__name__}); start it, like its workers, with the pinned "
                                     "environment and PYTHONPATH=the checkout") from None
        try:
            client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS)
        except TimeoutError:
            raise ClusterUnavailable(f"no Dask workers have joined the scheduler at {self.address}; start some: "
                                     f"dask worker {self.address} --nthreads 1") from None
        try:
            cloudpickle.register_pickle_by_value(admission)  # so a worker without this code can unpickle it
            client.register_plugin(admission.Admit(self.here, self.resource), name=self.resource)
        except Exception:  # raised for a worker that cannot load it; it is refused below, with the reason
            pass
        found = client.run(engine, on_error="return")
        admitted = {w for w, info in client.scheduler_info(n_workers=-1)["workers"].items()
                    if self.resource in (info.get("resources") or {})}
        able = [w for w, theirs in found.items() if theirs == self.here and w in admitted]
        self._refused = {w: _why(theirs, self.here) for w, theirs in found.items() if w not in able}
        if not able:
            refused = "; ".join(f"{w}: {why}" for w, why in sorted(self._refused.items()))
            raise ClusterUnavailable(f"no worker at {self.address} can print the same bytes as this machine, "
                                     f"so none may print: {refused}")
        return able

    def _submit(self, sheet: Sheet):
        client = self._client
        if self._bundle is None:  # plain dicts, so a worker that is refused can hold them harmlessly
            bundle = AssetBundle.of(self.project.assets())
            self._bundle = client.scatter((bundle.files, bundle.blobs), broadcast=True, hash=False)
        return client.submit(print_on_worker, sheet, self._bundle, self.here, pure=False,
                             resources={self.resource: 1})

    def _result(self, futures: list, i: int, sheet: Sheet) -> object:
        """Task i's result, waiting as long as some worker can print it; sent again if it is lost."""
        alone_since = None
        for _ in range(ATTEMPTS):
            while True:
                try:
                    return futures[i].result(timeout=2)
                except TimeoutError:
                    alone_since = self._still_able(alone_since)
                except MismatchedWorker as exc:
                    return str(exc)
                except Exception as exc:  # the task was lost: its worker died too often, or the bundle with it
                    lost = exc
                    break
            if self._client.status != "running":
                raise ClusterUnavailable(f"lost the Dask scheduler at {self.address}; nothing new was published")
            self._bundle = None  # its copies may be gone with the workers that held them
            futures[i] = self._submit(sheet)
        return f"the cluster could not print it ({type(lost).__name__}: {lost})"

    def _still_able(self, alone_since: float | None) -> float | None:
        """Raise if no worker able to print has been seen for NO_WORKER_LIMIT seconds."""
        if self._client.status != "running":
            raise ClusterUnavailable(f"lost the Dask scheduler at {self.address}; nothing new was published")
        workers = self._client.scheduler_info(n_workers=-1)["workers"].values()
        if any(self.resource in (w.get("resources") or {}) for w in workers):
            return None
        now = time.monotonic()
        if alone_since is not None and now - alone_since > NO_WORKER_LIMIT:
            raise ClusterUnavailable(f"no worker at {self.address} able to print has been seen for "
                                     f"{NO_WORKER_LIMIT} s; nothing new was published")
        return alone_since or now


def _answers(address: str) -> None:
    """Raise, within CONNECT_SECONDS and with the reason, unless a Dask scheduler answers at
    `address` (Dask's Client would retry until its timeout, then leave a half-made client behind)."""
    async def identity() -> dict:
        connection_args = Security().get_connection_args("client")  # Dask's TLS settings apply
        comm = await connect(address, timeout=CONNECT_SECONDS, **connection_args)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    deadline = time.monotonic() + CONNECT_SECONDS
    scheme, location = parse_address(address)
    if scheme in ("tcp", "tls"):  # refused or unroutable: said at once (Dask's connect retries until its timeout)
        host, port = parse_host_port(location, default_port=8786)
        socket.create_connection((host, port), timeout=CONNECT_SECONDS).close()
    left = max(0.5, deadline - time.monotonic())
    with ThreadPoolExecutor(1) as thread:  # its own event loop, whatever the caller runs
        try:
            answer = thread.submit(asyncio.run, asyncio.wait_for(identity(), left)).result()
        except (asyncio.TimeoutError, TimeoutError):
            raise OSError(f"no Dask scheduler answered within {CONNECT_SECONDS} s") from None
        except MemoryError:  # what Dask's reader makes of bytes that are not its protocol
            raise OSError("what answers there is not a Dask scheduler") from None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise OSError("what answers there is not a Dask scheduler")


def _why(theirs: object, here: dict[str, str]) -> str:
    if theirs == here:
        return "it did not take the plugin that admits a worker to print; see its log"
    if isinstance(theirs, dict):
        return ("it would print different bytes: " + ", ".join(differences(here, theirs)) +
                "; start it from the same pinned environment")
    return (f"it cannot load the handouts engine ({type(theirs).__name__}: {theirs}); start it from a checkout "
            "with the pinned environment (PYTHONPATH=the checkout)")


def scheduler_can_load(dask_scheduler=None) -> bool:
    """Runs on the scheduler: unpickling it there proves the scheduler can import this module."""
    return True


_ONE_AT_A_TIME = threading.Lock()  # print_pdf sets the process's SOURCE_DATE_EPOCH


def print_on_worker(sheet: Sheet, bundle: tuple[dict, dict], expected: dict[str, str]) -> object:
    """The task: a sheet's Printed (or why it could not be printed), on a worker whose engine matches;
    `bundle` is the build's AssetBundle as its two dicts."""
    theirs = engine()
    if theirs != expected:
        raise MismatchedWorker("a worker with a different engine was asked to print: " +
                               ", ".join(differences(expected, theirs)))
    with _ONE_AT_A_TIME:
        return print_sheet(sheet, AssetBundle(*bundle))
