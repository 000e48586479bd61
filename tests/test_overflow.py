"""A handout over its page limit: measured, located, kept where the editor can open it."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

import build
from handouts import engine
from handouts.engine import BuildOptions

LONG = "Rest at home today. You may feel sleepy. "


@pytest.fixture
def overflowing(project):
    (project.content / "blocks" / "too-much.yaml").write_text(
        "title: Too much\nbody: |\n" + f"  {LONG * 6}\n\n" * 9 + "sources: [label]\n")
    topic = project.content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("overview: [what-it-is, get-help]",
                                               "overview: [what-it-is, get-help, too-much]"))
    return project


def test_an_overflow_says_by_how_much_and_which_block_crosses(overflowing):
    report = engine.build(overflowing, BuildOptions(jobs=1))
    [finding] = [f for f in report.findings if f.code == "too-long"]
    assert "over the 1 this tier allows" in finding.message
    assert "of a page (about" in finding.message and "lines)" in finding.message
    assert "block 'too-much' crosses onto page 2" in finding.message
    assert (finding.location.line, finding.location.column) == (6, 36)  # "too-much" in the overview list


def test_the_overflowing_pdf_is_kept_for_the_editor_and_not_published(overflowing):
    report = engine.build(overflowing, BuildOptions(jobs=1))
    out = overflowing.out
    kept = out / "overflow" / "en" / "test-medicine-overview.pdf"
    assert str(kept) in next(f.message for f in report.findings if f.code == "too-long")
    assert len(PdfReader(kept).pages) == 2
    assert not (out / "en" / "test-medicine-overview.pdf").exists()


def test_the_kept_overflow_is_removed_once_the_handout_fits(overflowing):
    engine.build(overflowing, BuildOptions(jobs=1))
    topic = overflowing.content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("what-it-is, get-help, too-much", "what-it-is, get-help"))
    assert engine.build(overflowing, BuildOptions(jobs=1)).ok
    assert not (overflowing.out / "overflow").exists()
    assert (overflowing.out / "en" / "test-medicine-overview.pdf").exists()


def test_a_clinic_overflow_names_the_clinic_output_path(overflowing, capsys, monkeypatch):
    clinics = overflowing.content / "clinics"
    clinics.mkdir()
    (clinics / "hillside.yaml").write_text("name: Hillside\n")
    monkeypatch.chdir(overflowing.content.parent)
    code = build.main(["--content", "content", "--clinic", "hillside", "--jobs", "1"])
    assert code == 1
    err = capsys.readouterr().err
    assert "dist/clinics/hillside/en/test-medicine-overview.pdf runs to 2 pages" in err
    assert "dist/clinics/hillside/overflow/en/test-medicine-overview.pdf" in err
