"""Answer a question with ranked excerpts from a store: dense, BM25, or both fused (the default)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import default_store
from ..index.embed import Embedder, embedder_for
from ..records import Article, Excerpt, Filters
from ..stores import IndexFolderError, Store, open_store
from .fusion import reciprocal_rank_fusion, weighted_fusion
from .rerank import Reranker

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
    one_per_story: bool = True  # syndicated copies of a story give one excerpt, naming the other outlets

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"unknown search mode {self.mode!r}; choose from {', '.join(MODES)}")
        if self.fusion not in FUSIONS:
            raise ValueError(f"unknown fusion {self.fusion!r}; choose from {', '.join(FUSIONS)}")


class Retriever:
    """Search over one published state of a store."""

    def __init__(self, store: Store, embedder: Embedder, settings: SearchSettings = SearchSettings(),
                 reranker: Reranker | None = None):
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.reranker = reranker

    @classmethod
    def load(cls, index: str | Path | None = None, embedder: Embedder | None = None,
             settings: SearchSettings = SearchSettings(), reranker: Reranker | None = None) -> Retriever:
        """Open the index (a folder or store URI); the embedder defaults to the model it was built with."""
        index = default_store() if index is None else index
        store = open_store(index)
        model = store.manifest["model"]
        if embedder is not None and embedder.name != model:
            raise IndexFolderError(f"{index}: built with the model {model!r}, not "
                                   f"{embedder.name!r}; run `qa index --model {embedder.name}` to rebuild it")
        return cls(store, embedder or embedder_for(model), settings, reranker)

    def is_stale(self) -> bool:
        """Whether a newer state of the index has been published since this one was opened."""
        return self.store.is_stale()

    def newest_date(self) -> str | None:
        """The newest article's date: what "last week" in a question is relative to."""
        return self.store.newest_date()

    def articles(self, doc_ids) -> dict[str, Article]:
        """The whole articles behind some excerpts, from the same state of the index."""
        return self.store.articles(doc_ids)

    def search(self, question: str, k: int = 5, filters: Filters = Filters(),
               mode: str | None = None, reranker: Reranker | None = None) -> list[Excerpt]:
        """The k best passages for the question, best first (reranker: this search's, over the retriever's)."""
        if not question.strip():
            raise ValueError("the question is empty")
        mode = mode or self.settings.mode
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; choose from {', '.join(MODES)}")
        if k <= 0 or not self.store.count():
            return []
        depth = max(k, self.settings.candidates)
        dense = dict(self.store.dense_search(self.embedder.embed_query(question), depth, filters)) \
            if mode != "bm25" else {}
        keyword = dict(self.store.keyword_search(question, depth, filters)) if mode != "dense" else {}
        if mode == "dense":
            fused = dense
        elif mode == "bm25":
            fused = keyword
        elif self.settings.fusion == "rrf":
            fused = reciprocal_rank_fusion([list(dense), list(keyword)], self.settings.rrf_k)
        else:
            fused = weighted_fusion(dense, keyword, self.settings.dense_weight)
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        reranker = reranker or self.reranker
        if reranker is not None:
            head = ranked[:max(k, self.settings.rerank_depth)]
            chunks = self.store.chunks([i for i, _ in head])
            scores = reranker.score(question, [chunks[i].embed_text for i, _ in head])
            ranked = sorted(zip((i for i, _ in head), scores), key=lambda item: -item[1])
        head = ranked[:k * 4] if self.settings.one_per_story else ranked[:k]
        chunks = self.store.chunks([i for i, _ in head])
        articles = self.store.articles({c.doc_id for c in chunks.values()})
        shown: dict[str, Excerpt] = {}  # story -> the first excerpt kept; its article is the copy shown
        excerpts = []
        for chunk_id, score in head:
            chunk = chunks[chunk_id]
            article = articles[chunk.doc_id]
            story = (article.story or article.doc_id) if self.settings.one_per_story else chunk.doc_id
            first = shown.get(story)
            if first is not None and first.doc_id != article.doc_id:  # another copy of a story already shown
                name = article.outlet or article.doc_id
                if name not in first.also_published and name != first.outlet:
                    first.also_published.append(name)
                if article.doc_id not in first.copies:
                    first.copies.append(article.doc_id)
                continue
            if len(excerpts) == k:
                continue
            excerpt = Excerpt(rank=len(excerpts) + 1, score=score, text=chunk.text, doc_id=chunk.doc_id,
                              title=article.title, source=article.source, date=article.date,
                              start=chunk.start, end=chunk.end, chunk_id=chunk_id,
                              dense_score=dense.get(chunk_id), keyword_score=keyword.get(chunk_id),
                              outlet=article.outlet, url=article.url, story=article.story or article.doc_id)
            shown.setdefault(story, excerpt)
            excerpts.append(excerpt)
        return excerpts
