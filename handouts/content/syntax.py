"""YAML syntax errors explained: the line to change and how, tried before it is said.

The parser's own messages ("mapping values are not allowed here") name its grammar,
not the fix, and it often stops a line or two after the slip. `explain` takes its
complaint and the text, finds the line that is wrong (a key out of line, a value
holding ': ', text that needs a '|') and says what to do there.
"""

from __future__ import annotations

import re

import yaml

from .yamllines import (BLOCK_TEXT, COMMENT, NOT_PLAIN, VALUE, Lines, Read, enclosing, indent_step, key_column,
                        key_columns, key_like, key_name, levels)

def explain(problem: str, text: str, line: int, column: int, read: Read,
            context: int | None = None) -> tuple[int, int, str]:
    """The parser's complaint at `line` (1-based) as advice, prefixed "YAML syntax:", with the line
    and column it belongs at: the parser often stops a line or two after the slip. `context` is
    the line where the parser began what it could not finish, if it said. Advice that changes
    the file is tried first (the text changed so is read again with `read`) and given only if
    the file then reads past `line`."""
    doc = Lines(text, read)
    here = doc.lines[line - 1] if 0 < line <= len(doc.lines) else ""
    colon = "mapping values are not allowed" in problem
    # A "key" of several words is likelier text out of place (a line of a body moved left) than a key.
    worded = " " in (key_name(here) or "")
    if colon and not worded:
        quoted = _quote(doc, line)
        if quoted:
            return line, column, quoted
    if "tab" in problem or "\\t" in problem or "\t" in here:
        return line, column, f"YAML syntax: {problem}; indent with spaces, not tabs"
    barred = colon and _text_without_bar(doc, line)
    if barred:
        return barred
    moved = (colon or any(words in problem for words in _INDENTATION)) and _reindent(doc, line, context)
    if moved:
        return _moved(doc, line, column, *moved)
    if colon and worded:
        quoted = _quote(doc, line)
        if quoted:
            return line, column, quoted
    if colon:
        pair = VALUE.match(here)
        quotes = "" if pair and pair.group(3)[:1] in "\"'" else "; or, if its value holds a colon and a space, " \
                                                                  "put the value in quotes"
        return line, column, (f"YAML syntax: line {line} has a colon and a space at column {column}, where no key "
                              f"can start; line it up with the keys beside it{quotes}")
    if ("expected <block end>" in problem or "expected key" in problem) and here.lstrip().startswith("-"):
        return line, column, (f"YAML syntax: the list item on line {line} starts at column "
                              f"{doc.indent(line - 1) + 1}; start every item of the list at the same column")
    if "expected <block end>" in problem or "could not find expected ':'" in problem:
        return line, column, (f"YAML syntax: line {line} is not lined up with the lines around it: each key "
                              "starts at the column of the keys beside it, and text under a key is indented by "
                              "two spaces")
    return line, column, f"YAML syntax: {problem}"


def _moved(doc: Lines, line: int, column: int, index: int, new: int) -> tuple[int, int, str]:
    """Advice to move line `index` (0-based) to column `new` (0-based), where it belongs."""
    here = doc.lines[line - 1] if 0 < line <= len(doc.lines) else ""
    item = _item_column_above(doc.lines, line - 1) if here.lstrip().startswith("-") else None
    if item and (index, new) == (line - 1, item - 1):
        return line, column, (f"YAML syntax: the list item on line {line} starts at column "
                              f"{doc.indent(index) + 1}; start every item of the list at the same column like the "
                              f"item above it (column {item})")
    return index + 1, doc.indent(index) + 1, "YAML syntax: " + _misaligned(doc, index, new)


# What PyYAML and libyaml say when a line stands at the wrong column (a line of `|` text moved out of its
# block can read as an alias: `**Note**`).
_INDENTATION = ("expected <block end>", "expected key", "could not find expected ':'", "expected '-' indicator",
                "<document start>", "expected alphabetic or numeric character")


def _quote(doc: Lines, line: int) -> str | None:
    """'put the whole value in quotes', if line `line` is `key: value` with a colon and a space
    inside a value not yet quoted, and the file reads past that line once it is quoted."""
    found = VALUE.match(doc.lines[line - 1]) if 0 < line <= len(doc.lines) else None
    if not found:
        return None
    lead, key, rest = found.groups()
    comment = COMMENT.search(rest)
    value = rest[: comment.start()] if comment else rest
    if value[:1] in NOT_PLAIN or not (": " in value or value.endswith(":")):
        return None
    quoted = f'"{value}"' if '"' not in value and "\\" not in value else "'" + value.replace("'", "''") + "'"
    written = f"{key}: {quoted}"
    if not doc.reads_past(doc.but(line - 1, f"{lead}{written}{comment.group() if comment else ''}"), line):
        return None
    if ": " in value:
        return (f"YAML syntax: line {line} has a second colon and a space inside its value; put the whole value "
                f"in quotes: {written}")
    return f"YAML syntax: line {line} ends its value with a colon; put the whole value in quotes: {written}"


def _text_without_bar(doc: Lines, line: int) -> tuple[int, int, str] | None:
    """Text under `key: first words` that holds ': ' reads as a key: the value wants a '|'."""
    index = line - 1
    content = [i for i in doc.content if i <= index]
    if len(content) < 2 or content[-1] != index:
        return None
    above = content[-2]
    key_line, own = VALUE.match(doc.lines[above]), VALUE.match(doc.lines[index])
    if not key_line or not own or " " not in own.group(2).strip() or doc.indent(index) <= doc.indent(above):
        return None
    lead, key, value = key_line.groups()
    if value[:1] in NOT_PLAIN or COMMENT.search(value):
        return None
    indent = doc.indent(index)
    with_bar = f"{lead}{key}: |{doc.breaks[above] or chr(10)}{' ' * indent}{value}"
    if not doc.reads_past(doc.but(above, with_bar), line + 1):
        return None
    return above + 1, doc.indent(above) + 1, (
        f"YAML syntax: line {line} goes on with the text of '{key}' (line {above + 1}) and holds a colon and a "
        f"space, so it reads as a new key: write '{key}: |' on line {above + 1} and put the text on the lines "
        f"under it, indented {_spaces(indent)}")


def _reindent(doc: Lines, line: int, context: int | None) -> tuple[int, int] | None:
    """The one line (0-based) and the column to move it to (0-based) that let the file read past
    `line`. The lines near the complaint are tried at the columns of the lines beside them and
    of the blocks open above them, the changes that agree best with the lines around first
    (`_likely`); of those after which the whole file reads, the one that leaves the fewest odd
    things in it (`_irregular`) is taken, else the first after which the file reads further."""
    lines = [i for i in doc.content if i not in doc.flow_text]
    if not lines:
        return None
    index = line - 1
    movable = [i for i in lines if i <= index][-4:]
    if context is not None and context - 1 in lines:
        # Where the parser began what it could not finish, and the key above it (whose block it is).
        where = lines.index(context - 1)
        movable += [i for i in lines[max(where - 1, 0): where + 1] if i <= index]
    above = [i for i in lines if i < index]
    head = enclosing(doc, above[-1], doc.indent(above[-1])) if above else None
    if head is not None:  # the key of the block above, and the first line under it
        movable += lines[lines.index(head): lines.index(head) + 2]
    if doc.indent(lines[0]):
        movable.append(lines[0])
    movable = sorted({i for i in movable if i is not None})
    step = indent_step(doc)
    names = key_columns(doc)
    tries = []
    for i in movable:
        where = lines.index(i)
        before = lines[where - 1] if where else None
        after = lines[where + 1] if where + 1 < len(lines) else None
        targets = {doc.indent(j) for j in (before, after) if j is not None} | levels(doc, i)
        if before is not None:
            targets.add(key_column(doc.lines[before]))
            if doc.opens(before):
                targets.add(key_column(doc.lines[before]) + step)
        if i == lines[0]:
            targets = {0}  # the file's first line starts at the left edge
        targets.discard(doc.indent(i))
        now = _likely(doc, i, doc.indent(i), before, after, step, names)
        for new in targets:
            odds = _likely(doc, i, new, before, after, step, names) - now
            tries.append((-odds, i != index, index - i, abs(new - doc.indent(i)), i, new))
    window = range(min(movable, default=index), min(index + 2, len(doc.lines)))
    keys = {i for i in window  # the lines written as keys: each should still be one
            if i not in doc.block_text and i not in doc.flow_text and key_like(doc.lines[i])}
    best, further = None, None
    for *_, i, new in sorted(tries)[: doc.tries]:
        stops, events = doc.read(doc.but(i, " " * new + doc.lines[i].lstrip(" ")))
        if stops is None:
            odd = _irregular(events, step, keys)
            if best is None or odd < best[0]:
                best = odd, i, new
            if not odd:
                break  # nothing left to find: the rest agree less with the lines around them
        elif stops > line and further is None:
            further = None, i, new
    if best is None and further is None:
        return None
    _, i, new = best or further
    return i, new


def _likely(doc: Lines, index: int, new: int, before: int | None, after: int | None, step: int,
            names: dict[str, dict[int, int]]) -> int:
    """How well line `index` at column `new` agrees with the lines around it: it lines up with the
    line above (or sits one step under a line that opens a block), with the line below, and one
    usual step deeper than the line it comes under; a key that opens a block has the line below
    it in that block; the same key stands at that column elsewhere in the file. A block left
    empty counts against."""
    lines = doc.lines
    item = doc.item(index)
    odds = 0
    if before is not None:
        column = doc.indent(before) if item or not doc.item(before) else key_column(lines[before])
        if doc.opens(before):
            odds += 2 if new > key_column(lines[before]) else -4
        elif column == new:
            odds += 3
    if after is not None:
        if doc.opens(index):
            odds += 2 if doc.indent(after) > new else -4
        elif doc.item(after) == item and doc.indent(after) == new:
            odds += 2
    parent = enclosing(doc, index, new)
    if parent is None:
        odds += new == 0
    else:
        under = key_column(lines[parent])
        odds += new - under == step or (doc.item(parent) and new == under)
    name = key_name(lines[index])
    if name:
        column, now = new + key_column(lines[index]) - doc.indent(index), key_column(lines[index])
        odds += 2 * (names.get(name, {}).get(column, 0) > (column == now))  # another line than this one
    return odds


def _irregular(events: list, step: int, keys: set[int]) -> int:
    """How many things in a text read as `events` look like slips: a block indented by other than
    the usual step under its key, a key with nothing after it, plain text running on over lines,
    a key written twice, and a line of `keys` (0-based), written as a key, not read as one."""
    odd = 0
    frames: list[list] = []  # each open collection: [a mapping?, a key next?, column of its last key, keys]
    keys_at: set[int] = set()
    for event in events:
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frames.pop()
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
            continue
        frame = frames[-1] if frames else None
        key = frame is not None and frame[0] and frame[1]
        value = frame is not None and frame[0] and not frame[1]
        if frame is not None and frame[0]:
            frame[1] = not frame[1]
        if isinstance(event, yaml.CollectionStartEvent):
            if value and not event.flow_style:
                shift = event.start_mark.column - frame[2]
                odd += shift != step and not (isinstance(event, yaml.SequenceStartEvent) and shift == 0)
            frames.append([isinstance(event, yaml.MappingStartEvent), True, 0, set()])
        elif isinstance(event, yaml.ScalarEvent) and key:
            keys_at.add(event.start_mark.line)
            frame[2] = event.start_mark.column
            odd += event.value in frame[3]
            frame[3].add(event.value)
        elif isinstance(event, yaml.ScalarEvent) and not event.style:  # plain text
            odd += (value and event.value == "") + (event.end_mark.line > event.start_mark.line)
    return odd + len(keys - keys_at)


def _misaligned(doc: Lines, index: int, new: int) -> str:
    """'line 13 is indented 2 spaces but the other keys under 'es:' are indented 4; indent it 4
    spaces like them': the line, the lines it belongs with, and what to do."""
    old = doc.indent(index)
    line = index + 1
    start = f"line {line} is indented {_spaces(old)} but" if old else f"line {line} is not indented but"
    at = f"indented {new}" if new else "not indented"
    to = f"indent it {_spaces(new)}" if new else "start it at the left edge"
    parent = enclosing(doc, index, new)
    label = _unlisted(COMMENT.sub("", doc.lines[parent]).strip()) if parent is not None else ""
    if parent is not None and BLOCK_TEXT.search(label):
        return f"{start} the text under '{label}' is {at}; {to} like the rest of that text"
    if parent is not None and doc.item(parent) and new == key_column(doc.lines[parent]):
        return f"{start} the keys of the list item on line {parent + 1} are {at}; {to} like them"
    siblings = _siblings(doc, index, new)
    what = ("item of the list", "items of the list") if doc.item(index) else ("key", "keys")
    where = f" under '{label}'" if parent is not None else " at the top of the file" if not new else ""
    if not siblings:
        return f"{start} what is{where} is {at}; {to}"
    if len(siblings) == 1:
        return f"{start} the other {what[0]}{where} (line {siblings[0] + 1}) is {at}; {to} like that one"
    return f"{start} the other {what[1]}{where} are {at}; {to} like them"


def _unlisted(label: str) -> str:
    """A line's text without the list dashes before it."""
    return re.sub(r"^(?:-(?:\s+|$))+", "", label)


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def _siblings(doc: Lines, index: int, column: int) -> list[int]:
    """The keys or items at `column` in the block that line `index` would be in at that column."""
    found = []
    for run in (doc.above(index), doc.below(index)):
        for i in run:
            if doc.indent(i) < column:
                break
            if doc.indent(i) == column:
                found.append(i)
    return sorted(found)


def _item_column_above(lines: list[str], index: int) -> int | None:
    for previous in reversed(lines[:index]):
        if previous.lstrip().startswith("- "):
            return len(previous) - len(previous.lstrip()) + 1
        if previous.strip() and not previous.lstrip().startswith("#"):
            return None
    return None
