"""Beyond one machine: printing on a real Dask cluster, and every clinic profile at once.

A `dask scheduler` and two `dask worker` processes on 127.0.0.1 print the shipped library;
every PDF must be byte for byte the one a local build printed (the session's shared build).
A worker killed mid-build is replaced and the build completes; a worker whose fonts differ
is refused; an address where no scheduler answers is a one-line error within 10 s.
Every process a test starts is stopped by the test, on failure too.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from distributed import Client

import build
from handouts import engine
from handouts.engine import BuildOptions
from handouts.press.cluster import ClusterPress
from handouts.project import HOME, Project
from loopback import Loopback, other_fonts


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and two workers on 127.0.0.1, and a client to watch them with."""
    with Loopback(tmp_path_factory.mktemp("cluster")) as loopback:
        address = loopback.scheduler()
        loopback.worker("one")
        loopback.worker("two")
        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
            yield loopback, client


def same_bytes(out: Path, shipped_out: Path, entries: list[dict]) -> list[str]:
    """The outputs in `out` that differ from the local build's (PDFs and their web pages)."""
    differ = []
    for entry in entries:
        for key in ("pdf", "html"):
            if (out / entry[key]).read_bytes() != (shipped_out / entry[key]).read_bytes():
                differ.append(entry[key])
    return differ


def test_the_shipped_library_printed_on_the_cluster_is_byte_identical(cluster, shipped, tmp_path):
    loopback, client = cluster
    shipped_out, entries = shipped
    counted = []

    def progress(results, jobs):
        for result in results:
            counted.append(result)
            yield result

    project = Project(content=HOME / "content", out=tmp_path / "dist")
    report = engine.build(project, BuildOptions(cluster=loopback.address), progress=progress)
    assert report.ok, [str(f) for f in report.findings]
    assert f"printing on 2 Dask workers at {loopback.address}" in report.notes
    assert len(report.printed) == len(entries) and len(counted) > 0  # progress counted the cluster's jobs
    assert same_bytes(project.out, shipped_out, entries) == []
    assert (project.out / "manifest.json").read_bytes() == (shipped_out / "manifest.json").read_bytes()
    executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert sorted(executed.values())[0] > 0, f"both workers should have printed: {executed}"


def test_a_worker_killed_mid_build_is_replaced_and_the_build_completes(cluster, shipped, tmp_path):
    loopback, client = cluster
    shipped_out, entries = shipped
    killed = {}

    def kill_a_busy_worker(results, jobs):
        for result in results:
            if not killed:
                busy = [w for w, keys in client.processing().items() if keys]
                pids = client.run(os.getpid, workers=busy[:1])
                (worker, pid), = pids.items()
                killed.update(worker=worker, pid=pid, tasks=len(client.processing()[worker]))
                os.kill(pid, signal.SIGKILL)  # the worker process itself: its nanny starts another
            yield result

    project = Project(content=HOME / "content", out=tmp_path / "dist")
    report = engine.build(project, BuildOptions(cluster=loopback.address, lang="es"), progress=kill_a_busy_worker)
    assert killed and killed["tasks"] > 0, killed
    assert report.ok, [str(f) for f in report.findings]
    spanish = [e for e in entries if e["lang"] == "es"]
    assert sorted(report.printed) == sorted(e["pdf"] for e in spanish)
    assert same_bytes(project.out, shipped_out, spanish) == []
    client.wait_for_workers(2, timeout=60)
    workers = client.scheduler_info(n_workers=-1)["workers"]
    assert killed["worker"] not in workers  # replaced, not revived...
    for info in workers.values():  # ...and the new worker was checked and admitted as it joined
        assert any(name.startswith("handouts-engine-") for name in info["resources"]), info["resources"]


def test_a_worker_that_would_print_other_bytes_is_refused(cluster, shipped, tmp_path, capsys):
    loopback, client = cluster
    shipped_out, entries = shipped
    with ClusterPress(Project(HOME / "content", tmp_path / "dist"), loopback.address) as press:
        press.warm()  # the admitting plugin is registered: the strangers join after it, as on a shared cluster
    before = set(client.scheduler_info(n_workers=-1)["workers"])
    odd = loopback.worker("other-fonts", other_fonts(tmp_path))
    codeless = loopback.worker("without-the-code", {"PYTHONPATH": ""})  # the pinned packages, not this checkout
    try:
        client.wait_for_workers(len(before) + 2, timeout=120)
        names = {info["name"]: w for w, info in client.scheduler_info(n_workers=-1)["workers"].items()}
        code = build.main(["--content", str(HOME / "content"), "--out", str(tmp_path / "dist"), "--only",
                           "esketamine/overview", "--cluster", loopback.address])
        err = capsys.readouterr().err
        assert code == 0, err
        assert "note: printing on 2 Dask workers" in err
        assert (f"note: refused worker {names['other-fonts']}: it would print different bytes: system-fonts: "
                in err)
        assert f"note: refused worker {names['without-the-code']}: it cannot load the handouts engine" in err
        strangers = [names["other-fonts"], names["without-the-code"]]
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count, workers=strangers)
        assert set(executed.values()) == {0}
        printed = [e for e in entries if e["pdf"].startswith("en/esketamine-overview")]
        assert len(printed) == 4 and same_bytes(tmp_path / "dist", shipped_out, printed) == []
    finally:
        loopback.stop_one(odd)
        loopback.stop_one(codeless)


def test_a_cluster_where_no_worker_matches_prints_nothing(content, tmp_path, capsys):
    with Loopback(tmp_path / "odd-cluster") as loopback:
        loopback.scheduler()
        loopback.worker("other-fonts", other_fonts(tmp_path))
        with Client(loopback.address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(1, timeout=120)
        code = build.main(["--content", str(content), "--out", str(tmp_path / "dist"),
                           "--cluster", loopback.address])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(f"error: no worker at {loopback.address} can print the same bytes as this machine")
    assert "system-fonts: " in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "dist" / "manifest.json").exists()


def _command(content: Path, out: Path, *extra: str, env: dict | None = None) -> tuple[int, str, float]:
    """build.py [extra] --content CONTENT --out OUT, as a user runs it: exit code, stderr, seconds."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(HOME / "build.py"), *extra, "--content", str(content),
                           "--out", str(out)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})}, cwd=HOME)
    return done.returncode, done.stderr, time.monotonic() - started


def _free_port() -> int:
    with socket.socket() as probe:  # a loopback port where nothing listens
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("command", [[], ["serve", "--port", "0"]])
def test_an_unreachable_scheduler_is_a_one_line_error_within_ten_seconds(content, tmp_path, command):
    port = _free_port()
    if command:
        command[-1] = str(_free_port())
    code, err, seconds = _command(content, tmp_path / "dist", *command,
                                  env={"HANDOUTS_CLUSTER": f"tcp://127.0.0.1:{port}"})
    assert (code, len(err.splitlines())) == (2, 1), err
    assert err.startswith(f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}: ")
    assert seconds < 10
    assert not (tmp_path / "dist" / "manifest.json").exists()


def test_an_address_where_something_else_answers_is_a_one_line_error(content, tmp_path, server):
    url, requests = server
    address = url.replace("http://", "tcp://")
    code, err, seconds = _command(content, tmp_path / "dist", "--cluster", address)
    assert (code, len(err.splitlines())) == (2, 1), err
    reason = err.removeprefix(f"error: cannot reach the Dask scheduler at {address}: ")
    assert reason != err and "Dask scheduler" in reason
    assert seconds < 10


def test_a_patients_details_never_travel_to_a_cluster(content, tmp_path, capsys):
    code = build.main(["--content", str(content), "--out", str(tmp_path / "rosa"),
                       "--only", "test-medicine/overview", "--fill", "patient_name=Rosa",
                       "--cluster", "tcp://127.0.0.1:8786"])
    assert code == 2 and "a patient's details never travel to a cluster" in capsys.readouterr().err


def _two_clinics(content: Path) -> None:
    (content / "clinics").mkdir()
    (content / "clinics" / "hillside.yaml").write_text('name: Hillside Pain Center\nphone: "555-0199"\n')
    (content / "clinics" / "riverside.yaml").write_text('name: Riverside Anesthesia\nphone: "555-0142"\n')


def test_clinic_all_prints_every_profile_into_its_own_folder(content, tmp_path, capsys):
    _two_clinics(content)
    out = tmp_path / "dist"
    assert build.main(["--content", str(content), "--out", str(out), "--clinic", "all", "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    for name, phone in (("hillside", "555-0199"), ("riverside", "555-0142")):
        assert f"Printed 4, unchanged 0, removed 0 handouts in {out}/clinics/{name}/" in printed
        html = (out / "clinics" / name / "en" / "test-medicine-overview.html").read_text()
        assert phone in html
    assert not (out / "manifest.json").exists()  # the default profile is not one of them
    assert build.main(["--content", str(content), "--out", str(out), "--clinic", "all", "--jobs", "1"]) == 0
    assert "Printed 0, unchanged 4" in capsys.readouterr().out
    assert build.main(["list", "--content", str(content), "--clinic", "all"]) == 0
    listed = capsys.readouterr().out
    assert "clinic hillside" in listed and "clinic riverside" in listed and "default clinic" not in listed


def test_clinic_all_on_the_cluster_prints_the_same_bytes(cluster, content, tmp_path):
    loopback, _ = cluster
    _two_clinics(content)
    here, there = Project(content, tmp_path / "here"), Project(content, tmp_path / "there")
    local = engine.build_clinics(here, BuildOptions(jobs=1))
    remote = engine.build_clinics(there, BuildOptions(cluster=loopback.address))
    assert [r.ok for _, r in local + remote] == [True] * 4
    pdfs = sorted(p.relative_to(here.out) for p in here.out.rglob("*.pdf"))
    assert len(pdfs) == 8
    assert [(here.out / p).read_bytes() == (there.out / p).read_bytes() for p in pdfs] == [True] * 8


def test_clinic_all_without_profiles_says_so(content, tmp_path, capsys):
    assert build.main(["--content", str(content), "--out", str(tmp_path / "dist"), "--clinic", "all"]) == 2
    assert capsys.readouterr().err.startswith("error: --clinic all: there are no clinic profiles")
