"""What the chat needs behind its buttons: answers, the article list, uploads and removals, index swaps."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .answer import Answer, Answerer, AnswerSettings, Partial, Retrieved
from .build import build_index, file_of
from .config import DEFAULT_ARTICLES, DEFAULT_INDEX, DEFAULT_MODEL
from .embed import embedder_for
from .llm import ChatModel
from .load import ARTICLE_SUFFIXES, MAX_FILE_BYTES
from .records import IndexReport
from .retrieve import Retriever
from .store import IndexFolderError

SAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadError(ValueError):
    """An uploaded file that is not accepted; the message names it and says why."""


def safe_name(name: str) -> str:
    """A file name that stays inside the articles folder: no path, no leading dots, plain characters."""
    base = SAFE_NAME_RE.sub("_", Path(name.replace("\\", "/")).name).lstrip("._")
    if not base or Path(base).suffix.lower() not in ARTICLE_SUFFIXES:
        raise UploadError(f"{name}: not an article file (accepted: {', '.join(sorted(ARTICLE_SUFFIXES))})")
    return base


@dataclass
class ArticleRow:
    doc_id: str
    title: str
    date: str | None
    source: str
    chunks: int


class ChatService:
    """One index, one answer model; the retriever is swapped when a newer index generation appears."""

    def __init__(self, articles_dir: str | Path = DEFAULT_ARTICLES, index_dir: str | Path = DEFAULT_INDEX,
                 model: ChatModel | None = None, embed_model: str = DEFAULT_MODEL,
                 settings: AnswerSettings = AnswerSettings()):
        self.articles_dir = Path(articles_dir)
        self.index_dir = Path(index_dir)
        self.model = model
        self.embedder = embedder_for(embed_model)
        self.settings = settings
        self._retriever: Retriever | None = None
        self._swap = threading.Lock()

    def ensure_index(self, progress: bool = True) -> IndexReport:
        """Build or update the index from the articles folder."""
        return build_index(self.articles_dir, self.index_dir, model=self.embedder, progress=progress)

    @property
    def retriever(self) -> Retriever:
        """The current index, reloaded once a newer generation is complete on disk."""
        with self._swap:
            if self._retriever is None or self._retriever.is_stale():
                self._retriever = Retriever.load(self.index_dir, embedder=self.embedder)
            return self._retriever

    def warm(self) -> None:
        """Load the embedder and the answer model before the first question."""
        self.embedder.embed_query("warm up")
        if self.model is not None:
            self.model.warm()

    def answer(self, question: str, history: list[tuple[str, str]]) -> Iterator[Retrieved | Partial | Answer]:
        retriever = self.retriever
        yield from Answerer(retriever, self.model, self.settings).stream(question, history)

    def articles(self) -> list[ArticleRow]:
        data = self.retriever.data
        counts: dict[str, int] = {}
        for chunk in data.chunks.values():
            counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
        return [ArticleRow(a.doc_id, a.title, a.date, a.source, counts.get(a.doc_id, 0))
                for a in sorted(data.articles.values(), key=lambda a: a.doc_id)]

    def add_files(self, files: list[tuple[str, bytes]], progress: bool = True) -> tuple[IndexReport, list[str]]:
        """Store uploads (name, content) under the articles folder and update the index."""
        problems: list[str] = []
        for name, content in files:
            try:
                target = safe_name(name)
                if len(content) > MAX_FILE_BYTES:
                    raise UploadError(f"{name}: too large ({len(content) / 2**20:.1f} MB, limit "
                                      f"{MAX_FILE_BYTES // 2**20} MB)")
            except UploadError as exc:
                problems.append(str(exc))
                continue
            path = self.articles_dir / target
            temporary = path.with_name(f".{target}.upload")
            temporary.write_bytes(content)
            temporary.replace(path)
        report = self.ensure_index(progress)
        return report, problems + report.errors

    def remove_article(self, doc_id: str, progress: bool = True) -> IndexReport:
        """Delete the article's file (for a JSONL archive, the whole file) and update the index."""
        article = self.retriever.data.articles.get(doc_id)
        if article is None:
            raise IndexFolderError(f"{doc_id}: not in the index")
        path = (self.articles_dir / file_of(article.path)).resolve()
        if self.articles_dir.resolve() not in path.parents:
            raise IndexFolderError(f"{doc_id}: its file is outside the articles folder")
        path.unlink(missing_ok=True)
        return self.ensure_index(progress)

    def article(self, doc_id: str):
        return self.retriever.data.articles.get(doc_id)
