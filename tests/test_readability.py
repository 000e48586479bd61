"""Reading-level counts and formulas, English and Spanish."""

from __future__ import annotations

import pytest

from handouts.checks.reading_grade import count, grade, sentence_spans, syllable_count

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
