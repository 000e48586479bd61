"""Text as the phrase checks match it: normalize() reads each text as the character-by-character way does.

normalize() copies a text whose special characters each read as one character in one str.translate
(checks/phrases.py); `piecewise` is the plain way it falls back to. Both must agree on the text and on
where each of its characters came from, folded or not.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.checks.phrases import normalize, piecewise

# Characters that read as one other (accents, quotes, dashes, look-alikes, odd spaces), as several
# (ligatures, fractions) or as none (Markdown marks, soft hyphens, zero-width ones).
ODD = ["é", "ñ", "ü", "Å", "’", "“", "—", "‑", "−", "\u00a0", "\u2009", "у", "ο", "ı", "İ", "ſ", "K", "ﬁ", "½",
       "Ａ", "*", "_", "`", "\\", "\u00ad", "\u200b", "\ufeff", "\n", "\t", "a", "B", " ", "-", "'"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(ODD) | st.text(max_size=2), max_size=25).map("".join), st.booleans())
def test_a_text_normalizes_as_it_does_character_by_character(text, fold):
    quick, plain = normalize(text, fold), piecewise(text, fold)
    assert (quick.text, list(quick.origin)) == (plain.text, list(plain.origin))


def test_a_text_whose_characters_each_read_as_one_keeps_its_places():
    assert normalize("Café “no”", fold=True).text == 'Cafe "no"'
    assert list(normalize("Café “no”", fold=True).origin) == list(range(9))
