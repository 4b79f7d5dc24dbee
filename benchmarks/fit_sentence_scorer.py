"""Fit the sentence scorer's weights (qa/answer/passages.py WEIGHTS) on NewsQA dev questions.

    .venv/bin/python benchmarks/fit_sentence_scorer.py [--questions N]

Indexes the 638 NewsQA articles (once, under benchmarks/.work/newsqa/), retrieves for each dev
question as the answerer does, computes every sentence's features, and fits a listwise logistic
regression: the weights that make a sentence holding the answer span the likeliest of its
question's sentences. Questions are split by article (two thirds to fit, a third to check), so the
check is on articles the fit never saw, as the held-out NewsQA half is. Prints sentence recall@k
for the current weights and the fitted ones, and the fitted weights to paste into passages.py.
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NEWSQA = ROOT.parent / "shared" / "benchmarks" / "newsqa"
WORK = ROOT / "benchmarks" / ".work" / "newsqa"


def newsqa_index() -> Path:
    from qa.index.build import build_index

    articles = WORK / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    link = articles / "articles.jsonl"
    if not link.exists():
        link.symlink_to(NEWSQA / "articles.jsonl")
    build_index(articles, WORK / "index", progress=True, log=lambda message: None)
    return WORK / "index"


def collect(limit: int | None) -> list[dict]:
    from qa import Retriever
    from qa.answer import passages
    from qa.evaluate.answers import contains, newsqa_cases

    cache = WORK / "sentence-rows.pkl"
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    retriever = Retriever.load(newsqa_index())
    passages.TYPED_CANDIDATES = 10**6  # every sentence's answer type, so the fit sees the feature everywhere
    rows = []
    cases = newsqa_cases(NEWSQA / "questions.dev.jsonl", sample=limit)
    for number, case in enumerate(cases):
        excerpts = retriever.search(case.question, k=8)
        articles = retriever.articles({e.doc_id for e in excerpts})
        sentences = passages.sentences_of(excerpts, articles)
        passages.score_sentences(case.question, sentences, articles, retriever.embedder)
        labels = [any(contains(s.text, g) for g in case.parts[0]) for s in sentences]
        rows.append({"id": case.id, "doc": case.gold_doc, "question": case.question,
                     "texts": [s.text for s in sentences], "features": np.array([s.features for s in sentences]),
                     "labels": np.array(labels, bool)})
        if number % 50 == 0:
            print(f"{number}/{len(cases)} questions", flush=True)
    cache.write_bytes(pickle.dumps(rows))
    return rows


def recall(rows: list[dict], weights: np.ndarray, ks=(1, 2, 3, 5)) -> dict[int, float]:
    hits = {k: 0 for k in ks}
    for row in rows:
        if not len(row["labels"]):
            continue
        order = np.argsort(-(row["features"] @ weights), kind="stable")
        for k in ks:
            hits[k] += bool(row["labels"][order[:k]].any())
    return {k: round(v / len(rows), 3) for k, v in hits.items()}


def fit(rows: list[dict], l2: float = 0.01) -> np.ndarray:
    usable = [r for r in rows if r["labels"].any()]
    width = usable[0]["features"].shape[1]

    def loss(w):
        total, grad = 0.0, np.zeros(width)
        for r in usable:
            z = r["features"] @ w
            z -= z.max()
            p = np.exp(z) / np.exp(z).sum()
            total -= np.log(np.clip(p[r["labels"]].sum(), 1e-12, None))
            # gradient of -log sum_{gold} p = E_p[x] - E_{p|gold}[x]
            q = p * r["labels"]
            q /= q.sum()
            grad += r["features"].T @ p - r["features"].T @ q
        return total / len(usable) + l2 * w @ w, grad / len(usable) + 2 * l2 * w

    return minimize(loss, np.zeros(width), jac=True, method="L-BFGS-B").x


def split_by_article(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Two thirds of the questions to fit and a third to check, split by article, so the check is on
    articles the fit never saw, as the held-out NewsQA half is."""
    docs = sorted({r["doc"] for r in rows})
    random.Random(0).shuffle(docs)
    held = set(docs[: len(docs) // 3])
    train = [r for r in rows if r["doc"] not in held]
    test = [r for r in rows if r["doc"] in held]
    print(f"{len(rows)} questions: {len(train)} to fit, {len(test)} on other articles to check")
    return train, test


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=None, help="use a sample of this many dev questions")
    args = parser.parse_args()
    from qa.answer.passages import FEATURES, WEIGHTS

    rows = collect(args.questions)
    train, test = split_by_article(rows)
    print("current weights  fit:", recall(train, WEIGHTS), " check:", recall(test, WEIGHTS))
    fitted = fit(train)
    print("fitted weights   fit:", recall(train, fitted), " check:", recall(test, fitted))
    final = fit(rows)
    print("on all questions:", recall(rows, final))
    print("WEIGHTS = np.array([" + ", ".join(f"{w:.3f}" for w in final) + "], dtype=np.float32)")
    for name, weight in zip(FEATURES, final):
        print(f"  {name:26} {weight:+.3f}")


if __name__ == "__main__":
    main()
