"""YAML files read safely, with the line and column of every value.

PyYAML's composer gives each node its position; this module walks the nodes
itself so that it can keep those positions, refuse duplicate keys (PyYAML keeps
the last one silently) and stop alias bombs before they expand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

from . import slips
from ..findings import Finding, Location, error

MAX_BYTES = 256 * 1024
MAX_VALUES = 20_000
MAX_DEPTH = 40
MAX_STRING = 20_000
MAX_INT_BITS = 64  # a whole number beyond this is a mistake (or an attack: Python will not even print it)
# libyaml's composer where PyYAML was built with it (same nodes and marks, several times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Keys = tuple  # a path into a document: ("handouts", "overview", 2)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file and where each of its values stands."""

    path: Path
    data: Any
    values: Mapping[Keys, tuple[int, int]]
    keys: Mapping[Keys, tuple[int, int]]
    folded: frozenset[Keys] = frozenset()  # plain text over several lines: its line breaks were lost
    digest: str = ""  # sha256 of the file's bytes: what a memo of results about this file is keyed by

    def at(self, keys: Keys = ()) -> Location:
        """Where the value at `keys` is (or its nearest parent, if it is missing)."""
        return self._find(self.values, tuple(keys))

    def key_at(self, keys: Keys) -> Location:
        """Where the key that names `keys` is written, falling back to the value."""
        keys = tuple(keys)
        if keys in self.keys:
            return Location(self.path, *self.keys[keys])
        return self.at(keys)

    def _find(self, table: Mapping[Keys, tuple[int, int]], keys: Keys) -> Location:
        while keys and keys not in table:
            keys = keys[:-1]
        return Location(self.path, *table.get(keys, (1, 1)))


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str):
        self.node, self.message = node, message


def read(path: Path) -> tuple[Document | None, list[Finding]]:
    """Read one YAML file; a problem comes back as a finding, never raised."""
    here = Location(path)
    try:
        if not path.is_file():
            return None, [error(here, "expected a file here, found a folder or something else", "not-a-file")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(here, f"cannot read the file ({exc.strerror}); check its permissions", "unreadable")]
    if len(raw) > MAX_BYTES:
        return None, [error(here, f"file is {len(raw) // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB: split it", "too-big")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(Location(path, line, column),
                            "the file is not UTF-8 text; save it as UTF-8 in your editor", "encoding")]
    if not text.strip():
        return None, [error(here, "the file is empty; write its content or delete it", "empty")]
    try:
        deep = _too_deep(text)
        if deep is not None:  # before composing: libyaml's composer recurses in C and would crash the process
            return None, [error(Location(path, deep.line + 1, deep.column + 1),
                                f"nested more than {MAX_DEPTH} levels deep; simplify the file", "too-big")]
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else here
        problem = exc.problem or exc.context or "not valid YAML"
        return None, [error(where, slips.explain(problem, text, where.line, where.column), "yaml-syntax")]
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [error(Location(path, line, column), slips.unprintable(chr(exc.character)), "unprintable")]
    except yaml.YAMLError as exc:
        return None, [error(here, f"YAML syntax: {exc}", "yaml-syntax")]
    if root is None:
        return None, [error(here, "the file has no content; write its content or delete it", "empty")]
    walker = _Walker(path, text)
    try:
        data = walker.value(root, (), 0)
    except _TooBig as exc:
        mark = exc.node.start_mark
        return None, [error(Location(path, mark.line + 1, mark.column + 1), exc.message, "too-big")]
    document = Document(path, data, MappingProxyType(walker.values), MappingProxyType(walker.keys),
                        frozenset(walker.folded), hashlib.sha256(raw).hexdigest())
    return document, walker.findings


_OPEN = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.BlockMappingStartToken)
_CLOSE = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _too_deep(text: str) -> yaml.Mark | None:
    """Where the text first nests deeper than MAX_DEPTH, read from the scanner's flat stream of
    tokens (it does not recurse); None if it never does. A syntax error is left to the composer."""
    depth = 0
    for token in yaml.scan(text, Loader=_LOADER):
        if isinstance(token, _OPEN):
            depth += 1
            if depth > MAX_DEPTH:
                return token.start_mark
        elif isinstance(token, _CLOSE):
            depth -= 1
    return None


class _Walker:
    """Turns nodes into plain Python values, recording where each one stood."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.text = text
        self.values: dict[Keys, tuple[int, int]] = {}
        self.keys: dict[Keys, tuple[int, int]] = {}
        self.findings: list[Finding] = []
        self.folded: set[Keys] = set()
        self.count = 0
        self._scalars = yaml.SafeLoader("")

    def value(self, node: yaml.Node, keys: Keys, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _TooBig(node, f"more than {MAX_VALUES} values (aliases expand too far?); simplify the file")
        if depth > MAX_DEPTH:
            raise _TooBig(node, f"nested more than {MAX_DEPTH} levels deep; simplify the file")
        self.values[keys] = self.position(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, keys, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, keys + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.style in (None, "", "'", '"') and node.end_mark.line > node.start_mark.line:
            self.folded.add(keys)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, keys: Keys, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(key_node, "a key must be plain text", "bad-key")
                continue
            key = self._scalar(key_node)
            key = key if isinstance(key, str) else str(key_node.value)
            if key in result:
                first = self.keys[keys + (key,)]
                self._error(key_node, f"duplicate key '{key}' (first written at line {first[0]}); "
                            "keep one and delete the other", "duplicate-key")
                continue
            self.keys[keys + (key,)] = self.position(key_node)
            result[key] = self.value(value_node, keys + (key,), depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        if isinstance(node.value, str) and len(node.value) > MAX_STRING:
            raise _TooBig(node, f"text longer than {MAX_STRING} characters; split it into blocks")
        try:
            value = self._scalars.construct_object(node, deep=True)
            if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:  # 0x... has no digit limit in Python
                raise OverflowError("too big to print or compare")
            return value
        except (yaml.YAMLError, ValueError, TypeError, OverflowError):
            if node.tag == "tag:yaml.org,2002:timestamp":
                self._error(node, f"'{node.value}' is not a real date; write it as YYYY-MM-DD", "bad-value")
            else:
                self._error(node, f"cannot read the value '{str(node.value)[:40]}' "
                            "(put it in quotes if it is text)", "bad-value")
            return None

    def _error(self, node: yaml.Node, message: str, code: str) -> None:
        self.findings.append(error(Location(self.path, *self.position(node)), message, code))


    def position(self, node: yaml.Node) -> tuple[int, int]:
        """Line and column of a value; for a `|` or `>` block, of its first line of text."""
        mark = node.start_mark
        if getattr(node, "style", None) in ("|", ">"):
            start = self.text.find("\n", mark.index) + 1
            if start:
                end = self.text.find("\n", start)
                line = self.text[start: end if end >= 0 else len(self.text)]
                return mark.line + 2, len(line) - len(line.lstrip(" ")) + 1
        return mark.line + 1, mark.column + 1
