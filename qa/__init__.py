"""Question answering over news articles: build an index, retrieve cited excerpts."""

from .build import build_index
from .records import Article, Chunk, Excerpt, IndexReport
from .retrieve import Retriever

__all__ = ["Article", "Chunk", "Excerpt", "IndexReport", "Retriever", "build_index"]
