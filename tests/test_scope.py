"""Rules that fit the topic: tags choose the editorial rules, exemptions are named and shown."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

import build
from handouts import engine
from handouts.checks import scope
from handouts.commands import check_report
from handouts.content.load import load
from handouts.project import HOME, Project

FIXTURE = Path(__file__).parent / "fixtures" / "nitrous-oxide"
NITROUS = "nitrous-oxide-labour"


@pytest.fixture(scope="module")
def shipped_with_nitrous(tmp_path_factory) -> Path:
    """A copy of the shipped library with the nitrous-oxide topic added as an editor added it."""
    content = tmp_path_factory.mktemp("nitrous") / "content"
    shutil.copytree(HOME / "content", content)
    for folder in ("blocks", "topics"):
        for path in (FIXTURE / folder).glob("*.yaml"):
            shutil.copy(path, content / folder / path.name)
    sources = content / "sources.yaml"
    sources.write_text(sources.read_text() + "\n" + (FIXTURE / "sources.yaml").read_text())
    return content


@pytest.fixture(scope="module")
def examined(shipped_with_nitrous):
    return engine.examine(Project(shipped_with_nitrous, shipped_with_nitrous.parent / "dist"), strict=True)


def test_a_topic_that_is_not_about_ketamine_passes_strict_beside_the_shipped_library(examined):
    _, findings = examined
    assert [str(f) for f in findings] == []


def test_no_ketamine_or_sedation_rule_is_asked_of_the_nitrous_oxide_topic(examined):
    library, _ = examined
    topic = library.topics[NITROUS].value
    asked = {r.name for r in library.editorial.required.value for tier in ("overview", "expectations", "risks")
             if scope.requirement_covers(r, NITROUS, topic, tier)}
    for rule in library.editorial.required.value:
        if set(rule.tags) & {"ketamine", "sedation", "depression"}:
            assert rule.name not in asked
    # The universal ones still are.
    assert {"when to call 911", 'Ask Me 3: "What is my main problem?"', "where to learn more",
            "who to call with a problem or question (your clinic)"} <= asked


def test_the_universal_messages_are_still_required_of_a_topic_with_its_own_tags(shipped_with_nitrous, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(shipped_with_nitrous, content)
    block = content / "blocks" / "ask-me-3.yaml"
    block.write_text(block.read_text().replace("  - What do I need to do?\n", ""))
    _, findings = engine.examine(Project(content, tmp_path / "dist"))
    missing = {f.message.split(" does not say")[0] for f in findings if f.code == "missing-message"}
    assert f"{NITROUS}/overview" in missing and "esketamine/overview" in missing


def test_deleting_a_tagged_message_from_a_shipped_block_is_still_caught(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(HOME / "content", content)
    library, _ = load(content)
    rule = next(r for r in library.editorial.required.value if r.name == "arrange a ride home")
    assert "sedation" in rule.tags
    facts = yaml.safe_load((content / "facts.yaml").read_text())
    for block_id in library.topics["ketamine-anesthesia"].value.handouts.expectations:
        path = content / "blocks" / f"{block_id}.yaml"
        # This topic's blocks say it in their own words: facts written once are spelled out here only.
        text = re.sub(r"\[\[([a-z0-9-]+)\]\]", lambda m: facts[m.group(1)], path.read_text())
        for pattern in rule.any:
            text = re.sub(pattern, "someone", text, flags=re.IGNORECASE)
        path.write_text(text)
    _, findings = engine.examine(Project(content, tmp_path / "dist"))
    found = [f for f in findings if f.code == "missing-message" and "arrange a ride home" in f.message]
    assert [f.message.split(" does not say")[0] for f in found] == ["ketamine-anesthesia/expectations"]
    assert found[0].location.path.name == "ketamine-anesthesia.yaml"
    assert "It is asked of topics tagged sedation" in found[0].message


LIDOCAINE = "Lidocaine cream is not habit forming."


@pytest.mark.parametrize("tags, refused", [("[medicine]", False), ("[ketamine, medicine]", True)])
def test_a_forbidden_entry_with_tags_applies_only_to_topics_with_those_tags(content, tags, refused):
    (content / "blocks" / "what-it-is.yaml").write_text(f"title: What it is\nbody: |\n  {LIDOCAINE}\n"
                                                        "sources: [label]\n")
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("review:", f"tags: {tags}\nreview:"))
    _, findings = engine.examine(Project(content, content.parent / "dist"))
    assert bool([f for f in findings if f.code == "forbidden"]) is refused


REQUIRED = """\
- name: no alcohol afterwards
  handouts: ["*/expectations"]
  tags: [sedation]
  any: ['alcohol']
- name: when to call 911
  handouts: ["*/overview", "*/risks"]
  any: ['\\b911\\b']
"""


def tagged(content: Path, tags: str, exemptions: str = "") -> None:
    (content / "editorial" / "required.yaml").write_text(REQUIRED)
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("review:", f"tags: {tags}\n{exemptions}review:"))


def test_a_tagged_required_message_applies_to_a_topic_with_the_tag(content):
    tagged(content, "[sedation]")
    _, findings = engine.examine(Project(content, content.parent / "dist"))
    assert [f.message.split(".")[0] for f in findings if f.code == "missing-message"] == [
        "test-medicine/expectations does not say: no alcohol afterwards"]


def test_an_exemption_is_honoured_and_the_report_shows_it_with_its_reason(content, capsys):
    tagged(content, "[sedation]", 'exemptions:\n  "no alcohol afterwards": given awake, with no sedation\n')
    assert build.main(["check", "--content", str(content), "--strict"]) == 0
    out = capsys.readouterr().out
    assert "test-medicine: exempt from 'no alcohol afterwards': given awake, with no sedation (" in out
    assert re.search(r"test-medicine\.yaml:\d+\)", out)


def test_a_universal_rule_cannot_be_exempted(content):
    tagged(content, "[sedation]", 'exemptions:\n  "when to call 911": we have no phone\n')
    _, findings = engine.examine(Project(content, content.parent / "dist"))
    bad = [f for f in findings if f.code == "bad-exemption"]
    assert [f.message for f in bad] == ["'when to call 911' is asked of every topic and cannot be exempted: add the "
                                        "message to the topic's blocks"]


def test_an_exemption_naming_no_rule_is_an_error_at_its_line(content):
    tagged(content, "[sedation]", 'exemptions:\n  "no alcohol after": typo\n')
    _, findings = engine.examine(Project(content, content.parent / "dist"))
    bad = [f for f in findings if f.code == "bad-exemption"]
    assert [(f.location.path.name, f.location.line) for f in bad] == [("test-medicine.yaml", 5)]
    assert bad[0].message.startswith("no rule named 'no alcohol after'; did you mean 'no alcohol afterwards'?")


def test_a_topic_without_tags_is_asked_to_choose_them(content):
    (content / "editorial" / "required.yaml").write_text(REQUIRED)
    _, findings = engine.examine(Project(content, content.parent / "dist"))
    assert [f.message for f in findings if f.code == "no-tags"] == [
        "'test-medicine' declares no tags, so only the universal rules (911, who to call, Ask Me 3) check it: list "
        "the ones that fit it under tags: (in use: sedation)"]


def test_the_report_lists_exemptions_of_the_shipped_fixture(shipped_with_nitrous, examined):
    library, findings = examined
    lines = check_report.notes(library)
    assert any(line.startswith(f"{NITROUS}: exempt from 'whether the FDA has approved it for this use': no "
                               "authoritative source") for line in lines)
