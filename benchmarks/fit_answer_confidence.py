"""Fit the answer confidence (qa/answer/confidence.py SCORE_WEIGHT, WEIGHTS, BIAS) on NewsQA dev questions.

    .venv/bin/python benchmarks/fit_answer_confidence.py [--questions 281 --unanswerable 150]

For NewsQA dev questions outside the answer benchmark's fixed sample (benchmarks/answers.py
--newsqa-sample 100, seed 0), the answerer's passages are shown to the bundled model with the real
prompt, and its probabilities for each passage number are read at the step where it writes the
number (models.Pick). Some questions are asked a second time with their article taken out of the
index, so that the fit also sees questions the retrieved passages do not answer. Each question's row
(probabilities, sentence scores, which passages hold the answer span, which are copies of one
statement) is kept in benchmarks/.work/confidence-rows.jsonl, so a re-fit costs no model time; the
defaults reproduce the committed weights (581 rows, about 30 minutes of model time from scratch).

Then: SCORE_WEIGHT is the weight that picks a passage holding the answer most often, and the
confidence is a logistic regression on confidence.FEATURES of the picked passage. Questions are split
by article (two thirds to fit, a third to check); the check's risk and coverage at each threshold is
printed, then the weights fitted on all rows, to paste into confidence.py.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from fit_sentence_scorer import newsqa_index, split_by_article

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NEWSQA = ROOT.parent / "shared" / "benchmarks" / "newsqa"
ROWS = ROOT / "benchmarks" / ".work" / "confidence-rows.jsonl"


def cases(limit: int | None) -> tuple[list, list]:
    """Dev questions outside the benchmark's sample: a first draw of 150 (the one the design was tried on)
    and the first `limit` of a fixed shuffled order (the second list)."""
    from qa.evaluate.answers import newsqa_cases

    sample = {c.id for c in newsqa_cases(NEWSQA / "questions.dev.jsonl", 100)}
    rest = [c for c in newsqa_cases(NEWSQA / "questions.dev.jsonl", None) if c.id not in sample]
    first = random.Random(1).sample(rest, 150)
    shuffled = list(rest)
    random.Random(1).shuffle(shuffled)
    return first, shuffled[:limit]


class WithoutArticle:
    """The retriever with one article taken out of every search: its question becomes one the index may
    not answer (another article may still hold the answer span; the labels say so)."""

    def __init__(self, retriever, doc_id: str):
        self.retriever, self.doc_id = retriever, doc_id

    def search(self, question, k=10, **options):
        kept = [e for e in self.retriever.search(question, k=k + 8, **options) if e.doc_id != self.doc_id][:k]
        return [replace(e, rank=rank) for rank, e in enumerate(kept, start=1)]

    def __getattr__(self, name):
        return getattr(self.retriever, name)


def collect(limit: int | None, unanswerable: int) -> list[dict]:
    """One row per question: the model's probabilities for [0]..[n], the passages' scores, which hold the
    answer, which are copies of one statement. The first `unanswerable` questions are asked a second time
    with their article taken out of the index (rows "<qid>-without")."""
    from qa import Retriever
    from qa.answer.answerer import Answerer
    from qa.answer.conflicts import copies
    from qa.answer.models import LlamaCppModel, Pick
    from qa.answer.readers import ModelReader
    from qa.evaluate.answers import contains
    from qa.files import progress

    rows = {}
    if ROWS.exists():
        rows = {r["id"]: r for r in map(json.loads, ROWS.read_text().splitlines())}
    first, shuffled = cases(limit)
    wanted = list({c.id: c for c in first + shuffled}.values())
    without = shuffled[:unanswerable]
    todo = [(c, False) for c in wanted if c.id not in rows]
    todo += [(c, True) for c in without if f"{c.id}-without" not in rows]
    reader = ModelReader(LlamaCppModel())
    retriever = Retriever.load(newsqa_index())

    def shown_of(question: str, without: str | None = None):
        answerer = Answerer(WithoutArticle(retriever, without) if without else retriever, reader)
        candidates, articles = answerer.passages(question, answerer.time_frame(question))
        shown = candidates[:answerer.settings.max_passages]
        return candidates, shown, copies([articles[p.doc_id].text[p.focus_start:p.focus_end] for p in shown])

    if todo:
        ROWS.parent.mkdir(parents=True, exist_ok=True)
        with open(ROWS, "a") as out:
            for case, taken_out in progress(todo, True, "questions", "q"):
                candidates, shown, same = shown_of(case.question, case.gold_doc if taken_out else None)
                if not shown:
                    continue
                seen = {}

                def own_choice(probabilities):  # the model's own number; the fit decides what the code does
                    seen["p"] = probabilities
                    return int(np.argmax(probabilities))

                text = "".join(reader.draft(case.question, shown, 32, Pick(len(shown), own_choice)))
                gold = [any(contains(c.text, a) for part in case.parts for a in part) for c in candidates]
                row = {"id": case.id + ("-without" if taken_out else ""), "doc": case.gold_doc, "q": case.question,
                       "p": seen["p"], "text": text, "scores": [c.score for c in candidates], "gold": gold,
                       "k": len(shown), "same": same}
                rows[row["id"]] = row
                out.write(json.dumps(row) + "\n")
                out.flush()
    ids = [c.id for c in wanted] + [f"{c.id}-without" for c in without]
    return [rows[i] for i in ids if i in rows]


def pick_accuracy(rows: list[dict], weight: float) -> float:
    from qa.answer import confidence

    confidence.SCORE_WEIGHT = weight
    return float(np.mean([r["gold"][confidence.choose(r["p"], r["scores"][:r["k"]], r["same"]) - 1] for r in rows]))


def table(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    from qa.answer import confidence

    x, y = [], []
    for r in rows:
        scores = r["scores"][:r["k"]]
        chosen = confidence.choose(r["p"], scores, r["same"])
        x.append(confidence.features(r["p"], scores, chosen, r["same"]))
        y.append(bool(r["gold"][chosen - 1]))
    return np.array(x), np.array(y, float)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 0.01) -> np.ndarray:
    """Logistic regression (weights, then bias last), L2 on the weights."""
    design = np.hstack([x, np.ones((len(x), 1))])

    def loss(w):
        z = design @ w
        p = 1 / (1 + np.exp(-z))
        value = -np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12)) + l2 * w[:-1] @ w[:-1]
        grad = design.T @ (p - y) / len(y)
        grad[:-1] += 2 * l2 * w[:-1]
        return value, grad

    return minimize(loss, np.zeros(design.shape[1]), jac=True, method="L-BFGS-B").x


def risk_coverage(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> None:
    sure = 1 / (1 + np.exp(-(x @ w[:-1] + w[-1])))
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
        answered = sure >= threshold
        print(f"  min_confidence {threshold}: answered {answered.mean():.0%}, right {np.mean(answered * y):.0%},"
              f" wrong {np.mean(answered * (1 - y)):.0%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=281,
                        help="how many dev questions (outside the sample) after the first 150")
    parser.add_argument("--unanswerable", type=int, default=150,
                        help="how many of those to ask again with their article taken out of the index")
    args = parser.parse_args()
    from qa.answer import confidence
    from qa.answer.confidence import FEATURES

    rows = collect(args.questions, args.unanswerable)
    train, test = split_by_article(rows)
    print(f"a passage holding the answer is shown for {np.mean([any(r['gold'][:r['k']]) for r in rows]):.0%};"
          f" the first holds it for {np.mean([r['gold'][0] for r in rows]):.0%};"
          f" the model's own first choice for {np.mean([r['gold'][int(np.argmax(r['p'][1:]))] for r in rows]):.0%}")
    weights = [0.0, 0.5, 1.0, 2.0, 3.0, 5.0]
    accuracy = {w: pick_accuracy(train, w) for w in weights}
    best = max(weights, key=lambda w: accuracy[w])  # the smallest of equals
    print("pick accuracy by SCORE_WEIGHT on the fit part:", {w: round(a, 3) for w, a in accuracy.items()},
          f"-> {best}; on the check part {pick_accuracy(test, best):.3f}")
    confidence.SCORE_WEIGHT = best  # the pick table() makes
    fitted = fit(*table(train))
    print("on the check part (articles the fit never saw):")
    risk_coverage(*table(test), fitted)
    final = fit(*table(rows))
    print(f"SCORE_WEIGHT = {best}")
    print("WEIGHTS = (" + ", ".join(f"{w:.3f}" for w in final[:-1]) + ")")
    print(f"BIAS = {final[-1]:.3f}")
    for name, weight in zip(FEATURES, final):
        print(f"  {name:16} {weight:+.3f}")


if __name__ == "__main__":
    main()
