"""YAML files read safely, with the line and column of every value.

PyYAML's composer gives each node its position; this module walks the nodes
itself so that it can keep those positions, refuse duplicate keys (PyYAML keeps
the last one silently) and stop alias bombs before they expand. A Document keeps
its positions packed (a few bytes a value) and unpacks them only when a finding
needs a place, so that thousands of documents kept between runs load fast.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from array import array
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml
from yaml.constructor import SafeConstructor

from . import slips, syntax
from ..findings import Finding, Location, error

MAX_BYTES = 256 * 1024
MAX_VALUES = 20_000
MAX_DEPTH = 40
MAX_STRING = 20_000
MAX_INT_BITS = 64  # a whole number beyond this is a mistake (or an attack: Python will not even print it)
# libyaml's composer where PyYAML was built with it (same nodes and marks, several times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"


class _Composer(_LOADER):
    """The safe loader, with the tag of each value found as PyYAML's resolver finds it but in
    fewer steps (it runs for every value): only a plain value whose first character starts some
    implicit type (a digit, `t`, `~`...) is matched against those types; anything else is text."""

    def resolve(self, kind, value, implicit):
        types = self.yaml_implicit_resolvers
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        if not (implicit[0] and (value[:1] in types or None in types)):
            return self.DEFAULT_SCALAR_TAG
        # A plain value's tag depends on its text alone: keys and short values recur in every file.
        tag = _TAGS.get(value)
        if tag is None:
            tag = super().resolve(kind, value, implicit)
            if len(value) <= 40 and len(_TAGS) < 10_000:
                _TAGS[value] = tag
        return tag


_TAGS: dict[str, str] = {}


Keys = tuple  # a path into a document: ("handouts", "overview", 2)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file and where each of its values stands.

    `places` holds the line and column of every value, then of every key, in the order a walk
    of `data` meets them (`_walk`), as one packed array; `values` and `keys` are unpacked from
    it on first use. Two documents of the same file and bytes are equal whatever was unpacked.
    """

    path: Path
    data: Any
    digest: str  # sha256 of the file's bytes (hex): later stages key what they keep between runs by it
    folded: frozenset[Keys] = frozenset()  # plain text over several lines: its line breaks were lost
    places: bytes = field(default=b"", repr=False, compare=False)

    @property
    def values(self) -> Mapping[Keys, tuple[int, int]]:
        return self._unpacked()[0]

    @property
    def keys(self) -> Mapping[Keys, tuple[int, int]]:
        return self._unpacked()[1]

    def _unpacked(self) -> tuple[Mapping, Mapping]:
        maps = self.__dict__.get("_maps")
        if maps is None:
            maps = _unpack(self.data, self.places)
            object.__setattr__(self, "_maps", maps)
        return maps

    def __getstate__(self) -> dict:
        return {name: value for name, value in self.__dict__.items() if name != "_maps"}  # views do not pickle

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
    raw, problem = read_bytes(path)
    return (None, [problem]) if raw is None else parse(path, raw)


def read_bytes(path: Path, regular: bool | None = None) -> tuple[bytes | None, Finding | None]:
    """The bytes of one file, at most MAX_BYTES of them; `regular` if the caller knows it is a
    regular file (never opened otherwise: a pipe would wait forever)."""
    try:
        if not (path.is_file() if regular is None else regular):
            return None, _not_a_file(path)
        fd = os.open(path, _READ_ONLY)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):  # replaced since it was listed
                return None, _not_a_file(path)
            # One read of one byte more than the file says it holds sees its end; a file too big is
            # never read, nor one that grows past the limit while it is read.
            raw = os.read(fd, info.st_size + 1) if info.st_size <= MAX_BYTES else b""
            while info.st_size < len(raw) <= MAX_BYTES and (more := os.read(fd, MAX_BYTES + 1 - len(raw))):
                raw += more
        finally:
            os.close(fd)
    except OSError as exc:
        return None, error(Location(path), f"cannot read the file ({exc.strerror}); check its permissions",
                           "unreadable")
    if info.st_size > MAX_BYTES or len(raw) > MAX_BYTES:
        size = max(len(raw), info.st_size)
        return None, error(Location(path), f"file is {size // 1024} KiB; the limit is {MAX_BYTES // 1024} KiB: "
                           "split it", "too-big")
    return raw, None


# Never waits on a pipe put where a file was listed; a regular file reads the same.
_READ_ONLY = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _not_a_file(path: Path) -> Finding:
    return error(Location(path), "expected a file here, found a folder or something else", "not-a-file")


def parse(path: Path, raw: bytes, digest: str = "") -> tuple[Document | None, list[Finding]]:
    """One file's bytes (at most MAX_BYTES) as a Document; a problem comes back as a finding.
    `digest` is the bytes' sha256, where the caller has it already."""
    here = Location(path)
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
        deep, root = _compose(text)
        if deep is not None:
            return None, [error(Location(path, deep.line + 1, deep.column + 1),
                                f"nested more than {MAX_DEPTH} levels deep; simplify the file", "too-big")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else here
        problem = exc.problem or exc.context or "not valid YAML"
        # Where the parser began what it could not finish (a key, a block): often the line to change.
        began = exc.context_mark.line + 1 if exc.context_mark else None
        try:
            line, column, message = syntax.explain(problem, text, where.line, where.column, _events, began)
        except Exception:  # noqa: BLE001 - a fault in the advice must not hide the complaint behind a traceback
            line, column, message = where.line, where.column, f"YAML syntax: {problem}"
        return None, [error(Location(path, line, column), message, "yaml-syntax")]
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
    document = Document(path, data, digest or hashlib.sha256(raw).hexdigest(), frozenset(walker.folded),
                        _pack(walker.values, walker.keys))
    object.__setattr__(document, "_maps", (MappingProxyType(walker.values), MappingProxyType(walker.keys)))
    return document, walker.findings


def _events(text: str):
    """The parse events of `text`, for syntax.explain to try the changes it would advise. Events
    only: nothing is composed, so nothing recurses however deep the text nests."""
    return yaml.parse(text, Loader=_LOADER)


def _pack(values: dict, keys: dict) -> bytes:
    """The positions of `values` then `keys`, in the walker's order (the order `_walk` meets them)."""
    return array("I", chain.from_iterable(chain(values.values(), keys.values()))).tobytes()


def _unpack(data: Any, places: bytes) -> tuple[Mapping, Mapping]:
    value_keys: list[Keys] = [()]
    key_keys: list[Keys] = []
    _walk(data, (), value_keys, key_keys)
    flat = array("I")
    flat.frombytes(places)
    pairs = list(zip(flat[::2], flat[1::2]))
    values = dict(zip(value_keys, pairs))
    keys = dict(zip(key_keys, pairs[len(value_keys):]))
    return MappingProxyType(values), MappingProxyType(keys)


def _walk(data: Any, keys: Keys, values: list[Keys], named: list[Keys]) -> None:
    """The keys of every value below `data` in the order _Walker recorded them (each before its
    children), and of every key; `data` itself is recorded by the caller."""
    if isinstance(data, dict):
        for key, item in data.items():
            inner = keys + (key,)
            named.append(inner)
            values.append(inner)
            if isinstance(item, (dict, list)):
                _walk(item, inner, values, named)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            inner = keys + (i,)
            values.append(inner)
            if isinstance(item, (dict, list)):
                _walk(item, inner, values, named)


_OPEN = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken,
         yaml.BlockMappingStartToken)
_CLOSE = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)
_TRIGGER = re.compile(r"[-?:](?=[ \t\r\n\x85\u2028\u2029\x00]|\Z)")
_BREAK = re.compile(r"\r\n?|[\n\x85\u2028\u2029]")  # what libyaml counts lines by


def _compose(text: str) -> tuple[yaml.Mark | None, yaml.Node | None]:
    """Where the text nests too deep, or its root node. The depth is checked before composing:
    libyaml's composer recurses in C and would crash the process. A text that cannot be deep is
    composed at once; if that fails it is read again the long way, so that the error reported
    is the one the scan meets first, as for any other text."""
    if not _might_be_deep(text):
        try:
            return None, yaml.compose(text, Loader=_Composer)
        except yaml.YAMLError:
            pass
    deep = _too_deep(text)
    return (deep, None) if deep is not None else (None, yaml.compose(text, Loader=_Composer))


def _might_be_deep(text: str) -> bool:
    """False when the text provably cannot nest deeper than MAX_DEPTH (scanning it is needless)."""
    return _most_levels(text) > MAX_DEPTH


def _most_levels(text: str) -> int:
    """At most how many levels libyaml's scanner can have open at once in the text (a bound).

    A level is opened by one character, and a character opens one level at most: `[` or `{`
    (flow), or `-`, `?` or `:` followed by a blank or a line break (block: these are the only
    triggers, whatever the scanner's state). Open block levels stand at strictly increasing
    columns from 0, each at or before the column of the character that opened it (a key and
    its `:` share a line). So there are at most as many levels as `[` and `{`, plus the fewer
    of the block triggers and one more than the rightmost trigger's column. The tests check
    the bound against the scanner (tests/test_yaml_depth.py)."""
    flow = text.count("[") + text.count("{")
    every = flow + text.count("-") + text.count("?") + text.count(":")
    if every <= MAX_DEPTH:
        return every  # the usual block: fewer such characters than levels allowed
    triggers = [m.start() for line in _BREAK.split(text) for m in _TRIGGER.finditer(line)]
    return min(every, flow + min(len(triggers), 1 + max(triggers, default=-1)))


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
        self._scalars = SafeConstructor()

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
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value  # what the constructor gives for text, without its bookkeeping
        try:
            value = self._scalars.construct_object(node, deep=True)
            if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:  # 0x... has no digit limit in Python
                raise OverflowError("too big to print or compare")
            return value
        except (yaml.YAMLError, ValueError, TypeError, OverflowError, IndexError):  # !!int "" -> IndexError
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
