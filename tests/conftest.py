"""A small, valid content library written into tmp_path for each test that asks."""

from __future__ import annotations

import http.server
import json
import shutil
import textwrap
import threading
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def shipped(tmp_path_factory):
    """The shipped library, every variant and page size, built here once for the whole run
    (--jobs 2): the accessibility tests read it, the cluster tests compare with it."""
    from handouts import engine

    project = Project(content=HOME / "content", out=tmp_path_factory.mktemp("shipped") / "dist")
    report = engine.build(project, engine.BuildOptions(jobs=2))
    assert report.ok, [str(f) for f in report.findings]
    return project.out, json.loads((project.out / "manifest.json").read_text())["handouts"]


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
