"""Editions: Spanish translations, clinic profiles, one patient's details, email packets."""

from __future__ import annotations

import json

import pikepdf
import pytest
from pypdf import PdfReader

import build
from handouts import engine
from handouts.engine import BuildOptions
from handouts.publish.outcome import MAX_HANDOUT_BYTES, MAX_PACKET_BYTES
from handouts.content.load import load
from handouts.project import HOME
from handouts.content.translations import version

SPANISH = {
    "what-it-is": ("Qué es", "El medicamento de prueba ayuda a *algunas* personas."),
    "how-given": ("Cómo se da", "1. Usted se sienta.\n2. Una enfermera lo revisa."),
    "checklist": ("Antes de venir", "- Traiga a alguien que maneje.\n- Traiga su lista."),
    "get-help": ("Cuándo pedir ayuda", "Llame al 911 si no puede respirar."),
    "call-us": ("Llámenos", "Llámenos si tiene preguntas."),
}


def add_spanish(content, skip=()):
    """Translate the test library into Spanish (all of it but the blocks in `skip`)."""
    library, _ = load(content)
    (content / "es" / "blocks").mkdir(parents=True, exist_ok=True)
    (content / "es" / "topics").mkdir(exist_ok=True)
    (content / "es" / "strings.yaml").write_text((HOME / "content" / "es" / "strings.yaml").read_text("utf-8"),
                                                 encoding="utf-8")
    for block_id, (title, body) in SPANISH.items():
        if block_id not in skip:
            indented = "".join(f"  {line}\n" for line in body.splitlines())
            (content / "es" / "blocks" / f"{block_id}.yaml").write_text(
                f"translates: {version(library.blocks[block_id].value)}\ntitle: {title}\nbody: |\n{indented}",
                encoding="utf-8")
    (content / "es" / "topics" / "test-medicine.yaml").write_text(
        f"translates: {version(library.topics['test-medicine'].value)}\ntitle: Medicamento de prueba\n"
        "summary: Lo que debe saber sobre el medicamento de prueba.\n", encoding="utf-8")
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("languages: [en]", "languages: [en, es]"))


def text_of(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_spanish_handouts_have_spanish_headings_text_and_language(project):
    add_spanish(project.content)
    assert engine.build(project, BuildOptions(jobs=1)).ok
    pdf = project.out / "es" / "test-medicine-expectations.pdf"
    text = text_of(pdf)
    for words in ("Medicamento de prueba", "Qué esperar", "Cómo se da", "Usted se sienta.", "Página 1 de 1",
                  "Borrador", "Teléfono de la clínica"):
        assert words in text
    for english in ("What to expect", "How it is given", "Page 1 of 1", "Clinic phone"):
        assert english not in text
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "es"


def test_a_changed_english_block_makes_its_translation_stale(project):
    add_spanish(project.content)
    block = project.content / "blocks" / "get-help.yaml"
    block.write_text(block.read_text().replace("cannot breathe", "have trouble breathing"))
    _, findings = engine.examine(project)
    stale = [f for f in findings if f.code == "stale-translation"]
    assert len(stale) == 1 and stale[0].severity == "warning"
    assert "es/blocks/get-help.yaml:1:" in str(stale[0])
    _, strict = engine.examine(project, strict=True)
    assert any(f.code == "stale-translation" and f.severity == "error" for f in strict)


def test_a_missing_translation_is_reported_and_never_filled_in_with_english(project):
    add_spanish(project.content, skip=("how-given",))
    report = engine.build(project, BuildOptions(jobs=1))
    missing = [f for f in report.findings if f.code == "missing-translation"]
    assert len(missing) == 1 and "es/blocks/how-given.yaml" in missing[0].message
    assert not (project.out / "es" / "test-medicine-expectations.pdf").exists()
    assert (project.out / "es" / "test-medicine-overview.pdf").exists()


def test_a_clinic_profile_puts_its_details_on_its_handouts(project, capsys):
    clinics = project.content / "clinics"
    clinics.mkdir()
    (clinics / "hillside.yaml").write_text('name: Hillside Pain Center\nphone: "555-0199"\n'
                                           'after_hours_phone: "555-0142"\naddress: 9 Hill Street\n')
    out = project.out.parent / "hillside"
    code = build.main(["--content", str(project.content), "--clinic", "hillside", "--out", str(out), "--jobs", "1"])
    assert code == 0
    text = text_of(out / "en" / "test-medicine-expectations.pdf")
    assert "Hillside Pain Center" in text and "555-0142" in text and "9 Hill Street" in text
    assert "Lakeside" not in text


def test_an_unknown_clinic_is_a_clear_error(project, capsys):
    code = build.main(["--content", str(project.content), "--clinic", "nowhere", "--out", str(project.out)])
    assert code == 2
    assert "no clinic profile 'nowhere'" in capsys.readouterr().err


def test_fill_in_values_reach_the_pdf_and_nowhere_else(project, tmp_path, capsys):
    assert engine.build(project, BuildOptions(jobs=1)).ok  # the published handouts
    patient = tmp_path / "for-patient"
    code = build.main(["--content", str(project.content), "--out", str(patient), "--only", "test-medicine",
                       "--fill", "patient_name=Rosa Quintero", "--fill", "next_visit=Tuesday 9:30", "--jobs", "1"])
    logs = capsys.readouterr()
    assert code == 0
    assert "Rosa Quintero" in text_of(patient / "en" / "test-medicine-overview.pdf")
    assert "Tuesday 9:30" in text_of(patient / "en" / "test-medicine-risks.pdf")
    assert "Rosa" not in logs.out + logs.err
    for folder in (patient, project.out, project.content):
        for path in folder.rglob("*"):
            assert "Rosa" not in path.name
            if path.is_file() and path.suffix != ".pdf":
                assert b"Rosa" not in path.read_bytes(), path
    assert not (patient / "manifest.json").exists()
    assert all(b"Rosa" not in p.read_bytes() for p in project.out.rglob("*") if p.is_file())


def test_without_values_the_blanks_print_as_lines(project):
    assert engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1)).ok
    text = text_of(project.out / "en" / "test-medicine-overview.pdf")
    assert "For:" in text and "Next visit:" in text


@pytest.mark.parametrize("args, message", [
    (["--fill", "patient_name=Ana"], "give them a folder of their own with --out"),
    (["--fill", "blood_type=O", "--out", "X"], "unknown field 'blood_type'"),
    (["--fill", "patient_name", "--out", "X"], "write it as KEY=VALUE"),
])
def test_bad_fill_in_options_are_usage_errors(project, capsys, args, message):
    args = [a.replace("X", str(project.out.parent / "patient")) for a in args]
    assert build.main(["--content", str(project.content), *args]) == 2
    assert message in capsys.readouterr().err


def test_fill_in_never_writes_into_a_published_folder(project, capsys):
    assert engine.build(project, BuildOptions(jobs=1)).ok
    code = build.main(["--content", str(project.content), "--out", str(project.out), "--fill", "patient_name=Ana"])
    assert code == 2 and "holds published handouts" in capsys.readouterr().err


def test_packet_holds_the_three_tiers_with_a_bookmark_each_and_stays_small(project):
    assert engine.build(project, BuildOptions(jobs=1)).ok
    packet = project.out / "en" / "test-medicine-packet.pdf"
    with pikepdf.open(packet) as pdf:
        assert len(pdf.pages) == 4  # the three tiers, then their sources in full
        assert str(pdf.docinfo.Title) == "Test medicine: all three handouts"
        with pdf.open_outline() as outline:
            assert [str(item.title) for item in outline.root] == [
                "Test medicine: Overview", "Test medicine: What to expect", "Test medicine: Risks and safety",
                "Test medicine: Sources"]
    entries = json.loads((project.out / "manifest.json").read_text())["handouts"]
    for entry in entries:
        limit = MAX_PACKET_BYTES if entry["tier"] == "packet" else MAX_HANDOUT_BYTES
        assert entry["bytes"] <= limit, entry["pdf"]
    assert [e["tier"] for e in entries if e["pdf"] == "en/test-medicine-packet.pdf"] == ["packet"]


def test_list_shows_every_handout_per_language_variant_and_clinic(project, capsys):
    add_spanish(project.content)
    (project.content / "clinics").mkdir()
    (project.content / "clinics" / "hillside.yaml").write_text("name: Hillside\n")
    assert build.main(["list", "--content", str(project.content)]) == 0
    out = capsys.readouterr().out
    assert "default clinic" in out and "clinic hillside, into dist/clinics/hillside/" in out
    assert out.count("es/test-medicine-overview.pdf") == 2 and out.count("en/test-medicine-packet.pdf") == 2


LOGO = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">'
        '<title>Lakeside</title><circle cx="20" cy="20" r="18" fill="#000000"/></svg>')


def test_a_clinic_logo_prints_as_a_figure_with_alt_text(project):
    (project.content / "images").mkdir()
    (project.content / "images" / "lakeside.svg").write_text(LOGO)
    clinic = project.content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "logo: images/lakeside.svg\n")
    assert engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1)).ok
    with pikepdf.open(project.out / "en" / "test-medicine-overview.pdf") as pdf:
        alts = [str(n.Alt) for n in _figures(pdf)]
    assert alts == ["Lakeside Clinic logo"]
    assert (project.out / "images" / "lakeside.svg").is_file()  # beside the web pages


@pytest.mark.parametrize("logo, message", [("logo.png", "must be written images/NAME.svg"),
                                           ("images/missing.svg", "no file content/images/missing.svg"),
                                           ("../../etc/passwd", "must be written images/NAME.svg")])
def test_a_bad_logo_is_a_finding(project, logo, message):
    clinic = project.content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + f"logo: {logo}\n")
    _, findings = engine.examine(project)
    assert [f.code for f in findings if message in f.message] == ["bad-logo"]


def _figures(pdf):
    stack, found = [pdf.Root.StructTreeRoot], []
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
    return found


def test_an_approved_handout_prints_its_review_date_in_its_language_and_no_draft_marking(project):
    add_spanish(project.content)
    assert build.main(["approve", "test-medicine", "--content", str(project.content), "--by", "Dr Test",
                       "--on", "2026-11-01"]) == 0
    assert build.main(["approve", "test-medicine", "--content", str(project.content), "--by", "Traductora",
                       "--on", "2026-11-03", "--lang", "es"]) == 0
    assert engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1)).ok
    english = text_of(project.out / "en" / "test-medicine-overview.pdf")
    assert "Reviewed on November 1, 2026 by Dr Test" in english and "Draft" not in english
    assert "Revisado el 3 de noviembre de 2026" in text_of(project.out / "es" / "test-medicine-overview.pdf")


def test_a_translation_without_its_own_required_list_is_reported(project):
    add_spanish(project.content)
    _, findings = engine.examine(project)
    assert [f.code for f in findings if f.code == "required-missing"] == ["required-missing"]


def test_a_spanish_handout_missing_a_required_message_is_an_error_naming_it(project):
    add_spanish(project.content)
    (project.content / "es" / "editorial").mkdir()
    (project.content / "es" / "editorial" / "required.yaml").write_text(
        "- name: cuándo llamar al 911\n  handouts: ['*/overview']\n  any: ['\\b911\\b']\n", encoding="utf-8")
    _, findings = engine.examine(project)
    assert not [f for f in findings if f.code == "missing-message"]
    spanish = project.content / "es" / "blocks" / "get-help.yaml"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace("911", "a emergencias"), encoding="utf-8")
    _, findings = engine.examine(project)
    missing = [f.message for f in findings if f.code == "missing-message"]
    assert any("test-medicine/overview (es) does not say: cuándo llamar al 911" in m for m in missing)
