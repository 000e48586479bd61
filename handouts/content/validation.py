"""Validation: a document checked against its shape, each complaint a finding at its line.

Pydantic checks a document's data against the content model; its complaints become
findings in plain words ("did you mean 'overview'?"), each at the line of the value or key
that an editor must change.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import typing
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from . import slips
from .model import LANG_PATTERN
from ..findings import Finding, error
from .yamldoc import Document

_ADAPTERS: dict[type, TypeAdapter] = {}
_SHAPE_NAMES: dict[int, str] = {}


def adapter(shape: type | TypeAdapter) -> TypeAdapter:
    """One adapter for each model, built once (building one costs more than validating a file)."""
    if isinstance(shape, TypeAdapter):
        return shape
    if shape not in _ADAPTERS:
        _ADAPTERS[shape] = TypeAdapter(shape)
    return _ADAPTERS[shape]


def key_name(shape: type | TypeAdapter, tools: str) -> str:
    """A short name for a shape and the `tools` that validate it, for a memo's key: a digest of
    the shape's spelling (a model's qualified name; an adapter's type, part by part)."""
    name = _SHAPE_NAMES.get(id(shape))
    if name is None:
        spelt = repr(shape._type if isinstance(shape, TypeAdapter) else shape)
        name = _SHAPE_NAMES[id(shape)] = hashlib.sha256(f"{spelt}\0{tools}".encode()).hexdigest()[:32]
    return name


def validate(doc: Document, shape: type | TypeAdapter, findings: list[Finding]) -> Any | None:
    """The document's data as `shape`, or None; each thing wrong with it is a finding at its line."""
    adapter_ = adapter(shape)
    try:
        return adapter_.validate_python(doc.data)
    except ValidationError as exc:
        # A list too short only because its items failed is an echo of their findings.
        found = [_finding(doc, adapter_, problem) for problem in exc.errors(include_url=False)
                 if not (problem["type"] == "too_short" and problem.get("input"))]
        # A misspelt key is one slip: "did you mean 'overview'?" says it; "missing 'overview'" is its echo.
        meant = {(f.location.path, m.group(1)) for f in found if (m := re.search(r"did you mean '([^']+)'", f.message))}
        findings.extend(f for f in found if not (f.code == "missing-key" and (f.location.path, f.message.split("'")[1])
                                                 in meant))
        return None


def _finding(doc: Document, adapter: TypeAdapter, problem: dict) -> Finding:
    loc = _data_path(doc.data, problem["loc"])
    name = ".".join(str(k) for k in loc) or "this file"
    if not loc and problem["type"] in ("missing", "extra_forbidden"):
        return error(doc.at(), problem["msg"], "bad-value")
    kind, value = problem["type"], problem.get("input")
    if not loc and isinstance(value, str):
        return error(doc.at(), slips.plain_text_file(_shape_name(adapter)), "plain-text")
    if kind == "string_type" and loc and loc[-1] == "body" and isinstance(value, (list, dict)):
        return error(doc.key_at(loc), slips.body_without_pipe(), "no-pipe")
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "digest":
        return error(doc.at(loc), f"{name}: '{value}' is not a digest; let `python build.py approve` write it "
                     "(16 letters and digits)", "bad-value")
    if kind == "string_pattern_mismatch" and slips.run_together(value):
        return error(doc.at(loc), f"{name}: '{value}' reads as one item: the '- ' on the line after it is indented "
                     "further than the item above; start every item of the list at the same column", "indentation")
    if kind == "missing":
        return error(doc.at(loc[:-1]), f"missing required key '{loc[-1]}'", "missing-key")
    if kind == "extra_forbidden":
        allowed = _keys_at(adapter, loc[:-1])
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        advice = f"did you mean '{hint[0]}'?" if hint else f"allowed keys: {', '.join(allowed)}"
        return error(doc.key_at(loc), f"unknown key '{loc[-1]}'; {advice}", "unknown-key")
    if kind == "string_pattern_mismatch":
        where = doc.key_at(loc) if "[key]" in problem["loc"] else doc.at(loc)
        if problem.get("ctx", {}).get("pattern") == LANG_PATTERN:
            return error(where, f"{name}: '{value}' is not a language code; write its two lowercase letters "
                         "(ISO 639-1), such as es for Spanish", "bad-id")
        return error(where, f"{name}: '{value}' is not a plain id; use lowercase letters, digits and hyphens "
                     "(an id is never a path)", "bad-id")
    if kind == "literal_error":
        expected = problem["ctx"]["expected"]
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        hint = difflib.get_close_matches(str(value), choices, n=1)
        advice = f"did you mean '{hint[0]}'?" if hint else f"use one of: {', '.join(choices)}"
        return error(doc.at(loc), f"{name}: '{value}' is not allowed; {advice}", "bad-value")
    if kind in ("string_too_short", "too_short") and not value:
        return error(doc.at(loc), f"{name} is empty; write it", "empty-value")
    if kind == "value_error":
        return error(doc.at(loc), f"{name}: {problem['msg'].removeprefix('Value error, ')}", "bad-value")
    return error(doc.at(loc), f"{name}: {_plain_type_message(problem, value)}", "wrong-type")


def _data_path(data: Any, loc: tuple) -> tuple:
    """The keys of pydantic's `loc` that are really in the document: its own markers
    ("[key]", "function-after[...]") are dropped, whatever an editor named a key."""
    path, node = [], data
    for key in loc:
        if isinstance(node, dict) and key in node:
            path.append(key)
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            path.append(key)
            node = node[key]
        elif key not in ("[key]",) and not (isinstance(key, str) and key.startswith("function-")):
            path.append(key)  # a missing key: where it should have been
            node = None
    return tuple(path)


def _plain_type_message(problem: dict, value: Any) -> str:
    expected = {
        "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
        "float_type": "a number", "float_parsing": "a number", "tuple_type": "a list",
        "list_type": "a list", "dict_type": "a mapping of keys to values", "model_type": "a mapping of keys to values",
        "date_type": "a date (YYYY-MM-DD)", "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
        "date_parsing": "a date (YYYY-MM-DD)",
    }.get(problem["type"])
    if expected is None:
        return problem["msg"]
    scalar = value is not None and not isinstance(value, (list, tuple, dict))
    hint = " (put text in quotes if it looks like a number, date or yes/no)" if expected == "text" and scalar else ""
    return f"expected {expected}, got {_describe(value)}{hint}"


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{str(value)[:40]}'"


def _keys_at(adapter: TypeAdapter, loc: tuple) -> list[str]:
    """The keys a model allows at `loc`, for "did you mean" hints."""
    shape = _unwrap(adapter._type)
    for key in loc:
        if _is_model(shape):
            field = shape.model_fields.get(key)
            shape = _unwrap(field.annotation) if field else None
        else:  # a dict's value or a tuple's item
            args = typing.get_args(shape)
            shape = _unwrap(args[-1]) if args else None
    return list(shape.model_fields) if _is_model(shape) else []


def _unwrap(shape: Any) -> Any:
    """X from Annotated[X, ...] and from X | None."""
    if typing.get_origin(shape) is typing.Annotated:
        return _unwrap(typing.get_args(shape)[0])
    args = [a for a in typing.get_args(shape) if a is not type(None)]
    if type(None) in typing.get_args(shape) and len(args) == 1:
        return _unwrap(args[0])
    return shape


def _is_model(shape: Any) -> bool:
    return isinstance(shape, type) and issubclass(shape, BaseModel)


def _shape_name(adapter: TypeAdapter) -> str:
    shape = _unwrap(adapter._type)
    return shape.__name__ if _is_model(shape) else ""
