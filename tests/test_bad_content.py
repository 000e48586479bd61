"""Bad content: each problem is one finding at the right line, exit code 1, no traceback."""

from __future__ import annotations

import pytest

import build
from conftest import write


def run(capsys, *args: str) -> tuple[int, str]:
    code = build.main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


def check(capsys, content) -> tuple[int, str]:
    return run(capsys, "check", "--content", str(content))


def test_clean_library_passes(capsys, content):
    assert check(capsys, content) == (0, "")


def test_duplicate_key_is_an_error_at_the_second_key(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", """\
        title: What it is
        body: First body.
        sources: [label]
        body: Second body.
        """)
    code, err = check(capsys, content)
    assert code == 1
    assert "blocks/what-it-is.yaml:4:1: error: duplicate key 'body' (first written at line 2)" in err


def test_unknown_key_suggests_the_right_one(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", "title: What it is\nbdy: Text.\nsources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert "what-it-is.yaml:2:1: error: unknown key 'bdy'; did you mean 'body'? (unknown-key)" in err


def test_wrong_type_names_what_was_expected(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", "title: [a, list]\nbody: Text.\nsources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert "what-it-is.yaml:1:8: error: title: expected text, got a list (wrong-type)" in err


def test_missing_required_key(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", "title: What it is\nsources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert "what-it-is.yaml:1:1: error: missing required key 'body' (missing-key)" in err


def test_topic_naming_a_missing_block(capsys, content):
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("overview: [what-it-is, get-help]", "overview: [what-it-is, gone]"))
    code, err = check(capsys, content)
    assert code == 1
    assert "test-medicine.yaml:6:26: error: no block 'gone'" in err


def test_block_citing_a_missing_source(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", "title: What it is\nbody: Text.\nsources:\n  - label\n  - nope\n")
    code, err = check(capsys, content)
    assert code == 1
    assert "what-it-is.yaml:5:5: error: no source 'nope' in sources.yaml" in err


@pytest.mark.parametrize("bad", ["../etc/passwd", "Big-Id", "a_b"])
def test_reference_that_is_not_a_plain_id(capsys, content, bad):
    topic = content / "topics" / "test-medicine.yaml"
    topic.write_text(topic.read_text().replace("risks: [what-it-is, get-help]", f"risks: [what-it-is, '{bad}']"))
    code, err = check(capsys, content)
    assert code == 1
    assert f"test-medicine.yaml:8:23: error: handouts.risks.1: '{bad}' is not a plain id" in err


def test_file_name_that_is_not_a_plain_id(capsys, content):
    write(content / "blocks" / "Not An Id.yaml", "title: T\nbody: B\nsources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert "Not An Id.yaml:1:1: error: 'Not An Id' is not a plain id" in err


def test_malformed_yaml_points_at_the_problem(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", "title: What it is\nbody: [unclosed\nsources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert "what-it-is.yaml:3:" in err and "YAML syntax" in err


def test_non_utf8_file_names_the_line(capsys, content):
    (content / "blocks" / "what-it-is.yaml").write_bytes(b"title: What it is\nbody: caf\xe9\nsources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert "what-it-is.yaml:2:10: error: the file is not UTF-8 text" in err


def test_raw_html_in_a_body_is_refused(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", """\
        title: What it is
        body: |
          A first line.
          Some <b>bold</b> words.
        sources: [label]
        """)
    code, err = check(capsys, content)
    assert code == 1
    assert "what-it-is.yaml:4:3: error: block bodies may not contain raw HTML" in err


@pytest.mark.parametrize("src", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "../../secret.png"])
def test_image_from_outside_the_content_is_refused(capsys, content, src):
    write(content / "blocks" / "what-it-is.yaml", f"title: What it is\nbody: |\n  ![a chart]({src})\nsources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert f"what-it-is.yaml:3:3: error: image '{src}' is not allowed" in err


def test_file_link_is_refused(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", "title: T\nbody: See [this](file:///etc/passwd).\nsources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert "what-it-is.yaml:2:7: error: link 'file:///etc/passwd' is not allowed" in err


def test_bad_content_stops_the_build_with_exit_1(capsys, content, tmp_path):
    write(content / "blocks" / "what-it-is.yaml", "title: What it is\nbdy: x\nsources: [label]\n")
    code, err = run(capsys, "build", "--content", str(content), "--out", str(tmp_path / "dist"))
    assert code == 1
    assert "Nothing was published" in err
    assert not (tmp_path / "dist" / "manifest.json").exists()


def test_usage_error_is_exit_2(capsys):
    with pytest.raises(SystemExit) as exit:
        build.main(["build", "--jobs", "0"])
    assert exit.value.code == 2


def test_a_character_the_shipped_font_cannot_print_is_refused(capsys, content):
    write(content / "blocks" / "what-it-is.yaml", "title: What it is\nbody: Call us ☎ when done ✓.\n"
                                                   "sources: [label]\n")
    code, err = check(capsys, content)
    assert code == 1
    assert ("what-it-is.yaml:2:15: error: the handout font cannot print '☎' (U+260E BLACK TELEPHONE): write "
            "'Phone' or 'Call'; '✓' (U+2713 CHECK MARK): write 'Yes' or a '- ' list item (no-glyph)") in err
