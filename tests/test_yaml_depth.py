"""Nesting is checked before composing (libyaml's composer recurses in C): a text is scanned
for its depth only when a cheap count cannot prove it shallow, with the same findings."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.content import yamldoc

PIECES = ["- ", "? ", ": ", "a: ", "b:\n", "\n", "\r\n", "\r", "\n  ", "\n    ", " ", "  ", ",", "[", "]", "{",
          "}", "x", "'q'", '"q"', "\t", "&a ", "*a", "!t ", "|\n", ">\n", "#c\n", ":", "-", "?", "---", "...",
          "\u2028", "\x85", "key: ", "- - ", "\n- ", "\n  - ", "\n    k: "]


def scanned_depth(text: str) -> int:
    """The most levels the scanner has open at once, up to its first error."""
    depth = most = 0
    try:
        for token in yaml.scan(text, Loader=yamldoc._LOADER):
            if isinstance(token, yamldoc._OPEN):
                depth += 1
                most = max(most, depth)
            elif isinstance(token, yamldoc._CLOSE):
                depth -= 1
    except yaml.YAMLError:
        pass
    return most


@given(st.lists(st.sampled_from(PIECES), max_size=200).map("".join))
@settings(max_examples=600, deadline=None, derandomize=True, database=None)
def test_the_bound_is_never_below_the_depth_the_scanner_reaches(text):
    assert scanned_depth(text) <= yamldoc._most_levels(text)


@pytest.mark.parametrize("text", [
    "- " * 41 + "x\n",
    "".join(" " * i + "k:\n" for i in range(41)) + " " * 41 + "v\n",
    "".join("  " * i + "-\n" for i in range(41)) + "  " * 41 + "x\n",
    "? " * 41 + "x\n",
    "a: " + "[" * 41 + "]" * 41 + "\n",
    "- " * 20 + "{a: " * 21 + "}" * 21 + "\n",
])
def test_every_kind_of_deep_text_is_refused_before_composing(tmp_path, text):
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    assert yamldoc._might_be_deep(text)
    doc, [finding] = yamldoc.read(path)
    assert doc is None and "nested more than 40 levels deep" in finding.message


def test_a_shipped_block_is_proved_shallow_without_a_scan():
    text = (yamldoc.Path(__file__).parent.parent / "content" / "blocks" / "anesthesia-checklist.yaml").read_text()
    assert not yamldoc._might_be_deep(text)
