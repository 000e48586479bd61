"""A small, valid content library written into tmp_path for each test that asks."""

from __future__ import annotations

import http.server
import json
import shutil
import textwrap
import threading
from pathlib import Path
from typing import get_args

import pytest
import yaml

from handouts.project import HOME, Project

SITE = """\
title: Test handouts
author: Test team
languages: [en]
page_sizes: [letter]
variants: [standard]
tiers:
  overview: {max_pages: 1, max_grade: 6}
  expectations: {max_pages: 2, max_grade: 8}
  risks: {max_pages: 2, max_grade: 8}
"""
CLINIC = """\
name: Lakeside Clinic
phone: "555-0100"
after_hours_phone: ""
address: 1 Lake Road
website: https://clinic.example
"""
SOURCES = """\
label:
  author: Test Agency
  title: Test drug label
  year: 2024
"""
BLOCKS = {
    "what-it-is": "title: What it is\nbody: |\n  Test medicine helps *some* people.\nsources: [label]\n",
    "how-given": "title: How it is given\nkind: steps\nbody: |\n  1. You sit down.\n  2. A nurse checks you.\n"
                 "sources: [label]\n",
    "checklist": "title: Before you come\nkind: checklist\nbody: |\n  - Bring a driver.\n  - Bring your list.\n"
                 "sources: []\n",
    "get-help": "title: When to get help\nkind: urgent\nbody: |\n  Call 911 if you cannot breathe.\n"
                "sources: [label]\n",
    "call-us": "title: Call us\nkind: contact\nbody: |\n  Call us with questions.\nsources: []\n",
}
TOPIC = """\
title: Test medicine
summary: What to know about the test medicine.
review:
  status: draft
handouts:
  overview: [what-it-is, get-help]
  expectations: [how-given, checklist, call-us]
  risks: [what-it-is, get-help]
"""
# The shipped forbidden, jargon and names lists apply as they are. Required messages name the
# shipped topics, so the test library requires none (tests of that check write their own).
REQUIRED = "[]\n"


def write_library(root: Path) -> Path:
    content = root / "content"
    (content / "blocks").mkdir(parents=True)
    (content / "topics").mkdir()
    (content / "site.yaml").write_text(SITE)
    (content / "clinic.yaml").write_text(CLINIC)
    (content / "sources.yaml").write_text(SOURCES)
    shutil.copy(HOME / "content" / "strings.yaml", content / "strings.yaml")
    (content / "editorial").mkdir()
    for name in ("forbidden", "jargon", "names"):
        shutil.copy(HOME / "content" / "editorial" / f"{name}.yaml", content / "editorial" / f"{name}.yaml")
    (content / "editorial" / "required.yaml").write_text(REQUIRED)
    for block_id, text in BLOCKS.items():
        (content / "blocks" / f"{block_id}.yaml").write_text(text)
    (content / "topics" / "test-medicine.yaml").write_text(TOPIC)
    return content


# The longest clinic profile a clinic is likely to write, with a logo (for every-edition builds).
LONG_CLINIC = """\
name: Northern Lakes Regional Anesthesia, Pain and Depression Care
phone: "555-0100"
after_hours_phone: "555-0199"
address: |
  1200 Lakeshore Boulevard, Suite 410
  North Bay, MN 55800
website: https://northern-lakes.example/patients
fasting: Do not eat for 8 hours before your visit. You may drink clear water until 2 hours before.
arrival: Come 30 minutes before your visit time. Bring an adult who can drive you home.
logo: images/northern-lakes.svg
"""
LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
        '<title>Northern Lakes</title><circle cx="20" cy="20" r="18" fill="#000000"/></svg>')
# The three kinds of picture drawn from data (README, "Pictures"): a risk chart, a schedule, pictograms.
CHART = """\
title: How common it is
kind: chart
body: |
  In a study, people used the medicine or a dummy pill.
chart:
  per: 100
  treated: Test medicine
  placebo: Dummy pill
  rows:
    - label: Sleepy
      treated: 30
      placebo: 10
      says: 30 in 100 with the medicine, and 10 in 100 with a dummy pill.
    - label: Sick to the stomach
      treated: 7
      says: 7 in 100 with the medicine.
sources: [label]
"""
SCHEDULE = """\
title: How often you come
kind: schedule
body: |
  Your team may change this plan.
schedule:
  caption: "Each dot is one visit:"
  stages:
    - label: Weeks 1 to 2
      says: twice a week
      length: 2
      marks: 4
      icon: clock
    - label: After that
      says: once a month
      length: 2
      open: true
      icon: car
sources: [label]
"""
PICTOGRAMS = """\
title: After your visit
kind: pictograms
body: |
  - Do not drive until the next day.
  - Do not drink alcohol.
icons: [car-off, glass-off]
sources: [label]
"""
# One block of each kind the test library lacks, with nested and loose lists, a picture and the
# clinic's own rules: together with BLOCKS, every kind of block and list a handout can hold.
MORE_BLOCKS = {
    "side-effects": "title: Side effects\nkind: list\nbody: |\n  - Feeling sleepy\n  - Feeling sick:\n"
                    "    - eat a light meal\n    - sip water\n  - Feeling dizzy\nsources: [label]\n",
    "take-care": "title: Take care\nkind: warning\nbody: |\n  Do not drive until the next day.\nsources: [label]\n",
    "ask-us": "title: Questions to ask\nkind: questions\nbody: |\n  - What should I bring?\n"
              "  - How long will I stay?\nsources: []\n",
    "before-visit": "title: Before your visit\nbody: |\n  Follow your clinic\'s rules.\n\n  1. Eat a light meal.\n\n"
                    "  2. Rest well.\nsources: [label]\nclinic_details: [fasting, arrival]\n",
    "picture": "title: The medicine\nbody: |\n  It comes in a small bottle.\n\n"
               "  ![A small round bottle](images/bottle.svg)\nsources: [label]\n",
    "how-common": CHART,
    "course": SCHEDULE,
    "after-care": PICTOGRAMS,
}
EVERY_KIND_TOPIC = TOPIC.replace("expectations: [how-given, checklist, call-us]",
                                 "expectations: [how-given, checklist, before-visit, ask-us, call-us, picture, course, "
                                 "after-care]"
                                 ).replace("risks: [what-it-is, get-help]",
                                           "risks: [what-it-is, side-effects, how-common, take-care, get-help]")
FILLED = (("patient_name", "Rosa Quintero-Villanueva"), ("next_visit", "Tuesday, December 1, 9:30 am"))


@pytest.fixture(scope="session", autouse=True)
def memo_folder(tmp_path_factory) -> Path:
    """Memos (handouts/memo.py) of the test run go to a folder of its own, never to ~/.cache
    (build.py run as a subprocess inherits it)."""
    folder = tmp_path_factory.mktemp("memo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HANDOUTS_CACHE", str(folder))
        yield folder


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_library(tmp_path)


@pytest.fixture
def project(content: Path, tmp_path: Path) -> Project:
    return Project(content=content, out=tmp_path / "dist")


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def server():
    """A web server on 127.0.0.1 that records every request: the tests expect none."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}", requests
    httpd.shutdown()


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The shipped library, every language, variant, page size and packet, built once for the session."""
    from handouts import engine
    from handouts.engine import BuildOptions

    project = Project(content=HOME / "content", out=tmp_path_factory.mktemp("shipped") / "dist")
    report = engine.build(project, BuildOptions(jobs=2))
    assert report.ok, [str(f) for f in report.findings]
    return project.out, json.loads((project.out / "manifest.json").read_text())["handouts"]


@pytest.fixture(scope="session")
def every_edition(tmp_path_factory) -> tuple[Path, Path]:
    """The test library with every kind of block, printed for the long clinic profile (logo, two
    phones, a two-line address, two-sentence rules) with a QR code, in both variants and page
    sizes: as published (PDFs and web pages), and filled in for one patient (PDFs only)."""
    from handouts import engine
    from handouts.content.model import BlockKind
    from handouts.engine import BuildOptions

    root = tmp_path_factory.mktemp("every-edition")
    content = write_library(root)
    kinds = {yaml.safe_load(text).get("kind", "text") for text in {**BLOCKS, **MORE_BLOCKS}.values()}
    assert kinds == set(get_args(BlockKind)), "add a block of the new kind to MORE_BLOCKS"
    for block_id, text in MORE_BLOCKS.items():
        (content / "blocks" / f"{block_id}.yaml").write_text(text)
    (content / "topics" / "test-medicine.yaml").write_text(EVERY_KIND_TOPIC)
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("page_sizes: [letter]", "page_sizes: [letter, a4]")
                    .replace("variants: [standard]", "variants: [standard, large]")
                    + "web_address: https://handouts.clinic.example/\n")
    (content / "clinics").mkdir()
    (content / "clinics" / "long.yaml").write_text(LONG_CLINIC)
    (content / "images").mkdir()
    (content / "images" / "northern-lakes.svg").write_text(LOGO)
    (content / "images" / "bottle.svg").write_text(LOGO.replace("Northern Lakes", "A small round bottle"))
    published = Project(content=content, out=root / "published")
    options = BuildOptions(clinic="long", jobs=1)
    report = engine.build(published, options)
    assert report.ok, [str(f) for f in report.findings]
    filled = Project(content=content, out=root / "filled")
    report = engine.fill(filled, BuildOptions(only="test-medicine/expectations", clinic="long", jobs=1), FILLED)
    assert report.ok, [str(f) for f in report.findings]
    return published.out, filled.out
