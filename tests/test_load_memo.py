"""The load memo: files parsed in an earlier run are not parsed again, and a run with the memo
gives exactly what a run without it gives, findings included (issue 20)."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handouts import engine
from handouts.content.load import load
from handouts.memo import Memo, ShardedMemo, folder_for
from handouts.project import HOME

BROKEN = "title: T\nkind: nonsense\nbody: |\n  Text.\nsources: []\ncolour: red\n"


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped library: translations, facts, clinics and editorial lists."""
    return Path(shutil.copytree(HOME / "content", tmp_path / "content"))


def loaded(content: Path, memo_folder: Path | None):
    """A run as a command makes it: the memo read from disk, used, saved."""
    memo = Memo(memo_folder, "load")
    library, findings = load(content, memo)
    memo.save()
    return library, findings, memo


def test_the_memo_gives_the_same_library_and_findings_as_no_memo(shipped, tmp_path):
    (shipped / "blocks" / "broken.yaml").write_text(BROKEN)
    expected = load(shipped)
    first = loaded(shipped, tmp_path / "memo")
    second = loaded(shipped, tmp_path / "memo")
    assert second[2].misses == 0 and second[2].hits > 100
    assert first[:2] == expected and second[:2] == expected


def test_positions_kept_by_the_memo_are_those_of_the_file(shipped, tmp_path):
    fresh, _ = load(shipped)
    loaded(shipped, tmp_path / "memo")
    kept, _, _ = loaded(shipped, tmp_path / "memo")
    for block_id, entry in fresh.blocks.items():
        doc = kept.blocks[block_id].doc
        assert (dict(doc.values), dict(doc.keys)) == (dict(entry.doc.values), dict(entry.doc.keys))
        assert list(doc.values) == list(entry.doc.values)


def test_every_document_carries_the_digest_of_its_file(shipped, tmp_path):
    assert "[[" in (shipped / "blocks" / "after-ketamine-treatment.yaml").read_text()  # resolved at load
    for memo_folder in (None, tmp_path / "memo", tmp_path / "memo"):
        library, _, _ = loaded(shipped, memo_folder)
        entries = [*library.blocks.values(), *library.topics.values(), library.site, library.sources,
                   *(e for t in library.translations.values() for e in (*t.blocks.values(), *t.topics.values()))]
        for entry in entries:
            assert entry.doc.digest == hashlib.sha256(entry.doc.path.read_bytes()).hexdigest()


def test_a_document_pickles_with_its_positions(content):
    library, _ = load(content)
    doc = library.blocks["how-given"].doc
    again = pickle.loads(pickle.dumps(doc))
    assert again == doc and dict(again.values) == dict(doc.values) and dict(again.keys) == dict(doc.keys)
    assert again.key_at(("kind",)) == doc.key_at(("kind",))


def test_an_edited_file_is_read_again(content, tmp_path):
    loaded(content, tmp_path / "memo")
    (content / "blocks" / "call-us").with_suffix(".yaml").write_text(
        "title: Call us today\nkind: contact\nbody: |\n  Call us.\nsources: []\n")
    library, findings, memo = loaded(content, tmp_path / "memo")
    assert memo.misses == 1
    assert library.blocks["call-us"].value.title == "Call us today" and findings == []
    (content / "blocks" / "call-us.yaml").write_text("title: Call us\nkind: contact\nbody: |\n  Call us.\n")
    library, findings, _ = loaded(content, tmp_path / "memo")
    assert "call-us" in library.broken
    assert [(f.location.path.name, f.location.line, f.code) for f in findings] == [
        ("call-us.yaml", 1, "missing-key")]


def test_a_broken_file_gives_its_findings_on_every_run(content, tmp_path):
    (content / "blocks" / "broken.yaml").write_text(BROKEN)
    expected = load(content)[1]
    assert {f.code for f in expected} == {"bad-value", "unknown-key"}
    for _ in range(3):
        library, findings, memo = loaded(content, tmp_path / "memo")
        assert findings == expected and "broken" in library.broken
    assert memo.hits and not memo.misses


@pytest.mark.parametrize("damage", ["truncated", "random bytes", "deleted", "empty"])
def test_a_damaged_or_deleted_memo_changes_nothing_but_speed(content, tmp_path, damage):
    (content / "blocks" / "broken.yaml").write_text(BROKEN)
    expected = load(content)
    loaded(content, tmp_path / "memo")
    [kept] = (tmp_path / "memo").iterdir()
    if damage == "truncated":
        kept.write_bytes(kept.read_bytes()[: kept.stat().st_size // 2])
    elif damage == "random bytes":
        kept.write_bytes(os.urandom(kept.stat().st_size))
    elif damage == "deleted":
        kept.unlink()
    else:
        kept.write_bytes(b"")
    library, findings, memo = loaded(content, tmp_path / "memo")
    assert (library, findings) == expected
    assert memo.hits == 0
    assert loaded(content, tmp_path / "memo")[:2] == expected  # and the memo written anew is sound


def test_a_memo_entry_is_never_used_for_other_bytes_of_the_same_file(content, tmp_path):
    block = content / "blocks" / "what-it-is.yaml"
    original = block.read_text()
    loaded(content, tmp_path / "memo")
    block.write_text(original.replace("sources: [label]", "sources: [nowhere-Label]"))
    _, findings, _ = loaded(content, tmp_path / "memo")
    assert [f.code for f in findings] == ["bad-id"]
    block.write_text(original)  # back as it was: the first run's entry is right again
    assert loaded(content, tmp_path / "memo")[1] == []


def test_examine_keeps_its_memo_in_the_cache_folder(project):
    engine.examine(project)
    assert list(folder_for(project.content).glob("load-*.pickle"))
    library, findings = engine.examine(project)
    assert library is not None and findings == engine.examine(project)[1]


def test_a_one_file_edit_rewrites_one_file_of_the_sharded_memo(shipped, tmp_path):
    memo = ShardedMemo(tmp_path / "memo", "load")
    load(shipped, memo)
    memo.save()
    before = {p.name: p.read_bytes() for p in (tmp_path / "memo").iterdir()}
    assert len(before) > 40  # of 64: a file that would be empty is never written
    block = shipped / "blocks" / "anesthesia-uses.yaml"
    block.write_text(block.read_text() + "# edited\n")
    memo = ShardedMemo(tmp_path / "memo", "load")
    assert load(shipped, memo) == load(shipped)
    memo.save()
    assert memo.misses == 1
    changed = [p.name for p in (tmp_path / "memo").iterdir() if p.read_bytes() != before.get(p.name)]
    # Only where the new entry goes: the file that held the old one computed nothing new and is left as it was.
    assert changed == [part.path.name for part in memo.parts if part.misses]


def test_a_damaged_file_of_the_sharded_memo_costs_only_its_own_entries(shipped, tmp_path):
    memo = ShardedMemo(tmp_path / "memo", "load")
    expected = load(shipped, memo)
    memo.save()
    damaged = sorted((tmp_path / "memo").iterdir())[3]
    damaged.write_bytes(b"not a memo")
    memo = ShardedMemo(tmp_path / "memo", "load")
    assert load(shipped, memo) == expected
    [part] = [part for part in memo.parts if part.path == damaged]
    assert memo.hits and memo.misses == part.misses > 0


def test_handouts_cache_off_keeps_nothing_on_disk(project, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    before = sorted(tmp_path.rglob("*"))
    engine.examine(project)
    engine.examine(project)
    assert sorted(tmp_path.rglob("*")) == before


def test_a_changed_fact_reaches_the_blocks_the_memo_kept(content, tmp_path):
    (content / "facts.yaml").write_text("driving: Do not drive until the next day.\n")
    (content / "blocks" / "checklist.yaml").write_text(
        "title: Before you come\nkind: checklist\nbody: |\n  - Bring a driver.\n  - [[driving]]\nsources: []\n")
    loaded(content, tmp_path / "memo")
    (content / "facts.yaml").write_text("driving: Do not drive for 24 hours.\n")
    library, findings, memo = loaded(content, tmp_path / "memo")
    assert memo.misses == 1  # facts.yaml alone
    assert library.blocks["checklist"].value.body == "- Bring a driver.\n- Do not drive for 24 hours."
    assert (library, findings) == load(content)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.dates(),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(
                        st.sampled_from(["title", "body", "kind", "sources", "handouts", "extra", "0"]), children,
                        max_size=4),
                    max_leaves=12))
@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_whatever_a_file_holds_the_memo_gives_what_reading_it_gives(content, tmp_path_factory, data):
    memo_folder = tmp_path_factory.mktemp("memo")
    for name in ("blocks/what-it-is.yaml", "topics/test-medicine.yaml"):
        original = (content / name).read_bytes()
        (content / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        expected = load(content)
        assert loaded(content, memo_folder)[:2] == expected  # computed, then kept
        assert loaded(content, memo_folder)[:2] == expected  # from the memo
        (content / name).write_bytes(original)


def test_an_edit_that_keeps_the_files_size_and_time_is_read_again(content, tmp_path):
    block = content / "blocks" / "call-us.yaml"
    loaded(content, tmp_path / "memo")
    before = block.stat()
    block.write_text(block.read_text().replace("Call us", "Ring us", 1))  # the title: as long as it was
    os.utime(block, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert block.stat().st_size == before.st_size
    library, findings, memo = loaded(content, tmp_path / "memo")
    assert memo.misses == 1 and library.blocks["call-us"].value.title == "Ring us"
    assert (library, findings) == load(content)
