"""The web pages say what paper says; the command's rough edges are smooth."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

import build
from handouts import engine
from handouts.engine import BuildOptions
from handouts.project import HOME


class _Text(HTMLParser):
    """The text a browser shows in <body> (no <style>, no attributes)."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "head")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "head")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def body_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(" ".join(parser.parts).split())


def test_a_draft_web_page_shows_the_draft_notice_in_the_page(project):
    assert engine.build(project, BuildOptions(jobs=1, only="test-medicine/overview")).ok
    text = body_text(project.out / "en" / "test-medicine-overview.html")
    assert "Draft: not yet reviewed by a clinician. Do not give to patients" in text


def test_an_approved_web_page_says_when_and_by_whom_it_was_reviewed(project):
    assert build.main(["approve", "test-medicine", "--content", str(project.content), "--by", "Dr Test, MD",
                       "--on", "2026-11-01", "--next", "2027-11-01"]) == 0
    assert engine.build(project, BuildOptions(jobs=1, only="test-medicine/overview")).ok
    text = body_text(project.out / "en" / "test-medicine-overview.html")
    assert "Reviewed on November 1, 2026 by Dr Test, MD" in text and "Draft" not in text


def test_the_web_page_shows_the_clinic_details_and_links_its_pdfs(project):
    assert engine.build(project, BuildOptions(jobs=1)).ok
    page = project.out / "en" / "test-medicine-risks.html"
    text = body_text(page)
    assert "Lakeside Clinic" in text and "555-0100" in text and "1 Lake Road" in text
    html = page.read_text(encoding="utf-8")
    assert 'href="test-medicine-risks.pdf"' in html and 'href="test-medicine-packet.pdf"' in html
    assert 'media="screen"' in html


def test_the_index_lists_every_handout_with_its_status(project):
    assert engine.build(project, BuildOptions(jobs=1)).ok
    index = (project.out / "index.html").read_text(encoding="utf-8")
    for pdf in ("en/test-medicine-overview.pdf", "en/test-medicine-expectations.pdf", "en/test-medicine-risks.pdf",
                "en/test-medicine-packet.pdf"):
        assert f'href="{pdf}"' in index
    assert "Draft: not yet reviewed by a clinician" in body_text(project.out / "index.html")


def test_page_size_and_variant_choose_among_those_site_yaml_lists(project):
    site = project.content / "site.yaml"
    site.write_text(site.read_text().replace("page_sizes: [letter]", "page_sizes: [letter, a4]")
                    .replace("variants: [standard]", "variants: [standard, large]"))
    report = engine.build(project, BuildOptions(jobs=1, page_size="a4", variant="large"))
    assert report.ok
    assert set(report.printed) == {f"en/test-medicine-{t}-large-a4.pdf" for t in ("overview", "expectations", "risks")}


@pytest.mark.parametrize("args, says", [
    (["--lang", "fr"], "'fr' is not one of the languages"),
    (["--only", "no-such-topic"], "no topic or handout 'no-such-topic'"),
    (["--clinic", "nowhere"], "no clinic profile 'nowhere'"),
    (["--page-size", "legal"], "'legal' is not one of the page_sizes"),
    (["--variant", "huge"], "'huge' is not one of the variants"),
])
def test_asking_for_what_the_content_does_not_have_is_a_usage_error(project, capsys, args, says):
    code = build.main(["--content", str(project.content), "--out", str(project.out), "--jobs", "1", *args])
    assert code == 2
    err = capsys.readouterr().err
    assert says in err and len(err.strip().splitlines()) == 1


def test_fill_refuses_to_run_without_only(project, capsys, tmp_path):
    code = build.main(["--content", str(project.content), "--out", str(tmp_path / "patient"),
                       "--fill", "patient_name=Ana"])
    assert code == 2
    assert "--only" in capsys.readouterr().err
    assert not (tmp_path / "patient").exists()


def test_list_piped_into_head_ends_quietly(project):
    result = subprocess.run(f"{sys.executable} build.py list --content {project.content} | head -1",
                            shell=True, cwd=HOME, capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("default clinic")
    assert result.stderr == ""


def test_sigterm_stops_watch_cleanly(project):
    process = subprocess.Popen([sys.executable, "build.py", "watch", "--content", str(project.content),
                                "--out", str(project.out), "--jobs", "2"], cwd=HOME,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not (project.out / "manifest.json").exists():
            assert time.monotonic() < deadline and process.poll() is None, "watch did not build"
            time.sleep(0.1)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Traceback" not in err and "leaked" not in err


def test_the_readme_clinic_example_uses_the_shipped_sample_profile():
    readme = (HOME / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/python build.py --clinic sample" in readme
    assert (HOME / "content" / "clinics" / "sample.yaml").is_file()
    assert "sudo apt-get" not in readme.replace("$SUDO apt-get", "")
