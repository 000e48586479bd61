"""What an editor meets: a new topic from the scaffold, the usual YAML slips, languages, watch."""

from __future__ import annotations

import re

import pytest

import build
from handouts import engine
from handouts.commands import check_report, console
from handouts.content.load import load
from handouts.engine import BuildReport
from handouts.project import Project
from test_editions import add_spanish


def examine(content):
    return engine.examine(Project(content, content.parent / "dist"))


def messages(content, code: str) -> list[str]:
    _, findings = examine(content)
    return [f"{f.location.path.name}:{f.location.line}: {f.message}" for f in findings if f.code == code]


# --- Starting a topic -------------------------------------------------------------------

def new_topic(content, capsys) -> None:
    assert build.main(["new", "topic", "lidocaine-patch", "--title", "Lidocaine: skin patches",
                       "--content", str(content)]) == 0
    capsys.readouterr()


def test_a_scaffolded_topic_is_refused_while_it_holds_placeholders(content, capsys):
    new_topic(content, capsys)
    assert build.main(["check", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    own = sorted(p.name for p in (content / "blocks").glob("lidocaine-patch-*.yaml"))
    assert len(own) == 7
    for name in own + ["lidocaine-patch.yaml"]:
        assert re.search(rf"{name}:\d+:\d+: error: placeholder \[\[.*\]\]: replace it", err), name
    # The universal blocks the library lacked were written too, and wait for their text as well.
    assert "when-to-get-help.yaml:4:3: error: placeholder" in err and "call-your-clinic.yaml:4:3" in err


def test_a_scaffolded_topic_passes_once_its_placeholders_are_replaced(content, capsys):
    new_topic(content, capsys)
    for path in [*content.glob("blocks/*.yaml"), content / "topics" / "lidocaine-patch.yaml"]:
        text = re.sub(r"\[\[[^\]]*\]\]", "You can ask your care team", path.read_text())
        path.write_text(text.replace("sources: []", "sources: [label]"))
    assert messages(content, "placeholder") == []
    library, _ = load(content)
    assert library.topics["lidocaine-patch"].value.title == "Lidocaine: skin patches"
    assert library.topics["lidocaine-patch"].value.handouts.overview[-2:] == ("when-to-get-help", "ask-me-3")


def test_new_topic_uses_the_librarys_own_universal_blocks(content, capsys):
    (content / "blocks" / "ask-me-3.yaml").write_text("title: Ask\nkind: questions\nbody: |\n  - Ours?\nsources: []\n")
    new_topic(content, capsys)
    assert (content / "blocks" / "ask-me-3.yaml").read_text().endswith("- Ours?\nsources: []\n")


@pytest.mark.parametrize("topic_id, message", [("test-medicine", "already exists"), ("Bad Id", "not a plain id")])
def test_new_topic_refuses_a_taken_or_bad_id_as_a_usage_error(content, capsys, topic_id, message):
    assert build.main(["new", "topic", topic_id, "--title", "T", "--content", str(content)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


# --- The usual YAML slips ---------------------------------------------------------------

def test_an_unquoted_colon_in_a_title_says_to_quote_it(content):
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("title: Test medicine", "title: Lidocaine: what to know"))
    assert messages(content, "yaml-syntax") == [
        "test-medicine.yaml:1: YAML syntax: line 1 has a second colon and a space inside its value; put the whole "
        "value in quotes: title: \"Lidocaine: what to know\""]


@pytest.mark.parametrize("body", ["body:\n  First line of text.\n  Second line.\n\n  Another paragraph.\n",
                                  "body:\n  - First item\n  - Second item\n"])
def test_a_body_without_its_bar_says_to_write_it(content, body):
    (content / "blocks" / "what-it-is.yaml").write_text(f"title: What it is\n{body}sources: [label]\n")
    assert messages(content, "no-pipe") == [
        "what-it-is.yaml:2: the body has no '|' after 'body:', so its line breaks and lists are lost (a '- ' list "
        "is read as part of the file's structure): write 'body: |' and keep the text indented under it"]


def risks_as_a_list(content, second_item_indent: int) -> None:
    """The topic's risks written as a list whose second item starts at another column than the first."""
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("  risks: [what-it-is, get-help]\n", "  risks:\n    - what-it-is\n"
                                               + " " * second_item_indent + "- get-help\n"))


def test_a_list_item_indented_less_than_the_one_above_names_the_line_and_column(content):
    risks_as_a_list(content, 3)
    assert messages(content, "yaml-syntax") == [
        "test-medicine.yaml:10: YAML syntax: the list item on line 10 starts at column 4; start every item of the "
        "list at the same column like the item above it (column 5)"]


def test_a_list_item_indented_more_than_the_one_above_is_one_plain_finding(content):
    risks_as_a_list(content, 6)
    found = messages(content, "indentation")
    assert found == ["test-medicine.yaml:9: handouts.risks.0: 'what-it-is - get-help' reads as one item: the '- ' "
                     "on the line after it is indented further than the item above; start every item of the list "
                     "at the same column"]
    _, findings = examine(content)
    assert [f.code for f in findings] == ["indentation"]  # no "unused block" echoes


def test_a_bare_text_file_says_what_a_block_file_needs(content):
    (content / "blocks" / "what-it-is.yaml").write_text("Test medicine helps some people.\nAsk your doctor.\n")
    assert messages(content, "plain-text") == [
        "what-it-is.yaml:1: this file holds plain text, but a block file needs title:, body: | (the text, indented "
        "by two spaces) and sources:. Start it with 'title: ' and put the text under 'body: |' (see the content "
        "guide in README.md)"]


def test_an_invisible_control_character_is_named_with_what_to_do(content):
    (content / "blocks" / "what-it-is.yaml").write_text("title: What it is\nbody: |\n  Helps\x07 some.\n"
                                                        "sources: [label]\n")
    assert messages(content, "unprintable") == [
        "what-it-is.yaml:3: the invisible character (U+0007 a control character) cannot be read: delete it (it often comes with "
        "text pasted from a web page or a word processor)"]


def test_a_symbol_the_font_lacks_is_named_with_a_printable_replacement(content):
    (content / "blocks" / "what-it-is.yaml").write_text("title: What it is\nbody: |\n  Go next door → room 2.\n"
                                                        "sources: [label]\n")
    assert messages(content, "no-glyph") == ["what-it-is.yaml:3: the handout font cannot print '→' (U+2192 "
                                             "RIGHTWARDS ARROW): write 'to' or 'then'"]


@pytest.mark.parametrize("old, new", [("handouts:", "handout:"), ("  overview:", "  overveiw:")])
def test_one_typo_in_a_topic_key_is_one_finding(content, old, new):
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace(old, new))
    _, findings = examine(content)
    assert [f.code for f in findings] == ["unknown-key"]
    assert f"did you mean '{old.strip(' :')}'?" in findings[0].message


# --- Languages --------------------------------------------------------------------------

def test_missing_translations_are_summarised_once_per_topic_and_language(project):
    add_spanish(project.content, skip=("how-given", "call-us"))
    _, findings = engine.examine(project)
    missing = [f for f in findings if f.code == "missing-translation"]
    assert len(missing) == 1
    assert missing[0].message.startswith("es: 3 of 5 blocks translated in 'test-medicine'; its Spanish handouts "
                                         "are not built until all are. Write ")
    assert "es/blocks/how-given.yaml (translates: " in missing[0].message
    assert "es/blocks/call-us.yaml (translates: " in missing[0].message


def english_only(content) -> None:
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("review:", "languages: [en]\nreview:"))


def test_strict_does_not_fail_a_topic_for_a_language_it_does_not_declare(project, capsys):
    add_spanish(project.content, skip=("how-given",))
    (project.content / "es" / "editorial").mkdir()
    (project.content / "es" / "editorial" / "required.yaml").write_text("[]\n")
    english_only(project.content)
    assert build.main(["check", "--content", str(project.content), "--strict"]) == 0
    assert "test-medicine: es: 4 of 5 blocks translated (not declared under languages:, so it prints in English " \
           "only)" in capsys.readouterr().out


def test_a_topic_in_english_only_is_not_printed_in_another_language(project):
    add_spanish(project.content)
    english_only(project.content)
    library, _ = engine.examine(project)
    jobs, _ = engine.jobs_for(project, library)
    assert {job.handout.lang for job in jobs} == {"en"}


def test_a_declared_language_the_site_does_not_build_is_an_error(content):
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("review:", "languages: [en, fr]\nreview:"))
    assert messages(content, "bad-language") == [
        "test-medicine.yaml:3: 'fr' is not one of the languages in site.yaml (en): add it there or remove it here"]


# --- Watch ------------------------------------------------------------------------------

def test_each_watch_cycle_prints_one_timestamped_line(capsys):
    console.show_report(BuildReport(printed=("en/a.pdf",)), "dist", stamp=True)
    console.show_report(BuildReport(), "dist", stamp=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all(re.fullmatch(r"\[\d\d:\d\d:\d\d\] Printed \d, unchanged 0, removed 0 handouts in dist/", line)
               for line in lines)


def test_the_check_report_counts_what_is_not_approved(content):
    library, findings = examine(content)
    assert "1 of them not approved" not in check_report.table(library, findings)
    assert "3 handouts, 3 of them not approved" in check_report.table(library, findings)


def test_watch_is_given_the_timestamped_report(monkeypatch, tmp_path, content):
    seen = []
    monkeypatch.setattr("handouts.commands.watch.watch", lambda project, options, on_report, progress:
                        seen.append(on_report) or on_report(BuildReport()))
    monkeypatch.setattr(console, "show_report", lambda report, out, stamp=False: seen.append(stamp))
    assert build.main(["watch", "--content", str(content), "--out", str(tmp_path / "dist")]) == 0
    assert seen[-1] is True


def test_a_stale_translation_of_an_undeclared_language_does_not_fail_strict(project):
    add_spanish(project.content)
    (project.content / "es" / "editorial").mkdir()
    (project.content / "es" / "editorial" / "required.yaml").write_text("[]\n")
    english_only(project.content)
    block = project.content / "blocks" / "get-help.yaml"
    block.write_text(block.read_text().replace("cannot breathe", "have trouble breathing"))
    _, findings = engine.examine(project, strict=True)
    assert [str(f) for f in findings] == []
