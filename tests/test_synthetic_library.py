"""The synthetic library the scale benchmark measures: clean, and no two copies alike."""

from __future__ import annotations

from pathlib import Path

from synthetic_library import edit_block, restore, synthesize

from handouts import engine
from handouts.content.translations import version
from handouts.project import HOME, Project


def test_copies_differ_and_check_clean(tmp_path: Path):
    library_folder = synthesize(HOME / "content", tmp_path / "content", 8)
    library, findings = engine.examine(Project(content=library_folder, out=tmp_path / "dist"))
    assert [str(f) for f in findings] == []
    shipped = len(list((HOME / "content" / "blocks").iterdir()))
    assert len(library.topics) == 8 and len(library.blocks) == 2 * shipped
    # Nothing keyed by content can serve two copies: every block's words and every topic's title are its own.
    english = [(b.value.title, b.value.body) for b in library.blocks.values()]
    spanish = [(b.value.title, b.value.body) for b in library.translations["es"].blocks.values()]
    assert len(set(english)) == len(english) and len(set(spanish)) == len(spanish)
    assert len({t.value.title for t in library.topics.values()}) == 8
    assert library.blocks["esk-before-c0001"].value.title.endswith("(copy 1)")
    assert library.translations["es"].blocks["esk-before-c0001"].value.body.endswith("(copia 1)")
    for kind in ("blocks", "topics"):
        for key, entry in getattr(library.translations["es"], kind).items():
            assert entry.value.translates == version(getattr(library, kind)[key].value), key


def test_an_edit_keeps_the_library_clean_and_is_undone(tmp_path: Path):
    library_folder = synthesize(HOME / "content", tmp_path / "content", 8)
    before = {p: p.read_bytes() for p in library_folder.rglob("*.yaml")}
    edited = edit_block(library_folder, "anesthesia-uses-c0001", "(edit 1)")  # one that names a fact
    assert len(edited) == 2  # the English block and its Spanish translation
    library, findings = engine.examine(Project(content=library_folder, out=tmp_path / "dist"))
    assert [str(f) for f in findings] == []
    assert "(edit 1)" in library.blocks["anesthesia-uses-c0001"].value.body
    restore(edited)
    assert {p: p.read_bytes() for p in library_folder.rglob("*.yaml")} == before
