"""Nothing a build makes outlives it: WeasyPrint's temporary font folders, our temporary files.

Each build runs as the command does, in a process of its own whose temporary folder
(TMPDIR) is a fresh one in tmp_path, so what is left there is what the build left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handouts.project import HOME


def command(project, jobs: int) -> list[str]:
    return [sys.executable, str(HOME / "build.py"), "--content", str(project.content), "--out", str(project.out),
            "--jobs", str(jobs), "--force"]


def private_tmp(project, tmp_path: Path) -> tuple[Path, dict]:
    """A TMPDIR of the test's own; and a second topic, so that two workers print at once."""
    topic = project.content / "topics" / "test-medicine.yaml"
    (topic.parent / "other-medicine.yaml").write_text(topic.read_text().replace("Test medicine", "Other medicine"))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return tmp, {**os.environ, "TMPDIR": str(tmp)}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_leaves_no_temporary_folder(project, tmp_path, jobs):
    tmp, env = private_tmp(project, tmp_path)
    result = subprocess.run(command(project, jobs), cwd=HOME, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp.iterdir()) == []


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_leaves_no_temporary_folder(project, tmp_path, how):
    tmp, env = private_tmp(project, tmp_path)
    process = subprocess.Popen(command(project, 2), cwd=HOME, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while not any(tmp.rglob("weasyprint-*")) and time.monotonic() < deadline:  # a worker is printing
        time.sleep(0.02)
    assert any(tmp.rglob("weasyprint-*")), "the build never started printing"
    os.killpg(process.pid, how)  # as a terminal (Ctrl-C) or a service manager (stop) sends it: to every process
    _, err = process.communicate(timeout=60)
    assert process.returncode in (130, 128 + signal.SIGTERM)
    assert "Traceback" not in err.decode()
    assert sorted(p.name for p in tmp.iterdir()) == []
