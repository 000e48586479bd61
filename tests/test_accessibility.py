"""Accessible PDFs: every shipped handout's structure, read back with pikepdf (the build: conftest's `shipped`)."""

from __future__ import annotations

import pikepdf

from handouts import engine
from handouts.engine import BuildOptions


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element, depth first."""
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                stack.extend(reversed(list(kids)) if isinstance(kids, pikepdf.Array) else [kids])
    return found


def kinds(pdf: pikepdf.Pdf) -> set[str]:
    return {str(node.S) for node in structure(pdf)}


def each(shipped):
    out, entries = shipped
    assert len(entries) >= 12
    for entry in entries:
        with pikepdf.open(out / entry["pdf"]) as pdf:
            yield entry, pdf


def test_every_handout_is_marked_pdf_ua_with_its_title_shown(shipped):
    for entry, pdf in each(shipped):
        assert pdf.Root.MarkInfo.Marked, entry["pdf"]
        assert pdf.Root.ViewerPreferences.DisplayDocTitle, entry["pdf"]
        assert str(pdf.docinfo.Title) == entry["title"], entry["pdf"]
        with pdf.open_metadata() as meta:
            assert meta.get("pdfuaid:part") == "1", entry["pdf"]


def test_every_handout_declares_its_language(shipped):
    for entry, pdf in each(shipped):
        assert str(pdf.Root.Lang) == entry["lang"], entry["pdf"]


def test_every_handout_has_a_heading_structure_and_lists(shipped):
    for entry, pdf in each(shipped):
        found = kinds(pdf)
        assert {"/H1", "/H2", "/L", "/LI"} <= found, (entry["pdf"], found)


def test_every_figure_has_alternative_text(shipped):
    for entry, pdf in each(shipped):
        for node in structure(pdf):
            if node.S == "/Figure":
                assert str(node.get("/Alt", "")).strip(), entry["pdf"]


def test_every_handout_has_bookmarks_from_its_headings(shipped):
    for entry, pdf in each(shipped):
        with pdf.open_outline() as outline:
            top = list(outline.root)
            if entry["tier"] == "packet":  # one bookmark per tier, then the full list of sources
                titles = [e["title"] for e in shipped[1] if (e["topic"], e["lang"], e["variant"], e["page_size"])
                          == (entry["topic"], entry["lang"], "standard", entry["page_size"]) and e["tier"] != "packet"]
                assert sorted(str(item.title) for item in top[:-1]) == sorted(titles), entry["pdf"]
                assert str(top[-1].title).startswith(entry["title"].split(":")[0]), entry["pdf"]
                top = top[:-1]
            else:
                assert [str(item.title) for item in top] == [entry["title"]], entry["pdf"]
            assert all(len(item.children) >= 2 for item in top), entry["pdf"]


def test_every_link_has_a_description(shipped):
    for entry, pdf in each(shipped):
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                if annotation.Subtype == "/Link":
                    assert str(annotation.get("/Contents", "")).strip(), entry["pdf"]


def text_runs(page: pikepdf.Page) -> list[str]:
    """For each run of text a page shows: "artifact", "tagged" or "untagged"."""
    runs, stack = [], []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BMC", "BDC"):
            tag = str(operands[0])
            stack.append("artifact" if tag == "/Artifact" else "tagged" if op == "BDC" else "untagged")
        elif op == "EMC" and stack:
            stack.pop()
        elif op in ("Tj", "TJ", "'", '"'):
            runs.append("artifact" if "artifact" in stack else "tagged" if "tagged" in stack else "untagged")
    return runs


def test_page_headers_and_footers_are_artifacts_and_all_other_text_is_tagged(shipped):
    for entry, pdf in each(shipped):
        for page in pdf.pages:
            runs = text_runs(page)
            assert "untagged" not in runs, entry["pdf"]
            # title, status and "Page N of M" at the foot (and the draft line at the top)
            assert runs.count("artifact") >= 3, entry["pdf"]


def test_qr_code_is_a_figure_with_alt_text_and_its_address_printed(project):
    site = project.content / "site.yaml"
    site.write_text(site.read_text() + "web_address: https://handouts.clinic.example/\n")
    assert engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1)).ok
    address = "https://handouts.clinic.example/en/test-medicine-overview.html"
    with pikepdf.open(project.out / "en" / "test-medicine-overview.pdf") as pdf:
        figures = [node for node in structure(pdf) if node.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["QR code that opens this handout online"]
        links = [a for a in pdf.pages[0].Annots if a.Subtype == "/Link"]
        assert [str(a.A.URI) for a in links] == [address]
    from pypdf import PdfReader

    assert address in PdfReader(project.out / "en" / "test-medicine-overview.pdf").pages[0].extract_text()


def test_no_web_address_means_no_qr_code(project):
    assert engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1)).ok
    with pikepdf.open(project.out / "en" / "test-medicine-overview.pdf") as pdf:
        assert not [node for node in structure(pdf) if node.S == "/Figure"]
