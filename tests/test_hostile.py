"""Hostile and broken content: each gets a clear finding, never a traceback, a hang or a leak."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import build
from handouts import engine
from handouts.engine import BuildOptions
from handouts.content import load as load_module
from handouts.content.load import load
from handouts.project import HOME, Project

BLOCK = "blocks/what-it-is.yaml"


def findings_for(content, text: str | bytes, name: str = BLOCK) -> list[str]:
    path = content / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    _, findings = engine.examine(Project(content=content, out=content.parent / "dist"))
    return [str(f) for f in findings if f.severity == "error"]


def test_billion_laughs_fails_fast_with_a_finding(content):
    laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[i]
        laughs += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    started = time.process_time()
    errors = findings_for(content, laughs)
    assert time.process_time() - started < 5  # a generous bound on CPU time, not a benchmark
    assert any("more than 20000 values" in e and "(too-big)" in e for e in errors)


def test_deep_nesting_is_refused(content):
    errors = findings_for(content, "title: " + "[" * 60 + "]" * 60 + "\nbody: x\nsources: []\n")
    assert any("nested more than 40 levels deep" in e for e in errors)


def test_a_huge_file_is_refused_before_parsing(content):
    errors = findings_for(content, "title: T\nbody: |\n" + "  word word word word\n" * 20_000 + "sources: []\n")
    assert any("the limit is 256 KiB" in e for e in errors)


def test_a_huge_string_is_refused(content):
    errors = findings_for(content, "title: T\nbody: " + "x" * 30_000 + "\nsources: []\n")
    assert any("text longer than 20000 characters" in e for e in errors)


def test_too_many_block_files_is_one_finding(content, monkeypatch):
    monkeypatch.setattr(load_module, "MAX_FILES", 20)  # the real limit is far above any library: same code
    for i in range(21):
        (content / "blocks" / f"b{i}.yaml").write_text("title: T\nbody: B\nsources: []\n")
    library, findings = engine.examine(Project(content=content, out=content.parent / "dist"))
    assert library is None
    assert [(f.code, f.location.path.name) for f in findings] == [("too-many", "blocks")]


def test_a_byte_order_mark_and_windows_line_endings_are_accepted(content):
    text = "title: What it is\r\nbody: |\r\n  Test medicine helps some people.\r\nsources: [label]\r\n"
    assert findings_for(content, b"\xef\xbb\xbf" + text.encode()) == []


def test_tabs_in_indentation_name_the_line(content):
    errors = findings_for(content, "title: T\nbody: |\n\tTabbed line.\nsources: []\n")
    assert any(":3:" in e and "yaml-syntax" in e for e in errors)


def test_an_empty_file_is_a_finding(content):
    errors = findings_for(content, "")
    assert any("the file is empty" in e for e in errors)


def test_a_folder_where_a_file_belongs_is_a_finding(content):
    (content / "blocks" / "what-it-is.yaml").unlink()
    (content / "blocks" / "what-it-is.yaml").mkdir()
    _, findings = engine.examine(Project(content=content, out=content.parent / "dist"))
    assert any("expected a file here" in str(f) for f in findings)


def test_a_symlink_out_of_the_content_folder_is_refused(content, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: Secret\nbody: from outside\nsources: []\n")
    (content / "blocks" / "what-it-is.yaml").unlink()
    (content / "blocks" / "what-it-is.yaml").symlink_to(secret)
    _, findings = engine.examine(Project(content=content, out=tmp_path / "dist"))
    assert any(f.code == "outside-content" for f in findings)


@pytest.mark.parametrize("out", [".", "content", "styles", "templates", "/"])
def test_an_output_folder_that_would_overwrite_the_project_is_refused(capsys, out):
    args = ["--content", str(HOME / "content"), "--out", out if out in (".", "/") else str(HOME / out)]
    assert build.main(args) == 2
    assert "error: --out" in capsys.readouterr().err


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
                    | st.dates(),
                    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children,
                                                                                       max_size=4),
                    max_leaves=20))
@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_generated_yaml_never_raises_anything_but_findings(content, data):
    for name in (BLOCK, "topics/test-medicine.yaml", "site.yaml"):
        original = (content / name).read_bytes()
        (content / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        load(content)
        (content / name).write_bytes(original)


@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")))
@settings(max_examples=100, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_arbitrary_bytes_never_raise_anything_but_findings(content, raw):
    (content / BLOCK).write_bytes(raw)
    engine.examine(Project(content=content, out=content.parent / "dist"))


def test_a_second_build_on_the_same_folder_is_told_to_wait(project, capsys):
    project.out.mkdir()
    with open(project.out / ".build.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        code = build.main(["--content", str(project.content), "--out", str(project.out), "--jobs", "1"])
    assert code == 2
    assert "another build is writing to" in capsys.readouterr().err


def test_missing_system_libraries_name_the_debian_packages(project, tmp_path):
    fake = tmp_path / "fake" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise OSError(\"cannot load library 'libpango-1.0-0'\")\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "fake")}
    result = subprocess.run([sys.executable, str(HOME / "build.py"), "--content", str(project.content), "--out",
                             str(project.out), "--jobs", "1"], cwd=HOME, env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "sudo apt-get install libpango-1.0-0" in result.stderr and "libharfbuzz-subset0" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_build_killed_at_any_moment_leaves_whole_files_and_the_next_build_finishes(project, tmp_path):
    assert engine.build(project, BuildOptions(jobs=1)).ok
    command = [sys.executable, str(HOME / "build.py"), "--content", str(project.content), "--out", str(project.out),
               "--jobs", "1", "--force"]
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8):
        clinic = project.content / "clinic.yaml"
        clinic.write_text(clinic.read_text().replace("Road", "Rd") if "Road" in clinic.read_text()
                          else clinic.read_text().replace("Rd", "Road"))
        process = subprocess.Popen(command, cwd=HOME, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        manifest = json.loads((project.out / "manifest.json").read_text())
        for entry in manifest["handouts"]:
            pdf = project.out / entry["pdf"]
            assert len(PdfReader(pdf).pages) >= 1  # whole, old or new, never cut short
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok
    import hashlib
    for entry in json.loads((project.out / "manifest.json").read_text())["handouts"]:
        assert hashlib.sha256((project.out / entry["pdf"]).read_bytes()).hexdigest() == entry["sha256"]
    assert not list(project.out.rglob("*.tmp"))


def test_what_a_build_killed_while_writing_the_infobutton_index_left_is_tidied_by_the_next(project):
    assert engine.build(project, BuildOptions(jobs=1)).ok
    leftovers = [project.out / ".infobutton.json.k1ll3d.handouts.tmp", project.out / ".index.html.x.handouts.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"half of a file")
    assert engine.build(project, BuildOptions(jobs=1)).ok  # nothing to print: only the index is checked
    assert not any(leftover.exists() for leftover in leftovers[:1])
    clinic = project.content / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("Road", "Rd"))
    assert engine.build(project, BuildOptions(jobs=1)).ok  # a publish tidies beside every file it writes
    assert not list(project.out.rglob("*.tmp"))


def test_an_image_linked_out_of_the_content_folder_is_never_read(project, tmp_path):
    (project.content / "images").mkdir()
    (project.content / "images" / "chart.svg").symlink_to("/etc/hostname")
    block = project.content / "blocks" / "what-it-is.yaml"
    block.write_text("title: What it is\nbody: |\n  ![A chart](images/chart.svg)\nsources: [label]\n")
    report = engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1))
    assert not report.ok
    assert any(f.code == "symlink" for f in report.findings)  # refused before printing (and by the fetcher)


def test_an_svg_cannot_reach_the_network_or_local_files(project, server):
    url, requests = server
    (project.content / "images").mkdir()
    for i, href in enumerate((f"{url}/x.png", "file:///etc/hostname")):
        (project.content / "images" / f"chart{i}.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
            f'height="10"><image xlink:href="{href}" href="{href}" width="10" height="10"/></svg>')
        block = project.content / "blocks" / "what-it-is.yaml"
        block.write_text(f"title: What it is\nbody: |\n  ![A chart](images/chart{i}.svg)\nsources: [label]\n")
        report = engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1))
        assert not report.ok, href
        assert any(f.code == "unsafe-image" for f in report.findings), report.findings  # refused before printing
    assert requests == []
