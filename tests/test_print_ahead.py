"""Printing ahead: after an edit, what it changed starts printing before the library is checked,
and what is published is exactly what a build without that head start publishes."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from handouts import engine
from handouts.engine import BuildOptions
from handouts.plan import ahead
from handouts.press.workers import Press
from handouts.project import Project

EDITED = {"en/test-medicine-expectations.pdf", "en/test-medicine-packet.pdf"}


class WatchedPress(Press):
    """A real press (two workers) that notes what it was handed, and whether ahead of the plan."""

    def __init__(self, project: Project):
        super().__init__(project, 2)
        self.handed: list[tuple[bool, list[str]]] = []

    def make(self, jobs, now=False):
        self.handed.append((now, [job.pdf for job in jobs]))
        return super().make(jobs, now)


@pytest.fixture
def project(content, tmp_path):
    (content / "topics" / "second.yaml").write_text(
        "title: Second\nhandouts:\n  overview: [get-help]\n  expectations: [checklist]\n  risks: [get-help]\n")
    project = Project(content=content, out=tmp_path / "dist")
    assert engine.build(project, BuildOptions(jobs=2)).ok
    return project


def build(project: Project) -> tuple[engine.BuildReport, WatchedPress]:
    with WatchedPress(project) as press:
        return engine.build(project, BuildOptions(jobs=2), press=press), press


def edit_how_given(project: Project, words: str = "You sit in a chair.") -> None:
    block = project.content / "blocks" / "how-given.yaml"  # in test-medicine's expectations only
    block.write_text(block.read_text().replace("You sit down.", words))


def published(out) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_an_edit_starts_printing_what_it_changed_before_anything_else(project):
    edit_how_given(project)
    report, press = build(project)
    assert report.ok and set(report.printed) == EDITED
    now, first = press.handed[0]
    assert now and set(first) == {"en/test-medicine-packet.pdf"}  # the packet prints its tiers too
    assert all(jobs == [] for _, jobs in press.handed[1:])  # nothing was printed twice


def test_what_was_printed_ahead_is_what_a_build_without_a_record_publishes(project, tmp_path, monkeypatch):
    edit_how_given(project)
    report, press = build(project)
    assert press.handed[0][0]
    monkeypatch.setenv("HANDOUTS_CACHE", "off")  # no memo and no record: no head start
    fresh = Project(content=project.content, out=tmp_path / "fresh")
    assert engine.build(fresh, BuildOptions(jobs=2)).ok
    assert published(project.out) == published(fresh.out)


def test_a_new_topic_is_printed_ahead(project):
    shutil.copy(project.content / "topics" / "second.yaml", project.content / "topics" / "third.yaml")
    report, press = build(project)
    assert report.ok and {"en/third-packet.pdf", "en/third-overview.pdf"} <= set(report.printed)
    assert press.handed[0][0] and "en/third-packet.pdf" in press.handed[0][1]


def test_a_print_made_ahead_that_the_plan_does_not_want_is_never_published(project, monkeypatch):
    guess = ahead.guess

    def mistitled(job):
        return dataclasses.replace(job, handout=dataclasses.replace(job.handout, title="Wrongly Guessed"))

    def wrong(project, selection, since=None):  # as if the guess had planned from content that is not the library's
        return [mistitled(job) if isinstance(job, engine.Job) else
                dataclasses.replace(job, parts=tuple(map(mistitled, job.parts))) for job in guess(project, selection, since)]

    monkeypatch.setattr(ahead, "guess", wrong)
    edit_how_given(project)
    report, press = build(project)
    assert report.ok and set(report.printed) == EDITED
    assert press.handed[0][0] and press.handed[0][1]  # printed ahead, then set aside
    assert "en/test-medicine-packet.pdf" in press.handed[1][1]  # printed again, as planned
    pdf = (project.out / "en" / "test-medicine-expectations.pdf").read_bytes()
    assert b"Wrongly" not in pdf and "Wrongly" not in (project.out / "manifest.json").read_text()


def test_an_edit_the_checks_refuse_publishes_nothing_even_if_printed_ahead(project):
    before = published(project.out)
    edit_how_given(project, "You sit down. This medicine is a miracle cure.")
    report, press = build(project)
    assert not report.ok and any(f.severity == "error" for f in report.findings)
    assert press.handed and press.handed[0][0]  # it loaded cleanly, so it started printing
    assert published(project.out) == before


def test_a_change_to_a_file_every_topic_reads_is_not_guessed_beyond_the_limit(project, monkeypatch):
    monkeypatch.setattr(ahead, "MOST_TOPICS", 1)
    clinic = project.content / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace("Lakeside Clinic", "Hillside Clinic"))
    report, press = build(project)
    assert report.ok and len(report.printed) == 8
    assert not any(now for now, _ in press.handed)


def test_loading_some_topics_reads_only_what_they_print(project, monkeypatch):
    from handouts.content import load as load_module

    parsed = []
    parse = load_module.yamldoc.parse
    monkeypatch.setattr(load_module.yamldoc, "parse", lambda path, *rest: parsed.append(path.name) or parse(path, *rest))
    library, findings = load_module.load(project.content, topics=frozenset({"second"}))
    assert findings == [] and set(library.topics) == {"second"}
    assert set(library.blocks) == {"get-help", "checklist"}
    assert "test-medicine.yaml" not in parsed and "how-given.yaml" not in parsed


@pytest.mark.parametrize("edit", [("topics/second.yaml", "[checklist]", "[checklist, no-such-block]"),
                                  ("blocks/get-help.yaml", "sources: [label]", "sources: [label, no-such-source]")])
def test_an_edit_naming_what_does_not_exist_is_reported_not_guessed_from(project, edit):
    name, old, new = edit
    path = project.content / name
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new))
    report, press = build(project)
    assert not report.ok and any("no-such" in f.message for f in report.findings)
    assert not any(now for now, _ in press.handed)
