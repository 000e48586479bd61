"""Printed files wait on disk, beside their final paths, until the build publishes them
(publish/files.staged): a 1,000-topic build holds 8,000 PDFs, which must not sit in memory.
Whatever stops a build (an error, Ctrl-C) leaves the published folder as it was, with
no staged file behind."""

from __future__ import annotations

import pytest

from handouts import engine
from handouts.engine import BuildOptions
from handouts.publish.files import TEMPORARY


@pytest.fixture
def two_topics(project):
    """The test library with a second topic: two packets, so a build has a second job to stop at."""
    topic = project.content / "topics" / "test-medicine.yaml"
    (topic.parent / "other-medicine.yaml").write_text(topic.read_text().replace("Test medicine", "Other medicine"))
    return project


def staged_files(out):
    return sorted(p.name for p in out.rglob(f"*{TEMPORARY}"))


def published(out) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
            and p.name != ".build.lock"}


def test_a_build_publishes_every_staged_file_and_leaves_none(project):
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok and len(report.printed) == 4
    assert staged_files(project.out) == []
    assert all((project.out / pdf).read_bytes().startswith(b"%PDF-") for pdf in report.printed)


def test_the_printed_pdfs_wait_on_disk_until_published(two_topics):
    project = two_topics
    seen = []

    def progress(results, jobs):
        for result in results:
            yield result
            seen.append(staged_files(project.out))  # after collect has staged the one before

    assert engine.build(project, BuildOptions(jobs=1), progress=progress).ok
    assert len(seen[0]) == 8  # the first packet and its three handouts, each PDF with its web page
    assert all(name.startswith(".") for names in seen for name in names)


def test_a_build_with_errors_leaves_the_published_folder_as_it_was(project):
    assert engine.build(project, BuildOptions(jobs=1)).ok
    before = published(project.out)
    block = project.content / "blocks" / "how-given.yaml"
    block.write_text(block.read_text().replace("You sit down.", "You sit down. " + "Rest well. " * 600))
    report = engine.build(project, BuildOptions(jobs=1))
    assert not report.ok and any(f.code == "too-long" for f in report.findings)
    assert staged_files(project.out) == []
    assert {k: v for k, v in published(project.out).items() if not k.startswith("overflow/")} == before


def test_a_build_stopped_while_printing_leaves_no_staged_file(two_topics):
    project = two_topics
    assert engine.build(project, BuildOptions(jobs=1)).ok
    before = published(project.out)

    def stopped(results, jobs):
        for i, result in enumerate(results):
            if i == 1:
                raise KeyboardInterrupt  # Ctrl-C once the first packet and its handouts were staged
            yield result

    with pytest.raises(KeyboardInterrupt):
        engine.build(project, BuildOptions(jobs=1, force=True), progress=stopped)
    assert staged_files(project.out) == []
    assert published(project.out) == before
