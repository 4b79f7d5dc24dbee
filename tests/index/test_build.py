import json

import pytest

from qa import Retriever, build_index
from qa.config import FORMAT_VERSION, ChunkSettings
from qa.stores.folder import read_index, read_manifest
from tests.conftest import FakeEmbedder


def build(seeds, index, embedder, **kwargs):
    return build_index(seeds, index, model=embedder, log=lambda message: None, **kwargs)


def test_first_build_then_unchanged_embeds_nothing(seeds, tmp_path, fake_embedder):
    index = tmp_path / "index"
    first = build(seeds, index, fake_embedder)
    assert len(first.added) == 5 and first.chunks_embedded == first.chunks_total > 5
    assert len(fake_embedder.embedded) == first.chunks_total
    generation = (index / "CURRENT").read_text()
    again = build(seeds, index, fake_embedder)
    assert again.chunks_embedded == 0 and again.unchanged == 5 and again.chunks_total == first.chunks_total
    assert (again.added, again.changed, again.removed) == ([], [], [])
    assert (index / "CURRENT").read_text() == generation  # nothing rewritten


def test_adding_one_article_embeds_only_its_chunks(seeds, tmp_path, fake_embedder):
    index = tmp_path / "index"
    first = build(seeds, index, fake_embedder)
    (seeds / "new.txt").write_text("Harbour news\n\nThe harbour reopened on Monday. Boats went out at dawn.")
    fake_embedder.embedded.clear()
    report = build(seeds, index, fake_embedder)
    assert report.added == ["new.txt"] and report.unchanged == 5
    assert report.chunks_embedded == 1 and report.chunks_total == first.chunks_total + 1
    assert fake_embedder.embedded == ["Harbour news\nThe harbour reopened on Monday. Boats went out at dawn."]


def test_deleting_a_file_removes_its_chunks(seeds, tmp_path, fake_embedder):
    index = tmp_path / "index"
    build(seeds, index, fake_embedder)
    doc = "004_59289de0ecc82d18.txt"
    (seeds / doc).unlink()
    report = build(seeds, index, fake_embedder)
    assert report.removed == [doc] and report.chunks_embedded == 0
    data = read_index(index)
    assert doc not in data.articles and all(c.doc_id != doc for c in data.chunks.values())
    assert data.vectors.ntotal == len(data.chunks) == len(data.keywords)
    retriever = Retriever.load(index, embedder=fake_embedder)
    assert all(e.doc_id != doc for e in retriever.search("Scholz German chancellor", k=30))


def test_model_or_chunking_change_rebuilds_with_a_reason(seeds, tmp_path, fake_embedder):
    index = tmp_path / "index"
    first = build(seeds, index, fake_embedder)
    other = FakeEmbedder(name="other-model")
    report = build(seeds, index, other)
    assert report.rebuilt_because == "embedding model changed (fake -> other-model)"
    assert report.chunks_embedded == first.chunks_total
    report = build(seeds, index, other, settings=ChunkSettings(chunk_tokens=80))
    assert report.rebuilt_because.startswith("chunking settings changed")
    assert report.chunks_total > first.chunks_total
    assert read_manifest(index)["chunking"]["chunk_tokens"] == 80


def test_manifest_records_model_settings_and_hashes(seeds, tmp_path, fake_embedder):
    index = tmp_path / "index"
    build(seeds, index, fake_embedder)
    manifest = read_manifest(index)
    assert manifest["model"] == "fake" and manifest["format_version"] == FORMAT_VERSION
    assert manifest["chunking"] == ChunkSettings().to_dict()
    assert len(manifest["article_hashes"]) == 5
    data = read_index(index)
    assert manifest["chunk_hashes"] == {str(i): c.hash for i, c in data.chunks.items()}


def test_a_file_that_breaks_keeps_its_indexed_version(seeds, tmp_path, fake_embedder):
    index = tmp_path / "index"
    build(seeds, index, fake_embedder)
    doc = "003_0c700c34483d6032.txt"
    (seeds / doc).write_bytes(b"\x00\x01binary" * 100)
    report = build(seeds, index, fake_embedder)
    assert report.errors == [f"{doc}: binary file, not text"]
    assert report.removed == [] and doc in read_index(index).articles


def test_jsonl_archive_ids_and_duplicates(tmp_path, fake_embedder):
    articles = tmp_path / "articles"
    articles.mkdir()
    rows = [{"id": f"a{i}", "title": f"Story {i}", "text": f"Story number {i} happened. It was news."}
            for i in range(300)]
    rows.append({"id": "a7", "title": "Dup", "text": "A second article with the same id."})
    (articles / "archive.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    report = build(articles, tmp_path / "index", fake_embedder)
    assert len(report.added) == 300 and report.chunks_total == 300
    assert report.errors == ["archive.jsonl:301: duplicate id 'a7' (first in archive.jsonl:8), skipped"]


def test_empty_folder_builds_an_empty_index(tmp_path, fake_embedder):
    (tmp_path / "articles").mkdir()
    report = build(tmp_path / "articles", tmp_path / "index", fake_embedder)
    assert report.chunks_total == 0
    assert Retriever.load(tmp_path / "index", embedder=fake_embedder).search("anything") == []


def test_reranker_slot_reorders_by_the_scores_it_is_given(seeds, tmp_path, fake_embedder):
    from qa.retrieve.rerank import Reranker

    class ByLength(Reranker):
        def __init__(self):
            self.calls = []

        def score(self, question, texts):
            self.calls.append((question, len(texts)))
            return [-float(len(t)) for t in texts]  # shortest passage first

    build(seeds, tmp_path / "index", fake_embedder)
    plain = Retriever.load(tmp_path / "index", embedder=fake_embedder)
    reranker = ByLength()
    reranked = Retriever.load(tmp_path / "index", embedder=fake_embedder, reranker=reranker)
    top = reranked.search("Blinken Wang Yi meeting", k=5)
    candidates = plain.search("Blinken Wang Yi meeting", k=30)
    assert reranker.calls == [("Blinken Wang Yi meeting", 27)]  # every chunk is a candidate here
    lengths = [len(f"{e.title}\n{e.text}") for e in top]
    assert lengths == sorted(lengths)
    assert [e.score for e in top] == [-float(n) for n in lengths]
    assert lengths[0] == min(len(f"{e.title}\n{e.text}") for e in candidates)


def test_a_large_report_counts_every_article_but_names_only_the_first(seeds, tmp_path, fake_embedder, monkeypatch):
    import qa.records

    monkeypatch.setattr(qa.records, "NAMED_IDS", 2)
    report = build(seeds, tmp_path / "index", fake_embedder)
    assert report.counts["added"] == 5 and len(report.added) == 2
    assert "articles: 5 added, 0 changed, 0 removed" in report.summary()
    for path in list(seeds.iterdir())[:3]:
        path.unlink()
    again = build(seeds, tmp_path / "index", fake_embedder)
    assert again.counts["removed"] == 3 and len(again.removed) == 2
    assert len(Retriever.load(tmp_path / "index").store.article_stamps()) == 2
