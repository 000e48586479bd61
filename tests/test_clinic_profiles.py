"""One clinic profile's slip holds back only the handouts printed with it (engine._concerns):
a health system's other clinics, and the default profile, still publish."""

from __future__ import annotations

from handouts import engine
from handouts.engine import BuildOptions
from handouts.project import Project

from conftest import CLINIC
from test_editions import add_spanish

UNTRANSLATED = CLINIC + "after_hours_phone: \"555-0199, press 2 for the nurse on call\"\n"


def profiles(content, **texts) -> None:
    (content / "clinics").mkdir(exist_ok=True)
    for name, text in texts.items():
        (content / "clinics" / f"{name}.yaml").write_text(text)


def pdfs(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.pdf"))


def test_clinic_all_publishes_the_good_profiles_and_not_the_one_in_error(project):
    add_spanish(project.content)
    profiles(project.content, good=CLINIC, wrong=UNTRANSLATED.replace("after_hours_phone: \"\"\n", ""))
    reports = dict((each.out.name, report) for each, report in engine.build_clinics(project, BuildOptions(jobs=1)))
    assert reports["good"].ok and pdfs(project.out / "clinics" / "good")
    assert [f.code for f in reports["wrong"].findings if f.severity == "error"] == ["untranslated-clinic"]
    assert not (project.out / "clinics" / "wrong").exists()


def test_clinic_all_reports_a_profile_that_does_not_load(project):
    profiles(project.content, good=CLINIC, broken="name: [Lakeside\n")
    reports = dict((each.out.name, report) for each, report in engine.build_clinics(project, BuildOptions(jobs=1)))
    assert reports["good"].ok and pdfs(project.out / "clinics" / "good")
    assert not reports["broken"].ok and reports["broken"].findings[0].location.path.name == "broken.yaml"
    assert not (project.out / "clinics" / "broken").exists()


def test_the_default_profile_builds_when_another_profile_is_in_error(project):
    profiles(project.content, wrong="name: [Lakeside\n")
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok and report.findings == () and pdfs(project.out)


def test_a_named_profile_in_error_publishes_nothing(project):
    profiles(project.content, wrong="name: [Lakeside\n")
    out = Project(project.content, project.out / "clinics" / "wrong", project.root)
    report = engine.build(out, BuildOptions(jobs=1, clinic="wrong"))
    assert not report.ok and report.findings[0].location.path.name == "wrong.yaml"
    assert not out.out.exists() or not pdfs(out.out)


def test_a_default_profile_that_does_not_load_stops_a_build_for_another_clinic(project):
    profiles(project.content, good=CLINIC)
    (project.content / "clinic.yaml").write_text("name: [Lakeside\n")
    report = engine.build(project, BuildOptions(jobs=1, clinic="good"))
    assert not report.ok and report.findings[0].location.path.name == "clinic.yaml"
