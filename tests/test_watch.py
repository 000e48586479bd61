"""Watch mode: a save reaches the PDF; an invalid save is reported and publishes nothing."""

from __future__ import annotations

import shutil
import threading
import time

from handouts.engine import BuildOptions
from handouts.project import HOME, Project
from handouts.commands.watch import watch

WAIT = 60  # seconds: a ceiling for a slow shared machine, not a measurement


def wait_for(condition) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "watch did not react"
        time.sleep(0.05)


def test_watch_rebuilds_after_a_save_and_keeps_the_last_good_pdfs_after_a_bad_one(content, tmp_path):
    for folder in ("templates", "styles"):
        shutil.copytree(HOME / folder, tmp_path / folder)
    project = Project(content=content, out=tmp_path / "dist", root=tmp_path)
    reports, stop = [], threading.Event()
    thread = threading.Thread(target=watch, args=(project, BuildOptions(jobs=1), reports.append,
                                                  lambda results, jobs: iter(results), stop), daemon=True)
    thread.start()
    try:
        wait_for(lambda: len(reports) == 1)
        assert reports[0].ok and len(reports[0].printed) == 4
        time.sleep(0.3)  # let the watcher settle before the first save

        block = content / "blocks" / "how-given.yaml"
        block.write_text(block.read_text().replace("You sit down.", "You sit in a chair."))
        wait_for(lambda: len(reports) == 2)
        assert set(reports[1].printed) == {"en/test-medicine-expectations.pdf", "en/test-medicine-packet.pdf"}

        published = {p: p.read_bytes() for p in project.out.rglob("*.pdf")}
        block.write_text("title: How it is given\nbdy: oops\nsources: [label]\n")
        wait_for(lambda: len(reports) == 3)
        assert not reports[2].ok
        assert any(f.code == "unknown-key" for f in reports[2].findings)
        assert {p: p.read_bytes() for p in project.out.rglob("*.pdf")} == published
        assert thread.is_alive()  # a bad save does not end the session
    finally:
        stop.set()
        thread.join(10)
