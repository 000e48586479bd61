"""PDF/UA-1 as an independent checker sees it, and the structure tree as a screen reader reads it.

The checker is page-validation (PyPI, `import page`), run over every PDF of a build of the
shipped library and of a build with every kind of block for a long clinic profile (logo, QR
code), published and filled in for one patient. The tree is read back with `tagged_pdf`.
"""

from __future__ import annotations

import json
from pathlib import Path

import page
import pikepdf
import pytest

from conftest import FILLED
from tagged_pdf import html_text, out_of_order, read_back, squeeze

TIERS = ("overview", "expectations", "risks")


def problems(path: Path) -> list[str]:
    """What PDF/UA-1 rules the PDF breaks, as 'RULE-ID: message'; empty when it complies."""
    report = page.validate_pdf(str(path), profile=page.ValidationProfile.PDF_UA_1)
    if report.is_compliant:
        return []
    return [f"{f.rule_id}: {f.message}" for f in report.failures] or [str(report)]


def non_compliant(folder: Path) -> dict[str, list[str]]:
    return {p.relative_to(folder).as_posix(): found for p in sorted(folder.rglob("*.pdf")) if (found := problems(p))}


def manifest(folder: Path) -> list[dict]:
    return json.loads((folder / "manifest.json").read_text())["handouts"]


def test_every_shipped_pdf_passes_pdf_ua_1(shipped):
    out, entries = shipped
    assert len(list(out.rglob("*.pdf"))) == len(entries) >= 100
    assert non_compliant(out) == {}


def test_every_kind_of_block_for_a_long_clinic_profile_passes_pdf_ua_1(every_edition):
    published, _ = every_edition
    kinds = {(e["tier"], e["variant"], e["page_size"]) for e in manifest(published)}
    assert kinds >= {(t, v, s) for t in TIERS for v in ("standard", "large") for s in ("letter", "a4")}
    assert {("packet", "standard", "letter"), ("packet", "standard", "a4")} <= kinds
    assert non_compliant(published) == {}


def test_the_long_clinic_build_carries_a_logo_and_a_qr_code_as_figures_with_alternative_text(every_edition):
    published, _ = every_edition
    with pikepdf.open(published / "en" / "test-medicine-overview.pdf") as pdf:
        alts = sorted(str(o.Alt) for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure")
    assert alts == ["Northern Lakes Regional Anesthesia, Pain and Depression Care logo",
                    "QR code that opens this handout online"]


def test_a_handout_filled_in_for_one_patient_passes_pdf_ua_1(every_edition):
    _, filled = every_edition
    pdfs = sorted(filled.rglob("*.pdf"))
    assert pdfs and all(FILLED[0][1] in read_back(p).text for p in pdfs)
    assert non_compliant(filled) == {}


def test_the_checker_rejects_a_list_item_outside_a_list(shipped, tmp_path):
    out, _ = shipped
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(out / "en" / "esketamine-risks.pdf") as pdf:
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:  # the first list in the tree becomes a plain Div
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if node.S == "/L":
                    node.S = pikepdf.Name.Div
                    break
                stack.append(node.get("/K"))
        pdf.save(broken)
    assert any(p.startswith("PDFUA1-LI-PARENT-001") for p in problems(broken))


def lists_holding(path: Path, words: str) -> list:
    return [lst for lst in read_back(path).find("L") if words in lst.text]


def words_of(element) -> str:
    return " ".join(element.text.split())


def test_a_numbered_list_reads_back_as_items_of_a_label_and_a_body(every_edition):
    published, _ = every_edition
    [steps] = lists_holding(published / "en" / "test-medicine-expectations.pdf", "You sit down.")
    assert steps.outline() == ("L\n  LI\n    Lbl: '1.'\n    LBody: 'You sit down.'\n"
                               "  LI\n    Lbl: '2.'\n    LBody: 'A nurse checks you.'")


def test_the_paragraphs_of_a_loose_list_item_stand_in_its_body(every_edition):
    published, _ = every_edition
    [loose] = lists_holding(published / "en" / "test-medicine-expectations.pdf", "Eat a light meal.")
    for item, words in zip(loose.kids, ["Eat a light meal.", "Rest well."], strict=True):
        label, body = item.kids
        assert (label.kind, body.kind, [k.kind for k in body.kids], words_of(body)) == ("Lbl", "LBody", ["P"], words)


def test_the_clinic_contact_details_read_back_as_one_item_each(every_edition):
    published, _ = every_edition
    [contact] = lists_holding(published / "en" / "test-medicine-expectations.pdf", "Clinic phone:")
    assert [words_of(item) for item in contact.kids] == [
        "Clinic phone: 555-0100", "After hours: 555-0199",
        "Address: 1200 Lakeshore Boulevard, Suite 410, North Bay, MN 55800",
        "Web site: https://northern-lakes.example/patients"]


def html_of(folder: Path, entry: dict, entries: list[dict]) -> str:
    """The HTML a PDF was printed from: a packet's is its three tiers' pages, in order."""
    if entry["tier"] != "packet":
        return (folder / entry["html"]).read_text("utf-8")
    parts = {e["tier"]: e for e in entries if e["tier"] != "packet" and all(
        e[k] == entry[k] for k in ("topic", "lang", "variant", "page_size"))}
    return "".join((folder / parts[tier]["html"]).read_text("utf-8") for tier in TIERS)


def reading_order_problems(folder: Path, chosen: list[dict], entries: list[dict]) -> dict[str, str]:
    """Each chosen PDF whose structure tree does not read in the order of its HTML."""
    found = {}
    for entry in chosen:
        missing = out_of_order(html_text(html_of(folder, entry, entries)), squeeze(read_back(folder / entry["pdf"]).text))
        if missing is not None:
            found[entry["pdf"]] = f"met out of order or not at all: {missing!r}"
    return found


def test_the_pdf_reads_in_the_order_of_the_html_for_every_kind_of_block(every_edition):
    published, _ = every_edition
    entries = manifest(published)
    assert reading_order_problems(published, entries, entries) == {}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_shipped_packet_reads_in_the_order_of_its_tiers_html(shipped, lang):
    # A packet's pages are its tiers' own layouts (the tiers' PDFs come from the same layout),
    # so the packets hold every shipped tier's reading order at half the pages.
    out, entries = shipped
    packets = [e for e in entries if (e["tier"], e["lang"], e["page_size"]) == ("packet", lang, "letter")]
    assert len(packets) == len({e["topic"] for e in entries if e["lang"] == lang}) > 0
    assert reading_order_problems(out, packets, entries) == {}


def test_the_reading_order_check_notices_blocks_out_of_order(every_edition):
    published, _ = every_edition
    entry = next(e for e in manifest(published) if e["tier"] == "expectations")
    text = squeeze(read_back(published / entry["pdf"]).text)
    pieces = html_text((published / entry["html"]).read_text("utf-8"))
    assert out_of_order(pieces, text) is None
    assert out_of_order(pieces[len(pieces) // 2:] + pieces[:len(pieces) // 2], text) is not None
