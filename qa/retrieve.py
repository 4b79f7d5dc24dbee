"""Answer a question with ranked excerpts: dense, BM25, or both fused (the default)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from .config import DEFAULT_INDEX
from .embed import Embedder, embedder_for
from .records import Excerpt
from .rerank import Reranker
from .store import IndexData, IndexFolderError, current_generation, read_index

MODES = ("hybrid", "dense", "bm25")
FUSIONS = ("rrf", "weighted")


@dataclass(frozen=True)
class SearchSettings:
    """How rankings are made and fused."""

    mode: str = "hybrid"
    fusion: str = "weighted"
    rrf_k: int = 60
    dense_weight: float = 0.5  # for weighted fusion: share of the normalised dense score
    candidates: int = 100  # depth of each ranking before fusion
    rerank_depth: int = 30  # fused candidates a reranker (when set) re-scores

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"unknown search mode {self.mode!r}; choose from {', '.join(MODES)}")
        if self.fusion not in FUSIONS:
            raise ValueError(f"unknown fusion {self.fusion!r}; choose from {', '.join(FUSIONS)}")


@dataclass(frozen=True)
class Filters:
    """Optional limits on which articles may be returned (dates as YYYY-MM-DD, inclusive)."""

    date_from: str | None = None
    date_to: str | None = None
    sources: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.date_from or self.date_to or self.sources)

    def admits(self, date: str | None, source: str) -> bool:
        if (self.date_from or self.date_to) and not date:
            return False
        if self.date_from and date < self.date_from:
            return False
        if self.date_to and date[:10] > self.date_to:
            return False
        return not self.sources or any(s.lower() in source.lower() for s in self.sources)


def reciprocal_rank_fusion(rankings: list[list[int]], k: int = 60) -> dict[int, float]:
    """Sum of 1/(k + rank) over the rankings each id appears in."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (k + rank)
    return fused


def weighted_fusion(dense: dict[int, float], keyword: dict[int, float], dense_weight: float) -> dict[int, float]:
    """Convex mix of min-max normalised scores; an id missing from a ranking scores 0 there."""

    def normalised(scores: dict[int, float]) -> dict[int, float]:
        if not scores:
            return {}
        low, high = min(scores.values()), max(scores.values())
        return {i: (s - low) / (high - low) if high > low else 1.0 for i, s in scores.items()}

    d, kw = normalised(dense), normalised(keyword)
    return {i: dense_weight * d.get(i, 0.0) + (1 - dense_weight) * kw.get(i, 0.0) for i in d.keys() | kw.keys()}


class Retriever:
    """Search over one loaded generation of the index."""

    def __init__(self, data: IndexData, embedder: Embedder, folder: Path | None = None,
                 settings: SearchSettings = SearchSettings(), reranker: Reranker | None = None):
        self.data = data
        self.embedder = embedder
        self.folder = folder
        self.settings = settings
        self.reranker = reranker
        self.generation = current_generation(folder) if folder else None

    @classmethod
    def load(cls, index_dir: str | Path = DEFAULT_INDEX, embedder: Embedder | None = None,
             settings: SearchSettings = SearchSettings(), reranker: Reranker | None = None) -> Retriever:
        """Open the index folder; the embedder defaults to the model the index was built with."""
        data = read_index(index_dir)
        if embedder is not None and embedder.name != data.manifest["model"]:
            raise IndexFolderError(f"{index_dir}: built with the model {data.manifest['model']!r}, not "
                                   f"{embedder.name!r}; run `qa index --model {embedder.name}` to rebuild it")
        embedder = embedder or embedder_for(data.manifest["model"])
        return cls(data, embedder, Path(index_dir), settings, reranker)

    def is_stale(self) -> bool:
        """Whether a newer generation has been written since this one was loaded."""
        return self.folder is not None and current_generation(self.folder) != self.generation

    def allowed_ids(self, filters: Filters) -> np.ndarray:
        admitted = {d for d, a in self.data.articles.items() if filters.admits(a.date, a.source)}
        return np.fromiter((i for i, c in self.data.chunks.items() if c.doc_id in admitted), dtype=np.int64)

    def dense(self, question: str, k: int, allowed: np.ndarray | None = None) -> dict[int, float]:
        """Chunk id -> cosine similarity for the k nearest chunks."""
        query = self.embedder.embed_query(question).reshape(1, -1).astype(np.float32)
        params = None
        if allowed is not None:
            ivf = faiss.try_extract_index_ivf(self.data.vectors)
            selector = faiss.IDSelectorBatch(allowed)
            params = (faiss.SearchParametersIVF(sel=selector, nprobe=ivf.nprobe) if ivf is not None
                      else faiss.SearchParameters(sel=selector))
        scores, ids = self.data.vectors.search(query, min(k, len(self.data.chunks)), params=params)
        return {int(i): float(s) for s, i in zip(scores[0], ids[0]) if i >= 0}

    def keyword(self, question: str, k: int, allowed: np.ndarray | None = None) -> dict[int, float]:
        """Chunk id -> BM25 score for the best k keyword matches."""
        hits = self.data.keywords.search(question, k if allowed is None else len(self.data.chunks))
        if allowed is not None:
            keep = set(allowed.tolist())
            hits = [(i, s) for i, s in hits if i in keep][:k]
        return dict(hits)

    def search(self, question: str, k: int = 5, filters: Filters = Filters(),
               mode: str | None = None) -> list[Excerpt]:
        """The k best passages for the question, best first."""
        if not question.strip():
            raise ValueError("the question is empty")
        mode = mode or self.settings.mode
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; choose from {', '.join(MODES)}")
        if not self.data.chunks or k <= 0:
            return []
        allowed = self.allowed_ids(filters) if filters else None
        if allowed is not None and not len(allowed):
            return []
        depth = max(k, self.settings.candidates)
        dense = self.dense(question, depth, allowed) if mode != "bm25" else {}
        keyword = self.keyword(question, depth, allowed) if mode != "dense" else {}
        if mode == "dense":
            fused = dense
        elif mode == "bm25":
            fused = keyword
        elif self.settings.fusion == "rrf":
            fused = reciprocal_rank_fusion([list(dense), list(keyword)], self.settings.rrf_k)
        else:
            fused = weighted_fusion(dense, keyword, self.settings.dense_weight)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        if self.reranker is not None:
            head = ranked[:max(k, self.settings.rerank_depth)]
            scores = self.reranker.score(question, [self.data.chunks[i].embed_text for i, _ in head])
            ranked = sorted(zip((i for i, _ in head), scores), key=lambda item: -item[1])
        ranked = ranked[:k]
        return [self.excerpt(rank, chunk_id, score, dense.get(chunk_id), keyword.get(chunk_id))
                for rank, (chunk_id, score) in enumerate(ranked, start=1)]

    def excerpt(self, rank: int, chunk_id: int, score: float, dense_score: float | None = None,
                keyword_score: float | None = None) -> Excerpt:
        chunk = self.data.chunks[chunk_id]
        article = self.data.articles[chunk.doc_id]
        return Excerpt(rank=rank, score=score, text=chunk.text, doc_id=chunk.doc_id, title=article.title,
                       source=article.source, date=article.date, start=chunk.start, end=chunk.end,
                       chunk_id=chunk_id, dense_score=dense_score, keyword_score=keyword_score)
