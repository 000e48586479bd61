"""A YAML text's lines as the parser numbers them: which are keys, list items or text, where
each stands, and the same text with one line changed, read again (for content/syntax.py).
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable

import yaml

Read = Callable[[str], Iterable["yaml.Event"]]  # a text's parse events: yaml.parse with the loader in use


_BREAK = re.compile(r"(\r\n?|[\n\x85\u2028\u2029])")  # what the parser counts lines by


# A line `key: value` (a plain key; the value with its comment, if any): indent and dashes, key, value.
VALUE = re.compile(r"^(\s*(?:-\s+)*)([^\s\"'#&*!|>{}\[\],%@`-][^#]*?):[ \t]+(\S.*?)\s*$")


COMMENT = re.compile(r"\s+#.*$")


BLOCK_TEXT = re.compile(r":\s+[|>][-+1-9]*$")  # `body: |` and the like: text below, not keys


NOT_PLAIN = "\"'[{|>&*!%@`"  # a value starting so is quoted, a list, a block of text... not plain text


_WORK = 2_000_000  # characters read again at most for one complaint (a few tries of the largest file)


class Lines:
    """A text's lines as the parser numbers them, which of them are text rather than keys, and the
    same text with one line changed, read again."""

    def __init__(self, text: str, read: Read):
        parts = _BREAK.split(text)
        self.lines = parts[0::2]
        self.breaks = parts[1::2] + [""]
        self.tries = max(4, min(30, _WORK // max(len(text), 1)))
        self._read = read
        # The lines that hold something (not blank, not only a comment).
        self.content = [i for i, line in enumerate(self.lines)
                        if line.strip() and not line.lstrip().startswith("#")]
        self.block_text = self._block_text()
        self.flow_text = self._flow_text()
        # The keys and list items: the lines that are neither `|` text nor the rest of a `[...]` list.
        self.structure = [i for i in self.content if i not in self.block_text and i not in self.flow_text]

    def but(self, index: int, new: str) -> str:
        return "".join((new if i == index else line) + brk
                       for i, (line, brk) in enumerate(zip(self.lines, self.breaks)))

    def indent(self, index: int) -> int:
        line = self.lines[index]
        return len(line) - len(line.lstrip(" "))

    def above(self, index: int) -> list[int]:
        """The keys and list items above line `index`, nearest first."""
        at = bisect.bisect_left(self.structure, index)
        return self.structure[at - 1::-1] if at else []

    def below(self, index: int) -> list[int]:
        """The keys and list items below line `index`, nearest first."""
        return self.structure[bisect.bisect_right(self.structure, index):]

    def item(self, index: int) -> bool:
        """A list item (`- ...`), not text that starts with a dash."""
        return index not in self.block_text and _is_item(self.lines[index])

    def opens(self, index: int) -> bool:
        """A key whose value is on the lines below it (`key:`, `body: |`), or a lone `-`."""
        return index not in self.block_text and _opens(self.lines[index])

    def read(self, text: str) -> tuple[int | None, list]:
        """Where `text` stops reading (the line of its first syntax error, 1-based, or None if it
        reads to its end; an error in a key, quoted text or the like that began on an earlier
        line counts from there), and the events read."""
        events: list = []
        try:
            events.extend(self._read(text))
        except yaml.MarkedYAMLError as exc:
            marks = [exc.problem_mark or exc.context_mark]
            if (exc.context or "").startswith("while scanning"):
                marks.append(exc.context_mark)
            return min((mark.line + 1 for mark in marks if mark), default=0), events
        except yaml.reader.ReaderError as exc:
            return len(_BREAK.findall(text, 0, exc.position)) + 1, events
        except (yaml.YAMLError, RecursionError):
            return 0, events
        return None, events

    def reads_past(self, text: str, line: int) -> bool:
        stops, _ = self.read(text)
        return stops is None or stops > line

    def _block_text(self) -> set[int]:
        """The lines of `|` and `>` text: those after `key: |` indented as far as the first of
        them, which is indented further than the key."""
        text: set[int] = set()
        for i in self.content:
            if i in text or not BLOCK_TEXT.search(COMMENT.sub("", self.lines[i]).rstrip()):
                continue
            key, indent = key_column(self.lines[i]), None  # the text's first line sets its indent
            for j in range(i + 1, len(self.lines)):
                if self.lines[j].strip():
                    if self.indent(j) < (indent or key + 1):
                        break
                    indent = indent or self.indent(j)
                text.add(j)
        return text

    def _flow_text(self) -> set[int]:
        """The lines that go on with a `[...]` or `{...}` list begun on a line above."""
        text, depth = set(), 0
        for i in self.content:
            if i in self.block_text:
                continue
            if depth:
                text.add(i)
            bare = COMMENT.sub("", _QUOTED.sub("", self.lines[i]))
            depth = max(0, depth + bare.count("[") + bare.count("{") - bare.count("]") - bare.count("}"))
        return text


_QUOTED = re.compile(r"(?<!\w)(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*')")  # quoted text on one line


_KEY = re.compile(r"^(\s*(?:-\s+)*)([^\s\"'#&*!|>{}\[\],%@`-][^#]*?):(?:[ \t]|$)")  # a plain key, after dashes


def key_name(line: str) -> str | None:
    found = _KEY.match(line)
    return found.group(2).strip() if found else None


def key_like(line: str) -> bool:
    """A line written as a key: `key:` or `key: value`, the key one word (text has spaces)."""
    name = key_name(line)
    return name is not None and " " not in name


def key_columns(doc: Lines) -> dict[str, dict[int, int]]:
    """The columns each key stands at in the file, and how many times at each."""
    columns: dict[str, dict[int, int]] = {}
    for i in doc.structure:
        name = key_name(doc.lines[i])
        if name:
            at = columns.setdefault(name, {})
            at[key_column(doc.lines[i])] = at.get(key_column(doc.lines[i]), 0) + 1
    return columns


def _opens(line: str) -> bool:
    bare = COMMENT.sub("", line).rstrip()
    return bare.endswith(":") or bare.strip() == "-" or BLOCK_TEXT.search(bare) is not None


def levels(doc: Lines, index: int) -> set[int]:
    """The columns of the blocks open above line `index`: where a line that closes some of them
    would stand."""
    levels, least = set(), None
    for i in doc.above(index):
        if least is None or doc.indent(i) < least:
            least = doc.indent(i)
            levels.add(least)
            if doc.item(i):
                levels.add(key_column(doc.lines[i]))
            if not least:
                break
    return levels


def _is_item(line: str) -> bool:
    return line.lstrip().startswith("- ") or line.strip() == "-"


def key_column(line: str) -> int:
    """Where the text of a line starts after its indent and any list dashes (0-based)."""
    return len(re.match(r"(?:\s*-(?=\s))*\s*", line).group())


def indent_step(doc: Lines) -> int:
    """How far this file indents what is under a key (two spaces unless it mostly does otherwise)."""
    steps: dict[int, int] = {}
    for above, below in zip(doc.structure, doc.structure[1:]):
        if doc.opens(above) and doc.indent(below) > doc.indent(above):
            step = doc.indent(below) - doc.indent(above)
            steps[step] = steps.get(step, 0) + 1
    usual = max(steps, key=lambda step: (steps[step], step == 2), default=2)
    return usual if steps.get(usual, 0) > 1 + steps.get(2, 0) else 2  # one odd line is likelier the slip


def enclosing(doc: Lines, index: int, column: int) -> int | None:
    """The nearest key or item above line `index` that is indented less than `column`."""
    for i in doc.above(index):
        if doc.indent(i) < column:
            return i
    return None
