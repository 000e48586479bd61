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
from typing import Callable, TypeVar

T = TypeVar("T")
FROM = 64  # fewer pieces of work than this are quicker done here than shared
_copy = False  # set in a forked copy, which ends with its share


def lasting() -> bool:
    """Whether what this process works out now is still here for the next checks (not in a copy)."""
    return not _copy


def results(computes: list[Callable[[], T]]) -> list[T]:
    """Each compute's result, in order."""
    workers = _workers()
    if workers < 2 or len(computes) < FROM:
        return [compute() for compute in computes]
    shares = [computes[n::workers] for n in range(workers)]  # interleaved: neighbours cost alike
    children = [_fork(share) for share in shares[1:]]
    try:
        done = [[compute() for compute in shares[0]]]
    except BaseException:
        for pid, pipe in children:  # a bug here: the copies' work is no use; reap them, then raise
            os.close(pipe)
            os.waitpid(pid, 0)
        raise
    for (pid, pipe), share in zip(children, shares[1:]):
        with os.fdopen(pipe, "rb") as stream:
            payload = stream.read()
        os.waitpid(pid, 0)
        sent = pickle.loads(payload) if payload else None
        done.append(sent if sent is not None else [compute() for compute in share])
    found: list = [None] * len(computes)
    for n, share in enumerate(done):
        found[n::workers] = share
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
    global _copy
    _copy = True
    try:
        payload = pickle.dumps([compute() for compute in share], protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - the parent does this share itself, and raises there
        payload = b""
    try:
        with os.fdopen(write, "wb") as stream:
            stream.write(payload)
    finally:
        os._exit(0)  # never the parent's exit handlers, nor its buffered output a second time
