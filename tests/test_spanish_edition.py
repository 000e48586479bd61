"""The Spanish edition as a Spanish reader meets it: reading ease, sentence length, the glossary,
the sources' dates and language, and the PDF's author (issue 22)."""

from __future__ import annotations

import datetime
import shutil

import pikepdf
import pytest
import yaml

from conftest import write_library
from test_editions import add_spanish, text_of
from handouts import engine
from handouts.checks import editorial
from handouts.checks.reading_grade import count, grade, inflesz_band
from handouts.commands import check_report
from handouts.content.load import load
from handouts.engine import BuildOptions
from handouts.press.render import shared_language, source_date
from handouts.project import HOME, Project

TODAY = datetime.date(2026, 11, 30)
LONG = "Llame a su clínica si tiene dolor o sangre al orinar, o si tiene la piel o los ojos amarillos."  # 20 words
SHORT = "Llame a su clínica si tiene dolor o sangre al orinar, o si tiene la piel o ojos amarillos."  # 19 words


def spanish_block(content, block_id: str, body: str) -> None:
    path = content / "es" / "blocks" / f"{block_id}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    path.write_text(f"translates: {data['translates']}\ntitle: {data['title']}\nbody: |\n  {body}\n", encoding="utf-8")


def set_tier(content, tier: str, **settings) -> None:
    site = yaml.safe_load((content / "site.yaml").read_text())
    site["tiers"][tier].update(settings)
    (content / "site.yaml").write_text(yaml.safe_dump(site, allow_unicode=True))


@pytest.fixture
def spanish(content):
    """The test library with its Spanish translation and the shipped Spanish glossary."""
    add_spanish(content)
    (content / "es" / "editorial").mkdir()
    shutil.copy(HOME / "content" / "es" / "editorial" / "glossary.yaml", content / "es" / "editorial")
    return content


def findings(content):
    library, found = load(content)
    assert library is not None, [str(f) for f in found]
    return editorial.check(library, TODAY)


# --- Reading ease ---------------------------------------------------------------------------

@pytest.mark.parametrize("score, band", [(85, "muy fácil"), (70.9, "bastante fácil"), (60, "normal"),
                                         (45, "algo difícil"), (30, "muy difícil")])
def test_inflesz_bands(score, band):
    assert inflesz_band(score) == band


def test_spanish_grade_carries_the_inflesz_score():
    level = grade(count("El gato se sentó. Estaba feliz.", "es"), "es")
    assert level.inflesz is not None and level.inflesz_band


def test_a_spanish_handout_below_its_fernandez_huerta_limit_is_an_error(spanish):
    set_tier(spanish, "overview", min_fernandez_huerta=119)
    found = [f for f in findings(spanish) if f.code == "reading-level"]
    assert len(found) == 1 and "test-medicine/overview (es) reads at Fernandez-Huerta" in found[0].message
    assert "min_fernandez_huerta" in found[0].message and found[0].location.path.name == "test-medicine.yaml"


def test_a_spanish_handout_below_its_inflesz_limit_is_an_error(spanish):
    set_tier(spanish, "risks", min_inflesz=119)
    found = [f for f in findings(spanish) if f.code == "reading-level"]
    assert len(found) == 1 and "test-medicine/risks (es)" in found[0].message and "min_inflesz" in found[0].message


def test_the_report_gives_spanish_handouts_their_ease_scores_and_limits(spanish):
    set_tier(spanish, "overview", min_fernandez_huerta=119, min_inflesz=60)
    library, _ = load(spanish)
    lines = check_report.table(library, findings(spanish), today=TODAY).splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("handout") and "F-Huerta" in line)
    assert lines[header].split()[:6] == ["handout", "F-Huerta", "min", "INFLESZ", "min", "band"]
    row = next(line for line in lines if line.startswith("test-medicine/overview (es)")).split()
    assert row[2].endswith("!") and row[3] == "119" and row[5] == "60"  # below 119: marked; 60 met


# --- Sentences and the glossary -------------------------------------------------------------

def test_a_spanish_sentence_of_20_words_or_more_is_long(spanish):
    spanish_block(spanish, "what-it-is", LONG)
    found = [f for f in findings(spanish) if f.code == "long-sentence"]
    assert [(f.location.path.name, f.location.line) for f in found] == [("what-it-is.yaml", 4)]
    assert "sentence of 20 words (the limit is 19)" in found[0].message


def test_a_spanish_sentence_of_19_words_is_not(spanish):
    spanish_block(spanish, "what-it-is", SHORT)
    assert [f for f in findings(spanish) if f.code == "long-sentence"] == []


def test_an_english_sentence_of_25_words_is_not(content):
    (content / "blocks" / "what-it-is.yaml").write_text(
        "title: What it is\nbody: |\n  Call your clinic if you have pain or blood when you pee, or if your skin "
        "or eyes look yellow for more than a day.\nsources: [label]\n")  # 25 words
    assert [f for f in findings(content) if f.code == "long-sentence"] == []


def test_a_glossary_word_without_its_plain_words_is_a_warning(spanish):
    spanish_block(spanish, "what-it-is", "Se da en infusión en la clínica.")
    found = [f for f in findings(spanish) if f.code == "glossary"]
    assert len(found) == 1 and (found[0].location.line, found[0].location.column) == (4, 12)
    assert "'infusión'" in found[0].message and "por suero (infusión)" in found[0].message


def test_a_glossary_word_with_its_plain_words_is_not(spanish):
    spanish_block(spanish, "what-it-is", "Se da por suero (infusión) en la clínica.")
    assert [f for f in findings(spanish) if f.code == "glossary"] == []


def test_the_shipped_glossary_loads():
    library, found = load(HOME / "content")
    glossary = library.translations["es"].glossary
    assert glossary is not None and {"infusión", "off-label", "derrame cerebral", "compuesto"} <= set(glossary.value)
    assert [f for f in found if "glossary" in str(f.location.path)] == []


# --- Sources and metadata -------------------------------------------------------------------

@pytest.mark.parametrize("identifier, lang, shown", [
    ("February 16, 2022", "es", "16 de febrero de 2022"),
    ("64 FR 37673, July 13, 1999", "es", "64 FR 37673, 13 de julio de 1999"),
    ("Version of January 27, 2025", "es", "Version of January 27, 2025"),  # a date inside English wording
    ("February 16, 2022", "en", "February 16, 2022"),
    ("109(2):536-546", "es", "109(2):536-546")])
def test_a_date_that_stands_as_the_identifier_is_written_in_the_handouts_language(identifier, lang, shown):
    assert source_date(identifier, lang) == shown


class Cited:
    def __init__(self, language):
        self.language = language


def test_sources_share_a_language_only_when_all_are_in_one_other_language():
    assert shared_language((("a", Cited("en")), ("b", Cited("en"))), "es") == "en"
    assert shared_language((("a", Cited("en")), ("b", Cited("es"))), "es") == ""
    assert shared_language((("a", Cited("en")),), "en") == ""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The test library in English and Spanish, its source dated, printed once."""
    root = tmp_path_factory.mktemp("spanish")
    content = write_library(root)
    (content / "sources.yaml").write_text("label:\n  author: Test Agency\n  title: Test drug label\n  year: 2022\n"
                                          "  identifier: February 16, 2022\n")
    add_spanish(content)
    project = Project(content=content, out=root / "dist")
    assert engine.build(project, BuildOptions(jobs=1, only="test-medicine/risks")).ok
    return project.out


def test_spanish_sources_say_they_are_in_english_and_give_the_date_in_spanish(built):
    text = text_of(built / "es" / "test-medicine-risks.pdf")
    assert "Fuentes (en inglés)" in text and "16 de febrero de 2022" in text


def test_english_sources_keep_the_english_date(built):
    text = text_of(built / "en" / "test-medicine-risks.pdf")
    assert "February 16, 2022" in text and "inglés" not in text


def test_the_spanish_pdf_author_is_in_spanish_when_the_clinic_has_no_name(tmp_path):
    content = write_library(tmp_path)
    (content / "clinic.yaml").write_text('name: ""\n')
    add_spanish(content)
    project = Project(content=content, out=tmp_path / "dist")
    assert engine.build(project, BuildOptions(jobs=1, only="test-medicine/overview")).ok
    with pikepdf.open(project.out / "es" / "test-medicine-overview.pdf") as pdf:
        assert str(pdf.docinfo["/Author"]) == "Equipo de educación para pacientes"
    with pikepdf.open(project.out / "en" / "test-medicine-overview.pdf") as pdf:
        assert str(pdf.docinfo["/Author"]) == "Test team"
