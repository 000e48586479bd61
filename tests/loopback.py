"""A real Dask cluster on 127.0.0.1, for the cluster tests and the benchmark.

`dask scheduler` and `dask worker` processes from this virtual environment, with this
checkout on their PYTHONPATH (the pinned environment a real worker needs), each in a
session of its own, so that stop() ends it and its children by their process group and
nothing else. Logs and worker files stay in the folder given.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from handouts.project import HOME

DASK = Path(sys.executable).parent / "dask"


class Loopback:
    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.processes: list[subprocess.Popen] = []
        self.address = ""

    def __enter__(self) -> Loopback:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def scheduler(self) -> str:
        """Start a scheduler on a free loopback port; its address."""
        address_file = self.folder / "scheduler.json"
        # --idle-timeout: should a test run be killed before stop(), the scheduler still goes (and its
        # workers after it, --death-timeout) instead of lingering on a shared machine.
        self._start("scheduler", [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(address_file), "--idle-timeout", "900"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.address = json.loads(address_file.read_text())["address"]
                return self.address
            except (OSError, ValueError, KeyError):
                time.sleep(0.2)
        raise RuntimeError(f"the scheduler did not start: {self.log('scheduler')}")

    def worker(self, name: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        """Start one `dask worker` (a nanny and its worker process) printing one job at a time."""
        return self._start(name, [str(DASK), "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1",
                                  "--no-dashboard", "--name", name, "--death-timeout", "60",
                                  "--local-directory", str(self.folder / name)], env)

    def stop_one(self, process: subprocess.Popen) -> None:
        """Stop a process this cluster started, and its children: TERM, then KILL what lingers."""
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(process.pid, sig)  # its own session: the group is it and its children
            except ProcessLookupError:
                pass
            try:
                process.wait(wait)
            except subprocess.TimeoutExpired:
                pass
        if process in self.processes:
            self.processes.remove(process)

    def stop(self) -> None:
        for process in reversed(list(self.processes)):
            self.stop_one(process)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def _start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        environment = {**os.environ, "PYTHONPATH": str(HOME), **(env or {})}
        environment.pop("HANDOUTS_CLUSTER", None)
        with open(self.folder / f"{name}.log", "wb") as log:
            process = subprocess.Popen(command, cwd=self.folder, env=environment, stdout=log,
                                       stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes.append(process)
        return process


def other_fonts(folder: Path) -> dict[str, str]:
    """An environment whose fontconfig sees one more font than this machine's: a worker started
    with it could lay a missing glyph out in another font, so it must not print for us."""
    fonts = folder / "extra-fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    font = HOME / "styles" / "fonts" / "AtkinsonHyperlegible-Regular.ttf"
    (fonts / "Extra-Regular.ttf").write_bytes(font.read_bytes())
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                      f"  <dir>{fonts}</dir>\n  <cachedir>{folder / 'fontconfig-cache'}</cachedir>\n"
                      "</fontconfig>\n")
    return {"FONTCONFIG_FILE": str(config)}
