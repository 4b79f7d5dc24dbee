"""Index BEIR SciFact (read from ../shared, never copied) and score dense, BM25 and hybrid retrieval.

    .venv/bin/python benchmarks/scifact.py [--model NAME] [--fresh] [--bare] [--scifact PATH] [--work DIR]
    .venv/bin/python benchmarks/scifact.py --store milvus-lite      # the same through Milvus Lite (embedded)

Prints the indexing figures (time, chunks, chunks/s; with --bare also a bare encode of the same
chunk texts, and the pipeline's overhead over it), the incremental figures (one article added,
an unchanged re-run in-process and as a fresh `qa index` process, the article removed), and, per
retrieval mode, nDCG@10, Recall@100, MRR@10 and query latency on the train split.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scifact", default=str(ROOT.parent / "shared" / "benchmarks" / "scifact"))
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / ".work" / "scifact"))
    parser.add_argument("--fresh", action="store_true", help="delete the index first (time a full build)")
    parser.add_argument("--split", default="train")
    parser.add_argument("--model", default=None, help="embedding model (default: the project's default)")
    parser.add_argument("--bare", action="store_true", help="also time a bare encode of the same chunk texts")
    parser.add_argument("--limit", type=int, default=None, help="index only the first N articles (no scores)")
    parser.add_argument("--store", choices=("folder", "milvus-lite"), default="folder",
                        help="where the index lives: the folder store, or Milvus Lite embedded (a .db)")
    args = parser.parse_args()

    from qa import build_index
    from qa.config import DEFAULT_MODEL
    from qa.evaluate.retrieval import evaluate, format_table, load_beir
    from qa.index.embed import embedder_for
    from qa.retrieve.retriever import Retriever, SearchSettings

    model = args.model or DEFAULT_MODEL
    embedder = embedder_for(model)
    scifact = Path(args.scifact)
    work = Path(args.work) / (model.replace("/", "__") + (f"-first{args.limit}" if args.limit else ""))
    articles = work / "articles"
    index = work / ("index" if args.store == "folder" else "milvus.db")
    if args.fresh:
        shutil.rmtree(index, ignore_errors=True)
    articles.mkdir(parents=True, exist_ok=True)
    link = articles / "corpus.jsonl"
    if args.limit:  # a working copy of the first N lines, kept under .work (never committed)
        with open(scifact / "corpus.jsonl") as corpus:
            link.write_text("".join(line for _, line in zip(range(args.limit), corpus)))
    elif not link.exists():
        os.symlink((scifact / "corpus.jsonl").resolve(), link)

    report = build_index(articles, index, model=embedder, progress=True)
    print(report.summary())
    print(f"index ({model}): {report.seconds:.1f}s, {report.chunks_total} chunks, "
          f"{report.chunks_embedded / report.seconds if report.seconds else 0:.1f} chunks/s end to end; "
          f"near-duplicate grouping {report.grouping_seconds:.1f}s "
          f"({100 * report.grouping_seconds / max(report.seconds, 1e-9):.1f}% of the build)")
    if args.bare:
        bare_encode(embedder, index, report.seconds if report.chunks_embedded == report.chunks_total else None)
    incremental(embedder, articles, index, fresh_process=args.store == "folder")
    if args.limit:
        return

    questions = load_beir(scifact, args.split)
    retriever = Retriever.load(index, embedder=embedder)
    results = evaluate(retriever, questions, ["dense", "bm25", "hybrid"], progress=True)
    retriever.settings = SearchSettings(fusion="rrf")  # the alternative to the default weighted fusion
    results["hybrid-rrf"] = evaluate(retriever, questions, ["hybrid"])["hybrid"]
    print(f"SciFact {args.split}: {len(questions)} queries")
    print(format_table(results))
    retriever.settings = SearchSettings()
    app_latency(retriever, [q.question for q in questions])


def app_latency(retriever, questions: list[str], k: int = 10) -> None:
    """Hybrid search as the app and `qa search` run it (k=10, default settings), one query at a time."""
    import statistics

    for question in questions[:20]:
        retriever.search(question, k=k)
    times = []
    for question in questions:
        started = time.perf_counter()
        retriever.search(question, k=k)
        times.append((time.perf_counter() - started) * 1000)
    print(f"hybrid search, k={k}, query embedding included: p50 {statistics.median(times):.1f} ms, "
          f"p95 {statistics.quantiles(times, n=20)[-1]:.1f} ms over {len(times)} queries")


def bare_encode(embedder, index: Path, pipeline_seconds: float | None) -> None:
    """The same chunk texts through the model alone: sentence-transformers' encode, or the ONNX session."""
    from qa.index.embed import SentenceTransformerEmbedder
    from qa.stores import open_store

    store = open_store(index)
    texts = [c.embed_text for c in store.chunks(range(store.manifest.get("next_id", store.count()))).values()]
    started = time.perf_counter()
    if isinstance(embedder, SentenceTransformerEmbedder):
        embedder.model.encode(texts, batch_size=embedder.batch_size, normalize_embeddings=True,
                              convert_to_numpy=True, show_progress_bar=True)
        how = "SentenceTransformer.encode"
    else:
        embedder.embed(texts, progress=True)
        how = f"{type(embedder).__name__}.embed"
    seconds = time.perf_counter() - started
    print(f"bare {how}: {len(texts)} chunk texts in {seconds:.1f}s, {len(texts) / seconds:.1f} chunks/s")
    if pipeline_seconds:
        print(f"pipeline overhead over the bare encode: {100 * (pipeline_seconds / seconds - 1):+.1f}%")


def incremental(embedder, articles: Path, index: Path, fresh_process: bool = True) -> None:
    """Add one article, re-run unchanged (in-process and as a fresh `qa index`), remove it again."""
    import json

    from qa import build_index

    extra = articles / "one-more.jsonl"
    extra.write_text(json.dumps({"id": "one-more", "title": "Vitamin D and fracture risk in older adults",
                                 "text": "A randomised trial of 2,000 adults over 70 found that daily vitamin D "
                                         "did not lower the rate of hip fractures. " * 3}) + "\n")
    for label in ("add one article", "unchanged re-run"):
        report = build_index(articles, index, model=embedder, log=lambda message: None)
        print(f"{label} (model loaded): {report.seconds:.2f}s, {report.chunks_embedded} chunks embedded")
    if fresh_process:  # (an embedded Milvus Lite .db is held by this process)
        extra.write_text(extra.read_text().replace("did not lower", "did not reduce"))
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "qa"), "index", "--articles", str(articles), "--index",
                        str(index), "--model", embedder.name], check=True, capture_output=True)
        print(f"one article changed, as a fresh `qa index` process: {time.perf_counter() - started:.2f}s")
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "qa"), "index", "--articles", str(articles), "--index",
                        str(index), "--model", embedder.name], check=True, capture_output=True)
        print(f"unchanged re-run as a fresh `qa index` process: {time.perf_counter() - started:.2f}s")
    extra.unlink()
    report = build_index(articles, index, model=embedder, log=lambda message: None)
    print(f"remove one article (model loaded): {report.seconds:.2f}s")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - started:.0f}s")
