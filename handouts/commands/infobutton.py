"""The HL7 Infobutton responder: the record asks by code, it answers with the handouts that fit.

`GET /infobutton?mainSearchCriteria.v.c=CODE&mainSearchCriteria.v.cs=OID` (HL7 Infobutton
URL-based implementation guide, the request MedlinePlus Connect answers) gives an Atom feed,
one entry per matching topic, or the same as JSON (`knowledgeResponseType=application/json`).
It is a front-end over what a build publishes: dist/infobutton.json and the files it names,
re-read when a build replaces it. `routes()` gives the Starlette routes to mount in any server.
"""

from __future__ import annotations

import datetime
import re
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel import Locale, UnknownLocaleError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from ..content import codes
from ..content.model import TIERS
from ..publish.infobutton import INDEX, read_index
from .feed import Entry, Feed, Link, as_json, atom

CODE, SYSTEM, NAME = "mainSearchCriteria.v.c", "mainSearchCriteria.v.cs", "mainSearchCriteria.v.dn"
LANGUAGE, RECIPIENT = "informationRecipient.languageCode.c", "informationRecipient"
RESPONSE = "knowledgeResponseType"
READ = (CODE, SYSTEM, NAME, LANGUAGE, RECIPIENT, RESPONSE)
FORMATS = {"text/xml": "atom", "application/xml": "atom", "application/atom+xml": "atom",
           "application/json": "json"}
MEDIA = {"atom": "application/atom+xml; charset=utf-8", "json": "application/json"}
THREE_LETTER = {"eng": "en", "spa": "es"}  # ISO 639-2 codes some records send
LINK_TITLES = {"pdf": "PDF", "html": "web page", "large_pdf": "large print PDF", "a4_pdf": "A4 PDF"}


class BadRequest(ValueError):
    """A request the responder cannot read; its message is the one-line reason."""


@dataclass(frozen=True)
class Query:
    system: str
    code: str
    name: str
    language: str
    recipient: str
    format: str


def read_query(params: list[tuple[str, str]]) -> Query:
    """The request's parameters, checked; BadRequest says what is wrong with them."""
    given: dict[str, str] = {}
    for name, value in params:
        if name not in READ:
            continue  # the guide's other parameters (age, gender, task context): not used here
        if name in given:
            raise BadRequest(f"{name} is given twice; give it once")
        if len(value) > 256 or any(ord(c) < 32 for c in value):
            raise BadRequest(f"{name} is too long or holds control characters")
        given[name] = value.strip()
    for required in (CODE, SYSTEM):
        if not given.get(required):
            raise BadRequest(f"{required} is missing; send the code and its system's OID "
                             f"({CODE}=238083&{SYSTEM}=2.16.840.1.113883.6.88)")
    system, code = given[SYSTEM], given[CODE]
    if not codes.OID.match(system):
        raise BadRequest(f"{SYSTEM}: '{system}' is not an OID (digits and dots, such as 2.16.840.1.113883.6.88)")
    if system in codes.SYSTEMS and (problem := codes.problem(system, code)):
        raise BadRequest(f"{CODE}: '{code}': {problem}")
    recipient = given.get(RECIPIENT, "PAT").upper()
    if recipient not in ("PAT", "PROV"):
        raise BadRequest(f"{RECIPIENT}: '{given[RECIPIENT]}' is not PAT (patient) or PROV (provider)")
    response = given.get(RESPONSE, "text/xml").lower()
    if response not in FORMATS:
        raise BadRequest(f"{RESPONSE}: '{given[RESPONSE]}' is not one of: {', '.join(FORMATS)}")
    _, code = codes.key(system, code)
    language = _language(given.get(LANGUAGE, "en"))
    return Query(system, code, given.get(NAME, ""), language, recipient, FORMATS[response])


def _language(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*", value):
        raise BadRequest(f"{LANGUAGE}: '{value}' is not a language code (en, es, es-MX)")
    primary = re.split(r"[-_]", value)[0].lower()
    return THREE_LETTER.get(primary, primary)


def answer(index: dict[str, Any], query: Query, files: str, updated: str, request_url: str) -> Feed:
    """The feed for a query: one entry per topic coded with the concept, in the language asked for."""
    concept = index["codes"].get(query.system, {}).get(query.code, {})
    base = index.get("web_address", "").rstrip("/") or files
    english = index["source_language"]
    entries = []
    for topic_id in concept.get("topics", []):
        languages = index["topics"][topic_id]["languages"]
        lang = query.language if query.language in languages else english
        if lang not in languages:
            continue
        entries.append(_entry(languages[lang], lang, query.language, base, updated))
    shown = query.name or concept.get("display") or query.code
    return Feed(id=request_url, title=f"{index['title']}: {shown}", updated=updated, author=index["author"],
                subtitle="Patient education handouts" + (" (for your patients)" * (query.recipient == "PROV")),
                self_link=request_url, entries=tuple(entries))


def _entry(text: dict[str, Any], lang: str, requested: str, base: str, updated: str) -> Entry:
    links = []
    tiers = [text["handouts"][tier] for tier in TIERS if tier in text["handouts"]]  # in reading order
    for outputs in tiers:
        for kind in LINK_TITLES:
            if kind in outputs:
                media = "text/html" if kind == "html" else "application/pdf"
                links.append(Link("related", f"{base}/{outputs[kind]}", media, lang,
                                  f"{outputs['title']} ({LINK_TITLES[kind]})"))
    if text["packet"]:
        links.append(Link("related", f"{base}/{text['packet']}", "application/pdf", lang,
                          f"{' + '.join(o['title'] for o in tiers)} (PDF)"))
    first = next(link for link in links if link.type == "text/html")
    links.insert(0, Link("alternate", first.href, first.type, lang, first.title))
    notes = [f"{text['notice']}."]
    translated = lang == requested
    if not translated:
        notes.append(f"Not available in {_language_name(requested)}; this handout is in {_language_name(lang)}.")
    reviewed = text["reviewed_on"]
    return Entry(id=first.href, title=text["title"], updated=f"{reviewed}T00:00:00Z" if reviewed else updated,
                 summary=text["summary"], language=lang, requested_language=requested, translated=translated,
                 status=text["status"], reviewed_on=reviewed, draft=text["status"] != "approved",
                 notes=tuple(notes), links=tuple(links))


def _language_name(code: str) -> str:
    try:
        return Locale.parse(code).get_display_name("en") or code
    except (ValueError, UnknownLocaleError):
        return code


class _Published:
    """dist/infobutton.json, read again whenever a build replaces it."""

    def __init__(self, out: Path):
        self.path, self.stamp, self.index = out / INDEX, None, None

    def get(self) -> tuple[dict[str, Any] | None, str]:
        try:
            stat = self.path.stat()
        except OSError:
            return None, ""
        if self.stamp != (stat.st_mtime_ns, stat.st_size):
            self.stamp, self.index = (stat.st_mtime_ns, stat.st_size), read_index(self.path.parent)
        when = datetime.datetime.fromtimestamp(stat.st_mtime, datetime.timezone.utc).replace(microsecond=0)
        return self.index, when.isoformat().replace("+00:00", "Z")


def routes(out: Path, files: str = "/dist") -> list[BaseRoute]:
    """`/infobutton`, and the published files under `files` (where its links point)."""
    published = _Published(out)

    async def infobutton(request: Request) -> Response:
        try:
            query = read_query(list(request.query_params.multi_items()))
        except BadRequest as exc:
            return PlainTextResponse(f"error: {exc}\n", status_code=400)
        index, updated = published.get()
        if index is None:
            return PlainTextResponse(f"error: nothing is published in {out}; run `python build.py` first\n",
                                     status_code=503)
        canonical = urlencode([(CODE, query.code), (SYSTEM, query.system), (LANGUAGE, query.language)])
        feed = answer(index, query, str(request.base_url).rstrip("/") + files, updated,
                      f"{str(request.base_url).rstrip('/')}/infobutton?{canonical}")
        body = as_json(feed) if query.format == "json" else atom(feed)
        return Response(body, media_type=MEDIA[query.format])

    return [Route("/infobutton", infobutton, methods=["GET"]),
            Mount(files, app=StaticFiles(directory=out, check_dir=False))]


def port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, or None."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except OSError as exc:
        return f"cannot listen on {host}:{port} ({exc.strerror or exc}); is another server using it? try --port"
    return None


def run(out: Path, host: str, port: int) -> None:
    """Serve the responder until Ctrl-C."""
    import uvicorn

    uvicorn.run(Starlette(routes=routes(out)), host=host, port=port, log_level="warning")
