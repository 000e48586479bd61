"""Incremental builds: exactly the handouts whose inputs changed are printed again."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from handouts import engine
from handouts.engine import BuildOptions
from handouts.project import HOME, Project

TIERS = ("overview", "expectations", "risks")


@pytest.fixture
def project(content, tmp_path):
    """A project with its own copy of the templates and styles, so tests can edit them."""
    for folder in ("templates", "styles"):
        shutil.copytree(HOME / folder, tmp_path / folder)
    (content / "topics" / "second.yaml").write_text(
        "title: Second\nhandouts:\n  overview: [get-help]\n  expectations: [checklist]\n  risks: [get-help]\n")
    project = Project(content=content, out=tmp_path / "dist", root=tmp_path)
    assert engine.build(project, BuildOptions(jobs=1)).ok
    return project


def rebuild(project, **options) -> set[str]:
    report = engine.build(project, BuildOptions(jobs=1, **options))
    assert report.ok, report.findings
    return set(report.printed)


def snapshot(out):
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}


def test_nothing_changed_prints_nothing_and_touches_nothing(project):
    before = snapshot(project.out)
    assert rebuild(project) == set()
    assert snapshot(project.out) == before


def test_a_touched_but_unchanged_file_prints_nothing(project):
    block = project.content / "blocks" / "what-it-is.yaml"
    os.utime(block, (1, 1))
    assert rebuild(project) == set()


def test_editing_a_shared_block_reprints_exactly_the_handouts_using_it(project):
    block = project.content / "blocks" / "get-help.yaml"
    block.write_text(block.read_text().replace("cannot breathe", "have trouble breathing"))
    assert rebuild(project) == {"en/test-medicine-overview.pdf", "en/test-medicine-risks.pdf",
                                "en/second-overview.pdf", "en/second-risks.pdf",
                                "en/test-medicine-packet.pdf", "en/second-packet.pdf"}


def test_editing_a_block_used_once_reprints_one_handout(project):
    block = project.content / "blocks" / "how-given.yaml"
    block.write_text(block.read_text().replace("You sit down.", "You sit in a chair."))
    assert rebuild(project) == {"en/test-medicine-expectations.pdf", "en/test-medicine-packet.pdf"}


def test_editing_a_tier_template_reprints_that_tier(project):
    template = project.templates / "risks.html.j2"
    template.write_text(template.read_text() + "{# a comment #}\n")
    assert rebuild(project) == {"en/test-medicine-risks.pdf", "en/second-risks.pdf",
                                "en/test-medicine-packet.pdf", "en/second-packet.pdf"}


def test_editing_a_block_partial_reprints_the_handouts_with_that_kind(project):
    template = project.templates / "blocks" / "steps.html.j2"
    template.write_text(template.read_text() + "{# a comment #}\n")
    assert rebuild(project) == {"en/test-medicine-expectations.pdf", "en/test-medicine-packet.pdf"}


def test_editing_the_clinic_reprints_everything(project):
    clinic = project.content / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("Lakeside Clinic", "Hillside Clinic"))
    assert len(rebuild(project)) == 8  # six handouts, two packets


def test_a_deleted_topic_loses_its_outputs(project):
    (project.content / "topics" / "second.yaml").unlink()
    report = engine.build(project, BuildOptions(jobs=1))
    assert set(report.removed) == {f"en/second-{t}.pdf" for t in (*TIERS, "packet")}
    assert not list((project.out / "en").glob("second-*"))
    assert (project.out / "en" / "test-medicine-risks.pdf").exists()


def test_force_reprints_everything(project):
    assert len(rebuild(project, force=True)) == 8


def test_a_deleted_pdf_is_printed_again(project):
    (project.out / "en" / "second-risks.pdf").unlink()
    assert rebuild(project) == {"en/second-risks.pdf"}


def test_parallel_build_matches_a_one_process_build(project, tmp_path):
    parallel = Project(content=project.content, out=tmp_path / "parallel", root=project.root)
    assert engine.build(parallel, BuildOptions(jobs=2)).ok
    for pdf in (project.out / "en").glob("*.pdf"):
        assert (parallel.out / "en" / pdf.name).read_bytes() == pdf.read_bytes()


def test_a_build_with_nothing_to_do_does_not_import_weasyprint_nor_pydantic(project):
    script = ("import sys, build; code = build.main(['--content', sys.argv[1], '--out', sys.argv[2]]);"
              "print('weasyprint' in sys.modules or 'pydantic' in sys.modules); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", script, str(project.content), str(project.out)],
                            cwd=HOME, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "False"
    assert "Nothing changed: 8 handouts up to date" in result.stdout


def test_editing_a_fact_reprints_exactly_the_handouts_that_state_it(project):
    (project.content / "facts.yaml").write_text("driving: Do not drive until tomorrow.\nunused: Not used.\n")
    block = project.content / "blocks" / "checklist.yaml"  # in both topics' expectations
    block.write_text(block.read_text().replace("Bring a driver.", "Bring a driver. [[driving]]"))
    rebuild(project)
    (project.content / "facts.yaml").write_text("driving: Do not drive until the next day.\nunused: Not used.\n")
    assert rebuild(project) == {"en/test-medicine-expectations.pdf", "en/second-expectations.pdf",
                                "en/test-medicine-packet.pdf", "en/second-packet.pdf"}


def test_editing_a_fact_no_handout_uses_reprints_nothing(project):
    (project.content / "facts.yaml").write_text("unused: Not used.\n")
    rebuild(project)
    (project.content / "facts.yaml").write_text("unused: Still not used.\n")
    assert rebuild(project) == set()
