"""Reading-level counts and formulas, English and Spanish."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.checks.reading_grade import Counts, count, grade, sentence_spans, syllable_count, tally

# The opening of Don Quixote, syllables counted by hand: 33 words, 60 syllables, 1 sentence.
QUIJOTE = ("En un lugar de la Mancha, de cuyo nombre no quiero acordarme, no ha mucho tiempo que vivía "
           "un hidalgo de los de lanza en astillero, adarga antigua, rocín flaco y galgo corredor.")


def test_spanish_counts_of_a_known_passage():
    counts = count(QUIJOTE, "es")
    assert (counts.words, counts.sentences, counts.syllables) == (33, 1, 60)


def test_fernandez_huerta_and_szigriszt_pazos_of_a_known_passage():
    counts = count(QUIJOTE, "es")
    # 206.84 - 60 * 60/33 - 1.02 * 33 = 64.09; 206.835 - 62.3 * 60/33 - 33 = 60.56
    assert counts.fernandez_huerta == 64.1
    assert counts.szigriszt_pazos == 60.6


def test_spanish_grade_comes_from_the_fernandez_huerta_table():
    level = grade(count(QUIJOTE, "es"), "es")
    assert (level.formula, level.grade, level.smog) == ("fernandez-huerta", 8.0, None)  # 60-70: "normal"


@pytest.mark.parametrize("word, syllables", [("día", 2), ("leer", 2), ("aéreo", 4), ("cuidado", 3),
                                             ("quiero", 2), ("huerta", 2), ("y", 1), ("pingüino", 3)])
def test_spanish_syllables_follow_the_rules_for_diphthongs_and_hiatus(word, syllables):
    assert syllable_count(word, "es") == syllables


def test_english_grade_is_flesch_kincaid_with_smog():
    level = grade(count("The cat sat on the mat. It was happy."), "en")
    assert level.formula == "flesch-kincaid" and level.smog is not None and level.grade < 3


def test_exempt_words_count_at_most_two_syllables():
    text = "Esketamine is esketamine."
    assert count(text).polysyllables == 2
    assert count(text, exempt=frozenset({"esketamine"})).polysyllables == 0


def test_exempt_phrases_cover_their_words_only_together():
    exempt = frozenset({"food and drug administration"})
    assert count("The Food and Drug Administration said so.", exempt=exempt).polysyllables == 0
    assert count("The administration said so.", exempt=exempt).polysyllables == 1


@pytest.mark.parametrize("text, sentences", [("Ask Dr. Lee. She knows.", 2),
                                             ("The U.S. Food and Drug Administration approved it.", 1),
                                             ("First item\nSecond item", 2)])
def test_abbreviations_do_not_end_sentences(text, sentences):
    assert len(sentence_spans(text)) == sentences


# Words that grade hard, the glossary's way of writing them, and what ends or joins words and sentences.
PIECES = ["esketamine", "Esketamine", "esketamines", "administration", "Food and Drug Administration",
          "food  and\ndrug administrations", "día", "aéreo", "it", "cat", "Dr.", "U.S.", "e.g.", ".", "!", "?",
          "…", "\n", " ", " ", "’", "'", "-", "(", ")", '"', "5", "_", "médicos", "recuperación", "compresses"]
EXEMPT = ["esketamine", "compress", "food and drug administration", "día", "administration", "médico"]


def plain_tally(text: str, lang: str, exempt: frozenset[str]) -> Counts:
    """tally() as first written: every word's match, its syllables, and its place among the exempt spans."""
    word = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
    sentences = sum(1 for start, end in sentence_spans(text) if word.search(text, start, end))
    phrases = sorted((r"\s+".join(map(re.escape, p.split())) for p in exempt if " " in p), key=len, reverse=True)
    protected = [m.span() for m in re.finditer(r"(?<!\w)(?:" + "|".join(phrases) + r")(?:e?s)?(?!\w)", text,
                                               re.IGNORECASE)] if phrases else []
    words = syllables = polysyllables = 0
    for match in word.finditer(text):
        words += 1
        n = syllable_count(match.group(), lang)
        lowered = match.group().lower().replace("’", "'")
        if n > 2 and (lowered in exempt or lowered.removesuffix("s") in exempt or lowered.removesuffix("es") in exempt
                      or any(s <= match.start() < e for s, e in protected)):
            n = 2
        syllables += n
        polysyllables += n >= 3
    return Counts(words, sentences, syllables, polysyllables)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=30).map("".join),
       st.sampled_from(["en", "es"]), st.frozensets(st.sampled_from(EXEMPT)))
def test_a_text_is_counted_as_word_by_word(text, lang, exempt):
    assert tally.__wrapped__(text, lang, exempt) == plain_tally(text, lang, exempt)
