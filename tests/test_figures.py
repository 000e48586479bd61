"""Pictures drawn from data: risk charts, schedules and pictograms, from the block's own numbers.

The pictures are read back from what a build really writes: the SVG in the web page, and the
Figure elements of the PDF's structure tree (pikepdf). The checks are run on real content files.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pikepdf
import pytest

from conftest import CHART, PICTOGRAMS, SCHEDULE
from handouts.checks.library import check
from handouts.content.load import load
from handouts.project import HOME

SVG = "{http://www.w3.org/2000/svg}"
ICONS = HOME / "templates" / "icons"


def svgs(html: str, css_class: str) -> list[ET.Element]:
    """Every inline <svg> of the page with this class, parsed."""
    found = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="[^"]*\b' + css_class + r'\b.*?</svg>', html,
                       re.DOTALL)
    return [ET.fromstring(text) for text in found]


def people(svg: ET.Element, group: str, kind: str) -> int:
    """How many figures of `kind` ("had" or "not") the picture of `group` ("treated", "placebo") holds."""
    [g] = [g for g in svg.iter(f"{SVG}g") if group in g.get("class", "").split()]
    return sum(1 for p in g.iter(f"{SVG}path") if p.get("class") == kind)


def figures(pdf_path) -> list[str]:
    """The alternative text of every Figure in the PDF's structure tree, in order of objects."""
    with pikepdf.open(pdf_path) as pdf:
        return [str(o.get("/Alt", "")) for o in pdf.objects
                if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]


def findings_for(content, block_id: str, text: str) -> list:
    (content / "blocks" / f"{block_id}.yaml").write_text(text)
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("risks: [what-it-is, get-help]", f"risks: [what-it-is, {block_id}, get-help]"))
    library, findings = load(content)
    assert library is not None, [str(f) for f in findings]
    return findings + check(library, icons=ICONS)


def codes(found) -> list[str]:
    return [f.code for f in found if f.severity == "error"]


# The picture in the page, from the data


def test_a_chart_draws_as_many_filled_figures_as_the_treated_rate(every_edition):
    published, _ = every_edition
    first = svgs((published / "en" / "test-medicine-risks.html").read_text(), "icon-array")[0]
    assert (people(first, "treated", "had"), people(first, "treated", "not")) == (30, 70)


def test_a_chart_draws_the_placebo_group_from_its_own_rate(every_edition):
    published, _ = every_edition
    first = svgs((published / "en" / "test-medicine-risks.html").read_text(), "icon-array")[0]
    assert (people(first, "placebo", "had"), people(first, "placebo", "not")) == (10, 90)


def test_a_row_without_a_placebo_rate_draws_one_picture(every_edition):
    published, _ = every_edition
    second = svgs((published / "en" / "test-medicine-risks.html").read_text(), "icon-array")[1]
    groups = [g.get("class") for g in second.iter(f"{SVG}g") if "group" in g.get("class", "")]
    assert groups == ["group treated"] and people(second, "treated", "had") == 7


def test_a_charts_alternative_text_is_the_sentence_printed_beside_it_with_its_numbers(every_edition):
    published, _ = every_edition
    html = (published / "en" / "test-medicine-risks.html").read_text()
    first = svgs(html, "icon-array")[0]
    said = "Sleepy: 30 in 100 with the medicine, and 10 in 100 with a dummy pill."
    assert (first.get("role"), first.get("aria-label"), first.find(f"{SVG}title").text) == ("img", said, said)
    assert "<strong>Sleepy:</strong> 30 in 100 with the medicine, and 10 in 100 with a dummy pill." in html


def test_a_schedule_draws_a_dot_for_each_dose_and_an_arrow_where_it_goes_on(every_edition):
    published, _ = every_edition
    [line] = svgs((published / "en" / "test-medicine-expectations.html").read_text(), "timeline")
    dots = [c for c in line.iter(f"{SVG}circle") if c.get("class") == "dose"]
    arrows = [p for p in line.iter(f"{SVG}path") if p.get("class") == "goes-on"]
    assert (len(dots), len(arrows)) == (4, 1)


def test_a_schedules_stages_are_printed_as_text_and_are_its_alternative_text(every_edition):
    published, _ = every_edition
    html = (published / "en" / "test-medicine-expectations.html").read_text()
    [line] = svgs(html, "timeline")
    assert line.get("aria-label") == "Each dot is one visit: Weeks 1 to 2: twice a week; After that: once a month"
    assert "<strong>Weeks 1 to 2:</strong> twice a week" in html and "<strong>After that:</strong> once a month" in html


def test_pictograms_stand_before_each_action_named_in_the_handouts_language(every_edition):
    published, _ = every_edition
    html = (published / "en" / "test-medicine-expectations.html").read_text()
    labels = [svg.get("aria-label") for svg in svgs(html, "pictogram")]
    assert labels == ["No driving", "No alcohol"]


def test_a_pictogram_is_the_vendored_icons_drawing(every_edition):
    published, _ = every_edition
    html = (published / "en" / "test-medicine-expectations.html").read_text()
    drawn = [p.get("d") for p in svgs(html, "pictogram")[0].iter(f"{SVG}path")]
    vendored = [p.get("d") for p in ET.parse(ICONS / "car-off.svg").getroot().iter(f"{SVG}path")
                if p.get("stroke") != "none"]
    assert drawn == vendored


def test_pictures_are_sized_in_em_so_large_print_draws_them_larger():
    large = (HOME / "styles" / "large.css").read_text()
    assert re.search(r"\.icon-array \{ width: [\d.]+em; height: [\d.]+em; \}", large)


# The PDF: each picture a Figure with its alternative text


def test_the_pdf_tags_each_chart_row_as_a_figure_with_its_sentence(every_edition):
    published, _ = every_edition
    alts = figures(published / "en" / "test-medicine-risks.pdf")
    assert "Sleepy: 30 in 100 with the medicine, and 10 in 100 with a dummy pill." in alts
    assert "Sick to the stomach: 7 in 100 with the medicine." in alts


def test_the_pdf_tags_the_schedule_and_each_pictogram_as_figures_with_alternative_text(every_edition):
    published, _ = every_edition
    alts = figures(published / "en" / "test-medicine-expectations.pdf")
    assert alts.count("Each dot is one visit: Weeks 1 to 2: twice a week; After that: once a month") == 1
    assert {"No driving", "No alcohol"} <= set(alts)


def test_every_figure_in_a_large_print_pdf_has_alternative_text(every_edition):
    published, _ = every_edition
    for tier in ("risks", "expectations"):
        alts = figures(published / "en" / f"test-medicine-{tier}-large.pdf")
        assert alts and all(alts), tier


def test_the_shipped_spravato_chart_is_drawn_from_the_labels_numbers(shipped):
    out, _ = shipped
    alts = figures(out / "en" / "esketamine-risks.pdf")
    assert "Dizzy: about 29 in 100 with Spravato, and 8 in 100 with a dummy spray." in alts


def test_the_spanish_handout_draws_the_same_numbers_with_its_own_words(shipped):
    out, _ = shipped
    first = svgs((out / "es" / "esketamine-risks.html").read_text(), "icon-array")[0]
    assert people(first, "treated", "had") == 29 and people(first, "placebo", "had") == 8
    assert first.get("aria-label") == "Mareo: 29 de cada 100 con Spravato; 8 sin medicina."


# The numbers checks: a bad chart is a finding at its line, never a traceback


def test_a_rate_above_the_denominator_is_a_finding_at_its_line(content):
    found = findings_for(content, "how-common", CHART.replace("treated: 30", "treated: 130"))
    [finding] = [f for f in found if f.code == "chart-over-denominator"]
    assert (finding.location.path.name, finding.location.line) == ("how-common.yaml", 11)


def test_a_sentence_about_a_placebo_group_without_its_rate_is_a_finding(content):
    found = findings_for(content, "how-common", CHART.replace("      placebo: 10\n", ""))
    assert "chart-missing-placebo" in codes(found)


def test_a_sentence_whose_numbers_are_not_the_rows_is_a_finding(content):
    found = findings_for(content, "how-common", CHART.replace("says: 30 in 100", "says: 3 in 10"))
    [finding] = [f for f in found if f.code == "chart-text-numbers"]
    assert (finding.location.line, "30 in 100 and 10 in 100" in finding.message) == (13, True)


def test_a_sentence_that_swaps_the_groups_is_a_finding(content):
    swapped = "says: 10 in 100 with a dummy pill, and 30 in 100 with the medicine."
    found = findings_for(content, "how-common", CHART.replace(
        "says: 30 in 100 with the medicine, and 10 in 100 with a dummy pill.", swapped))
    assert codes(found) == ["chart-text-numbers"]


def test_a_correct_chart_has_no_finding(content):
    assert codes(findings_for(content, "how-common", CHART)) == []


def test_a_denominator_other_than_10_or_100_is_a_finding(content):
    found = findings_for(content, "how-common", CHART.replace("per: 100", "per: 50"))
    assert [(f.code, f.location.line) for f in found if f.severity == "error"][:1] == [("bad-value", 6)]


def test_a_chart_block_without_its_numbers_is_a_finding_not_a_traceback(content):
    found = findings_for(content, "how-common", "title: How common\nkind: chart\nbody: |\n  Words.\nsources: [label]\n")
    assert codes(found) == ["bad-value"] and "needs 'chart:'" in found[0].message


def test_an_unknown_pictogram_is_a_finding_naming_the_ones_there_are(content):
    found = findings_for(content, "after-care", PICTOGRAMS.replace("glass-off", "beer-off"))
    [finding] = [f for f in found if f.code == "unknown-icon"]
    assert finding.location.line == 6 and "glass-off" in finding.message


def test_a_pictogram_for_each_list_item_or_a_finding(content):
    found = findings_for(content, "after-care", PICTOGRAMS.replace("icons: [car-off, glass-off]", "icons: [car-off]"))
    assert codes(found) == ["pictogram-count"]


def test_a_schedule_icon_without_words_in_strings_is_a_finding(content):
    strings = content / "strings.yaml"
    strings.write_text(strings.read_text().replace("  clock: Clock\n", ""))
    assert codes(findings_for(content, "course", SCHEDULE)) == ["icon-label"]


# Translations: their own words, the English numbers


@pytest.fixture
def spanish(content):
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("languages: [en]", "languages: [en, es]"))
    (content / "es" / "blocks").mkdir(parents=True)
    (content / "es" / "strings.yaml").write_text((HOME / "content" / "es" / "strings.yaml").read_text("utf-8"))
    return content


def translated_chart_findings(content, rows: str) -> list:
    findings_for(content, "how-common", CHART)
    library, _ = load(content)
    from handouts.content.translations import version
    (content / "es" / "blocks" / "how-common.yaml").write_text(
        f"translates: {version(library.blocks['how-common'].value)}\ntitle: Frecuencia\nbody: |\n  Palabras.\n"
        f"chart:\n  treated: Medicina\n  placebo: Pastilla sin medicina\n  rows:\n{rows}", encoding="utf-8")
    library, found = load(content)
    return [f for f in found + check(library, icons=ICONS) if "es" in f.location.path.parts]


def test_a_translated_sentence_is_held_to_the_english_numbers(spanish):
    rows = ("    - label: Sueño\n      says: 30 de cada 100 con la medicina, y 12 de cada 100 con la pastilla sin medicina.\n"
            "    - label: Náuseas\n      says: 7 de cada 100 con la medicina.\n")
    assert codes(translated_chart_findings(spanish, rows)) == ["chart-text-numbers"]


def test_a_translation_with_a_row_missing_is_a_finding(spanish):
    rows = "    - label: Sueño\n      says: 30 de cada 100 con la medicina, y 10 de cada 100 con la pastilla sin medicina.\n"
    assert codes(translated_chart_findings(spanish, rows)) == ["figure-translation"]
