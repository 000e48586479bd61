"""Editorial checks: content that trips each one, and content that passes it.

Libraries come from conftest's small valid one (which uses the shipped forbidden,
jargon and names lists); `today` is passed in, so nothing here depends on the clock.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import build
from conftest import write
from handouts.checks import editorial
from handouts.commands import check_report
from handouts.checks.library import check
from handouts.findings import Finding
from handouts.content.load import load
from handouts.project import HOME

TODAY = datetime.date(2026, 6, 1)
SPAM = "BUY KETAMINE ONLINE WITHOUT PRESCRIPTION"


def findings(content: Path, code: str | None = None, today: datetime.date = TODAY) -> list[Finding]:
    library, found = load(content)
    assert library is not None, [str(f) for f in found]
    found += check(library, today)
    return [f for f in found if code is None or f.code == code]


def where(finding: Finding) -> tuple[str, int, int]:
    return finding.location.path.name, finding.location.line, finding.location.column


def block(content: Path, body: str, title: str = "What it is", block_id: str = "what-it-is") -> None:
    """Rewrite a fixture block; its body starts at line 3, column 3."""
    lines = "".join(f"  {line}\n" if line else "\n" for line in body.split("\n"))
    (content / "blocks" / f"{block_id}.yaml").write_text(
        f"title: {title}\nbody: |\n{lines}sources: [label]\n", encoding="utf-8")


def topic(content: Path, old: str, new: str) -> None:
    path = content / "topics" / "test-medicine.yaml"
    path.write_text(path.read_text().replace(old, new), encoding="utf-8")


def test_the_fixture_library_has_no_editorial_findings(content):
    assert findings(content) == []


# --- Forbidden phrasing: the seed article's spam line, wherever it is pasted --------------

def test_spam_line_in_a_block_title_is_an_error_at_the_title(content):
    block(content, "Test medicine helps some people.", title=SPAM)
    found = findings(content, "forbidden")
    assert {where(f) for f in found} == {("what-it-is.yaml", 1, 8), ("what-it-is.yaml", 1, 28)}
    assert all(f.severity == "error" for f in found)
    assert "'BUY' does not belong in a patient handout" in found[0].message


def test_spam_line_in_a_body_names_its_line_and_column(content):
    block(content, f"Test medicine helps some people.\nIt is given by a nurse. {SPAM}\nAsk us.")
    found = sorted(findings(content, "forbidden"))
    assert [where(f) for f in found] == [("what-it-is.yaml", 4, 27), ("what-it-is.yaml", 4, 47)]
    assert "'WITHOUT PRESCRIPTION'" in found[1].message


def test_spam_line_in_a_list_item_names_the_item_line(content):
    block(content, f"You may feel:\n\n- sleepy\n- {SPAM}\n- dizzy")
    assert {where(f)[:2] for f in findings(content, "forbidden")} == {("what-it-is.yaml", 6)}


def test_spam_in_a_topic_title_or_summary(content):
    topic(content, "summary: What to know about the test medicine.", "summary: Order online, no Rx.")
    found = findings(content, "forbidden")
    assert {where(f) for f in found} == {("test-medicine.yaml", 2, 10), ("test-medicine.yaml", 2, 24)}


@pytest.mark.parametrize("text", ["B**U**Y it here.", "No\u00a0Rx needed.", "It is side\u2011effect free.",
                                  "People call it Special\nK.", "It is 100 % safe.", "A miracle.",
                                  "It costs $300 a dose.", "Take 2 tablets at bedtime.",
                                  "You can stop your antidepressant now."])
def test_forbidden_phrasing_is_found_however_it_is_typed(content, text):
    block(content, text)
    assert findings(content, "forbidden"), text


@pytest.mark.parametrize("text", ["Ketamine is not a cure.", "Don\u2019t stop your antidepressant on your own.",
                                  "A buyer's guide is not what this is.", "Curing takes time."])
def test_honest_phrasing_that_contains_a_forbidden_word_passes(content, text):
    block(content, text)
    assert findings(content, "forbidden") == [], text


def test_a_forbidden_entry_needs_something_to_find(content):
    write(content / "editorial" / "forbidden.yaml", "sales:\n  reason: sells things\n")
    library, found = load(content)
    assert [(where(f), f.code) for f in found] == [(("forbidden.yaml", 2, 3), "bad-value")]


# --- Required messages ------------------------------------------------------------------

NEEDS_911 = """\
- name: when to call 911
  handouts: [test-medicine/overview, test-medicine/risks]
  any: ['\\b911\\b']
"""


def test_a_required_message_that_is_there_passes(content):
    write(content / "editorial" / "required.yaml", NEEDS_911)
    assert findings(content) == []


def test_a_missing_required_message_points_at_the_handout_and_says_what_counts(content):
    write(content / "editorial" / "required.yaml", NEEDS_911)
    block(content, "Call your doctor if you cannot breathe.", block_id="get-help")
    found = findings(content, "missing-message")
    # At the tier's list of blocks in the topic, where the editor adds the message; not at the rule.
    assert [where(f) for f in found] == [("test-medicine.yaml", 6, 3), ("test-medicine.yaml", 8, 3)]
    assert {f.message.split(" does not say")[0] for f in found} == {"test-medicine/overview", "test-medicine/risks"}
    assert "when to call 911" in found[0].message and "matches one of '\\b911\\b'" in found[0].message
    assert "required.yaml" not in found[0].message


def test_a_requirement_that_names_no_handout_is_a_warning(content):
    write(content / "editorial" / "required.yaml", "- name: a 988 line\n  handouts: [no-such-topic/*]\n  any: ['988']\n")
    found = findings(content, "required-unmatched")
    assert [(where(f), f.severity) for f in found] == [(("required.yaml", 2, 13), "warning")]


def test_a_bad_regular_expression_is_a_finding_at_its_line(content):
    write(content / "editorial" / "required.yaml", "- name: x\n  handouts: ['*/*']\n  any: ['(unclosed']\n")
    library, found = load(content)
    assert [(where(f), f.code) for f in found] == [(("required.yaml", 3, 9), "bad-value")]


# --- Reading level ----------------------------------------------------------------------

HARD = ("Pharmacological interventions demonstrate considerable variability regarding therapeutic "
        "effectiveness across heterogeneous populations.")


def test_a_handout_above_its_grade_is_an_error_at_its_tier_naming_the_hardest_block(content):
    block(content, HARD)
    found = [f for f in findings(content, "reading-level") if "test-medicine/overview" in f.message]
    assert [where(f) for f in found] == [("test-medicine.yaml", 6, 3)]
    assert "the limit for overview handouts is 6" in found[0].message
    assert "SMOG" in found[0].message and "what-it-is (grade" in found[0].message


def test_the_grade_limit_comes_from_site_yaml(content):
    block(content, HARD)
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("max_grade: 6", "max_grade: 20").replace("max_grade: 8", "max_grade: 20"))
    assert findings(content, "reading-level") == []


def test_drug_names_are_not_held_against_the_reading_grade(content):
    block(content, "Esketamine and ketamine are not midazolam.\nBuprenorphine is not methylphenidate.")
    assert findings(content, "reading-level") == []
    write(content / "editorial" / "names.yaml", "- aspirin\n")
    assert findings(content, "reading-level")


# --- Plain language ---------------------------------------------------------------------

def test_a_sentence_over_25_words_is_a_warning_at_its_line(content):
    long = " ".join(["word"] * 26) + "."
    block(content, f"A short one.\n{long}")
    assert [(where(f), f.severity) for f in findings(content, "long-sentence")] == [
        (("what-it-is.yaml", 4, 3), "warning")]


def test_a_sentence_of_25_words_passes(content):
    block(content, " ".join(["word"] * 25) + ".")
    assert findings(content, "long-sentence") == []


def test_a_long_paragraph_and_a_long_section(content):
    paragraph = " ".join(["Short words here."] * 21)  # 63 words
    block(content, "\n\n".join([paragraph] * 3))
    assert len(findings(content, "long-paragraph")) == 3
    assert [where(f) for f in findings(content, "long-section")] == [("what-it-is.yaml", 3, 3)]


def test_a_list_of_more_than_7_items(content):
    block(content, "You may feel:\n\n" + "\n".join(f"- thing {i}" for i in range(8)))
    assert [where(f) for f in findings(content, "long-list")] == [("what-it-is.yaml", 5, 3)]
    block(content, "You may feel:\n\n" + "\n".join(f"- thing {i}" for i in range(7)))
    assert findings(content, "long-list") == []


@pytest.mark.parametrize("text, advice", [("About 30% of people feel sick.", "about 3 in 10"),
                                          ("It helped 1/4 of people.", "1 in 4"),
                                          ("It helped 5 percent.", "about 5 in 100"),
                                          ("It helped one-third of them.", "about N in 10")])
def test_percentages_and_fractions_suggest_natural_frequencies(content, text, advice):
    block(content, f"Some words.\n{text}")
    found = findings(content, "percentage")
    assert [where(f) for f in found] == [("what-it-is.yaml", 4, 3)]
    assert advice in found[0].message


def test_natural_frequencies_and_24_7_pass(content):
    block(content, "About 3 in 10 people feel sick. Call us 24/7.")
    assert findings(content, "percentage") == []


def test_a_percentage_finding_names_its_sentence(content):
    block(content, "Some words.\nAbout 30% of people feel sick.")
    [found] = findings(content, "percentage")
    assert '(in "About 30% of people feel sick.")' in found.message


def test_mixed_denominators_in_one_handout_are_a_warning_at_the_odd_one(content):
    block(content, "About 3 in 10 feel sick.\nAbout 1 in 4 feel dizzy. About 1 in 10 have a headache.")
    found = findings(content, "mixed-denominators")
    assert [where(f) for f in found] == [("what-it-is.yaml", 4, 9)] * 2, [str(f) for f in found]  # overview, risks
    assert "out of 4" in found[0].message and "out of 10" in found[0].message
    assert '(in "About 1 in 4 feel dizzy.")' in found[0].message


@pytest.mark.parametrize("text", ["About 3 in 10 feel sick, and 61 to 75 in 100 feel detached.",
                                  "Out of every 100 people, 30 feel sick. Fewer than 1 in 1,000 pass out."])
def test_every_way_of_writing_a_denominator_counts(content, text):
    block(content, text)
    assert len(findings(content, "mixed-denominators")) == 2


def test_one_denominator_and_numbers_that_are_not_frequencies_pass(content):
    block(content, "About 3 in 10 feel sick. Approved in 2019, for 2 in 10 weeks... no: 1 in 10 at 40 minutes.")
    assert findings(content, "mixed-denominators") == []


def test_an_unexplained_medical_word_is_a_warning_at_the_word(content):
    block(content, "You may feel sleepy.\nSome people have dissociation.")
    found = findings(content, "jargon")
    assert [where(f) for f in found] == [("what-it-is.yaml", 4, 20)]
    assert "test-medicine/overview, test-medicine/risks" in found[0].message
    assert "dissociation (feeling detached" in found[0].message


@pytest.mark.parametrize("text", ["Some people have dissociation (feeling detached).",
                                  "Some people feel detached (dissociation).",
                                  "Some people have **dissociation**: feeling detached.",
                                  "Dissociation, which means feeling detached, can happen.",
                                  "You may have dissociation. This means feeling detached."])
def test_an_explained_medical_word_passes(content, text):
    block(content, text)
    assert findings(content, "jargon") == [], text


def test_a_words_to_know_block_explains_a_word_for_its_handouts(content):
    block(content, "Some people have dissociation.")
    jargon = content / "editorial" / "jargon.yaml"
    jargon.write_text(jargon.read_text().replace("  forms: [dissociative, dissociate, dissociated]",
                                                 "  forms: [dissociative]\n  explained_in: [get-help]"))
    assert findings(content, "jargon") == []


def test_an_abbreviation_matches_only_in_capitals(content):
    block(content, "Part iv of the plan. It is given by IV.")
    assert [where(f) for f in findings(content, "jargon")] == [("what-it-is.yaml", 3, 39)]


# --- Review -----------------------------------------------------------------------------

REVIEWED = """review:
  status: approved
  reviewed_by: Dr Lee
  reviewed_on: 2025-01-10
  next_review: {next}
"""


def test_an_overdue_review_is_a_warning_at_next_review(content):
    topic(content, "review:\n  status: draft\n", REVIEWED.format(next="2026-01-10"))
    assert [(where(f), f.severity) for f in findings(content, "review-overdue")] == [
        (("test-medicine.yaml", 7, 16), "warning")]


def test_a_review_not_yet_due_passes(content):
    topic(content, "review:\n  status: draft\n", REVIEWED.format(next="2027-01-10"))
    assert findings(content, "review-overdue") == [] and findings(content, "review-dates") == []


def test_strict_makes_an_overdue_review_an_error(capsys, content):
    topic(content, "review:\n  status: draft\n", REVIEWED.format(next="2000-01-10").replace("2025", "1999"))
    assert build.main(["check", "--content", str(content), "--strict"]) == 1
    assert "error: the review of 'test-medicine' was due on 2000-01-10" in capsys.readouterr().err


def test_next_review_before_the_review_is_an_error(content):
    topic(content, "review:\n  status: draft\n", REVIEWED.format(next="2024-01-10"))
    assert [f.severity for f in findings(content, "review-dates")] == ["error"]


def test_a_draft_is_not_a_finding_but_is_reported(content):
    library, _ = load(content)
    assert findings(content) == []
    assert {row.status for row in check_report.rows(library, [], today=TODAY)} == {"draft"}


# --- Accessibility of content -----------------------------------------------------------

def test_an_image_without_alternative_text_is_an_error(content):
    block(content, "A picture:\n\n![](images/chart.png)")
    found = [f for f in findings(content) if "alternative text" in f.message]
    assert [where(f) for f in found] == [("what-it-is.yaml", 5, 3)]


def test_a_heading_in_a_body_is_one_finding_that_says_what_to_do(content):
    block(content, "Text.\n\n## Too deep")
    found = [f for f in findings(content) if f.location.path.name == "what-it-is.yaml"]
    assert [(where(f), f.code) for f in found] == [(("what-it-is.yaml", 5, 3), "markup")]
    assert "delete the '#' marks, or make the heading the title of a new block" in found[0].message


# --- The report and the manifest's figures ----------------------------------------------

def test_figures_for_the_manifest(content):
    library, _ = load(content)
    figures = editorial.figures(library, "test-medicine", "overview")
    assert set(figures) == {"words", "sentences", "reading_grade", "reading_formula", "reading_ease", "smog",
                            "inflesz"}
    assert figures["reading_formula"] == "flesch-kincaid" and figures["words"] > 10


def test_the_report_has_a_row_per_handout_with_pages_from_the_manifest(content):
    block(content, "Some people have dissociation.")
    library, _ = load(content)
    manifest = {"en/test-medicine-risks.pdf": {"topic": "test-medicine", "tier": "risks", "lang": "en",
                                               "variant": "standard", "page_size": "letter", "pages": 2}}
    text = check_report.table(library, findings(content), manifest, today=TODAY)
    lines = text.splitlines()
    assert lines[0].split() == ["handout", "grade", "limit", "SMOG", "words", "pages", "errors", "warnings", "status"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[2:5]}
    assert set(rows) == {"test-medicine/overview", "test-medicine/expectations", "test-medicine/risks"}
    assert rows["test-medicine/risks"][4:] == ["2", "0", "1", "draft"]        # pages, errors, warnings, status
    assert rows["test-medicine/expectations"][4:] == ["-", "0", "0", "draft"]  # not built; block not used


# --- The shipped lists ------------------------------------------------------------------

def test_the_shipped_editorial_lists_load_and_name_real_handouts():
    library, found = load(HOME / "content")
    assert library is not None
    assert [f for f in found if "editorial" in str(f.location.path)] == []
    assert [f for f in check(library, TODAY) if f.code == "required-unmatched"] == []


def test_the_shipped_library_passes_a_strict_check(capsys):
    assert build.main(["check", "--content", str(HOME / "content"), "--strict"]) == 0, capsys.readouterr().err
