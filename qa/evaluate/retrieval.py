"""Measure retrieval against labelled questions: hit@1/@5, MRR@10, nDCG@10, Recall@100, latency."""

from __future__ import annotations

import csv
import json
import math
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..files import progress as progress_items
from ..retrieve.retriever import Retriever


@dataclass
class LabelledQuestion:
    """A question and the articles (doc_ids, with graded relevance) that answer it."""

    question: str
    relevant: dict[str, int]
    answers: list[str] = field(default_factory=list)
    kind: str = ""


def load_questions(path: str | Path) -> list[LabelledQuestion]:
    """The project's JSONL: {"question", "relevant": [doc_id...], "answers"?: [...], "kind"?}."""
    questions = []
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(LabelledQuestion(row["question"], {d: 1 for d in row.get("relevant", [])},
                                              row.get("answers", []), row.get("kind", "")))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a labelled question ({exc})") from None
    return questions


def load_beir(folder: str | Path, split: str = "train") -> list[LabelledQuestion]:
    """BEIR layout: queries.jsonl and qrels/<split>.tsv (query-id, corpus-id, score)."""
    folder = Path(folder)
    texts = {}
    for line in (folder / "queries.jsonl").read_text().splitlines():
        row = json.loads(line)
        texts[str(row["_id"])] = row["text"]
    relevant: dict[str, dict[str, int]] = {}
    with open(folder / "qrels" / f"{split}.tsv", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if int(row["score"]) > 0:
                relevant.setdefault(row["query-id"].strip(), {})[row["corpus-id"].strip()] = int(row["score"])
    return [LabelledQuestion(texts[q], docs) for q, docs in relevant.items()]


def ranked_docs(excerpts) -> list[str]:
    """Article ids in order of their best excerpt."""
    return list(dict.fromkeys(e.doc_id for e in excerpts))


def answer_rank(excerpts, answers: list[str]) -> int | None:
    """Index of the first excerpt that contains an expected answer phrase."""
    wanted = [a.lower() for a in answers]
    return next((i for i, e in enumerate(excerpts) if any(a in e.text.lower() for a in wanted)), None)


def ndcg(ranking: list[str], relevant: dict[str, int], k: int) -> float:
    gains = sum(relevant.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranking[:k]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(relevant.values(), reverse=True)[:k]))
    return gains / ideal if ideal else 0.0


def score(rankings: list[list[str]], questions: list[LabelledQuestion],
          answer_ranks: list[int | None] | None = None) -> dict[str, float]:
    """The metrics averaged over questions that have relevant articles.

    hit/MRR/nDCG/recall are over articles; answer@1/@5 (when questions carry answer phrases)
    count questions whose first or first five excerpts contain an expected phrase.
    """
    totals = {"hit@1": 0.0, "hit@5": 0.0, "mrr@10": 0.0, "ndcg@10": 0.0, "recall@100": 0.0}
    for ranking, q in zip(rankings, questions):
        first = next((i for i, d in enumerate(ranking) if d in q.relevant), None)
        totals["hit@1"] += first == 0
        totals["hit@5"] += first is not None and first < 5
        totals["mrr@10"] += 1 / (first + 1) if first is not None and first < 10 else 0.0
        totals["ndcg@10"] += ndcg(ranking, q.relevant, 10)
        totals["recall@100"] += len(set(ranking[:100]) & set(q.relevant)) / len(q.relevant)
    metrics = {name: value / max(1, len(questions)) for name, value in totals.items()}
    with_answers = [r for r, q in zip(answer_ranks or [], questions) if q.answers]
    if with_answers:
        metrics["answer@1"] = sum(r == 0 for r in with_answers) / len(with_answers)
        metrics["answer@5"] = sum(r is not None and r < 5 for r in with_answers) / len(with_answers)
    return metrics


def evaluate(retriever: Retriever, questions: list[LabelledQuestion], modes: list[str],
             depth: int = 300, progress: bool = False) -> dict[str, dict[str, float]]:
    """Per mode: the metrics, plus query latency p50/p95 in milliseconds (one query at a time)."""
    answerable = [q for q in questions if q.relevant]
    if answerable:
        retriever.search(answerable[0].question, k=1)  # load the model before timing
    results = {}
    for mode in modes:
        rankings, answer_ranks, latencies = [], [], []
        for q in progress_items(answerable, progress, mode, "q"):
            started = time.perf_counter()
            excerpts = retriever.search(q.question, k=depth, mode=mode)
            latencies.append((time.perf_counter() - started) * 1000)
            rankings.append(ranked_docs(excerpts))
            answer_ranks.append(answer_rank(excerpts, q.answers))
        metrics = score(rankings, answerable, answer_ranks)
        metrics["p50_ms"] = statistics.median(latencies) if latencies else 0.0
        metrics["p95_ms"] = statistics.quantiles(latencies, n=20)[18] if len(latencies) > 1 else metrics["p50_ms"]
        results[mode] = metrics
    return results


def format_table(results: dict[str, dict[str, float]]) -> str:
    columns = [c for c in ("answer@1", "answer@5", "hit@1", "hit@5", "mrr@10", "ndcg@10", "recall@100",
                           "p50_ms", "p95_ms") if c in next(iter(results.values()), {})]
    lines = ["mode     " + "".join(f"{c:>11}" for c in columns)]
    for mode, metrics in results.items():
        lines.append(f"{mode:<9}" + "".join(
            f"{metrics[c]:>11.1f}" if c.endswith("_ms") else f"{metrics[c]:>11.3f}" for c in columns))
    return "\n".join(lines)
