"""Messy article folders: every bad file gets one line naming it and the problem; the rest still index."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from qa import Retriever, build_index
from qa.index.chunk import chunk_article
from qa.config import ChunkSettings
from qa.stores.folder import read_index
from qa.text.tiktoken_offline import encoding
from tests.conftest import SEEDS

GOOD = "001_ce62307185d3a8e6.txt"
UNBROKEN = " ".join(f"word{i % 997}" for i in range(15_000))[:100_000]

# file name -> the one-line problem reported for it (None: it indexes)
EXPECTED = {
    "empty.txt": "empty file",
    "blank.md": "empty file",
    "boilerplate.txt": "no story text left after removing page boilerplate",
    "photo.txt": "binary file, not text",
    "huge.txt": "file too large (50 MB, limit 10 MB)",
    "archive.jsonl:2": "invalid JSON (Expecting property name enclosed in double quotes)",
    "archive.jsonl:3": 'missing "text"',
    "copy-of-001.txt": f"same text as {GOOD}, skipped",
    "loop": "symlink loop, skipped",
    "locked.txt": "permission denied",
}
INDEXED = {GOOD, "latin1.txt", "utf16.txt", "oneline.txt", "archive.jsonl:1"}


def make_messy_folder(folder: Path, unreadable: bool = True) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(SEEDS / GOOD, folder / GOOD)
    shutil.copy(SEEDS / GOOD, folder / "copy-of-001.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("  \n\t\n\n   ")
    (folder / "boilerplate.txt").write_text("Leave a Reply\nSubscribe now\n\nSource link\nShare this:\n")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    (folder / "latin1.txt").write_bytes("Café talks in Zürich\n\nThe mayor of Zürich met the délégation. "
                                        "They agreed on a fête.".encode("latin-1"))
    (folder / "utf16.txt").write_bytes("Harbour news\n\nThe harbour in Qingdao reopened on Monday. "
                                       "Boats went out at dawn.".encode("utf-16"))
    with open(folder / "huge.txt", "wb") as out:  # sparse: 50 MB on paper, nothing on disk
        out.write(b"A long story. ")
        out.truncate(50 * 2**20)
    (folder / "oneline.txt").write_text(UNBROKEN)
    (folder / "archive.jsonl").write_text("\n".join([
        json.dumps({"id": "good", "title": "Wire story", "text": "The minister flew to Lima. Talks began."}),
        '{id: "bad json"',
        json.dumps({"id": "notext", "title": "Headline only"}),
    ]))
    (folder / "loop").symlink_to(".", target_is_directory=True)
    if unreadable:
        (folder / "locked.txt").write_text("A story nobody may read. It is private.")
        (folder / "locked.txt").chmod(0)
    return folder


@contextmanager
def unprivileged():
    """Run as `nobody` when the tests run as root, so a chmod 000 file really is unreadable."""
    if os.geteuid() != 0:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def shared_tmp():
    """A world-writable temporary folder (tmp_path is private to root, so `nobody` could not enter it)."""
    folder = Path(tempfile.mkdtemp(prefix="qa-messy-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def problems(report) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in report.errors)


def test_each_bad_file_gets_one_line_and_the_rest_index(shared_tmp, fake_embedder):
    articles = make_messy_folder(shared_tmp / "articles")
    # A first pass as ourselves loads every module and token table the build needs: as `nobody`
    # we could not read them from under /root.
    build_index(make_messy_folder(shared_tmp / "warm-up"), shared_tmp / "warm-up-index", model=fake_embedder,
                log=lambda message: None)
    with unprivileged():
        report = build_index(articles, shared_tmp / "index", model=fake_embedder, log=lambda message: None)
    assert all("\n" not in line for line in report.errors)
    assert problems(report) == EXPECTED
    data = read_index(shared_tmp / "index")
    assert {a.path for a in data.articles.values()} == INDEXED
    assert data.articles["latin1.txt"].title == "Café talks in Zürich"
    assert "Qingdao" in data.articles["utf16.txt"].text
    assert report.warnings == ["oneline.txt: 100,000 characters with no sentence break; cut at word boundaries"]


def test_one_unbroken_line_becomes_passages_within_the_budget():
    from qa.ingest.clean import clean_article
    from qa.records import RawArticle

    article = clean_article(RawArticle(doc_id="oneline.txt", text=UNBROKEN, path="oneline.txt"))
    settings = ChunkSettings()
    chunks = chunk_article(article, settings)
    enc = encoding(settings.encoding)
    assert len(chunks) > 100
    assert all(len(enc.encode_ordinary(c.text)) <= settings.chunk_tokens for c in chunks)
    assert all(c.text == article.text[c.start:c.end] for c in chunks)
    assert chunks[-1].end == len(article.text)  # nothing dropped at the end


def test_bad_input_never_removes_what_is_indexed(seeds, tmp_path, fake_embedder):
    index = tmp_path / "index"
    build_index(seeds, index, model=fake_embedder, log=lambda message: None)
    before = read_index(index)
    for path in seeds.iterdir():  # every article turns bad at once
        path.write_bytes(b"")
    report = build_index(seeds, index, model=fake_embedder, log=lambda message: None)
    assert len(report.errors) == 5 and report.removed == []
    after = read_index(index)
    assert {d: a.hash for d, a in after.articles.items()} == {d: a.hash for d, a in before.articles.items()}
    assert Retriever.load(index, embedder=fake_embedder).search("Blinken Beijing")


@pytest.mark.model
def test_qa_index_on_a_messy_folder_with_the_real_model(tmp_path):
    """Through the CLI: one line per bad file on stderr, exit 0 because something usable was indexed."""
    from click.testing import CliRunner

    from qa.cli import main

    articles = make_messy_folder(tmp_path / "articles", unreadable=False)
    result = CliRunner().invoke(main, ["index", "--articles", str(articles), "--index", str(tmp_path / "index")])
    assert result.exit_code == 0, result.output
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped ")]
    assert sorted(skipped) == sorted(f"skipped {name}: {problem}" for name, problem in EXPECTED.items()
                                     if name != "locked.txt")
    assert "warning oneline.txt: 100,000 characters" in result.output
    assert "articles: 5 added" in result.output
    top = Retriever.load(tmp_path / "index").search("Which harbour reopened on Monday?", k=1)[0]
    assert top.doc_id == "utf16.txt"
