"""Page layout read back from real PDFs: headings keep their text, callouts stay whole."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from handouts import engine
from handouts.engine import BuildOptions

PARAGRAPH = "You may feel sleepy or dizzy for a few hours after your visit, so plan to rest at home."


@pytest.fixture
def long_handout(project):
    """A risks sheet long enough to break across pages at several places."""
    blocks = project.content / "blocks"
    ids = []
    for i in range(1, 9):
        (blocks / f"text-{i}.yaml").write_text(
            f"title: Heading number {i}\nbody: |\n  First line of text {i}. {PARAGRAPH}\n\n"
            + f"  {PARAGRAPH}\n\n" * (i % 3 + 1) + "sources: [label]\n")
        (blocks / f"callout-{i}.yaml").write_text(
            f"title: Callout number {i}\nkind: warning\nbody: |\n  Callout {i} starts here. {PARAGRAPH}\n\n"
            f"  {PARAGRAPH} {PARAGRAPH}\n\n  Callout {i} ends here.\nsources: [label]\n")
        ids += [f"text-{i}", f"callout-{i}"]
    topic = project.content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("risks: [what-it-is, get-help]", f"risks: [{', '.join(ids)}]"))
    site = project.content / "site.yaml"
    site.write_text(site.read_text().replace("risks: {max_pages: 2", "risks: {max_pages: 6"))
    assert engine.build(project, BuildOptions(only="test-medicine/risks", jobs=1)).ok
    pages = [page.extract_text() for page in PdfReader(project.out / "en" / "test-medicine-risks.pdf").pages]
    assert len(pages) >= 3
    return pages


def page_of(pages: list[str], text: str) -> int:
    return next(i for i, page in enumerate(pages) if text in page)


@pytest.mark.parametrize("i", range(1, 9))
def test_a_heading_is_never_left_at_the_foot_of_a_page(long_handout, i):
    assert page_of(long_handout, f"Heading number {i}") == page_of(long_handout, f"First line of text {i}.")


@pytest.mark.parametrize("i", range(1, 9))
def test_a_callout_is_never_split_across_pages(long_handout, i):
    pages = long_handout
    assert page_of(pages, f"Callout number {i}") == page_of(pages, f"Callout {i} starts") \
        == page_of(pages, f"Callout {i} ends")


def test_every_page_carries_the_title_and_page_n_of_m(long_handout):
    total = len(long_handout)
    for number, page in enumerate(long_handout, 1):
        assert "Test medicine: Risks and safety" in page
        assert f"Page {number} of {total}" in page


def test_the_clinic_header_is_on_the_first_page_only(long_handout):
    assert "Lakeside Clinic" in long_handout[0]
    assert all("Lakeside Clinic" not in page for page in long_handout[1:])
