"""Approvals bound to what was reviewed: a change after the review prints as not yet re-reviewed."""

from __future__ import annotations

import json
import shutil

import pytest
from pypdf import PdfReader

import build
from handouts import engine
from handouts.commands import check_report
from handouts.content import approval
from handouts.content.load import load
from handouts.engine import BuildOptions
from handouts.project import Project

CHANGED = "Changed since it was reviewed on November 1, 2026: not yet re-reviewed"


def approve(content, topic="test-medicine", *extra) -> int:
    return build.main(["approve", topic, "--content", str(content), "--by", "Dr Lee", "--on", "2026-11-01", *extra])


def add_second_topic(content) -> None:
    """Another topic sharing the block get-help with test-medicine."""
    (content / "topics" / "other-medicine.yaml").write_text(
        "title: Other medicine\nhandouts:\n  overview: [get-help]\n  expectations: [how-given, get-help]\n"
        "  risks: [get-help]\n")


def edit_shared_block(content) -> None:
    block = content / "blocks" / "get-help.yaml"
    block.write_text(block.read_text().replace("if you cannot breathe", "if you cannot breathe or wake up"))


def changed(findings) -> list:
    return [f for f in findings if f.code == "changed-since-review"]


def test_approve_records_the_digest_of_what_was_read_and_the_topic_prints_as_approved(content, capsys):
    assert approve(content) == 0
    text = (content / "topics" / "test-medicine.yaml").read_text()
    library, _ = load(content)
    assert f"  digest: {approval.digest(library, 'test-medicine')}" in text
    assert "reviewed_by: \"Dr Lee\"\n  reviewed_on: 2026-11-01\n  next_review: 2027-11-01\n" in text
    assert approval.status(library, "test-medicine").state == "approved"
    assert "handouts:\n  overview: [what-it-is, get-help]" in text  # the rest of the file is as it was


def test_editing_a_shared_block_makes_every_approved_topic_using_it_changed_and_fails_strict(content, capsys):
    add_second_topic(content)
    assert approve(content) == 0 and approve(content, "other-medicine") == 0
    assert build.main(["check", "--content", str(content), "--strict"]) == 0
    edit_shared_block(content)
    capsys.readouterr()
    assert build.main(["check", "--content", str(content), "--strict"]) == 1
    err = capsys.readouterr().err
    for topic in ("test-medicine", "other-medicine"):
        assert (f"error: {topic}/overview, {topic}/expectations, {topic}/risks: changed since it was reviewed on "
                "2026-11-01, not yet re-reviewed") in err
        assert f"python build.py approve {topic} --by NAME --on DATE" in err


def test_a_plain_check_lists_the_changed_handouts_as_warnings(content):
    assert approve(content) == 0
    edit_shared_block(content)
    _, findings = engine.examine(Project(content, content.parent / "dist"))
    assert [(f.severity, f.location.path.name) for f in changed(findings)] == [("warning", "test-medicine.yaml")]


def test_an_edit_to_a_block_the_topic_does_not_use_leaves_its_approval_standing(content):
    add_second_topic(content)
    (content / "topics" / "other-medicine.yaml").write_text(
        "title: Other\nhandouts:\n  overview: [how-given]\n  expectations: [how-given]\n  risks: [how-given]\n")
    assert approve(content, "other-medicine") == 0
    edit_shared_block(content)
    library, _ = load(content)
    assert approval.status(library, "other-medicine").state == "approved"


@pytest.mark.parametrize("edit", ["source", "strings", "title"])
def test_a_change_to_a_cited_source_the_strings_or_the_topic_is_a_change_to_what_was_reviewed(content, edit):
    assert approve(content) == 0
    path, old, new = {"source": ("sources.yaml", "Test drug label", "Test drug label (revised)"),
                      "strings": ("strings.yaml", "tiers:\n  overview: Overview", "tiers:\n  overview: Summary"),
                      "title": ("topics/test-medicine.yaml", "title: Test medicine", "title: Test medicines")}[edit]
    (content / path).write_text((content / path).read_text().replace(old, new))
    library, _ = load(content)
    assert approval.status(library, "test-medicine").state == "changed"


def test_an_approval_written_by_hand_without_the_digest_is_not_trusted(content):
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("review:\n  status: draft\n", "review:\n  status: approved\n"
                                               "  reviewed_by: Dr Lee\n  reviewed_on: 2026-11-01\n"
                                               "  next_review: 2027-11-01\n"))
    _, findings = engine.examine(Project(content, content.parent / "dist"))
    assert len(changed(findings)) == 1
    assert "was recorded without the digest of what was read" in changed(findings)[0].message


def test_approving_again_after_the_change_prints_approved_again(content):
    assert approve(content) == 0
    edit_shared_block(content)
    assert build.main(["approve", "test-medicine", "--content", str(content), "--by", "Dr Lee",
                       "--on", "2026-11-05"]) == 0
    _, findings = engine.examine(Project(content, content.parent / "dist"), strict=True)
    assert changed(findings) == [] and not [f for f in findings if f.severity == "error"]


def test_approve_refuses_an_unknown_topic_as_a_usage_error(content, capsys):
    assert approve(content, "no-such-topic") == 2
    assert "no topic 'no-such-topic'; topics: test-medicine" in capsys.readouterr().err


def test_approve_refuses_a_review_date_in_the_future(content, capsys):
    assert approve(content, "test-medicine", "--on", "2999-01-01") == 2
    assert "--on 2999-01-01 is in the future" in capsys.readouterr().err


def test_approve_refuses_content_with_errors(content, capsys):
    (content / "blocks" / "what-it-is.yaml").write_text("title: What it is\nbody: |\n  BUY it now.\nsources: [label]\n")
    assert approve(content) == 1
    assert "Not approved: fix the errors above first" in capsys.readouterr().err
    assert "digest" not in (content / "topics" / "test-medicine.yaml").read_text()


@pytest.fixture(scope="module")
def changed_build(tmp_path_factory):
    """The test library approved, then a shared block edited, then built."""
    from conftest import write_library

    root = tmp_path_factory.mktemp("changed")
    content = write_library(root)
    add_second_topic(content)
    assert approve(content) == 0 and approve(content, "other-medicine") == 0
    edit_shared_block(content)
    project = Project(content=content, out=root / "dist")
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok, [str(f) for f in report.findings]
    return project


def test_every_handout_of_every_topic_using_the_edited_block_prints_the_marking_on_every_page(changed_build):
    manifest = json.loads((changed_build.out / "manifest.json").read_text())
    pdfs = sorted(e["pdf"] for e in manifest["handouts"])
    assert len(pdfs) == 8  # two topics: three tiers and a packet each
    for pdf in pdfs:
        for page in PdfReader(changed_build.out / pdf).pages:
            text = page.extract_text()
            assert f"Draft: {CHANGED}" in text and "Reviewed on November 1, 2026" not in text, pdf


def test_a_changed_handout_says_so_at_the_top_of_its_web_page(changed_build):
    html = (changed_build.out / "en" / "test-medicine-overview.html").read_text()
    assert f'<p class="status screen-only changed">Draft: {CHANGED}</p>' in html


def test_the_manifest_and_the_check_report_agree_on_the_status(changed_build):
    manifest = json.loads((changed_build.out / "manifest.json").read_text())
    assert {e["status"] for e in manifest["handouts"]} == {"changed"}
    library, findings = engine.examine(changed_build)
    statuses = {row.status for row in check_report.rows(library, findings)}
    assert statuses == {"changed since its review of 2026-11-01: not yet re-reviewed"}
    assert all(s.split()[0] == "changed" for s in statuses)


def test_a_draft_web_page_says_so_too(project):
    assert engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1)).ok
    html = (project.out / "en" / "test-medicine-overview.html").read_text()
    assert '<p class="status screen-only draft"><strong>Draft:</strong> not yet reviewed by a clinician.' in html


def test_a_translation_edit_changes_only_the_translation_approval(content):
    from test_editions import add_spanish

    add_spanish(content)
    assert approve(content) == 0 and approve(content, "test-medicine", "--lang", "es") == 0
    spanish = content / "es" / "blocks" / "get-help.yaml"
    spanish.write_text(spanish.read_text().replace("no puede respirar", "no puede respirar bien"))
    library, _ = load(content)
    assert approval.status(library, "test-medicine").state == "approved"
    assert approval.status(library, "test-medicine", "es").state == "changed"


def test_a_copy_of_the_shipped_library_approved_and_edited_is_caught(tmp_path):
    from handouts.project import HOME

    content = tmp_path / "content"
    shutil.copytree(HOME / "content", content)
    assert approve(content, "ketamine-anesthesia") == 0
    block = content / "blocks" / "when-to-get-help.yaml"
    block.write_text(block.read_text().replace("a seizure", "a seizure (fit)"))
    _, findings = engine.examine(Project(content, tmp_path / "dist"), strict=True)
    assert [f.location.path.name for f in changed(findings)] == ["ketamine-anesthesia.yaml"]


def test_a_change_to_the_english_strings_reprints_the_approved_translation(project):
    from test_editions import add_spanish

    add_spanish(project.content)
    assert approve(project.content) == 0 and approve(project.content, "test-medicine", "--lang", "es") == 0

    def spanish_jobs():
        library, _ = engine.examine(project)
        jobs, _ = engine.jobs_for(project, library)
        return {job.pdf: (job.fingerprint, job.handout.status) for job in jobs if job.handout.lang == "es"}

    before = spanish_jobs()
    strings = project.content / "strings.yaml"
    strings.write_text(strings.read_text().replace("page: Page", "page: Sheet"))
    after = spanish_jobs()
    assert {status for _, status in before.values()} == {"approved"}
    assert {status for _, status in after.values()} == {"changed"}
    assert all(before[pdf][0] != after[pdf][0] for pdf in before)


def test_a_mistyped_digest_says_to_let_approve_write_it(content):
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("review:\n  status: draft\n", "review:\n  status: draft\n"
                                               "  digest: see-email\n"))
    library, findings = load(content)
    assert library is not None
    assert [f.message for f in findings] == ["review.digest: 'see-email' is not a digest; let `python build.py "
                                             "approve` write it (16 letters and digits)"]
