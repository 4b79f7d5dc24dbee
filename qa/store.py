"""The index folder: FAISS vectors, chunk records, article metadata and a manifest, written atomically.

Layout: index/CURRENT names the live generation folder (index/gen-000042/), which holds
manifest.json, vectors.faiss (dense), keywords/ (BM25), tokens.jsonl (BM25 terms per chunk),
chunks.jsonl and articles.jsonl. A new generation is written
beside the old one and CURRENT is swapped with one atomic rename, so a reader (or a crash)
only ever sees the complete old index or the complete new one.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from .config import FORMAT_VERSION
from .keyword import KeywordIndex, load_tokens, save_tokens
from .records import Article, Chunk

CURRENT = "CURRENT"
LOCK = ".lock"
FILES = ("manifest.json", "vectors.faiss", "chunks.jsonl", "articles.jsonl", "tokens.jsonl", "keywords/ids.npy")


class IndexFolderError(Exception):
    """The index folder is missing, damaged, or from another model or format."""


@dataclass
class IndexData:
    """Everything one generation of the index holds, in memory."""

    manifest: dict
    articles: dict[str, Article] = field(default_factory=dict)
    chunks: dict[int, Chunk] = field(default_factory=dict)
    vectors: faiss.Index | None = None
    tokens: dict[int, list[str]] = field(default_factory=dict)  # BM25 terms per chunk id
    keywords: KeywordIndex | None = None

    @classmethod
    def empty(cls, manifest: dict, dim: int) -> IndexData:
        return cls(manifest=manifest, vectors=exact_index(dim))


# Below EXACT_LIMIT vectors, exact search takes a few ms; above it, an inverted file (IVF) scans
# only the nprobe nearest of its lists. The gap between the two limits keeps an index that grows
# and shrinks around the threshold from being rebuilt back and forth.
EXACT_LIMIT = 200_000
BACK_TO_EXACT = 100_000
IVF_NPROBE = 48


def exact_index(dim: int) -> faiss.Index:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def ivf_lists(count: int) -> int:
    """About 4 * sqrt(n) lists, a power of two: 4,096 for a million vectors."""
    return 1 << max(8, round(np.log2(4 * np.sqrt(count))))


def describe(index: faiss.Index) -> dict:
    """What the manifest records about the dense index."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        return {"type": "Flat (exact inner product)", "vectors": int(index.ntotal)}
    return {"type": f"IVF{ivf.nlist},Flat", "nprobe": int(ivf.nprobe), "vectors": int(index.ntotal)}


def sized_index(index: faiss.Index) -> faiss.Index:
    """The index type that suits its size: index itself, or its vectors moved to the other type."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None and index.ntotal < EXACT_LIMIT or ivf is not None and index.ntotal >= BACK_TO_EXACT:
        return index
    ids = stored_ids(index)
    vectors = vectors_of(index, ids.tolist())
    if ivf is not None:
        exact = exact_index(index.d)
        exact.add_with_ids(vectors, ids)
        return exact
    lists = ivf_lists(len(ids))
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(index.d), index.d, lists, faiss.METRIC_INNER_PRODUCT)
    sample = vectors[np.random.default_rng(0).choice(len(vectors), min(len(vectors), 64 * lists), replace=False)]
    ivf.train(sample)
    ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct by id, for reusing vectors
    ivf.add_with_ids(vectors, ids)
    ivf.nprobe = IVF_NPROBE
    return ivf


def stored_ids(index: faiss.Index) -> np.ndarray:
    """Every id stored in the dense index, whichever type it is."""
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is None:
        return faiss.vector_to_array(index.id_map)
    invlists = ivf.invlists
    return np.concatenate([faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
                           for i in range(invlists.nlist) if invlists.list_size(i)] or [np.zeros(0, np.int64)])


def current_generation(folder: Path) -> Path | None:
    pointer = folder / CURRENT
    if not pointer.exists():
        return None
    name = pointer.read_text().strip()
    if not name.startswith("gen-") or "/" in name:
        raise IndexFolderError(f"{pointer}: does not name an index generation ({name[:40]!r})")
    return folder / name


def read_manifest(folder: str | Path) -> dict | None:
    """The live manifest, or None when the folder holds no index yet."""
    generation = current_generation(Path(folder))
    if generation is None:
        return None
    try:
        return json.loads((generation / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise IndexFolderError(f"{generation / 'manifest.json'}: unreadable ({exc})") from None


def read_index(folder: str | Path) -> IndexData:
    """Load the live generation; raises IndexFolderError with the file and the problem."""
    folder = Path(folder)
    for attempt in range(3):  # a writer may retire the generation between our two reads
        generation = current_generation(folder)
        if generation is None:
            raise IndexFolderError(f"{folder}: no index here yet (run `qa index`)")
        try:
            return read_generation(generation)
        except FileNotFoundError:
            if attempt == 2 or current_generation(folder) == generation:
                raise IndexFolderError(f"{generation}: index files missing") from None
    raise AssertionError("unreachable")


def read_generation(generation: Path) -> IndexData:
    def fail(name: str, problem: str) -> IndexFolderError:
        return IndexFolderError(f"{generation / name}: {problem}")

    for name in FILES:
        if not (generation / name).exists():
            raise FileNotFoundError(generation / name)
    try:
        manifest = json.loads((generation / "manifest.json").read_text())
    except ValueError as exc:
        raise fail("manifest.json", f"not valid JSON ({exc})") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise fail("manifest.json", f"format version {manifest.get('format_version')!r}, "
                                    f"this program reads {FORMAT_VERSION}")
    articles: dict[str, Article] = {}
    chunks: dict[int, Chunk] = {}
    try:
        for line in (generation / "articles.jsonl").read_text().splitlines():
            article = Article(**json.loads(line))
            articles[article.doc_id] = article
        for line in (generation / "chunks.jsonl").read_text().splitlines():
            record = json.loads(line)
            article = articles[record["doc_id"]]
            text = article.text[record["start"]:record["end"]]
            chunks[record["id"]] = Chunk(doc_id=record["doc_id"], start=record["start"], end=record["end"],
                                         text=text, embed_text=f"{article.title}\n{text}", id=record["id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise fail("chunks.jsonl' or 'articles.jsonl", f"damaged record ({exc!r})") from None
    try:
        vectors = faiss.read_index(str(generation / "vectors.faiss"))
        ivf = faiss.try_extract_index_ivf(vectors)
        if ivf is not None:
            ivf.nprobe = int(manifest.get("dense_index", {}).get("nprobe", IVF_NPROBE))
    except RuntimeError as exc:
        raise fail("vectors.faiss", f"not a readable FAISS index ({str(exc).splitlines()[0][:120]})") from None
    if vectors.ntotal != len(chunks) or vectors.d != manifest.get("dim"):
        raise fail("vectors.faiss", f"holds {vectors.ntotal} vectors of dimension {vectors.d}, "
                                    f"but the manifest lists {len(chunks)} chunks of dimension {manifest.get('dim')}")
    try:
        tokens = load_tokens(generation / "tokens.jsonl")
        keywords = KeywordIndex.load(generation / "keywords")
    except (ValueError, OSError) as exc:
        raise fail("keywords", f"damaged BM25 index ({exc!r})") from None
    if set(tokens) != set(chunks) or len(keywords.ids) != len(chunks):
        raise fail("tokens.jsonl", "BM25 terms do not match the chunk records")
    return IndexData(manifest=manifest, articles=articles, chunks=chunks, vectors=vectors,
                     tokens=tokens, keywords=keywords)


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_index(folder: str | Path, data: IndexData) -> Path:
    """Write data as a new generation and make it live in one atomic step; returns its folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".tmp-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    try:
        manifest = dict(data.manifest, format_version=FORMAT_VERSION, written_at=time.time(),
                        chunk_hashes={str(i): c.hash for i, c in data.chunks.items()},
                        article_hashes={d: a.hash for d, a in data.articles.items()})
        data.vectors = sized_index(data.vectors)
        manifest["dense_index"] = describe(data.vectors)
        faiss.write_index(data.vectors, str(staging / "vectors.faiss"))
        with open(staging / "articles.jsonl", "w") as out:
            for article in data.articles.values():
                out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        with open(staging / "chunks.jsonl", "w") as out:
            for chunk in data.chunks.values():
                out.write(json.dumps({"id": chunk.id, "doc_id": chunk.doc_id, "start": chunk.start,
                                      "end": chunk.end}) + "\n")
        save_tokens(staging / "tokens.jsonl", data.tokens)
        data.keywords = KeywordIndex.build(data.tokens)
        data.keywords.save(staging / "keywords")
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=1))
        for path in staging.rglob("*"):
            if path.is_file():
                fsync_path(path)
        previous = current_generation(folder)
        number = int(previous.name.split("-")[1]) + 1 if previous else 1
        generation = folder / f"gen-{number:06d}"
        while generation.exists():  # left by a run that died before its swap
            number += 1
            generation = folder / f"gen-{number:06d}"
        os.rename(staging, generation)
        pointer = folder / f".{CURRENT}.{uuid.uuid4().hex[:8]}"
        pointer.write_text(generation.name + "\n")
        fsync_path(pointer)
        os.replace(pointer, folder / CURRENT)
        fsync_path(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    data.manifest = manifest
    remove_stale(folder, keep={generation.name, previous.name if previous else ""})
    return generation


def remove_stale(folder: Path, keep: set[str]) -> None:
    """Drop generations other than keep, and leftovers of interrupted writes (caller holds the lock)."""
    for path in folder.iterdir():
        if path.name in keep:
            continue
        if path.name.startswith(("gen-", ".tmp-")) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(f".{CURRENT}."):
            path.unlink(missing_ok=True)


@contextmanager
def locked(folder: str | Path, wait: bool = True, on_wait=None) -> Iterator[None]:
    """Hold the index folder's write lock; a second writer waits for it (or fails when wait=False)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise IndexFolderError(f"{folder}: another `qa index` is updating this index") from None
            if on_wait:
                on_wait(f"{folder}: another `qa index` is updating this index; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def vectors_of(index: faiss.Index, ids: list[int]) -> np.ndarray:
    """Stored vectors by FAISS id (exact for the flat index)."""
    if not ids:
        return np.zeros((0, index.d), dtype=np.float32)
    return index.reconstruct_batch(np.asarray(ids, dtype=np.int64))
