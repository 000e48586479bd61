"""Paths, limits and failures: links are never followed, resources are bounded, and every
failure a user can meet is a finding or one line, never a traceback (issue 14)."""

from __future__ import annotations

import json
import re
import resource
import signal
import subprocess
import sys

from PIL import Image

import build
from handouts import engine
from handouts.content import load as load_module
from handouts.content.load import load
from handouts.engine import BuildOptions
from handouts.project import HOME, Project

OVERVIEW = BuildOptions(only="test-medicine/overview", jobs=1)


def run(project: Project, *extra: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HOME / "build.py"), "--content", str(project.content), "--out",
                           str(project.out), "--jobs", "1", *extra], cwd=HOME, capture_output=True, text=True,
                          **kwargs)


def check(project: Project) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(HOME / "build.py"), "check", "--content", str(project.content)],
                          cwd=HOME, capture_output=True, text=True)


def one_error(stderr: str) -> str:
    """The one line of a usage error (progress lines aside), with no traceback."""
    assert "Traceback" not in stderr
    [line] = [line for line in stderr.splitlines() if line.startswith("error:")]
    return line


def codes(report) -> set[str]:
    return {f.code for f in report.findings if f.severity == "error"}


def test_a_linked_images_folder_is_refused_and_nothing_of_it_published(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"not yours")
    (project.content / "images").symlink_to(outside)
    report = engine.build(project, OVERVIEW)
    assert "symlink" in codes(report)
    assert not (project.out / "images" / "secret.png").exists()


def test_a_linked_picture_is_refused(project, tmp_path):
    (project.content / "images").mkdir()
    (tmp_path / "secret.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (project.content / "images" / "logo.svg").symlink_to(tmp_path / "secret.svg")
    report = engine.build(project, OVERVIEW)
    assert [f.location.path.name for f in report.findings if f.code == "symlink"] == ["logo.svg"]


def test_a_link_inside_the_output_folder_is_not_followed(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project.out.mkdir()
    (project.out / "en").symlink_to(elsewhere)
    result = run(project)
    assert result.returncode == 2
    assert re.fullmatch(r"error: .*en is a link; links in the output folder are never followed: remove it",
                        one_error(result.stderr))
    assert list(elsewhere.iterdir()) == []


def test_a_build_removes_only_the_temporary_files_it_made(project):
    assert engine.build(project, OVERVIEW).ok
    theirs = project.out / "en" / ".notes.txt.tmp"
    theirs.write_text("an editor's file")
    ours = project.out / "en" / ".test-medicine-overview.pdf.x1y2z3.handouts.tmp"  # left by a killed build
    ours.write_bytes(b"half a PDF")
    assert engine.build(project, BuildOptions(only="test-medicine/overview", jobs=1, force=True)).ok
    assert theirs.read_text() == "an editor's file"
    assert not ours.exists()


def test_fill_refuses_an_out_folder_anywhere_inside_published_handouts(project, capsys):
    assert engine.build(project, OVERVIEW).ok
    deep = project.out / "patients" / "rosa"
    code = build.main(["--content", str(project.content), "--out", str(deep), "--only", "test-medicine/overview",
                       "--fill", "patient_name=Rosa Q."])
    assert code == 2
    assert "which holds published handouts" in capsys.readouterr().err
    assert not deep.exists()


def test_yaml_nested_25000_deep_is_a_finding_not_a_crash(project):
    (project.content / "blocks" / "what-it-is.yaml").write_text("title: " + "[" * 25_000 + "]" * 25_000 + "\n")
    result = check(project)
    assert result.returncode == 1
    assert "what-it-is.yaml:1:47: error: nested more than 40 levels deep; simplify the file (too-big)" \
        in result.stdout + result.stderr


def test_a_hexadecimal_number_of_5000_digits_is_a_finding(project):
    (project.content / "blocks" / "what-it-is.yaml").write_text(
        "title: T\nbody: B\nsources: []\nkind: 0x" + "f" * 5_000 + "\n")
    result = check(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "what-it-is.yaml:4:7: error: cannot read the value" in result.stdout + result.stderr


def test_an_impossible_output_folder_is_one_line(project, tmp_path):
    (tmp_path / "a-file").write_text("x")
    project = Project(content=project.content, out=tmp_path / "a-file" / "dist")
    result = run(project)
    assert result.returncode == 2
    assert re.fullmatch(r"error: cannot write to .*a-file/dist: Not a directory", one_error(result.stderr))


def _small_files() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG), as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_full_disk_is_one_line_and_leaves_the_published_handouts_whole(project):
    assert engine.build(project, OVERVIEW).ok
    before = {p: p.read_bytes() for p in project.out.rglob("*") if p.is_file()}
    result = run(project, "--force", preexec_fn=_small_files)
    assert result.returncode == 2
    assert re.fullmatch(r"error: cannot write to .*dist: File too large", one_error(result.stderr))
    assert {p: p.read_bytes() for p in project.out.rglob("*") if p.is_file()} == before


def test_a_corrupt_manifest_is_rebuilt_from_scratch_saying_so(project):
    assert engine.build(project, OVERVIEW).ok
    (project.out / "manifest.json").write_text("[" * 100_000)  # deeper than Python's JSON reader can go
    report = engine.build(project, BuildOptions(jobs=1))
    assert report.ok
    assert any("manifest.json could not be read" in n and "rebuilt from scratch" in n for n in report.notes)
    assert len(json.loads((project.out / "manifest.json").read_text())["handouts"]) == 4


def test_a_closed_pipe_ends_the_command_quietly(project):
    process = subprocess.Popen([sys.executable, str(HOME / "build.py"), "list", "--content", str(project.content)],
                               cwd=HOME, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # the reader is gone before the command writes
    err = process.stderr.read().decode()
    process.wait()
    assert process.returncode in (0, 2)
    assert "Traceback" not in err


def test_a_picture_of_too_many_pixels_is_refused(project):
    (project.content / "images").mkdir()
    Image.new("1", (9400, 9400)).save(project.content / "images" / "chart.png", optimize=True)
    assert (project.content / "images" / "chart.png").stat().st_size < 20_000
    report = engine.build(project, OVERVIEW)
    assert [f.location.path.name for f in report.findings if f.code == "image-too-big"] == ["chart.png"]


def test_an_svg_with_a_script_is_refused_and_not_published(project):
    (project.content / "images").mkdir()
    (project.content / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    report = engine.build(project, OVERVIEW)
    assert "unsafe-image" in codes(report)
    assert not (project.out / "images" / "logo.svg").exists()


def test_a_fill_in_file_nested_25000_deep_is_one_line(project, tmp_path):
    fill = tmp_path / "patient.yaml"
    fill.write_text("patient_name: " + "[" * 25_000 + "]" * 25_000 + "\n")
    result = run(project, "--only", "test-medicine/overview", "--fill-file", str(fill))
    assert result.returncode == 2
    assert "nested more than 40 levels deep" in one_error(result.stderr)


def test_a_folder_of_more_than_2000_blocks_loads(content):
    for i in range(2_500):
        (content / "blocks" / f"b{i}.yaml").write_text(f"title: Block {i}\nbody: |\n  Text {i}.\nsources: []\n")
    library, findings = load(content)
    assert findings == []
    assert len(library.blocks) == 2_505 and library.blocks["b2499"].value.body == "Text 2499."


def test_the_limits_leave_room_for_a_health_systems_library():
    """10,000 topics of 12 blocks, in two languages, as big as the shipped ones: twice over."""
    shipped = HOME / "content"
    topics = len(list((shipped / "topics").glob("*.yaml")))
    sizes = {p: p.stat().st_size for p in shipped.rglob("*.yaml")}
    per_topic = sum(n for p, n in sizes.items() if p.parent.name in ("blocks", "topics")) / topics
    shared = sum(n for p, n in sizes.items() if p.parent.name not in ("blocks", "topics"))
    assert 2 * (10_000 * per_topic + shared) < load_module.MAX_TOTAL_BYTES
    assert 2 * 10_000 * 12 < load_module.MAX_FILES


def test_more_yaml_than_the_limit_is_one_finding_for_the_content_folder(content, monkeypatch):
    monkeypatch.setattr(load_module, "MAX_TOTAL_BYTES", 3_000)  # the real limit, 512 MiB, takes the same path
    library, findings = load(content)
    assert library is None
    [finding] = findings
    assert (finding.location.path, finding.code) == (content, "too-big")
    assert "more than 3,000 bytes of YAML" in finding.message and "split the library" in finding.message


def test_the_total_is_counted_before_a_folder_is_parsed(content, monkeypatch):
    parsed = []
    parse = load_module.yamldoc.parse
    monkeypatch.setattr(load_module.yamldoc, "parse", lambda path, *rest: parsed.append(path) or parse(path, *rest))
    before = ["site.yaml", "clinic.yaml", "sources.yaml", "topics/test-medicine.yaml"]  # read before blocks/
    first = sum((content / name).stat().st_size for name in before)
    blocks = sum(p.stat().st_size for p in (content / "blocks").iterdir())
    monkeypatch.setattr(load_module, "MAX_TOTAL_BYTES", first + blocks // 2)  # met half-way through blocks/
    assert load(content)[0] is None
    assert [p.name for p in parsed] == [name.split("/")[-1] for name in before]
