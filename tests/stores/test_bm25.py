"""The BM25 matrix: scores as Lucene's BM25, incremental adds and removals equal a rebuild."""

import math

import numpy as np

from qa.stores.bm25 import B, K1, KeywordIndex
from qa.text.terms import search_terms

TEXTS = ["The harbour reopened on Monday", "Boats left the harbour at dawn", "Rain fell on the city all day",
         "The city council met on Monday about the harbour budget"]


def test_scores_follow_the_bm25_formula():
    index = KeywordIndex.empty().add([1, 2, 3, 4], TEXTS)
    scores = dict(index.search("harbour Monday", k=4))
    docs = [search_terms(t) for t in TEXTS]
    mean = sum(len(d) for d in docs) / len(docs)

    def bm25(doc):
        total = 0.0
        for term in search_terms("harbour Monday"):
            df = sum(term in d for d in docs)
            tf = doc.count(term)
            idf = math.log(1 + (len(docs) - df + 0.5) / (df + 0.5))
            total += idf * tf / (tf + K1 * (1 - B + B * len(doc) / mean))
        return total

    for chunk_id, doc in zip([1, 2, 3, 4], docs):
        expected = bm25(doc)
        assert (chunk_id not in scores and expected == 0) or abs(scores[chunk_id] - expected) < 1e-5
    assert list(scores)[0] == 1 and 3 not in scores


def test_incremental_updates_match_a_rebuild_and_persist(tmp_path):
    grown = KeywordIndex.empty().add([1, 2], TEXTS[:2]).add([3, 4], TEXTS[2:]).remove([2])
    rebuilt = KeywordIndex.empty().add([1, 3, 4], [TEXTS[0], TEXTS[2], TEXTS[3]])
    for question in ("harbour", "city Monday", "dawn boats"):
        assert grown.search(question, 5) == rebuilt.search(question, 5)
    grown.save(tmp_path / "kw")
    loaded = KeywordIndex.load(tmp_path / "kw")
    assert loaded.search("harbour budget", 5) == grown.search("harbour budget", 5)
    assert list(loaded.ids) == [1, 3, 4]


def test_allowed_ids_limit_the_results_and_ids_must_grow():
    index = KeywordIndex.empty().add([5, 6, 7], TEXTS[:3])
    assert [i for i, _ in index.search("harbour", 5, allowed=np.array([6]))] == [6]
    try:
        index.add([2], ["older id"])
    except ValueError as exc:
        assert "must grow" in str(exc)
    else:
        raise AssertionError("an id smaller than the stored ones was accepted")
