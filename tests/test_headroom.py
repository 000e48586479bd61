"""Room for any clinic: the whole shipped library with the longest realistic clinic profile.

The profile (tests/fixtures/long-clinic/) has a 60-character name, an SVG logo, two phones,
a two-line address, a web site, fasting and arrival rules of two sentences each, and the
site's web_address is set, so every handout carries its QR code. Every handout, in both
languages, variants and page sizes, and every packet, must still fit its page limit.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from handouts import engine
from handouts.engine import BuildOptions
from handouts.project import HOME, Project

FIXTURE = Path(__file__).parent / "fixtures" / "long-clinic"
WEB_ADDRESS = "https://handouts.riverside-pain-and-mood-clinic.example.org"


def long_clinic_library(root: Path) -> Path:
    content = root / "content"
    shutil.copytree(HOME / "content", content)
    shutil.copy(FIXTURE / "clinic.yaml", content / "clinic.yaml")
    shutil.copytree(FIXTURE / "images", content / "images", dirs_exist_ok=True)
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace('web_address: ""', f'web_address: "{WEB_ADDRESS}"'),
                    encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("long-clinic")
    project = Project(content=long_clinic_library(root), out=root / "dist")
    report = engine.build(project, BuildOptions(jobs=2))
    return project, report


def test_the_fixture_is_the_longest_realistic_profile():
    clinic = yaml.safe_load((FIXTURE / "clinic.yaml").read_text(encoding="utf-8"))
    assert len(clinic["name"]) == 60
    assert clinic["phone"] and clinic["after_hours_phone"] and clinic["website"]
    assert len(clinic["address"].splitlines()) == 2
    for rule in ("fasting", "arrival"):
        assert clinic[rule].count(". ") == 1 and clinic[rule].endswith(".")
        assert len(clinic["translations"]["es"][rule]) > len(clinic[rule])  # the Spanish runs longer
    assert len(clinic["translations"]["es"]["after_hours_phone"]) >= len(clinic["after_hours_phone"])
    assert (FIXTURE / clinic["logo"]).is_file()


def test_the_whole_library_builds_with_the_long_profile_and_the_qr_code(built):
    project, report = built
    assert report.ok, "\n".join(map(str, report.findings))
    manifest = json.loads((project.out / "manifest.json").read_text())["handouts"]
    site = yaml.safe_load((project.content / "site.yaml").read_text(encoding="utf-8"))
    kinds = {(e["lang"], e["variant"], e["page_size"], e["tier"]) for e in manifest}
    assert {lang for lang, *_ in kinds} == set(site["languages"])
    assert {variant for _, variant, *_ in kinds} == set(site["variants"])
    assert {size for _, _, size, _ in kinds} == set(site["page_sizes"])
    assert any(tier == "packet" for *_, tier in kinds)


def test_every_handout_fits_its_page_limit_read_back_from_the_pdf(built):
    project, report = built
    site = yaml.safe_load((project.content / "site.yaml").read_text(encoding="utf-8"))
    manifest = json.loads((project.out / "manifest.json").read_text())["handouts"]
    standard = [e for e in manifest if e["variant"] == "standard" and e["tier"] != "packet"]
    assert len(standard) == 4 * 3 * 2 * 2
    for entry in standard:
        pages = len(PdfReader(project.out / entry["pdf"]).pages)
        assert pages <= site["tiers"][entry["tier"]]["max_pages"], entry["pdf"]


def test_every_handout_carries_the_long_clinic_name_and_its_qr_address(built):
    project, _ = built
    pages = [page.extract_text() for page in PdfReader(project.out / "es" / "esketamine-risks-a4.pdf").pages]
    assert "Riverside Interventional Pain, Mood and Ketamine Care Clinic" in " ".join(pages[0].split())
    assert f"{WEB_ADDRESS}/es/esketamine-risks-a4.html" in "".join(pages).replace("\n", "")


def test_each_handout_reports_the_free_share_of_its_last_page(built):
    project, _ = built
    manifest = json.loads((project.out / "manifest.json").read_text())["handouts"]
    for entry in manifest:
        if entry["tier"] == "packet":
            assert entry["headroom"] is None
        else:
            assert 0 <= entry["headroom"] < 1, entry["pdf"]


def test_the_packet_ends_with_the_full_list_of_sources_and_their_addresses(built):
    project, _ = built
    reader = PdfReader(project.out / "en" / "esketamine-packet.pdf")
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Sources" in last and "https://" in last
    handout = " ".join(page.extract_text() for page in PdfReader(project.out / "en" / "esketamine-risks.pdf").pages)
    assert "dailymed.nlm.nih.gov" not in handout  # on the handout itself: compact, numbered
