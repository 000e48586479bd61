"""checks/fanout.py: work shared with forked copies comes back whole, in order, and a failure
in a copy is raised here, never lost."""

from __future__ import annotations

import os
import threading

import pytest

from handouts.checks import fanout


def test_many_results_come_back_in_order(monkeypatch):
    monkeypatch.setattr(fanout, "_workers", lambda: 3)
    work = [lambda n=n: (n, os.getpid()) for n in range(200)]
    found = fanout.results(work)
    assert [n for n, _ in found] == list(range(200))
    assert len({pid for _, pid in found}) == 3  # this process and two copies did the work


def test_a_failure_in_a_copy_is_raised_here(monkeypatch):
    monkeypatch.setattr(fanout, "_workers", lambda: 2)

    def broken():
        raise ValueError("a bug in a check")

    work = [lambda n=n: n for n in range(99)] + [broken]  # the 100th piece falls to the copy
    with pytest.raises(ValueError, match="a bug in a check"):
        fanout.results(work)


def test_with_another_thread_running_everything_is_done_here():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert {pid for pid in fanout.results([os.getpid] * 100)} == {os.getpid()}
    finally:
        stop.set()
        thread.join()


def test_the_work_of_one_group_is_done_in_one_process_and_comes_back_in_order(monkeypatch):
    monkeypatch.setattr(fanout, "_workers", lambda: 2)
    groups = [f"topic-{n % 7}" for n in range(200)]  # as a check's units come: a group's are far apart
    found = fanout.results([lambda n=n: (n, os.getpid()) for n in range(200)], groups)
    assert [n for n, _ in found] == list(range(200))
    by_group = {}
    for (_, pid), group in zip(found, groups):
        by_group.setdefault(group, set()).add(pid)
    assert all(len(pids) == 1 for pids in by_group.values())
    assert len(set.union(*by_group.values())) == 2  # shared all the same
