"""The HL7 Infobutton responder, asked over HTTP on a real server, about a library built for real."""

from __future__ import annotations

import contextlib
import datetime
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

import build
from handouts import engine
from handouts.commands.infobutton import routes
from handouts.project import HOME, Project
from handouts.publish.infobutton import index_bytes, write_index
from infobutton_library import ICD10CM, RXNORM, shipped_index, write_coded_library

A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The output folder of a real build of the coded library."""
    root = tmp_path_factory.mktemp("coded")
    content = write_coded_library(root)
    result = engine.build(Project(content=content, out=root / "dist"), engine.BuildOptions(jobs=1))
    assert result.ok, [str(f) for f in result.findings]
    return root / "dist"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serving(out: Path):
    """A uvicorn server on a free loopback port with the responder's routes over `out`; stopped on leaving."""
    server = uvicorn.Server(uvicorn.Config(Starlette(routes=routes(out)), host="127.0.0.1", port=free_port(),
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    assert not thread.is_alive()


@pytest.fixture(scope="module")
def base(built: Path):
    with serving(built) as url:
        yield url


def ask(base: str, code: str, system: str, **more: str) -> httpx.Response:
    params = {"mainSearchCriteria.v.c": code, "mainSearchCriteria.v.cs": system, **more}
    return httpx.get(f"{base}/infobutton", params=params, timeout=10)


def feed(response: httpx.Response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{A}entry")


def titles(root: ET.Element) -> list[str]:
    return sorted(e.findtext(f"{A}title") for e in entries(root))


def test_a_drug_code_finds_every_topic_coded_with_it(base):
    assert titles(feed(ask(base, "238083", RXNORM))) == ["Other medicine", "Test medicine"]


def test_a_problem_code_finds_only_its_topic(base):
    assert titles(feed(ask(base, "G89.29", ICD10CM))) == ["Test medicine"]


def test_an_icd10cm_code_sent_without_its_dot_finds_the_same_topic(base):
    assert titles(feed(ask(base, "g8929", ICD10CM))) == ["Test medicine"]


def test_spanish_is_answered_with_the_spanish_handouts(base):
    [entry] = entries(feed(ask(base, "G89.29", ICD10CM, **{"informationRecipient.languageCode.c": "es"})))
    assert entry.get(XML_LANG) == "es"
    assert entry.findtext(f"{A}title") == "Medicamento de prueba"
    hrefs = [link.get("href") for link in entry.findall(f"{A}link")]
    assert hrefs and all("/dist/es/test-medicine-" in href for href in hrefs)


def test_spanish_for_an_untranslated_topic_is_english_saying_so(base):
    [entry] = entries(feed(ask(base, "F33.9", ICD10CM, **{"informationRecipient.languageCode.c": "es-MX"})))
    assert entry.get(XML_LANG) == "en"
    assert "Not available in Spanish; this handout is in English." in entry.findtext(f"{A}summary")
    assert all("/dist/en/" in link.get("href") for link in entry.findall(f"{A}link"))


def test_drafts_are_marked_as_drafts(base):
    [entry] = entries(feed(ask(base, "G89.29", ICD10CM)))
    assert entry.findtext(f"{A}summary").startswith("Draft: not yet reviewed by a clinician.")
    assert entry.find(f"{A}category[@term='draft']") is not None


def test_an_approved_topic_says_when_it_was_reviewed(base):
    [entry] = entries(feed(ask(base, "F33.9", ICD10CM)))
    assert entry.findtext(f"{A}summary").startswith("Reviewed on 2026-11-02 by Dr Test.")
    assert entry.findtext(f"{A}updated") == "2026-11-02T00:00:00Z"
    assert entry.find(f"{A}category[@term='approved']") is not None


def test_the_feed_is_titled_with_the_concept_asked_for(base):
    assert feed(ask(base, "G89.29", ICD10CM)).findtext(f"{A}title") == "Test handouts: Other chronic pain"


def test_an_entry_links_each_tier_as_pdf_and_web_page_and_the_packet(base):
    [entry] = entries(feed(ask(base, "G89.29", ICD10CM)))
    links = {(link.get("rel"), link.get("href").split("/dist/")[1]) for link in entry.findall(f"{A}link")}
    expected = {("related", f"en/test-medicine-{tier}.{kind}") for tier in ("overview", "expectations", "risks")
                for kind in ("pdf", "html")}
    assert links == expected | {("related", "en/test-medicine-packet.pdf"),
                                ("alternate", "en/test-medicine-overview.html")}


def test_the_links_lead_to_the_published_pdfs(base, built):
    [entry] = entries(feed(ask(base, "G89.29", ICD10CM)))
    pdf = next(link.get("href") for link in entry.findall(f"{A}link") if link.get("type") == "application/pdf")
    response = httpx.get(pdf, timeout=10)
    assert response.status_code == 200
    assert response.content == (built / pdf.split("/dist/")[1]).read_bytes()


def test_an_unknown_code_gives_an_empty_feed(base):
    root = feed(ask(base, "999999", RXNORM))
    assert entries(root) == [] and root.findtext(f"{A}id")


def test_a_code_system_this_tool_does_not_know_gives_an_empty_feed(base):
    assert entries(feed(ask(base, "12345-6", "2.16.840.1.113883.6.1"))) == []  # LOINC


@pytest.mark.parametrize("query, reason", [
    ({"mainSearchCriteria.v.cs": RXNORM}, "mainSearchCriteria.v.c is missing"),
    ({"mainSearchCriteria.v.c": "238083"}, "mainSearchCriteria.v.cs is missing"),
    ({"mainSearchCriteria.v.c": "238083", "mainSearchCriteria.v.cs": "RxNorm"}, "is not an OID"),
    ({"mainSearchCriteria.v.c": "ketamine", "mainSearchCriteria.v.cs": RXNORM}, "RXCUI is a whole number"),
    ({"mainSearchCriteria.v.c": "F33.9", "mainSearchCriteria.v.cs": RXNORM}, "RXCUI is a whole number"),
    ({"mainSearchCriteria.v.c": "238083", "mainSearchCriteria.v.cs": RXNORM, "informationRecipient": "NURSE"},
     "is not PAT (patient) or PROV (provider)"),
    ({"mainSearchCriteria.v.c": "238083", "mainSearchCriteria.v.cs": RXNORM, "knowledgeResponseType": "text/html"},
     "knowledgeResponseType: 'text/html' is not one of"),
    ({"mainSearchCriteria.v.c": "238083", "mainSearchCriteria.v.cs": RXNORM,
      "informationRecipient.languageCode.c": "español"}, "is not a language code"),
])
def test_a_malformed_request_gets_400_and_one_line_saying_why(base, query, reason):
    response = httpx.get(f"{base}/infobutton", params=query, timeout=10)
    assert response.status_code == 400
    assert response.text.startswith("error: ") and reason in response.text
    assert response.text.count("\n") == 1 and response.text.endswith("\n")


def test_the_guides_other_parameters_are_accepted_and_ignored(base):
    query = [("mainSearchCriteria.v.c", "G89.29"), ("mainSearchCriteria.v.cs", ICD10CM),
             ("patientPerson.administrativeGenderCode.c", "F"), ("age.v.v", "45"), ("age.v.u", "a"),
             ("taskContext.c.c", "PROBLISTREV"), ("performer", "PROV"), ("performer", "PROV")]
    assert titles(feed(httpx.get(f"{base}/infobutton", params=query, timeout=10))) == ["Test medicine"]


def test_a_folder_with_nothing_published_answers_503_saying_to_build(tmp_path):
    with serving(tmp_path) as url:
        response = ask(url, "238083", RXNORM)
    assert response.status_code == 503
    assert response.text == f"error: nothing is published in {tmp_path}; run `python build.py` first\n"


def test_a_parameter_given_twice_gets_400(base):
    query = [("mainSearchCriteria.v.c", "238083"), ("mainSearchCriteria.v.c", "6130"),
             ("mainSearchCriteria.v.cs", RXNORM)]
    response = httpx.get(f"{base}/infobutton", params=query, timeout=10)
    assert response.status_code == 400 and "given twice" in response.text


def test_the_feed_holds_what_rfc_4287_requires(base):
    root = feed(ask(base, "238083", RXNORM, **{"informationRecipient.languageCode.c": "es"}))
    assert root.tag == f"{A}feed"
    for element in ("id", "title", "updated", "author/{A}name"):
        assert (root.findtext(f"{A}{element}".replace("{A}", A)) or "").strip(), element
    assert root.find(f"{A}link[@rel='self']") is not None
    for node in [root, *entries(root)]:
        assert "://" in node.findtext(f"{A}id")  # an absolute IRI
        datetime.datetime.fromisoformat(node.findtext(f"{A}updated").replace("Z", "+00:00"))
    for entry in entries(root):
        assert entry.findtext(f"{A}title") and entry.findtext(f"{A}summary")
        alternates = [(link.get("type"), link.get("hreflang")) for link in entry.findall(f"{A}link[@rel='alternate']")]
        assert len(alternates) == len(set(alternates)) >= 1  # at most one alternate per type and language
    assert len({e.findtext(f"{A}id") for e in entries(root)}) == len(entries(root))


def test_the_json_form_mirrors_the_atom_feed(base):
    atom_root = feed(ask(base, "238083", RXNORM))
    response = ask(base, "238083", RXNORM, knowledgeResponseType="application/json")
    assert response.headers["content-type"].startswith("application/json")
    mirror = response.json()["feed"]
    assert mirror["id"] == atom_root.findtext(f"{A}id") and mirror["title"] == atom_root.findtext(f"{A}title")
    assert mirror["author"] == atom_root.findtext(f"{A}author/{A}name")
    atom_entries = [(e.findtext(f"{A}id"), e.findtext(f"{A}title"), e.findtext(f"{A}summary"),
                     [(link.get("rel"), link.get("href"), link.get("type")) for link in e.findall(f"{A}link")])
                    for e in entries(atom_root)]
    json_entries = [(e["id"], e["title"], e["summary"], [(link["rel"], link["href"], link["type"]) for link in e["links"]])
                    for e in mirror["entries"]]
    assert json_entries == atom_entries and len(json_entries) == 2


def test_the_static_export_maps_each_code_to_its_topics_and_their_files(built):
    export = json.loads((built / "infobutton.json").read_text())
    assert export["codes"][RXNORM]["238083"]["topics"] == ["other-medicine", "test-medicine"]
    spanish = export["topics"]["test-medicine"]["languages"]["es"]
    assert spanish["title"] == "Medicamento de prueba"
    files = [spanish["packet"], *(path for tier in spanish["handouts"].values()
                                  for key, path in tier.items() if key != "title")]
    assert len(files) == 7 and all((built / path).is_file() for path in files)


def serve_command(built: Path, port: int) -> list[str]:
    return [sys.executable, str(HOME / "build.py"), "serve", "--infobutton-only", "--port", str(port), "--jobs", "1",
            "--content", str(built.parent / "content"), "--out", str(built)]


def test_serve_on_a_port_in_use_says_so_in_one_line_and_exits_2(built):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = subprocess.run(serve_command(built, taken.getsockname()[1]), capture_output=True, text=True,
                                timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot listen on 127.0.0.1:") and result.stderr.count("\n") == 1


def test_build_py_serve_answers_infobutton_requests_until_interrupted(built):
    port = free_port()
    server = subprocess.Popen(serve_command(built, port), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, response = time.monotonic() + 90, None
        while response is None and time.monotonic() < deadline and server.poll() is None:
            try:
                response = ask(f"http://127.0.0.1:{port}", "238083", RXNORM)
            except httpx.TransportError:
                time.sleep(0.2)
        assert titles(feed(response)) == ["Other medicine", "Test medicine"]
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    assert server.returncode == 0 and "Traceback" not in server.stderr.read()


def test_a_build_with_nothing_to_print_still_puts_back_a_missing_export(built, capsys):
    export = built / "infobutton.json"
    before = export.read_bytes()
    export.unlink()
    assert build.main(["--content", str(built.parent / "content"), "--out", str(built), "--jobs", "1"]) == 0
    assert "Nothing changed" not in capsys.readouterr().out
    assert export.read_bytes() == before


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """A server answering from the export of the shipped content (the handouts themselves are not printed)."""
    out = tmp_path_factory.mktemp("shipped")
    write_index(out, index_bytes(shipped_index()))
    with serving(out) as url:
        yield url


def test_the_ketamine_ingredient_code_finds_the_three_shipped_ketamine_topics(shipped):
    assert titles(feed(ask(shipped, "6130", RXNORM))) == [
        "IV ketamine for treatment-resistant depression", "Ketamine for anesthesia and procedures",
        "Ketamine infusions for chronic pain"]


def test_the_esketamine_code_finds_only_the_shipped_esketamine_topic(shipped):
    assert titles(feed(ask(shipped, "2201623", RXNORM))) == ["Esketamine nasal spray (Spravato)"]


def test_the_chronic_pain_code_finds_the_shipped_chronic_pain_topic_in_spanish(shipped):
    [entry] = entries(feed(ask(shipped, "G89.29", ICD10CM, **{"informationRecipient.languageCode.c": "es"})))
    assert entry.get(XML_LANG) == "es" and entry.findtext(f"{A}title") == "Ketamina por suero (infusiones) para el dolor crónico"
    assert all("/dist/es/ketamine-chronic-pain-" in link.get("href") for link in entry.findall(f"{A}link"))
