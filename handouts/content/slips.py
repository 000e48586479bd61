"""The usual slips in content that YAML reads (characters that do not print, a body
without its '|', list items run together), explained in words an editor can act on.
YAML syntax errors themselves are explained in syntax.py.
"""

from __future__ import annotations

import re
import unicodedata

# Printable words for characters the handout font lacks (or that do not print at all).
_INSTEAD = {
    "☎": "'Phone' or 'Call'", "✆": "'Phone' or 'Call'", "📞": "'Phone' or 'Call'",
    "✓": "'Yes' or a '- ' list item", "✔": "'Yes' or a '- ' list item", "☑": "a checklist block",
    "✗": "'No'", "✘": "'No'", "≥": "'at least'", "≤": "'at most'", "→": "'to' or 'then'", "⇒": "'then'",
    "←": "'from'", "±": "'about'", "×": "'times'", "÷": "'divided by'", "≈": "'about'", "µ": "'micro'",
    "⚠": "a warning block (kind: warning)", "❗": "a warning block (kind: warning)", "…": "'...'",
    "\u00ad": "nothing (delete the invisible soft hyphen)", "\u200b": "nothing (delete the invisible space)",
    "\ufeff": "nothing (delete the invisible mark)", "\u2028": "a new line", "\u00a0": "a plain space",
}


def character_name(char: str) -> str:
    """'☎' (U+260E BLACK TELEPHONE): the character as an editor can find it."""
    name = unicodedata.name(char, "") or ("a control character" if unicodedata.category(char) == "Cc" else "")
    shown = f"'{char}' " if char.isprintable() and not char.isspace() else ""
    return f"{shown}(U+{ord(char):04X}{' ' + name if name else ''})"


def instead(char: str) -> str:
    """What to write for a character the page cannot print."""
    if char in _INSTEAD:
        return _INSTEAD[char]
    if unicodedata.category(char).startswith("C"):
        return "nothing: delete it (it often comes with text pasted from a web page or a word processor)"
    if unicodedata.category(char) == "So":
        return "words (a symbol or emoji does not print)"
    return "plain letters or words"


def unprintable(char: str) -> str:
    """A character YAML refuses outright (a control character)."""
    return (f"the invisible character {character_name(char)} cannot be read: delete it (it often comes with "
            "text pasted from a web page or a word processor)")


def run_together(value: str) -> bool:
    """An id that is really two list items, the second indented too far ("a - b")."""
    return isinstance(value, str) and re.search(r"\S\s+-\s+\S", value) is not None


def plain_text_file(shape: str) -> str:
    """A file that holds text where keys belong (a bare text file saved as .yaml)."""
    keys = {"Block": "title:, body: | (the text, indented by two spaces) and sources:",
            "Topic": "title:, summary: and handouts: (overview:, expectations:, risks:)"}.get(shape, "")
    what = f" a {shape.lower()} file needs {keys}" if keys else " this file needs keys, each followed by a colon"
    return (f"this file holds plain text, but{what}. Start it with 'title: ' and put the text under 'body: |' "
            "(see the content guide in README.md)")


def body_without_pipe() -> str:
    """A body written under `body:` without `|`: its lines run together, or its list is read as YAML."""
    return ("the body has no '|' after 'body:', so its line breaks and lists are lost (a '- ' list is read as "
            "part of the file's structure): write 'body: |' and keep the text indented under it")
