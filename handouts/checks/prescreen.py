"""Words every match of a regular expression contains: a quick, safe test before running it.

`needles` reads a pattern (the parser of Python's own `re`) and finds a set of plain
strings such that every match contains at least one of them: the longest run of literal
characters in a sequence, one run from each branch of an alternation, what a repeat of
at least once repeats. `Needles` looks for the needles of many patterns in a lowered text
at once (a search in C each, where a pattern would try every position of the text) and
then tells which patterns may match (from the needles found, not asking each pattern). It
only ever leaves out a pattern that cannot match: a pattern it cannot read gives None, and
None always runs.

Case: needles are ASCII and lowered. Under re.IGNORECASE an ASCII letter matches exactly
the characters whose lowercase is that letter, except three (U+0130 'İ', U+0131 'ı',
U+017F 'ſ'; tests/test_prescreen.py tries every code point): a text holding one of them
has no lowered form here, and every pattern runs on it.
"""

from __future__ import annotations

import re
from typing import Hashable, Mapping

try:
    from re import _constants as _sre, _parser  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10 and earlier
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

# Matched by an ASCII letter under re.IGNORECASE, yet not lowered to it by str.lower().
CASE_EXCEPTIONS = frozenset("\u0130\u0131\u017f")
_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", _sre.MAX_REPEAT)}
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", object())  # (?>...), Python 3.11+


def needles(pattern: str, flags: int = re.IGNORECASE) -> tuple[str, ...] | None:
    """Lowered strings of which every match of `pattern` contains one; None if none is known."""
    try:
        found = _sequence(_parser.parse(pattern, flags))
    except Exception:  # noqa: BLE001 - a pattern this cannot read is simply always run
        return None
    return tuple(sorted(found)) if found else None


def literal(pattern: str, flags: int = re.IGNORECASE) -> str | None:
    """The one string (lowered) every match of `pattern` is, if it is plain ASCII characters alone:
    in an ASCII text, the pattern matches under re.IGNORECASE where that string is in the lowered text.
    None for a pattern with anything else in it."""
    try:
        items = _parser.parse(pattern, flags)
    except Exception:  # noqa: BLE001 - a pattern this cannot read is simply run
        return None
    if all(op is _sre.LITERAL and value < 128 for op, value in items):
        return "".join(chr(value) for _, value in items).lower()
    return None


class Needles:
    """The needles of many patterns (by key), looked for in a text all at once."""

    def __init__(self, found: Mapping[Hashable, tuple[str, ...] | None]):
        self._all = tuple(sorted({n for needed in found.values() for n in needed or ()}))
        self._always = frozenset(key for key, needed in found.items() if needed is None)
        self._by_needle: dict[str, set] = {}
        for key, needed in found.items():
            for n in needed or ():
                self._by_needle.setdefault(n, set()).add(key)

    def present(self, text: str) -> frozenset[str] | None:
        """The needles in `text` (None: a character in it that str.lower() cannot stand for; see above)."""
        if not CASE_EXCEPTIONS.isdisjoint(text):
            return None
        return frozenset(filter(text.lower().__contains__, self._all))

    def may_match(self, key: Hashable, present: frozenset[str] | None) -> bool:
        """False only when no match of the pattern `key` can be in the text that has the needles `present`."""
        possible = self.possible(present)
        return possible is None or key in possible

    def possible(self, present: frozenset[str] | None) -> frozenset | None:
        """The keys of the patterns that may match the text that has the needles `present` (None: all),
        found from the needles rather than asked of each pattern."""
        if present is None:
            return None
        return self._always.union(*(self._by_needle[n] for n in present))


def _sequence(items) -> frozenset[str] | None:
    """The best set of needles any one element of a sequence must contribute (runs of literals joined)."""
    best: frozenset[str] | None = None
    run = ""
    for op, value in list(items) + [(None, None)]:
        if op is _sre.LITERAL and value < 128:
            run += chr(value).lower()
            continue
        choices = [frozenset([run])] if run else []
        run = ""
        if op is _sre.SUBPATTERN:
            choices.append(_sequence(value[-1]))
        elif op is _ATOMIC:
            choices.append(_sequence(value))
        elif op in _REPEATS and value[0] >= 1:
            choices.append(_sequence(value[2]))
        elif op is _sre.BRANCH:
            branches = [_sequence(b) for b in value[1]]
            choices.append(None if any(b is None for b in branches) else frozenset().union(*branches))
        for choice in choices:
            best = _better(best, choice)
    return best


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more telling set: its shortest string the longer (a short one is found in most texts)."""
    if a is None or b is None:
        return a if b is None else b
    return a if min(map(len, a)) >= min(map(len, b)) else b
