"""Killed and concurrent index updates: the index on disk is always the old one or the new one."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qa import Retriever, build_index
from qa.stores.folder import locked, read_index
from tests.conftest import ROOT, SEEDS, FakeEmbedder

KILLS = 20


def start_fake_build(articles: Path, index: Path, wait: bool = True) -> subprocess.Popen:
    """A `fake_build` process; with wait, returns once its imports are done and the update begins."""
    process = subprocess.Popen([sys.executable, "-m", "tests.fake_build", str(articles), str(index)],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if wait:
        assert process.stdout.readline().strip() == "ready"
    return process


def grow(articles: Path, count: int = 500) -> None:
    """A big update: count new articles in an archive, one edited article, one removed."""
    rows = [{"id": f"wire-{i}", "title": f"Wire story {i}",
             "text": f"Story {i} reports on trade talks in city number {i}. " * 12} for i in range(count)]
    (articles / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    edited = articles / "000_2086a75d902da235.txt"
    edited.write_text(edited.read_text().replace("Blinken", "Blinken (the Secretary of State)"))
    (articles / "004_59289de0ecc82d18.txt").unlink()


def state(index: Path) -> dict[str, str]:
    return {doc_id: article.hash for doc_id, article in read_index(index).articles.items()}


@pytest.fixture
def before_and_after(tmp_path):
    """The articles, a pristine index of the old articles, and the two states a reader may see."""
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    pristine = tmp_path / "pristine"
    build_index(articles, pristine, model=FakeEmbedder(), log=lambda message: None)
    old = state(pristine)
    grow(articles)
    finished = tmp_path / "finished"
    shutil.copytree(pristine, finished)
    process = start_fake_build(articles, finished)
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, out
    seconds = float(out.strip().splitlines()[-1].split()[1])
    return articles, pristine, old, state(finished), seconds


def test_sigkill_at_twenty_moments_never_breaks_the_index(before_and_after, tmp_path):
    articles, pristine, old, new, seconds = before_and_after
    seen = []
    for n in range(KILLS):
        index = tmp_path / f"index-{n}"
        shutil.copytree(pristine, index)
        process = start_fake_build(articles, index)
        time.sleep(seconds * 1.5 * (n + 0.5) / KILLS)  # spread over the whole update, and past its end
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)

        now = state(index)  # loads without error
        assert now in (old, new), f"kill {n}: a mix of old and new articles"
        seen.append("old" if now == old else "new")
        embedder = FakeEmbedder()
        hits = Retriever.load(index, embedder=embedder).search("Blinken met Wang Yi in Beijing", k=3)
        assert hits and all(h.text for h in hits)

        report = build_index(articles, index, model=embedder, log=lambda message: None)
        assert state(index) == new and report.rebuilt_because is None
        assert report.chunks_total == len(read_index(index).chunks)
        leftovers = [p.name for p in index.iterdir() if p.name.startswith(".tmp-")]
        assert leftovers == [] and len([p for p in index.iterdir() if p.name.startswith("gen-")]) <= 2
    # The kills landed both before and after the new generation went live.
    assert "old" in seen and "new" in seen, seen


def wait_for_line(process: subprocess.Popen, text: str) -> list[str]:
    """Lines the process printed up to and including the first that contains text."""
    lines = []
    for line in process.stdout:
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"the process ended without printing {text!r}: {lines}")


def test_two_fake_updates_at_once_take_turns(before_and_after, tmp_path):
    """The test holds the write lock while both start, so both must wait; then they take turns."""
    articles, pristine, old, new, _ = before_and_after
    index = tmp_path / "index"
    shutil.copytree(pristine, index)
    with locked(index):
        runs = [start_fake_build(articles, index) for _ in range(2)]
        for run in runs:
            wait_for_line(run, "another `qa index` is updating this index; waiting")
        assert state(index) == old
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert state(index) == new
    did = sorted("articles: 500 added, 1 changed, 1 removed, 3 unchanged" in out for out in outputs)
    found_nothing = ["articles: 0 added, 0 changed, 0 removed, 504 unchanged" in out for out in outputs]
    assert did == [False, True] and sum(found_nothing) == 1, outputs


@pytest.mark.model
def test_two_qa_index_runs_at_once_with_the_real_model(tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    qa = [sys.executable, "-m", "qa.cli", "index", "--articles", str(articles), "--index", str(tmp_path / "index")]
    with locked(tmp_path / "index"):  # both runs start while the lock is taken, so both wait for it
        runs = [subprocess.Popen(qa, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for _ in range(2)]
        early = [wait_for_line(run, "waiting for it to finish") for run in runs]
    outputs = ["".join(lines) + run.communicate(timeout=600)[0] for lines, run in zip(early, runs)]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("waiting for it to finish" in out for out in outputs), outputs
    # One run did the work; the other waited, then found nothing left to do.
    assert sorted(out.count("5 added") + 2 * out.count("5 unchanged") for out in outputs) == [1, 2], outputs
    assert len(read_index(tmp_path / "index").articles) == 5


@pytest.mark.model
def test_qa_index_killed_while_writing_recovers_with_the_real_model(tmp_path):
    """The most delicate moment: kill `qa index` as soon as its new generation starts being written."""
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    index = tmp_path / "index"
    qa = [sys.executable, "-m", "qa.cli", "index", "--articles", str(articles), "--index", str(index)]
    assert subprocess.run(qa, cwd=ROOT, capture_output=True).returncode == 0
    old = state(index)
    grow(articles, count=30)
    run = subprocess.Popen(qa, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while run.poll() is None and not any(p.name.startswith(".tmp-") for p in index.iterdir()):
        time.sleep(0.001)
    run.kill()
    run.wait(timeout=60)
    assert state(index) == old
    assert Retriever.load(index).search("How long did Blinken meet Xi?", k=1)
    finished = subprocess.run(qa, cwd=ROOT, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert "articles: 30 added, 1 changed, 1 removed, 3 unchanged" in finished.stdout
    assert len(read_index(index).articles) == 5 - 1 + 30
