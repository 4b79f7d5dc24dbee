"""Atomic writes and progress bars, shared by every stage."""

import pytest

from qa.files import atomic_output, atomic_write, progress


def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "file.txt"
    atomic_write(target, "first")
    atomic_write(target, b"second", durable=True)
    assert target.read_text() == "second" and sorted(p.name for p in target.parent.iterdir()) == ["file.txt"]


def test_a_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_progress_wraps_only_when_asked_and_big_enough():
    items = list(range(5))
    assert progress(items, enabled=False) is items
    assert progress(items, enabled=True, min_total=10) is items
    assert list(progress(items, enabled=True, desc="x")) == items
