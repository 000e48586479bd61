"""No wasted reprints: a handout is printed again only when something it prints can change."""

from __future__ import annotations

import pytest

from handouts import engine
from handouts.engine import BuildOptions
from test_editions import add_spanish


def rebuild(project) -> set[str]:
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok, report.findings
    return set(report.printed)


@pytest.fixture
def built(project):
    sources = project.content / "sources.yaml"
    sources.write_text(sources.read_text() + "other:\n  author: Other Agency\n  title: Other label\n  year: 2020\n")
    block = project.content / "blocks" / "how-given.yaml"
    block.write_text(block.read_text().replace("sources: [label]", "sources: [other]"))
    assert engine.build(project, BuildOptions(jobs=1)).ok
    return project


def test_a_sources_edit_reprints_only_the_handouts_citing_the_changed_entry(built):
    sources = built.content / "sources.yaml"
    sources.write_text(sources.read_text().replace("title: Other label", "title: Other label, revised"))
    assert rebuild(built) == {"en/test-medicine-expectations.pdf", "en/test-medicine-packet.pdf"}


def test_a_new_source_nobody_cites_reprints_nothing(built):
    sources = built.content / "sources.yaml"
    sources.write_text(sources.read_text() + "unused:\n  publisher: Nobody\n  title: Unused\n  year: 2021\n")
    assert rebuild(built) == set()


def test_an_unused_image_reprints_nothing(built):
    images = built.content / "images"
    images.mkdir()
    (images / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    assert rebuild(built) == set()


def test_a_used_logo_reprints_the_handouts_that_show_it(built):
    images = built.content / "images"
    images.mkdir()
    logo = images / "lakeside.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>L</title></svg>')
    clinic = built.content / "clinic.yaml"
    clinic.write_text(clinic.read_text() + "logo: images/lakeside.svg\n")
    assert len(rebuild(built)) == 4
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="12" height="12"><title>L</title></svg>')
    assert len(rebuild(built)) == 4


def test_an_english_edit_reprints_a_spanish_handout_only_if_its_pdf_changes(project):
    add_spanish(project.content)
    assert engine.build(project, BuildOptions(jobs=1)).ok
    block = project.content / "blocks" / "how-given.yaml"
    block.write_text(block.read_text().replace("You sit down.", "You sit in a chair."))
    printed = rebuild(project)  # the Spanish translation is now stale (a warning), its text unchanged
    assert printed == {"en/test-medicine-expectations.pdf", "en/test-medicine-packet.pdf"}
    block.write_text(block.read_text().replace("kind: steps", "kind: list").replace("1. ", "- ").replace("2. ", "- "))
    printed = rebuild(project)  # the kind is the English block's: the Spanish page changes too
    assert "es/test-medicine-expectations.pdf" in printed
