"""Question answering over news articles: build an index, retrieve cited excerpts, answer with citations.

The package is laid out by stage: ingest (load, clean) -> index (chunk, embed, build) -> stores
(folder, Milvus) -> retrieve -> answer -> app. The names below are the ones to import.
"""

from .records import Article, Chunk, Excerpt, Filters, IndexReport

__all__ = ["Answer", "Answerer", "Article", "Chunk", "Citation", "Excerpt", "Filters", "IndexReport", "Retriever",
           "ask", "build_index"]


def __getattr__(name: str):
    """Import the stages lazily: `from qa import Retriever` does not load the answer models or the app."""
    if name in ("Answer", "Answerer", "Citation", "ask"):
        from .answer import answerer

        return getattr(answerer, name)
    if name == "build_index":
        from .index.build import build_index

        return build_index
    if name == "Retriever":
        from .retrieve.retriever import Retriever

        return Retriever
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
