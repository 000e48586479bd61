"""Fan-out: many independent checks shared between this process and forked copies of it.

A copy made with fork() starts with the loaded library already in memory, so nothing is
sent to it but the results it sends back (pickled, through a pipe). Work is only shared
where that is safe and worth it: on POSIX, in a process with no other thread running (the
live preview and watch check in threads: there, everything runs here), with more than one
CPU and at least FROM pieces of work. A copy that fails sends nothing and its share is done
here instead, so a bug raises where it can be seen.
"""

from __future__ import annotations

import os
import pickle
import threading
from typing import Callable, Hashable, Sequence, TypeVar

T = TypeVar("T")
FROM = 64  # fewer pieces of work than this are quicker done here than shared


def sharing() -> bool:
    """Whether work would be shared out here (more than one CPU, no other thread)."""
    return _workers() > 1


def results(computes: list[Callable[[], T]], groups: Sequence[Hashable] | None = None) -> list[T]:
    """Each compute's result, in order. With `groups` (a key each), the computes of one group are
    done in one process, in order: what one of them works out (a block's parse) the next finds at
    hand. Without, neighbours are spread over the processes (they cost alike)."""
    workers = _workers()
    if workers < 2 or len(computes) < FROM:
        return [compute() for compute in computes]
    places: list[list[int]] = [[] for _ in range(workers)]
    if groups is None:
        for n in range(len(computes)):
            places[n % workers].append(n)
    else:
        shares: dict[Hashable, int] = {}  # groups dealt out in turn, as they first come
        for n, group in enumerate(groups):
            places[shares.setdefault(group, len(shares) % workers)].append(n)
    shares_of = [[computes[n] for n in share] for share in places]
    children = [_fork(share) for share in shares_of[1:]]
    try:
        done = [[compute() for compute in shares_of[0]]]
    except BaseException:
        for pid, pipe in children:  # a bug here: the copies' work is no use; reap them, then raise
            os.close(pipe)
            os.waitpid(pid, 0)
        raise
    for (pid, pipe), share in zip(children, shares_of[1:]):
        with os.fdopen(pipe, "rb") as stream:
            payload = stream.read()
        os.waitpid(pid, 0)
        sent = pickle.loads(payload) if payload else None
        done.append(sent if sent is not None else [compute() for compute in share])
    found: list = [None] * len(computes)
    for share, results_of in zip(places, done):
        for n, result in zip(share, results_of):
            found[n] = result
    return found


def _workers() -> int:
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return 1
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _fork(share: list[Callable[[], T]]) -> tuple[int, int]:
    """A copy of this process working through `share`; its pid and the pipe its results come down."""
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)
    try:
        payload = pickle.dumps([compute() for compute in share], protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the parent does this share itself, and raises there
        payload = b""
    try:
        with os.fdopen(write, "wb") as stream:
            stream.write(payload)
    finally:
        os._exit(0)  # never the parent's exit handlers, nor its buffered output a second time
