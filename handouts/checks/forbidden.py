"""Forbidden phrasing: where the rules of forbidden.yaml match a text, screened in one pass a text.

Running every rule's expression over every text tried each rule at every position of
every text. A text is now screened first: one expression of every rule's phrases (the
same pieces the rules are built from, merged as a trie, so it finds something wherever any
rule's phrases would: phrases.PhraseScreen), and, for each rule's regular expressions, the
strings any match must contain (prescreen.py), looked up in the lowered text. A rule that
could match is then run as before; one that cannot would have found nothing, and finding
nothing it could not have excused or hidden another rule's match. So the findings are
exactly those of running every rule, and a clean text is read about once. Each expression
is compiled the first time a text needs it: after a one-block edit, most never are.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Mapping

from ..content.model import Forbidden
from .phrases import PhraseScreen, compile_any, folded_patterns, normalize
from .prescreen import Needles, needles


class Rules:
    """The rules of forbidden.yaml, compiled as texts need them. Equal (and hashed) by what they say,
    so the spans of a text are remembered across runs that read the same rules."""

    def __init__(self, entries: Mapping[str, Forbidden]):
        self.entries = dict(entries)
        self._said = tuple((key, e.phrases, e.patterns, e.unless) for key, e in self.entries.items())
        self._hash = hash(self._said)
        self._phrases = Lazy(lambda: PhraseScreen(tuple(p for e in self.entries.values() for p in e.phrases),
                                                  fold=True))
        self._patterns = Lazy(lambda: {(key, i): pattern for key, entry in self.entries.items()
                                       for i, pattern in enumerate(folded_patterns(entry.patterns, fold=True))})
        self._needles = Lazy(lambda: Needles({where: needles(p) for where, p in self._patterns().items()}))
        self._compiled: dict[tuple[str, int], re.Pattern] = {}
        self._ruled: dict[tuple, tuple[str, ...]] = {}
        self._plans: dict[tuple[str, ...], tuple[frozenset[str], tuple[tuple[str, int], ...]]] = {}

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return self is other or (isinstance(other, Rules) and self._said == other._said)

    def ruled(self, mix: tuple, rules: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
        """The keys of the rules for text printed by topics of these tags and exemptions (`rules()`),
        worked out once a mix: most blocks are printed by topics alike."""
        if mix not in self._ruled:
            self._ruled[mix] = rules()
        return self._ruled[mix]

    def spans(self, text: str, keys: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
        """(rule, start, end) of each match in `text` of the rules `keys`, in that order (see _spans)."""
        return _spans(text, keys, self)

    def phrases(self) -> PhraseScreen:
        """One screen of every rule's phrases: it finds something where any of them would."""
        return self._phrases()

    def could_match(self, keys: tuple[str, ...], text: str) -> list[str]:
        """Those of the rules `keys` that may match `text`, in order: a rule's phrases may, if the one
        expression of them all finds something; its expressions, if one whose needles are in the text matches."""
        phrased, wheres = self._plan(keys)
        possible = self._needles().possible(self._needles().present(text))
        matched = set(phrased) if phrased and self.phrases().found_in(text) else set()
        for where in wheres:
            if where[0] not in matched and (possible is None or where in possible) and \
                    self._alone(where).search(text):
                matched.add(where[0])
        return [key for key in keys if key in matched]

    def _plan(self, keys: tuple[str, ...]) -> tuple[frozenset[str], tuple[tuple[str, int], ...]]:
        """The rules of `keys` that have phrases, and the (rule, i) of their expressions: once a set of keys."""
        if keys not in self._plans:
            self._plans[keys] = (frozenset(key for key in keys if self.entries[key].phrases),
                                 tuple((key, i) for key in keys for i in range(len(self.entries[key].patterns))))
        return self._plans[keys]

    def _alone(self, where: tuple[str, int]) -> re.Pattern:
        """One regular expression of a rule, compiled by itself (as compile_any's flags) when first needed."""
        if where not in self._compiled:
            self._compiled[where] = re.compile(self._patterns()[where], re.IGNORECASE)
        return self._compiled[where]

    def pattern(self, key: str):
        entry = self.entries[key]
        return compile_any(entry.phrases, entry.patterns, fold=True)

    def excuses(self, key: str):
        return compile_any(self.entries[key].unless, fold=True)


@lru_cache(maxsize=1 << 17)
def _spans(text: str, keys: tuple[str, ...], rules: Rules) -> tuple[tuple[str, int, int], ...]:
    """(rule, start, end) of each forbidden match in `text`, as printed. Pure, so remembered:
    a watch session checks the same unchanged texts after every save."""
    normalized = normalize(text, fold=True)
    # A rule that cannot match finds nothing: nothing to report, excuse, or take a place from a later rule.
    kept = rules.could_match(keys, normalized.text)
    return tuple((key, *normalized.original(s, e)) for key, s, e in every_match(normalized.text, kept, rules))


def every_match(text: str, keys, rules: Rules) -> list[tuple[str, int, int]]:
    """(rule, start, end) of each match of the rules `keys`, in order, in a normalized text: one finding
    a place, the first rule's."""
    spans: list[tuple[str, int, int]] = []
    for key in keys:
        pattern, unless = rules.pattern(key), rules.excuses(key)
        matches = list(pattern.finditer(text)) if pattern else []
        excused = [m.span() for m in unless.finditer(text)] if unless and matches else []
        # An honest phrase excuses a match it overlaps from the start ("do not stop" + "your medicine");
        # absolute claims that an excuse would cover are entries of their own (forbidden.yaml).
        for match in matches:
            if not any(s <= match.start() < e for s, e in excused):
                if not any(s < match.end() and match.start() < e for _, s, e in spans):
                    spans.append((key, *match.span()))
    return spans


class Lazy:
    """A value worked out the first time it is asked for."""

    def __init__(self, make):
        self._make, self._value, self._made = make, None, False

    def __call__(self):
        if not self._made:
            self._value, self._made = self._make(), True
        return self._value
