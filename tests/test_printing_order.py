"""What someone is looking at is printed first: `build(first=...)`, which `serve` uses."""

from __future__ import annotations

import json

from handouts import engine
from handouts.engine import BuildOptions
from handouts.plan.jobs import Packet


def test_the_handout_on_screen_is_printed_first_and_on_its_own(project):
    order = []

    def progress(results, jobs):
        order.extend(jobs)
        return iter(results)

    report = engine.build(project, BuildOptions(jobs=1), progress=progress, first={"en/test-medicine-risks.pdf"})
    assert report.ok
    assert order[0].pdf == "en/test-medicine-risks.pdf" and not isinstance(order[0], Packet)
    # Published once: its packet prints the other two tiers and does not hand it back a second time.
    manifest = json.loads((project.out / "manifest.json").read_text())["handouts"]
    assert sorted(e["pdf"] for e in manifest) == sorted(report.printed)
