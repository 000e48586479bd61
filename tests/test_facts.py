"""Facts written once: [[id]] in a block body is replaced by the text of content/facts.yaml at load."""

from __future__ import annotations

from handouts.checks.library import check
from handouts.content.load import load

CHECKLIST = "title: Before you come\nkind: checklist\nbody: |\n  - Bring a driver.\n  - [[{ref}]]\nsources: []\n"


def write(content, facts: str, ref: str = "driving") -> None:
    (content / "facts.yaml").write_text(facts)
    (content / "blocks" / "checklist.yaml").write_text(CHECKLIST.format(ref=ref))


def test_a_reference_is_replaced_by_the_fact_in_the_loaded_library(content):
    write(content, "driving: Do not drive until the next day.\n")
    library, findings = load(content)
    assert findings == []
    assert library.blocks["checklist"].value.body == "- Bring a driver.\n- Do not drive until the next day."


def test_the_library_records_which_facts_a_block_uses(content):
    write(content, "driving: Do not drive until the next day.\n")
    library, _ = load(content)
    assert library.fact_uses == {"checklist": ("driving",)}


def test_an_unknown_reference_is_a_finding_at_its_line_and_column(content):
    write(content, "driving: Do not drive until the next day.\n", ref="drivng")
    _, findings = load(content)
    [finding] = findings
    assert (finding.code, finding.location.line, finding.location.column) == ("unknown-fact", 5, 5)
    assert "did you mean [[driving]]" in finding.message


def test_a_reference_without_a_facts_file_is_a_finding(content):
    (content / "blocks" / "checklist.yaml").write_text(CHECKLIST.format(ref="driving"))
    _, findings = load(content)
    assert [f.code for f in findings] == ["unknown-fact"]


def test_a_fact_is_text_and_never_a_template(content):
    write(content, "driving: \"{{ 7 * 7 }} {% if x %}\"\n")
    library, findings = load(content)
    assert findings == []
    assert "{{ 7 * 7 }} {% if x %}" in library.blocks["checklist"].value.body


def test_a_fact_cannot_use_another_fact(content):
    write(content, "driving: \"See [[other]].\"\nother: Other.\n")
    _, findings = load(content)
    assert [f.code for f in findings] == ["bad-fact"]


def test_a_fact_over_two_lines_is_a_finding(content):
    write(content, "driving: |\n  Line one.\n  Line two.\n")
    _, findings = load(content)
    assert [f.code for f in findings] == ["bad-fact"]


def test_the_checks_read_the_resolved_text(content):
    write(content, "driving: Buy it online without a prescription.\n")
    library, _ = load(content)
    findings = check(library)
    assert any(f.code == "forbidden" and f.location.path.name == "checklist.yaml" for f in findings)


def test_a_changed_fact_makes_the_translations_of_blocks_using_it_stale(project):
    from handouts import engine
    from test_editions import add_spanish
    write(project.content, "driving: Do not drive until the next day.\n")
    add_spanish(project.content)
    (project.content / "es" / "facts.yaml").write_text("driving: No maneje hasta el día siguiente.\n", encoding="utf-8")
    (project.content / "facts.yaml").write_text("driving: Do not drive for 24 hours.\n")
    _, findings = engine.examine(project)
    assert [f.location.path.name for f in findings if f.code == "stale-translation"] == ["checklist.yaml"]


def test_a_translation_resolves_its_references_from_its_own_facts(project):
    from test_editions import add_spanish
    write(project.content, "driving: Do not drive until the next day.\n")
    add_spanish(project.content)
    checklist = project.content / "es" / "blocks" / "checklist.yaml"
    checklist.write_text(checklist.read_text("utf-8") + "  - [[driving]]\n", encoding="utf-8")
    (project.content / "es" / "facts.yaml").write_text("driving: No maneje hasta el día siguiente.\n", encoding="utf-8")
    library, findings = load(project.content)
    assert findings == []
    assert library.translations["es"].blocks["checklist"].value.body.endswith("- No maneje hasta el día siguiente.")
