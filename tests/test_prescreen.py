"""The screens before the forbidden-phrase rules only ever skip a rule that could not have matched.

A text is screened once (checks/forbidden.py, checks/prescreen.py) and only the rules that
could match it are run: the findings must be exactly those of running every rule.
"""

from __future__ import annotations

import re

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handouts.checks.forbidden import Rules, every_match
from handouts.checks.phrases import PhraseScreen, compile_any, folded_patterns, normalize
from handouts.checks.plain_language import term_pattern
from handouts.checks.prescreen import CASE_EXCEPTIONS, Needles, literal, needles
from handouts.content.model import Forbidden, GlossaryTerm, Jargon
from handouts.project import HOME

SHIPPED = {key: Forbidden(**entry) for key, entry in
           yaml.safe_load((HOME / "content" / "editorial" / "forbidden.yaml").read_text(encoding="utf-8")).items()}
RULES = Rules(SHIPPED)
PATTERNS = [p for entry in SHIPPED.values() for p in folded_patterns(entry.patterns, fold=True)]
EDITORIAL = HOME / "content" / "editorial"
JARGON = {term: Jargon(**e) for term, e in yaml.safe_load((EDITORIAL / "jargon.yaml").read_text("utf-8")).items()}
GLOSSARY = {term: GlossaryTerm(**e) for term, e in
            yaml.safe_load((HOME / "content" / "es" / "editorial" / "glossary.yaml").read_text("utf-8")).items()}
# The medical words' patterns, as checks/plain_language.py compiles them (capitals: in their own case).
TERMS = [term_pattern(term, entry) for term, entry in JARGON.items()] + \
        [compile_any((term, *entry.forms)) for term, entry in GLOSSARY.items()]
TERM_WORDS = sorted({w for term, e in [*JARGON.items(), *GLOSSARY.items()] for p in (term, *e.forms)
                     for w in (p, p.upper(), p.title(), *p.split())})
# Every phrase, excuse and pattern word of the shipped lists, and what hides a word from a plain search.
WORDS = sorted({w for e in SHIPPED.values() for p in (*e.phrases, *e.unless) for w in p.split()}
               | {w for p in PATTERNS for w in re.findall(r"[a-z]{2,}", p)})
PHRASES = sorted({p for e in SHIPPED.values() for p in (*e.phrases, *e.unless)})
ODD = ["İ", "ı", "ſ", "K", "\u200b", "\u00ad", "*", "_", "\\", "’", "‑", "\u00a0", "\n", "1", "0", "$", "@", "3",
       "é", "ó", "ñ", "у", "о", "¿", "¡", "20", "5 mg", " ", " ", " ", "-", ".", "&"]

# Pieces of a hostile text: what a pattern matches (any case, odd spaces), phrases, words, odd characters.
PIECE = st.one_of([st.from_regex(re.compile(p, re.IGNORECASE), fullmatch=True) for p in PATTERNS]
                  + [st.sampled_from(PHRASES + WORDS + ODD)])
TEXT = st.lists(st.tuples(PIECE, st.sampled_from(["", " ", "\n", ", ", "*", "\u200b"])), max_size=12).map(
    lambda pieces: "".join(piece + between for piece, between in pieces))


def may_match(pattern: str, text: str, flags: int = re.IGNORECASE) -> bool:
    """Whether the needle screen lets `pattern` run on `text`."""
    screen = Needles({pattern: needles(pattern, flags)})
    return screen.may_match(pattern, screen.present(text))


def test_only_three_characters_match_an_ascii_letter_but_lower_to_something_else():
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    odd = {m.group() for a in map(chr, range(128)) for m in re.finditer(re.escape(a), every, re.IGNORECASE)
           if m.group().lower() != a.lower()}
    assert odd == CASE_EXCEPTIONS


def test_needles_are_the_words_a_match_cannot_do_without():
    assert needles(r"\b(take|use)\s+(up to\s+)?\d+\s*(mg|ml)\b") == ("take", "use")
    assert needles(r"\bper (gram|vial)\b") == ("per ",)
    assert needles(r"(?:Your Dose)\s\d") == ("your dose",)
    assert needles(r"x{2,}yz") == ("yz",)


def test_a_pattern_without_needles_always_runs():
    assert needles(r"[$€£]\s?\d") is None  # a class: any of its characters
    assert needles(r"a|") is None  # an empty alternative needs nothing
    assert needles(r"(unclosed") is None  # unreadable
    assert may_match(r"[$€£]\s?\d", "nothing to find") and may_match("x", "X")


def test_a_text_with_a_case_exception_is_never_screened_by_needles():
    screen = Needles({"special": ("special",), "dose": ("take",)})
    assert screen.present("ſpecial") is None and screen.may_match("special", screen.present("ſpecial"))
    assert screen.present("Take 5 MG") == {"take"} and not screen.may_match("special", screen.present("Take 5 MG"))


@given(st.lists(st.tuples(st.sampled_from(TERM_WORDS + ODD), st.sampled_from(["", " ", "-", "\n", "  "])),
                max_size=10).map(lambda pieces: "".join(piece + between for piece, between in pieces)))
@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_a_needle_screen_never_hides_a_medical_word(text):
    for pattern in TERMS:
        if pattern.search(text):
            assert may_match(pattern.pattern, text, pattern.flags), (pattern.pattern, text)


@given(TEXT)
@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_a_needle_screen_never_hides_a_match(text):
    for pattern in PATTERNS:
        if re.search(pattern, text, re.IGNORECASE):
            assert may_match(pattern, text), (pattern, text)


@given(TEXT,
       st.lists(st.sampled_from(sorted(SHIPPED)), unique=True))
@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_screened_rules_find_exactly_what_every_rule_finds(text, keys):
    keys = tuple(keys) or tuple(SHIPPED)
    normalized = normalize(text, fold=True)
    everything = tuple((key, *normalized.original(s, e)) for key, s, e in every_match(normalized.text, keys, RULES))
    assert RULES.spans(text, keys) == everything


# Phrases: shipped ones, and (as often) cased ones, one not ASCII, one the start of another.
SCREENED = st.sampled_from(PHRASES) | st.sampled_from(["BTC", "Buy NOW", "Ωmega", "C+", "C++", "x"])
# What an ASCII letter matches under re.IGNORECASE though it does not lower to it (CASE_EXCEPTIONS), and capitals.
LOOKALIKE = str.maketrans({"i": "ı", "I": "İ", "s": "ſ", "k": "\u212a", "u": "U", "y": "Y"})


@st.composite
def phrases_and_text(draw):
    """Some phrases, and a text of them (some with look-alike letters or capitals) and odd characters."""
    phrases = draw(st.lists(SCREENED, min_size=1, max_size=8))
    pieces = draw(st.lists(st.tuples(st.sampled_from(phrases + ODD), st.sampled_from(["", " ", "-", "\n", "x"]),
                                     st.booleans()), max_size=8))
    return phrases, "".join((piece.translate(LOOKALIKE) if odd else piece) + between for piece, between, odd in pieces)


@given(phrases_and_text(), st.booleans())
@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
def test_the_phrase_screen_finds_something_where_the_phrases_pattern_does(phrases_text, fold):
    phrases, text = phrases_text
    joined, screen = compile_any(tuple(phrases), fold=fold), PhraseScreen(tuple(phrases), fold)
    for read in (text, normalize(text, fold).text, text.upper()):
        assert screen.found_in(read) == bool(joined.search(read)), read


REQUIRED = [a for entry in yaml.safe_load((EDITORIAL / "required.yaml").read_text("utf-8")) for a in entry["any"]]
SAID = REQUIRED + ["FDA", "Ask Me 3", "a.b", "x+", "café", "", "K", "(not)", "s"]


@st.composite
def pattern_and_text(draw):
    """A required message's pattern (or a phrase with capitals, signs, letters not ASCII), and a text of it."""
    pattern = draw(st.sampled_from(SAID))
    pieces = draw(st.lists(st.sampled_from([pattern, pattern.upper(), pattern.replace(".", "x"), *ODD, *SAID]),
                           max_size=6))
    return pattern, draw(st.sampled_from(["", " ", "\n"])).join(pieces)


@given(pattern_and_text())
@settings(max_examples=400, deadline=None, derandomize=True, database=None)
def test_a_plain_phrase_is_in_the_lowered_text_where_its_pattern_matches(pattern_text):
    pattern, text = pattern_text
    phrase = literal(pattern)
    if phrase is not None and text.isascii():
        assert (phrase in text.lower()) == bool(re.search(pattern, text, re.IGNORECASE))
    else:
        assert phrase is None or not text.isascii()


def test_only_a_pattern_of_ascii_characters_alone_is_a_plain_phrase():
    assert literal("what is my main problem") == "what is my main problem" and literal("FDA") == "fda"
    assert literal(r"\b911\b") is None and literal("café") is None and literal("a.b") is None


def test_the_hostile_spellings_are_still_found():
    text = "B**U**Y now, fr3e sh1pping, \u017fpecial K, no\u00a0Rx, $20 per pill, Take 5 mg, not a cure, a cure."
    found = [(key, text[s:e]) for key, s, e in RULES.spans(text, tuple(SHIPPED))]
    assert ("sales", "B**U**Y") in found and ("street-names", "\u017fpecial K") in found
    assert ("cure", "cure") in found and ("reader-dosing", "Take 5 mg") in found
    assert [k for k, _ in found].count("cure") == 1  # "not a cure" excuses its own
