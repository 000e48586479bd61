"""The static Infobutton export: dist/infobutton.json, coded concepts -> topics and their outputs.

Written by every build after the manifest, from the library (codes, titles, summaries,
reviews in each language) and the manifest's entries (the files that exist). A host
without the server can answer a lookup from it alone; the responder
(commands/infobutton.py) answers from it too, so the two never disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from ..content import approval, codes
from ..content.load import SOURCE_LANGUAGE, Library
from ..content.printed import printed
from ..content.model import TIERS, Topic
from ..content.translations import Localized, localized
from .files import remove_leftovers, write_atomic

INDEX = "infobutton.json"
FORMAT = 1
# A manifest entry's (variant, page size) -> the key of its link in a tier's outputs.
_LINKS = {("standard", "letter"): ("pdf", "html"), ("large", "letter"): ("large_pdf",),
          ("standard", "a4"): ("a4_pdf",)}


def build_index(library: Library, entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The export for a library whose published handouts are `entries` (the manifest's)."""
    outputs: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        found = outputs.setdefault((entry["topic"], entry["lang"]), {"handouts": {}, "packet": None})
        keys = _LINKS.get((entry["variant"], entry["page_size"]), ())
        if entry["tier"] == "packet":
            if entry["page_size"] == "letter":
                found["packet"] = entry["pdf"]
        elif keys:
            links = found["handouts"].setdefault(entry["tier"], {})
            for key in keys:
                links[key] = entry["html"] if key == "html" else entry["pdf"]
    topics: dict[str, Any] = {}
    concepts: dict[str, dict[str, Any]] = {}
    for topic_id, topic in sorted(library.topics.items()):
        languages = {lang: _language(library, topic_id, lang, outputs[topic_id, lang])
                     for lang in library.site.value.languages if (topic_id, lang) in outputs}
        if not languages or not topic.value.codes:
            continue
        topics[topic_id] = {"codes": [_code(c) for c in topic.value.codes], "languages": languages}
        for code in topic.value.codes:
            system, value = codes.key(code.system, code.code)
            concept = concepts.setdefault(system, {}).setdefault(value, {"display": code.display, "topics": []})
            concept["topics"].append(topic_id)
    site = library.site.value
    return {"format": FORMAT, "title": site.title, "author": site.author, "web_address": site.web_address,
            "source_language": SOURCE_LANGUAGE, "codes": concepts, "topics": topics}


def _code(code) -> dict[str, str]:
    system, value = codes.key(code.system, code.code)
    return {"system": system, "system_name": codes.SYSTEMS[system].name, "code": value, "display": code.display}


def _language(library: Library, topic_id: str, lang: str, published: dict[str, Any]) -> dict[str, Any]:
    text = _text(library, topic_id, lang)
    strings = library.strings[lang].value
    overview = text.blocks[0]
    state = approval.status(library, topic_id, lang)
    if state.state == "approved":
        notice = f"{strings.reviewed} {state.date.isoformat()} {strings.by} {state.review.reviewed_by}"
    elif state.state == "changed":
        notice = f"{strings.draft}: {strings.changed} {state.date.isoformat()}: {strings.not_rereviewed}"
    else:
        notice = f"{strings.draft}: {strings.draft_footer}"
    return {
        "title": text.title,
        "summary": " ".join(printed(overview.body, markdown=True).text.split()),
        "status": state.state,
        "reviewed_on": state.date.isoformat() if state.date else None,
        "notice": notice,  # what the handouts' footers say
        "handouts": {tier: {"title": getattr(strings.tiers, tier), **published["handouts"][tier]}
                     for tier in TIERS if tier in published["handouts"]},
        "packet": published["packet"],
    }


def _text(library: Library, topic_id: str, lang: str) -> Localized:
    if lang == SOURCE_LANGUAGE:
        topic: Topic = library.topics[topic_id].value
        blocks = tuple(library.blocks[b].value for b in topic.handouts.overview)
        return Localized(topic.title, topic.summary, blocks)
    return localized(library, lang, topic_id, "overview")


def index_bytes(index: dict[str, Any]) -> bytes:
    return (json.dumps(index, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_index(out: Path, data: bytes) -> None:
    """Put dist/infobutton.json back (atomically) when it is missing or not what the build published."""
    path = out / INDEX
    remove_leftovers(out, [path])  # what a build killed while writing it left
    if not path.is_file() or path.read_bytes() != data:
        write_atomic(path, data)


def read_index(out: Path) -> dict[str, Any] | None:
    try:
        index = json.loads((out / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return index if isinstance(index, dict) and index.get("format") == FORMAT else None
