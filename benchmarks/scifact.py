"""Index BEIR SciFact (read from ../shared, never copied) and score dense, BM25 and hybrid retrieval.

    .venv/bin/python benchmarks/scifact.py [--scifact PATH] [--work DIR] [--fresh]

Prints the indexing figures (time, chunks, chunks/s) and, per retrieval mode, nDCG@10,
Recall@100, MRR@10 and query latency on the train split.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scifact", default=str(ROOT.parent / "shared" / "benchmarks" / "scifact"))
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / ".work" / "scifact"))
    parser.add_argument("--fresh", action="store_true", help="delete the index first (time a full build)")
    parser.add_argument("--split", default="train")
    args = parser.parse_args()

    from qa import build_index
    from qa.evaluate import evaluate, format_table, load_beir
    from qa.retrieve import Retriever, SearchSettings

    scifact, work = Path(args.scifact), Path(args.work)
    articles, index = work / "articles", work / "index"
    if args.fresh:
        shutil.rmtree(index, ignore_errors=True)
    articles.mkdir(parents=True, exist_ok=True)
    link = articles / "corpus.jsonl"
    if not link.exists():
        os.symlink((scifact / "corpus.jsonl").resolve(), link)

    report = build_index(articles, index, progress=True)
    print(report.summary())
    print(f"index: {report.seconds:.1f}s, {report.chunks_total} chunks, "
          f"{report.chunks_embedded / report.seconds if report.seconds else 0:.1f} chunks/s end to end")

    questions = load_beir(scifact, args.split)
    retriever = Retriever.load(index)
    results = evaluate(retriever, questions, ["dense", "bm25", "hybrid"], progress=True)
    retriever.settings = SearchSettings(fusion="rrf")  # the alternative to the default weighted fusion
    results["hybrid-rrf"] = evaluate(retriever, questions, ["hybrid"])["hybrid"]
    print(f"SciFact {args.split}: {len(questions)} queries")
    print(format_table(results))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - started:.0f}s")
