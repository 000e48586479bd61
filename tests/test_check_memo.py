"""The checks' memo (handouts/memo.py, checks/units.py) saves time and nothing else: whatever
happened to it, `check` reports exactly the findings a run without it would.

Each test runs the real command on a library in tmp_path with its own memo folder, and
compares against the same command with the memo turned off (HANDOUTS_CACHE=off).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write
from handouts.project import HOME

SPAM = "BUY KETAMINE ONLINE"


def check(content: Path, memo: Path | str) -> str:
    """The findings and report `build.py check` prints (exit code first)."""
    env = {**os.environ, "HANDOUTS_CACHE": str(memo)}
    done = subprocess.run([sys.executable, str(HOME / "build.py"), "check", "--content", str(content)],
                          capture_output=True, text=True, env=env, cwd=content.parent)
    return f"exit {done.returncode}\n{done.stdout}{done.stderr}"


def memo_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.pickle"))


@pytest.fixture
def memo(tmp_path: Path) -> Path:
    return tmp_path / "memo"


def test_a_second_run_from_the_memo_says_what_the_first_said(content, memo):
    write(content / "blocks" / "what-it-is.yaml", f"title: What it is\nbody: |\n  {SPAM}.\nsources: [label]\n")
    first = check(content, memo)
    assert "forbidden" in first and memo_files(memo)
    assert check(content, memo) == first == check(content, "off")


def test_an_edit_brings_a_finding_back_and_a_restore_takes_it_away(content, memo):
    clean = check(content, memo)
    original = (content / "blocks" / "what-it-is.yaml").read_text()
    write(content / "blocks" / "what-it-is.yaml", original.replace("helps", f"helps. {SPAM}"))
    edited = check(content, memo)
    assert "(forbidden)" in edited and "(forbidden)" not in clean
    assert edited == check(content, "off")
    write(content / "blocks" / "what-it-is.yaml", original)
    assert check(content, memo) == clean


def test_a_finding_in_a_block_the_memo_kept_survives_an_edit_elsewhere(content, memo):
    write(content / "blocks" / "what-it-is.yaml", f"title: What it is\nbody: |\n  {SPAM}.\nsources: [label]\n")
    check(content, memo)
    write(content / "blocks" / "how-given.yaml",
          (content / "blocks" / "how-given.yaml").read_text().replace("You sit down.", "You sit in a chair."))
    again = check(content, memo)
    assert "what-it-is.yaml:3:3: error: 'BUY' does not belong" in again
    assert again == check(content, "off")


def test_an_edit_to_a_shared_list_reaches_every_block(content, memo):
    check(content, memo)
    forbidden = content / "editorial" / "forbidden.yaml"
    write(forbidden, forbidden.read_text() + "\nnurse-word:\n  reason: a test rule\n  phrases: [nurse]\n")
    found = check(content, memo)
    assert "(forbidden.yaml: nurse-word)" in found
    assert found == check(content, "off")


@pytest.mark.parametrize("damage", [b"", b"handouts-memo-1\n" + b"\0" * 40, os.urandom(4096)])
def test_a_damaged_memo_is_ignored_and_written_anew(content, memo, damage):
    write(content / "blocks" / "what-it-is.yaml", f"title: What it is\nbody: |\n  {SPAM}.\nsources: [label]\n")
    first = check(content, memo)
    for path in memo_files(memo):
        path.write_bytes(damage)
    assert check(content, memo) == first
    assert all(path.read_bytes() != damage for path in memo_files(memo))


def test_a_memo_whose_results_were_tampered_with_is_not_trusted(content, memo):
    """The checksum covers the results: a memo edited to say 'no findings' is refused, not believed."""
    write(content / "blocks" / "what-it-is.yaml", f"title: What it is\nbody: |\n  {SPAM}.\nsources: [label]\n")
    first = check(content, memo)
    for path in memo_files(memo):
        raw = bytearray(path.read_bytes())
        raw[-10] ^= 0xFF  # one byte of the results, not of the checksum
        path.write_bytes(bytes(raw))
    assert check(content, memo) == first


def test_a_deleted_memo_changes_nothing_but_time(content, memo):
    write(content / "blocks" / "what-it-is.yaml", f"title: What it is\nbody: |\n  {SPAM}.\nsources: [label]\n")
    first = check(content, memo)
    for path in memo_files(memo):
        path.unlink()
    assert check(content, memo) == first


def test_turned_off_nothing_is_kept(content, tmp_path):
    check(content, "off")
    assert not (tmp_path / "off").exists() and not (content.parent / "off").exists()


def _checked(content: Path, folder: Path):
    """One in-process run of every check with the memo in `folder`: its findings and the memo."""
    from handouts.checks.library import check as check_library
    from handouts.content.load import load
    from handouts.memo import Memo

    library, found = load(content)
    memo = Memo(folder, "checks")
    found += check_library(library, fonts=HOME / "styles" / "fonts", icons=HOME / "templates" / "icons", memo=memo)
    memo.save()
    return sorted(set(found)), memo


def test_after_a_one_block_edit_only_that_block_and_the_handouts_that_print_it_are_checked_again(content, memo):
    _, cold = _checked(content, memo)
    _, warm = _checked(content, memo)
    assert cold.misses > 0 and warm.misses == 0 and warm.hits == cold.misses
    path = content / "blocks" / "how-given.yaml"  # printed by the expectations sheet alone
    write(path, path.read_text().replace("You sit down.", "You sit in a chair."))
    _, edited = _checked(content, memo)
    # The block's two phases (structure, editorial) and the one handout that prints it.
    assert edited.misses == 3


def test_a_memo_others_could_have_written_is_never_read(content, memo):
    """Reading a memo unpickles it, which can run code: one writable by others is left alone."""
    _checked(content, memo)
    for path in memo_files(memo):
        path.chmod(0o666)
    _, again = _checked(content, memo)
    assert again.hits == 0 and again.misses > 0


def _same_size_and_time(path: Path, text: str) -> None:
    """Write `text` over `path`, as long as what was there, and give the file back its old times."""
    before = path.stat()
    assert len(text.encode()) == before.st_size
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_an_edit_that_keeps_the_files_size_and_time_is_seen(content, memo):
    block = content / "blocks" / "what-it-is.yaml"
    original = block.read_text()
    clean = check(content, memo)
    _same_size_and_time(block, original.replace("*some*", "*buy!*"))
    edited = check(content, memo)
    assert "(forbidden" in edited and edited == check(content, "off")
    _same_size_and_time(block, original)
    assert check(content, memo) == clean


def test_a_file_replaced_by_another_of_the_same_name_is_read_anew(content, memo, tmp_path):
    block = content / "blocks" / "what-it-is.yaml"
    clean = check(content, memo)
    other = write(tmp_path / "other.yaml", block.read_text().replace("*some*", "*buy!*"))
    os.utime(other, ns=(block.stat().st_atime_ns, block.stat().st_mtime_ns))
    os.replace(other, block)
    replaced = check(content, memo)
    assert "(forbidden" in replaced and replaced == check(content, "off") != clean


def test_what_a_memo_file_still_holds_from_other_bytes_is_never_reported(content, memo):
    """A memo file a run computed nothing new for is left as it was, entries of earlier bytes and all:
    those are found by no other bytes, so every run says what a run without the memo says."""
    block = content / "blocks" / "what-it-is.yaml"
    original = block.read_text()
    for text in (original, original.replace("*some*", f"*some*. {SPAM}"), original,
                 original.replace("helps", "may help"), original.replace("*some*", f"*some*. {SPAM}"), original):
        write(block, text)
        assert check(content, memo) == check(content, "off")


def test_a_run_that_computes_nothing_new_writes_no_memo_file(content, memo):
    check(content, memo)
    kept = {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in memo_files(memo)}
    check(content, memo)
    assert {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in memo_files(memo)} == kept
