"""Building: real PDFs read back, the manifest, determinism and atomic publishing."""

from __future__ import annotations

import json
import stat

import pikepdf
import pytest
from pypdf import PdfReader

from handouts import engine
from handouts.engine import BuildOptions
from handouts.project import Project

REQUIRED_FIELDS = {"topic", "tier", "lang", "variant", "page_size", "pdf", "html", "sha256", "bytes", "pages",
                   "words", "reading_grade", "status", "inputs"}


@pytest.fixture
def built(project):
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok, report.findings
    return project.out


def text_of(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("tier, titles", [
    ("overview", ["What it is", "When to get help"]),
    ("expectations", ["How it is given", "Before you come", "Call us"]),
    ("risks", ["What it is", "When to get help"]),
])
def test_each_tier_renders_its_blocks_in_order(built, tier, titles):
    text = text_of(built / "en" / f"test-medicine-{tier}.pdf")
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Lakeside Clinic" in text
    assert "Page 1 of 1" in text


def test_draft_status_is_printed_on_every_page(built):
    reader = PdfReader(built / "en" / "test-medicine-expectations.pdf")
    assert all("Draft: not yet reviewed by a clinician" in page.extract_text() for page in reader.pages)


def test_missing_clinic_detail_prints_as_a_blank_not_invented(built):
    text = text_of(built / "en" / "test-medicine-expectations.pdf")
    assert "After hours:" in text and "555-0100" in text


def test_long_handout_gets_page_n_of_m(project):
    block = project.content / "blocks" / "what-it-is.yaml"
    block.write_text("title: What it is\nbody: |\n" + "  Test medicine helps some people feel better.\n\n" * 30
                     + "sources: [label]\n")
    assert engine.build(project, BuildOptions(only="test-medicine/risks")).ok
    reader = PdfReader(project.out / "en" / "test-medicine-risks.pdf")
    assert len(reader.pages) == 2
    assert "Page 2 of 2" in reader.pages[1].extract_text()


def test_overview_longer_than_one_page_is_an_error(project):
    block = project.content / "blocks" / "what-it-is.yaml"
    block.write_text("title: What it is\nbody: |\n" + "  Test medicine helps some people feel better.\n\n" * 30
                     + "sources: [label]\n")
    report = engine.build(project, BuildOptions(only="test-medicine/overview"))
    assert not report.ok
    assert any("runs to 2 pages, over the 1 this tier allows" in str(f) for f in report.findings)


def test_metadata_title_language_author(built):
    with pikepdf.open(built / "en" / "test-medicine-risks.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == "Test medicine: Risks and safety"
        assert str(pdf.docinfo["/Author"]) == "Lakeside Clinic"
        assert str(pdf.Root.Lang) == "en"


def test_pdf_is_tagged_for_pdf_ua(built):
    with pikepdf.open(built / "en" / "test-medicine-overview.pdf") as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1"


def test_manifest_lists_every_pdf_with_the_contract_fields(built):
    entries = json.loads((built / "manifest.json").read_text())["handouts"]
    assert {e["pdf"] for e in entries} == {f"en/test-medicine-{t}.pdf"
                                           for t in ("overview", "expectations", "risks", "packet")}
    for entry in entries:
        assert REQUIRED_FIELDS <= entry.keys()
        assert (built / entry["pdf"]).stat().st_size == entry["bytes"]
        assert (built / entry["html"]).is_file()
        assert entry["status"] == "draft" and entry["variant"] == "standard" and entry["page_size"] == "letter"
        assert "content/topics/test-medicine.yaml" in " ".join(entry["inputs"])


def test_published_files_are_readable_by_others(built):
    mode = (built / "en" / "test-medicine-risks.pdf").stat().st_mode
    assert mode & stat.S_IROTH


def test_two_builds_are_byte_identical(project, tmp_path):
    engine.build(project, BuildOptions(jobs=1))
    again = Project(content=project.content, out=tmp_path / "again")
    engine.build(again, BuildOptions(jobs=1, force=True))
    for tier in ("overview", "expectations", "risks"):
        name = f"en/test-medicine-{tier}.pdf"
        assert (project.out / name).read_bytes() == (again.out / name).read_bytes()


def test_failed_build_leaves_earlier_outputs_untouched(built, project):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in built.rglob("*") if p.is_file()}
    (project.content / "blocks" / "get-help.yaml").write_text("title: When\nbody: <script>x</script>\nsources: []\n")
    report = engine.build(project, BuildOptions(jobs=1))
    assert not report.ok
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in built.rglob("*") if p.is_file()}
    assert after == before


def test_a4_edition_is_a4(project):
    site = project.content / "site.yaml"
    site.write_text(site.read_text().replace("page_sizes: [letter]", "page_sizes: [letter, a4]"))
    assert engine.build(project, BuildOptions(only="test-medicine/overview")).ok
    a4 = PdfReader(project.out / "en" / "test-medicine-overview-a4.pdf").pages[0].mediabox
    letter = PdfReader(project.out / "en" / "test-medicine-overview.pdf").pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_a_tier_printed_with_its_packet_is_the_same_as_printed_alone(project, tmp_path):
    assert engine.build(project, BuildOptions(jobs=1)).ok  # tiers come from their packet's layout
    alone = Project(content=project.content, out=tmp_path / "alone")
    assert engine.build(alone, BuildOptions(only="test-medicine/risks", jobs=1)).ok  # no packet here
    name = "en/test-medicine-risks.pdf"
    assert (project.out / name).read_bytes() == (alone.out / name).read_bytes()
