"""The folder store (the default): one folder per index, FAISS vectors and a BM25 matrix, written atomically.

Layout: index/CURRENT names the live generation folder (index/gen-000042/), which holds
manifest.json, vectors.faiss (dense), keywords/ (the BM25 matrix and its vocabulary),
chunks.jsonl and articles.jsonl. An update is staged in memory, written as a new generation
beside the old one, and CURRENT is swapped with one atomic rename, so a reader (or a crash)
only ever sees the complete old index or the complete new one. The last generation read or
written stays in memory, so a warm process updates and reopens without reading it back.
"""

from __future__ import annotations

import copy
import fcntl
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import faiss
import numpy as np

from ..config import FORMAT_VERSION
from ..files import atomic_write, fsync_path
from ..records import Article, ArticleRow, Chunk, Filters, embed_text
from .base import STORES, ArticleStamp, IndexFolderError, Store, StoreWriter
from .bm25 import KeywordIndex

CURRENT = "CURRENT"
LOCK = ".lock"
FILES = ("manifest.json", "vectors.faiss", "chunks.jsonl", "articles.jsonl", "keywords/bm25.npz",
         "keywords/vocabulary.json")

# Below EXACT_LIMIT vectors, exact search takes a few ms; above it, an inverted file (IVF) scans
# only the nprobe nearest of its lists. The gap between the two limits keeps an index that grows
# and shrinks around the threshold from being rebuilt back and forth.
EXACT_LIMIT = 200_000
BACK_TO_EXACT = 100_000
IVF_NPROBE = 48


@dataclass
class IndexData:
    """Everything one generation of the index holds, in memory. Shared read-only once published."""

    manifest: dict
    articles: dict[str, Article] = field(default_factory=dict)
    chunks: dict[int, Chunk] = field(default_factory=dict)
    vectors: faiss.Index | None = None
    keywords: KeywordIndex = field(default_factory=KeywordIndex.empty)

    @classmethod
    def empty(cls, manifest: dict, dim: int) -> IndexData:
        return cls(manifest=manifest, vectors=exact_index(dim))

    def copy(self) -> IndexData:
        """A copy to stage an update on; the vectors are cloned, the records shared (they are not mutated)."""
        return IndexData(copy.deepcopy(self.manifest), dict(self.articles), dict(self.chunks),
                         faiss.clone_index(self.vectors), self.keywords)

    @cached_property
    def chunks_by_doc(self) -> dict[str, np.ndarray]:
        by_doc: dict[str, list[int]] = {}
        for chunk_id, chunk in self.chunks.items():
            by_doc.setdefault(chunk.doc_id, []).append(chunk_id)
        return {d: np.asarray(ids, np.int64) for d, ids in by_doc.items()}

    @cached_property
    def ids_by_hash(self) -> dict[str, int]:
        return {chunk.hash: chunk_id for chunk_id, chunk in self.chunks.items()}

    @cached_property
    def article_columns(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """doc_ids, dates ("" when none) and lower-cased sources as arrays, for vectorised filters."""
        doc_ids = list(self.articles)
        dates = np.asarray([self.articles[d].date or "" for d in doc_ids], dtype="U10")
        sources = np.asarray([f"{self.articles[d].source} {self.articles[d].outlet or ''}".lower() for d in doc_ids],
                             dtype=str)
        return doc_ids, dates, sources

    @cached_property
    def newest_date(self) -> str | None:
        return max((a.date for a in self.articles.values() if a.date), default=None)

    def allowed_ids(self, filters: Filters) -> np.ndarray:
        """Chunk ids of the articles that pass the filters (a selection over articles, not chunks)."""
        doc_ids, dates, sources = self.article_columns
        keep = np.ones(len(doc_ids), dtype=bool)
        if filters.date_from or filters.date_to:
            in_range = dates != ""
            if filters.date_from:
                in_range &= dates >= filters.date_from
            if filters.date_to:
                in_range &= dates <= filters.date_to
            keep &= in_range | (dates == "") if filters.include_undated else in_range
        if filters.sources:
            keep &= np.logical_or.reduce([np.char.find(sources, s.lower()) >= 0 for s in filters.sources])
        chosen = [self.chunks_by_doc[doc_ids[i]] for i in np.flatnonzero(keep) if doc_ids[i] in self.chunks_by_doc]
        return np.concatenate(chosen) if chosen else np.zeros(0, np.int64)


def stamps_of(data: IndexData) -> dict[str, ArticleStamp]:
    return {d: ArticleStamp(a.hash, a.path, a.story, a.minhash) for d, a in data.articles.items()}


def exact_index(dim: int) -> faiss.Index:
    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def ivf_lists(count: int) -> int:
    """About 4 * sqrt(n) lists, a power of two: 4,096 for a million vectors."""
    return 1 << max(8, round(np.log2(4 * np.sqrt(count))))


def describe_dense(index: faiss.Index) -> dict:
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


def vectors_of(index: faiss.Index, ids: list[int]) -> np.ndarray:
    """Stored vectors by FAISS id."""
    if not ids:
        return np.zeros((0, index.d), dtype=np.float32)
    return index.reconstruct_batch(np.asarray(ids, dtype=np.int64))


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


# The last generation each folder's process read or wrote: (its files' stamps, data).
_loaded: dict[Path, tuple[tuple, IndexData]] = {}
_loaded_lock = threading.Lock()


def stamps(generation: Path) -> tuple:
    """Name, size and modification time of each file: a generation edited on disk no longer matches."""
    result = [generation.name]
    for name in FILES:
        try:
            info = (generation / name).stat()
            result.append((info.st_size, info.st_mtime_ns))
        except OSError:
            result.append(None)
    return tuple(result)


def remember(folder: Path, generation: Path, data: IndexData) -> None:
    with _loaded_lock:
        _loaded[folder.resolve()] = (stamps(generation), data)


def read_index(folder: str | Path) -> IndexData:
    """Load the live generation (or reuse it when this process has it); raises IndexFolderError."""
    folder = Path(folder)
    for attempt in range(3):  # a writer may retire the generation between our two reads
        generation = current_generation(folder)
        if generation is None:
            raise IndexFolderError(f"{folder}: no index here yet (run `qa index`)")
        with _loaded_lock:
            cached = _loaded.get(folder.resolve())
        if cached and cached[0] == stamps(generation):
            return cached[1]
        try:
            data = read_generation(generation)
        except FileNotFoundError:
            if attempt == 2 or current_generation(folder) == generation:
                raise IndexFolderError(f"{generation}: index files missing") from None
            continue
        remember(folder, generation, data)
        return data
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
            chunk_id, doc_id, start, end = json.loads(line)
            article = articles[doc_id]
            text = article.text[start:end]
            chunks[chunk_id] = Chunk(doc_id=doc_id, start=start, end=end, text=text,
                                     embed_text=embed_text(article.title, text), id=chunk_id)
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
        keywords = KeywordIndex.load(generation / "keywords")
    except (ValueError, OSError, KeyError) as exc:
        raise fail("keywords", f"damaged BM25 index ({exc!r})") from None
    if len(keywords) != len(chunks) or set(keywords.ids.tolist()) != set(chunks):
        raise fail("keywords", "BM25 rows do not match the chunk records")
    return IndexData(manifest=manifest, articles=articles, chunks=chunks, vectors=vectors, keywords=keywords)


def write_generation(folder: Path, data: IndexData) -> Path:
    """Write data as a new generation and make it live in one atomic step; returns its folder."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".tmp-{uuid.uuid4().hex[:12]}"
    staging.mkdir()
    try:
        data.vectors = sized_index(data.vectors)
        data.manifest.update(format_version=FORMAT_VERSION, written_at=time.time(),
                             dense_index=describe_dense(data.vectors),
                             chunk_hashes={str(i): c.hash for i, c in data.chunks.items()},
                             article_hashes={d: a.hash for d, a in data.articles.items()})
        faiss.write_index(data.vectors, str(staging / "vectors.faiss"))
        with open(staging / "articles.jsonl", "w") as out:
            for article in data.articles.values():
                out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        with open(staging / "chunks.jsonl", "w") as out:
            for chunk in data.chunks.values():
                out.write(json.dumps([chunk.id, chunk.doc_id, chunk.start, chunk.end], ensure_ascii=False) + "\n")
        data.keywords.save(staging / "keywords")
        (staging / "manifest.json").write_text(json.dumps(data.manifest, indent=1))
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
        atomic_write(folder / CURRENT, generation.name + "\n", durable=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    remember(folder, generation, data)
    remove_stale(folder, keep={generation.name, previous.name if previous else ""})
    return generation


def remove_stale(folder: Path, keep: set[str]) -> None:
    """Drop generations other than keep, and leftovers of interrupted writes (caller holds the lock)."""
    for path in folder.iterdir():
        if path.name in keep:
            continue
        if path.name.startswith(("gen-", ".tmp-")) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith(f".{CURRENT}.") and path.name.endswith(".tmp"):
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


@STORES.register("folder")
class FolderStore(Store):
    """An index folder on local disk: FAISS (exact, or IVF above 200,000 vectors) and a BM25 matrix."""

    def __init__(self, folder: str | Path, data: IndexData):
        self.folder = Path(folder)
        self.uri = str(folder)
        self.data = data
        self.manifest = data.manifest
        self.generation = current_generation(self.folder)

    @staticmethod
    def handles(uri: str) -> bool:
        return "://" not in uri and not uri.endswith(".db")

    @classmethod
    def open(cls, uri: str) -> FolderStore:
        return cls(uri, read_index(uri))

    @classmethod
    @contextmanager
    def writer(cls, uri: str, on_wait: Callable[[str], None] | None = None) -> Iterator[FolderWriter]:
        with locked(uri, on_wait=on_wait):
            yield FolderWriter(Path(uri))

    def count(self) -> int:
        return len(self.data.chunks)

    def describe(self) -> dict:
        return {"store": "folder", "uri": str(self.folder), "generation": self.generation.name if self.generation else None,
                "dense": describe_dense(self.data.vectors), "keyword": {"type": "BM25 matrix", "k1": 1.2, "b": 0.75},
                "chunks": self.count(), "articles": len(self.data.articles)}

    def is_stale(self) -> bool:
        return current_generation(self.folder) != self.generation

    def article_stamps(self) -> dict[str, ArticleStamp]:
        return stamps_of(self.data)

    def articles(self, doc_ids: Iterable[str]) -> dict[str, Article]:
        return {d: self.data.articles[d] for d in doc_ids if d in self.data.articles}

    def newest_date(self) -> str | None:
        return self.data.newest_date

    def article_rows(self) -> list[ArticleRow]:
        counts = {d: len(ids) for d, ids in self.data.chunks_by_doc.items()}
        return [ArticleRow(a.doc_id, a.title, a.date, a.source, counts.get(a.doc_id, 0), a.outlet, a.story)
                for a in self.data.articles.values()]

    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        return {i: self.data.chunks[i] for i in ids if i in self.data.chunks}

    def vectors(self, ids: list[int]) -> np.ndarray:
        return vectors_of(self.data.vectors, ids)

    def dense_search(self, vector: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        if not self.data.chunks or k <= 0:
            return []
        params = None
        if filters:
            allowed = self.data.allowed_ids(filters)
            if not len(allowed):
                return []
            selector = faiss.IDSelectorBatch(allowed)
            ivf = faiss.try_extract_index_ivf(self.data.vectors)
            params = (faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nprobe) if ivf is not None
                      else faiss.SearchParameters(sel=selector))
        query = np.asarray(vector, dtype=np.float32).reshape(1, -1)
        scores, ids = self.data.vectors.search(query, min(k, len(self.data.chunks)), params=params)
        return [(int(i), float(s)) for s, i in zip(scores[0], ids[0]) if i >= 0]

    def keyword_search(self, question: str, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        allowed = self.data.allowed_ids(filters) if filters else None
        if allowed is not None and not len(allowed):
            return []
        return self.data.keywords.search(question, k, allowed)


class FolderWriter(StoreWriter):
    """Stages an update of an index folder in memory; publish() writes it as the next generation."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.old: IndexData | None = None
        self.unusable = None
        try:
            self.old = read_index(folder)
        except IndexFolderError as exc:
            if "no index here yet" not in str(exc):
                self.unusable = str(exc)
        self.manifest = self.old.manifest if self.old else None
        self.data: IndexData | None = None
        self.reusable: IndexData | None = None  # the published state whose vectors may be reused
        self.doc_chunks: dict[str, list[int]] = {}

    def start(self, manifest: dict, rebuild: bool) -> None:
        if self.old is None or rebuild:
            self.data = IndexData.empty(dict(manifest, next_id=0), manifest["dim"])
        else:
            self.data = self.old.copy()
            self.data.manifest.update(manifest)
            self.reusable = self.old
            self.doc_chunks = {d: ids.tolist() for d, ids in self.old.chunks_by_doc.items()}

    def stamps(self) -> Iterator[tuple[str, ArticleStamp]]:
        yield from stamps_of(self.data).items()

    def vectors_by_hash(self, hashes: list[str]) -> dict[str, np.ndarray]:
        source = self.reusable
        if source is None:
            return {}
        wanted = [h for h in dict.fromkeys(hashes) if h in source.ids_by_hash]
        return dict(zip(wanted, vectors_of(source.vectors, [source.ids_by_hash[h] for h in wanted])))

    def remove(self, doc_ids: Iterable[str]) -> None:
        data = self.data
        gone = [d for d in doc_ids if d in data.articles]
        if not gone:
            return
        ids = [i for d in gone for i in self.doc_chunks.pop(d, [])]
        if ids:
            data.vectors.remove_ids(np.asarray(ids, np.int64))
            data.keywords = data.keywords.remove(ids)
            for i in ids:
                del data.chunks[i]
        for doc_id in gone:
            del data.articles[doc_id]

    def add(self, articles: list[Article], chunks: list[Chunk], vectors: np.ndarray) -> None:
        data = self.data
        self.remove([a.doc_id for a in articles if a.doc_id in data.articles])
        for article in articles:
            data.articles[article.doc_id] = article
        next_id = int(data.manifest.get("next_id", 0))
        ids = np.arange(next_id, next_id + len(chunks), dtype=np.int64)
        for chunk, chunk_id in zip(chunks, ids):
            chunk.id = int(chunk_id)
            data.chunks[chunk.id] = chunk
            self.doc_chunks.setdefault(chunk.doc_id, []).append(chunk.id)
        if len(chunks):
            data.vectors.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
            data.keywords = data.keywords.add(ids.tolist(), [c.embed_text for c in chunks])
        data.manifest["next_id"] = next_id + len(chunks)

    def chunk_count(self) -> int:
        return len(self.data.chunks) if self.data else 0

    def publish(self, manifest: dict) -> None:
        self.data.manifest.update(manifest)
        write_generation(self.folder, self.data)
