import json
import threading
import time

import pytest

from qa import build_index
from qa.stores import folder as store
from qa.stores import IndexFolderError
from qa.stores.folder import locked, read_index


def build(seeds, index, embedder):
    return build_index(seeds, index, model=embedder, log=lambda message: None)


def test_a_write_that_dies_leaves_the_old_index(seeds, tmp_path, fake_embedder, monkeypatch):
    index = tmp_path / "index"
    build(seeds, index, fake_embedder)
    before = read_index(index)
    (seeds / "new.txt").write_text("A new story arrives. It has two sentences.")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store.KeywordIndex, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        build(seeds, index, fake_embedder)
    monkeypatch.undo()
    after = read_index(index)
    assert set(after.articles) == set(before.articles) and len(after.chunks) == len(before.chunks)
    assert not [p for p in index.iterdir() if p.name.startswith(".tmp-")]
    report = build(seeds, index, fake_embedder)  # the next run finishes the job
    assert report.added == ["new.txt"]


def test_only_two_generations_are_kept(seeds, tmp_path, fake_embedder):
    index = tmp_path / "index"
    for n in range(4):
        (seeds / f"extra{n}.txt").write_text(f"Extra story {n}. It matters.")
        build(seeds, index, fake_embedder)
    generations = sorted(p.name for p in index.iterdir() if p.name.startswith("gen-"))
    assert generations == ["gen-000003", "gen-000004"]
    assert (index / "CURRENT").read_text().strip() == "gen-000004"


@pytest.mark.parametrize("damage,message", [
    (lambda g: (g / "vectors.faiss").write_bytes(b"garbage"), "vectors.faiss: not a readable FAISS index"),
    (lambda g: (g / "chunks.jsonl").write_text('{"id": 1}\n'), "damaged record"),
    (lambda g: (g / "manifest.json").write_text("{"), "manifest.json: not valid JSON"),
    (lambda g: (g / "articles.jsonl").unlink(), "index files missing"),
    (lambda g: (g / "manifest.json").write_text(json.dumps(
        dict(json.loads((g / "manifest.json").read_text()), format_version=99))), "format version 99"),
])
def test_damaged_index_is_detected_and_rebuilt(seeds, tmp_path, fake_embedder, damage, message):
    index = tmp_path / "index"
    first = build(seeds, index, fake_embedder)
    damage(index / (index / "CURRENT").read_text().strip())
    with pytest.raises(IndexFolderError, match=message):
        read_index(index)
    report = build(seeds, index, fake_embedder)
    assert report.rebuilt_because.startswith("the existing index cannot be used")
    assert message.split(":")[0] in report.rebuilt_because
    assert report.chunks_total == first.chunks_total and len(read_index(index).chunks) == first.chunks_total


def test_a_hand_edited_pointer_is_reported(tmp_path):
    (tmp_path / "CURRENT").write_text("../../etc\n")
    with pytest.raises(IndexFolderError, match="does not name an index generation"):
        read_index(tmp_path)


def test_no_index_yet_is_a_clear_error(tmp_path):
    with pytest.raises(IndexFolderError, match="no index here yet"):
        read_index(tmp_path / "index")


def test_second_writer_waits_for_the_lock(tmp_path):
    events = []
    with locked(tmp_path):
        with pytest.raises(IndexFolderError, match="another `qa index` is updating"):
            with locked(tmp_path, wait=False):
                pass
        waiter = threading.Thread(target=lambda: _take(tmp_path, events))
        waiter.start()
        time.sleep(0.3)
        events.append("first released")
    waiter.join(5)
    assert events[0].startswith(str(tmp_path)) and "waiting" in events[0]
    assert events[1:] == ["first released", "second acquired"]


def _take(folder, events):
    with locked(folder, on_wait=events.append):
        events.append("second acquired")


def test_dense_index_type_follows_the_size_and_is_recorded(tmp_path, fake_embedder, monkeypatch):
    """Exact search below the limit, IVF above it (limits shrunk here so the test stays small)."""
    import faiss

    from qa import Retriever
    from qa.records import Filters

    monkeypatch.setattr(store, "EXACT_LIMIT", 600)
    monkeypatch.setattr(store, "BACK_TO_EXACT", 300)
    articles = tmp_path / "articles"
    articles.mkdir()

    def write(count: int) -> None:
        rows = [{"id": f"s{i}", "title": f"Story {i}", "date": f"2024-01-{1 + i % 28:02d}",
                 "text": f"Story {i} is about topic{i % 50} and place{i % 13}. It was reported widely."}
                for i in range(count)]
        (articles / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows))

    write(500)
    build(articles, tmp_path / "index", fake_embedder)
    assert read_index(tmp_path / "index").manifest["dense_index"]["type"] == "Flat (exact inner product)"
    write(700)
    fake_embedder.embedded.clear()
    build(articles, tmp_path / "index", fake_embedder)
    data = read_index(tmp_path / "index")
    assert data.manifest["dense_index"] == {"type": "IVF256,Flat", "nprobe": store.IVF_NPROBE, "vectors": 700}
    assert faiss.try_extract_index_ivf(data.vectors) is not None
    assert len(fake_embedder.embedded) == 200  # the 500 earlier vectors were moved, not re-embedded
    retriever = Retriever.load(tmp_path / "index", embedder=fake_embedder)
    top = retriever.search("Story 612 topic12 place1", k=1, filters=Filters(date_from="2024-01-25"))[0]
    assert top.doc_id == "s612"
    write(250)  # shrinks below BACK_TO_EXACT: exact again, no re-embedding
    fake_embedder.embedded.clear()
    build(articles, tmp_path / "index", fake_embedder)
    assert read_index(tmp_path / "index").manifest["dense_index"]["type"] == "Flat (exact inner product)"
    assert fake_embedder.embedded == []
