"""The shipped content library: complete, sourced, and saying what patients must hear."""

from __future__ import annotations

import pytest

from handouts.checks.library import FACT_FREE_KINDS
from handouts.content.load import load
from handouts.content.printed import printed
from handouts.content.model import TIERS
from handouts.project import HOME

DEPRESSION_TOPICS = ("ketamine-depression", "esketamine")


@pytest.fixture(scope="module")
def library():
    library, findings = load(HOME / "content")
    assert library is not None, findings
    return library


def tier_text(library, topic_id: str, tier: str) -> str:
    blocks = [library.blocks[b].value for b in getattr(library.topics[topic_id].value.handouts, tier)]
    return " ".join(" ".join(f"{b.title} {printed(b.body, markdown=True).text}".split()) for b in blocks)


def test_the_library_has_the_four_topics():
    topics = {p.stem for p in (HOME / "content" / "topics").glob("*.yaml")}
    assert topics == {"ketamine-anesthesia", "ketamine-depression", "esketamine", "ketamine-chronic-pain"}


def test_every_topic_has_all_three_tiers(library):
    for topic_id, topic in library.topics.items():
        for tier in TIERS:
            assert getattr(topic.value.handouts, tier), (topic_id, tier)


def test_every_block_that_states_facts_cites_sources_that_exist(library):
    sources = library.sources.value
    for block_id, block in library.blocks.items():
        if block.value.kind not in FACT_FREE_KINDS:
            assert block.value.sources, block_id
        for source_id in block.value.sources:
            assert source_id in sources, (block_id, source_id)


def test_every_source_has_a_full_citation(library):
    for source_id, source in library.sources.value.items():
        assert source.title and source.year and (source.author or source.publisher), source_id
        assert source.identifier or source.url, f"{source_id}: give a DOI, PMID, label revision or address"


def test_every_handout_says_when_to_call_911(library):
    for topic_id in library.topics:
        for tier in TIERS:
            assert "911" in tier_text(library, topic_id, tier), (topic_id, tier)


def test_depression_handouts_give_988_to_call_or_text(library):
    for topic_id in DEPRESSION_TOPICS:
        for tier in TIERS:
            text = tier_text(library, topic_id, tier)
            assert "988" in text and "call or text" in text.lower(), (topic_id, tier)


def test_every_expectations_sheet_has_a_tick_box_checklist(library):
    for topic_id, topic in library.topics.items():
        kinds = [library.blocks[b].value.kind for b in topic.value.handouts.expectations]
        assert "checklist" in kinds, topic_id


def test_every_overview_asks_the_three_ask_me_3_questions(library):
    for topic_id in library.topics:
        text = tier_text(library, topic_id, "overview")
        for question in ("What is my main problem?", "What do I need to do?", "Why is it important for me to do this?"):
            assert question in text, (topic_id, question)


def test_the_shipped_content_is_a_draft_with_empty_review_fields(library):
    for topic_id, topic in library.topics.items():
        review = topic.value.review
        assert (review.status, review.reviewed_by, review.reviewed_on, review.next_review) == ("draft", "", None, None)
    for translation in library.translations.values():
        for topic_id, topic in translation.topics.items():
            assert topic.value.review.status == "draft", topic_id


def test_the_spam_line_of_the_source_article_is_nowhere_in_the_content():
    for path in (HOME / "content").rglob("*.yaml"):
        if "editorial" not in path.parts:
            assert "buy ketamine" not in path.read_text(encoding="utf-8").lower(), path
