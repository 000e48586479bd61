"""An Infobutton answer as Atom (RFC 4287) or as JSON that mirrors it entry for entry, link for link.

Takes a `Feed` (commands/infobutton.py builds it from the published index); gives the
bytes of the response. Nothing here decides what matches: it only writes it down.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS_SCHEME = "urn:x-patient-handouts:review-status"
LANGUAGE_SCHEME = "urn:x-patient-handouts:language"
ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Link:
    rel: str
    href: str
    type: str
    hreflang: str
    title: str


@dataclass(frozen=True)
class Entry:
    """One topic: its handouts in the language asked for, or in English saying so."""

    id: str
    title: str
    updated: str
    summary: str
    language: str            # the language of the handouts linked
    requested_language: str
    translated: bool         # False: English stands in for the language asked for
    status: str              # the content's review status: draft or approved
    reviewed_on: str | None
    draft: bool
    notes: tuple[str, ...]   # said first in the summary: draft, not translated
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Feed:
    id: str
    title: str
    subtitle: str
    updated: str
    author: str
    self_link: str
    entries: tuple[Entry, ...]


def atom(feed: Feed) -> bytes:
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.subtitle)
    _text(root, "updated", feed.updated)
    ET.SubElement(_text(root, "author", None), f"{{{ATOM}}}name").text = feed.author
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=feed.self_link, type="application/atom+xml")
    for entry in feed.entries:
        node = ET.SubElement(root, f"{{{ATOM}}}entry", {XML_LANG: entry.language})
        _text(node, "id", entry.id)
        _text(node, "title", entry.title)
        _text(node, "updated", entry.updated)
        _text(node, "summary", _summary(entry)).set("type", "text")
        ET.SubElement(node, f"{{{ATOM}}}category", term=entry.status, scheme=STATUS_SCHEME,
                      label="Draft" if entry.draft else "Approved")
        ET.SubElement(node, f"{{{ATOM}}}category", term=entry.language, scheme=LANGUAGE_SCHEME,
                      label="translated" if entry.translated
                      else f"not translated into {entry.requested_language}")
        for link in entry.links:
            ET.SubElement(node, f"{{{ATOM}}}link", asdict(link))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def as_json(feed: Feed) -> bytes:
    """The same feed as JSON: the Atom elements by name, each entry's summary as the Atom one reads."""
    body = asdict(feed)
    for entry in body["entries"]:
        entry["summary"] = _summary_of(entry["summary"], entry["notes"])
    return json.dumps({"feed": body}, ensure_ascii=False, indent=2).encode("utf-8")


def _summary(entry: Entry) -> str:
    return _summary_of(entry.summary, entry.notes)


def _summary_of(summary: str, notes) -> str:
    return " ".join([*notes, summary]).strip()


def _text(parent: ET.Element, name: str, text: str | None) -> ET.Element:
    node = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    node.text = text
    return node
