"""`build.py serve` as the tests run it: a real process on a free loopback port, stopped by Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

from handouts.project import HOME

WAIT = 60  # seconds: a ceiling for a slow shared machine, not a measurement


def serve_command(content: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(HOME / "build.py"), "serve", "--content", str(content), "--out", str(out),
            "--jobs", "1", *extra]


@contextlib.contextmanager
def running(content: Path, out: Path, *extra: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """The server's address while it runs; on leaving, Ctrl-C, and it must stop cleanly."""
    process = subprocess.Popen(serve_command(content, out, "--port", "0", *extra), cwd=content.parent,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        address = _address(process)
        # What it says from then on is kept (process.said), and a full pipe never blocks the server.
        process.said = Said(process)
        yield address, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError("serve did not stop on Ctrl-C") from None
        finally:
            if hasattr(process, "said"):
                process.said.join()


class Said:
    """The lines a running server writes to its terminal (stdout and stderr), as they come."""

    def __init__(self, process: subprocess.Popen):
        self.lines: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(stream,), daemon=True)
                         for stream in (process.stdout, process.stderr)]
        for reader in self._readers:
            reader.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))

    def join(self) -> None:
        for reader in self._readers:
            reader.join(WAIT)

    def text(self) -> str:
        return "\n".join(self.lines)


def _address(process: subprocess.Popen) -> str:
    deadline = time.monotonic() + WAIT
    line = ""
    while time.monotonic() < deadline and process.poll() is None:
        ready, _, _ = select.select([process.stdout], [], [], 0.2)
        if ready:
            line = process.stdout.readline()
            found = re.search(r"http://127\.0\.0\.1:\d+", line)
            if found:
                return found.group(0)
    raise AssertionError(f"serve did not start: {line!r} {process.stderr.read() if process.poll() is not None else ''}")


def wait_for(condition, what: str = "the server"):
    deadline = time.monotonic() + WAIT
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what} did not react in {WAIT} s"
        time.sleep(0.05)


def listening_address(port: int) -> str | None:
    """The local address a socket listens on for `port`, from the kernel's table (Linux)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                return address
    return None
