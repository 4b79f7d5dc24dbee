"""The sentence ranker: the adapter merged into the base weights, its scores, and how passages.py uses them."""

import numpy as np
import pytest

from qa.config import BUNDLED_MODEL
from qa.index.embed import resolve_model
from qa.answer.passages import RANKER_WEIGHT, WEIGHTS, rank_sentences
from qa.answer.sentence_ranker import BUNDLED_ADAPTER, AdapterRanker, merged_weights
from qa.records import Article, Excerpt
from qa.retrieve.rerank import Reranker, reranker_for
from tests.conftest import FakeEmbedder

TEXT = ("The council met on Tuesday to discuss the budget. The mayor, Ana Ruiz, said the city would hire "
        "forty new teachers next year. Residents complained about parking near the town hall. "
        "The meeting ended after three hours.")
ARTICLES = {"d.txt": Article("d.txt", "Budget", TEXT, "s")}
EXCERPTS = [Excerpt(rank=1, score=1.0, text=TEXT, doc_id="d.txt", title="Budget", source="s", date=None,
                    start=0, end=len(TEXT), chunk_id=1)]


class Prefers(Reranker):
    """Scores a sentence by whether it holds a word; records what it was asked."""

    def __init__(self, word: str):
        self.word, self.asked = word, []

    def score(self, question, texts):
        self.asked.append((question, list(texts)))
        return [10.0 if self.word in t else 0.0 for t in texts]


def test_the_adapter_update_and_trained_tensors_replace_the_base_weights():
    base = {"l.weight": np.zeros((3, 2), np.float32), "l.bias": np.ones(3, np.float32),
            "other.weight": np.full((2, 2), 7.0, np.float32)}
    adapter = {"l.lora_a": np.array([[1.0, 2.0]], np.float16), "l.lora_b": np.array([[1.0], [0.0], [2.0]], np.float16),
               "l.bias": np.array([5.0, 5.0, 5.0], np.float32)}
    merged = merged_weights(base, adapter, scale=2.0)
    assert np.allclose(merged["l.weight"], 2.0 * np.array([[1, 2], [0, 0], [2, 4]]))
    assert np.allclose(merged["l.bias"], 5.0) and np.allclose(merged["other.weight"], 7.0)
    assert np.allclose(base["l.weight"], 0.0)  # the base's own arrays are left alone
    with pytest.raises(ValueError, match="bert.l.lora_a"):  # named otherwise than the base: never silently unused
        merged_weights(base, {"bert.l.lora_a": adapter["l.lora_a"], "bert.l.lora_b": adapter["l.lora_b"]}, 2.0)


def test_the_ranker_reorders_sentences_and_the_best_scored_keeps_its_score():
    plain = rank_sentences("Who said the city would hire teachers?", EXCERPTS, ARTICLES, FakeEmbedder())
    ranker = Prefers("parking")
    ranked = rank_sentences("Who said the city would hire teachers?", EXCERPTS, ARTICLES, FakeEmbedder(), ranker)
    assert ranker.asked[0][0] == "Who said the city would hire teachers?" and len(ranker.asked[0][1]) == 4
    assert "parking" not in plain[0].text and "parking" in ranked[0].text
    best = plain[0]
    again = next(s for s in ranked if s.text == best.text)
    assert again.score == pytest.approx(float(best.features @ WEIGHTS))
    parking = next(s for s in ranked if "parking" in s.text)
    assert parking.score == pytest.approx(float(parking.features @ WEIGHTS) + RANKER_WEIGHT * 10.0)


def test_rankers_are_found_by_spec_and_a_missing_adapter_is_named():
    assert isinstance(reranker_for("adapter:bundled"), AdapterRanker)
    assert reranker_for("adapter:bundled") is reranker_for("adapter:bundled")  # loaded once, not per answer
    assert reranker_for("none") is None and reranker_for(None) is None
    assert BUNDLED_ADAPTER.stat().st_size < 5_000_000  # an adapter, not a copy of the model
    with pytest.raises(FileNotFoundError, match="nowhere.safetensors"):
        reranker_for("adapter:/tmp/nowhere.safetensors")


def test_the_bundled_ranker_prefers_the_answering_sentence():
    ranker = AdapterRanker()
    sentences = [s for s in (t.strip() + "." for t in TEXT.split(".")) if len(s) > 1]
    for question, answer in (("How many teachers will the city hire?", 1),
                             ("What did residents complain about?", 2),
                             ("How long did the meeting last?", 3)):
        scores = ranker.score(question, sentences)
        assert int(np.argmax(scores)) == answer, (question, scores)
    assert ranker.score("anything", []) == []


def test_the_int8_export_scores_as_the_float_model_does():
    import torch
    from transformers import AutoModel, AutoTokenizer

    ranker = AdapterRanker()
    question = "Who is the mayor?"
    sentences = [s for s in (t.strip() + "." for t in TEXT.split(".")) if len(s) > 1]
    model = AutoModel.from_pretrained(str(ranker.folder)).eval()  # the merged weights, in float
    tokenizer = AutoTokenizer.from_pretrained(resolve_model(BUNDLED_MODEL))
    batch = tokenizer([question] * len(sentences), sentences, padding=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    weight, bias = ranker.head
    exact = ((hidden * mask).sum(1) / mask.sum(1)).numpy() @ weight + bias
    assert np.allclose(ranker.score(question, sentences), exact, atol=0.35)
    assert int(np.argmax(exact)) == int(np.argmax(ranker.score(question, sentences))) == 1
