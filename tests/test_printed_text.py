"""What is checked is what prints: every text check reads the printed text, and the PDF agrees.

Each test writes the smallest content that once walked around a check, asserts the finding,
and reads the handout back from a real PDF (printed whatever the checks say) to show that
the text the checks read is the text on the page.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import build
from handouts import engine
from handouts.content.load import load
from handouts.content.printed import printed
from handouts.checks.handout_text import handout
from handouts.plan.jobs import Job, Selection, plan
from handouts.press.workers import make_one
from handouts.project import Project

BODY_AT = (3, 3)  # the fixture block's body starts at line 3, column 3


def block(content: Path, body: str) -> None:
    lines = "".join(f"  {line}\n" for line in body.split("\n"))
    (content / "blocks" / "what-it-is.yaml").write_text(f"title: What it is\nbody: |\n{lines}sources: [label]\n",
                                                        encoding="utf-8")


def errors(content: Path, code: str) -> list:
    _, found = engine.examine(Project(content=content, out=content.parent / "dist"))
    return [f for f in found if f.code == code and f.severity == "error"]


def where(finding) -> tuple[str, int, int]:
    return finding.location.path.name, finding.location.line, finding.location.column


def printed_pdf(content: Path, tier: str = "overview") -> bytes:
    """The handout's PDF, printed as it would be if the checks let it through."""
    project = Project(content=content, out=content.parent / "dist")
    library, _ = load(content)
    job = next(j for j in plan(library, project, Selection(f"test-medicine/{tier}", "en")) if isinstance(j, Job))
    return make_one(job, project).result.pdf


def page_text(content: Path, tier: str = "overview") -> str:
    """The handout's text read back from its PDF."""
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(printed_pdf(content, tier))).pages)


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def seen(body: str) -> str:
    """What the checks read of a body."""
    return squash(printed(body, markdown=True).text)


def test_character_references_are_read_as_the_letters_they_print(content):
    body = "&#98;uy it online without prescripti&#111;n"
    block(content, body)
    found = sorted(errors(content, "forbidden"))
    assert [where(f) for f in found] == [("what-it-is.yaml", 3, 3), ("what-it-is.yaml", 3, 21)]
    assert "'without prescription'" in found[1].message
    assert seen(body) == "buy it online without prescription"
    assert seen(body) in squash(page_text(content))


def test_a_bidi_control_written_as_a_reference_is_refused(content):
    body = "Call &#x202E;911&#x202C; now."
    block(content, body)
    [found] = errors(content, "invisible")
    assert where(found) == ("what-it-is.yaml", 3, 8)
    assert "U+202E (right-to-left override)" in found.message
    assert seen(body) == "Call 911 now."  # what the checks read ...
    assert "Call 119 now." in squash(page_text(content))  # ... is not what prints: refused


def test_a_zero_width_space_inside_a_word_is_refused_and_the_word_still_read(content):
    body = "b&#x200B;uy it"
    block(content, body)
    assert [where(f) for f in errors(content, "invisible")] == [("what-it-is.yaml", 3, 4)]
    assert [where(f) for f in errors(content, "forbidden")] == [("what-it-is.yaml", 3, 3)]
    assert "buy it" in squash(page_text(content))


def test_a_letter_the_font_lacks_written_as_a_reference_is_refused(content):
    block(content, "Take it &#1091;p.")
    [found] = errors(content, "no-glyph")
    assert where(found) == ("what-it-is.yaml", 3, 11)
    assert "'у' (U+0443 CYRILLIC SMALL LETTER U)" in found.message
    assert "Take it уp." in squash(page_text(content))


def test_a_phrase_split_across_a_link_is_read_whole(content):
    body = "b[u](https://example.org)y now"
    block(content, body)
    assert [where(f) for f in errors(content, "forbidden")] == [("what-it-is.yaml", 3, 3)]
    assert seen(body) == "buy now"
    assert seen(body) in squash(page_text(content))


def test_a_forbidden_phrase_in_a_source_title_is_found(content):
    (content / "sources.yaml").write_text("label:\n  author: Test Agency\n  title: Buy it online today\n"
                                          "  year: 2024\n")
    [found] = errors(content, "forbidden")
    assert where(found) == ("sources.yaml", 3, 10)
    assert "Buy it online today" in squash(page_text(content))


def test_a_forbidden_phrase_in_the_strings_around_the_content_is_found(content):
    strings = content / "strings.yaml"
    strings.write_text(strings.read_text().replace("draft_footer: ", "draft_footer: No prescription needed. "))
    [found] = errors(content, "forbidden")
    assert found.location.path.name == "strings.yaml"
    assert "No prescription needed." in squash(page_text(content))


def test_a_bidi_control_in_the_clinic_profile_is_refused(content):
    clinic = content / "clinic.yaml"
    clinic.write_text(clinic.read_text().replace('phone: "555-0100"', 'phone: "555-\u202e0100"'))
    [found] = errors(content, "invisible")
    assert where(found) == ("clinic.yaml", 2, 12)
    assert "555-0010" in page_text(content)  # what it would print: the digits reversed


@pytest.mark.parametrize("body, rule", [
    ("0rder 0nl1ne today", "sales"),                        # leetspeak digits
    ("Purchase it here.", "sales-family"),                  # a synonym
    ("No doctor's prescription needed.", "prescription-family"),
    ("Compralo hoy.", "sales-family"),                      # a Spanish verb form, its accent left off
    ("Most people have no side effects at all.", "absolute-claims"),  # an excuse cannot cover it
    ("It is a \u0441ure.", "cure"),                         # a Cyrillic "с" in "cure"
])
def test_forbidden_families_are_caught_whatever_the_spelling(content, body, rule):
    block(content, body)
    [found] = errors(content, "forbidden")
    assert f"(forbidden.yaml: {rule})" in found.message
    assert seen(body) in squash(page_text(content))


def test_a_required_message_written_as_references_counts_as_it_prints(content):
    (content / "editorial" / "required.yaml").write_text("- name: call 911\n  handouts: ['*/overview']\n"
                                                         "  any: ['call 911']\n")
    block(content, "Call &#57;11 now.")
    (content / "blocks" / "get-help.yaml").write_text("title: Help\nkind: urgent\nbody: Ask us.\nsources: [label]\n")
    assert errors(content, "missing-message") == []
    assert "Call 911 now." in squash(page_text(content))


def test_a_fill_in_value_with_a_bidi_control_is_a_usage_error(project, capsys):
    code = build.main(["--content", str(project.content), "--out", str(project.out.parent / "rosa"),
                       "--only", "test-medicine/overview", "--fill", "patient_name=Rosa \u202eQ."])
    assert code == 2
    err = capsys.readouterr().err
    assert "U+202E" in err and len(err.strip().splitlines()) == 1


# --- What the checks accept is what prints, for generated hostile text ----------------------

PHRASE, REQUIRED = "buy online", "call 911"
_LOOKALIKE = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440", "y": "\u0443"}
_LEET = {"o": "0", "i": "1", "e": "3", "a": "4"}


def _disguise(char: str, how: str) -> str:
    return {
        "keep": char,
        "decimal": f"&#{ord(char)};",
        "hex": f"&#x{ord(char):x};",
        "zero-width": char + "\u200b",
        "bidi": "\u202e" + char + "\u202c",
        "lookalike": _LOOKALIKE.get(char, char),
        "leet": _LEET.get(char, char),
        "emphasis": f"*{char}*" if char.strip() else char,
        "link": f"[{char}](https://example.org)" if char.strip() else char,
    }[how]


HOWS = ["keep", "decimal", "hex", "zero-width", "bidi", "lookalike", "leet", "emphasis", "link"]


def _hostile(palette: list[str]):
    """The phrase and the required message, each character disguised in one of the palette's ways."""
    way = st.sampled_from(["keep", *palette])
    return st.tuples(st.lists(way, min_size=len(PHRASE), max_size=len(PHRASE)),
                     st.lists(way, min_size=len(REQUIRED), max_size=len(REQUIRED)))


def _letters(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())


def checked_body(content: Path) -> str:
    """The body as the checks read it (the handout's pieces, as the editorial checks take them)."""
    library, _ = load(content)
    piece = next(p for p in handout(library, "test-medicine", "overview").pieces
                 if p.block == "what-it-is" and p.field == "body")
    return squash(piece.printed.text)


@given(st.lists(st.sampled_from(HOWS), min_size=1, max_size=2, unique=True).flatmap(_hostile))
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_what_the_checks_accept_is_what_prints(content, hows):
    phrase_hows, required_hows = hows
    (content / "editorial" / "required.yaml").write_text("- name: call 911\n  handouts: ['*/overview']\n"
                                                         "  any: ['call\\s*911']\n")
    hostile_phrase = "".join(_disguise(c, h) for c, h in zip(PHRASE, phrase_hows))
    hostile_required = "".join(_disguise(c, h) for c, h in zip(REQUIRED, required_hows))
    block(content, f"Do not {hostile_phrase} today. {hostile_required} now.")
    (content / "blocks" / "get-help.yaml").write_text("title: Help\nkind: urgent\nbody: Ask us.\nsources: [label]\n")
    _, found = engine.examine(Project(content=content, out=content.parent / "dist"))
    refused = {f.code for f in found if f.severity == "error"}
    page = squash(page_text(content))
    if "invisible" not in refused:
        assert checked_body(content) in page  # with nothing invisible, the checks read exactly what prints
    if not refused & {"invisible", "no-glyph", "forbidden"}:  # accepted: an independent reading of the page
        assert _letters(PHRASE) not in _letters(page)
    if not refused & {"invisible", "no-glyph", "missing-message"}:
        assert "call 911" in page.casefold()


def test_an_http_link_is_refused_and_prints_as_the_checks_read_it(content):
    body = "See [our page](http://example.org)."
    block(content, body)
    [found] = errors(content, "markup")
    assert where(found) == ("what-it-is.yaml", 3, 3)
    assert "use an https://, tel: or mailto: address" in found.message
    assert seen(body) == "See [our page](http://example.org)."  # not a link: the renderer prints it as typed
    assert seen(body) in squash(page_text(content))


def test_an_http_source_address_is_refused(content):
    (content / "sources.yaml").write_text("label:\n  author: Test Agency\n  title: Label\n  year: 2024\n"
                                          "  url: http://example.org/label\n")
    _, found = load(content)
    assert any("label.url" in str(f) and "starting with https://" in str(f) for f in found)


def _words_beyond_the_page(pdf: bytes, tmp_path: Path) -> list[str]:
    """Words whose box ends past the page's right edge, from poppler's own layout (pdftotext -bbox)."""
    (tmp_path / "h.pdf").write_bytes(pdf)
    boxes = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "h.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    return [word for x_max, word in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">'
                                               r'([^<]*)</word>', boxes) if float(x_max) > width]


@pytest.mark.parametrize("where", ["body", "title"])
def test_a_word_longer_than_a_line_is_reported_and_broken_never_cut_off(content, tmp_path, where):
    token = "x" * 240
    if where == "body":
        block(content, f"Take {token} now.")
    else:
        topic = content / "topics" / "test-medicine.yaml"
        topic.write_text(topic.read_text().replace("title: Test medicine", f"title: Test {token}"))
    _, found = engine.examine(Project(content=content, out=content.parent / "dist"))
    [long_word] = [f for f in found if f.code == "long-word"]
    assert "a word of 240 characters" in long_word.message
    pdf = printed_pdf(content)
    assert _words_beyond_the_page(pdf, tmp_path) == []
    page = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert token in re.sub(r"\s+", "", page)  # every letter on the page, in order
