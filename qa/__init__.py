"""Question answering over news articles: build an index, retrieve cited excerpts, answer with citations."""

from .answer import Answer, Answerer, Citation, ask
from .build import build_index
from .records import Article, Chunk, Excerpt, IndexReport
from .retrieve import Retriever

__all__ = ["Answer", "Answerer", "Article", "Chunk", "Citation", "Excerpt", "IndexReport", "Retriever", "ask",
           "build_index"]
