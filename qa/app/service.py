"""What the chat needs behind its buttons: answers, the article list, uploads and removals, index swaps."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from collections.abc import Iterator
from pathlib import Path

from ..answer.answerer import Answer, Answerer, AnswerSettings, Partial, Retrieved
from ..answer.readers import ExtractiveReader, Reader
from ..config import DEFAULT_ARTICLES, DEFAULT_MODEL, default_store
from ..files import atomic_write
from ..index.build import build_index, file_of
from ..index.embed import Embedder, embedder_for
from ..ingest.load import MAX_FILE_BYTES, article_suffixes
from ..records import ArticleRow, Filters, IndexReport
from ..retrieve.retriever import Retriever
from ..stores import IndexFolderError

SAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


class UploadError(ValueError):
    """An uploaded file that is not accepted; the message names it and says why."""


def safe_name(name: str) -> str:
    """A file name that stays inside the articles folder: no path, no leading dots, plain characters."""
    base = SAFE_NAME_RE.sub("_", Path(name.replace("\\", "/")).name).lstrip("._")
    suffixes = article_suffixes()
    if not base or Path(base).suffix.lower() not in suffixes:
        raise UploadError(f"{name}: not an article file (accepted: {', '.join(sorted(suffixes))})")
    return base


class ChatService:
    """One index, one reader; the retriever is swapped when a newer state of the index is published."""

    def __init__(self, articles_dir: str | Path = DEFAULT_ARTICLES, index: str | Path | None = None,
                 reader: Reader | None = None, embedder: Embedder | None = None,
                 settings: AnswerSettings = AnswerSettings()):
        self.articles_dir = Path(articles_dir)
        self.index = str(default_store() if index is None else index)
        self.reader = reader or ExtractiveReader()
        self.embedder = embedder or embedder_for(DEFAULT_MODEL)
        self.settings = settings
        self._retriever: Retriever | None = None
        self._swap = threading.Lock()
        self._watching: threading.Event | None = None  # set to stop the feed poller
        self.watch_log: list[str] = []  # one line per poll of the watched feeds
        self.fetch_settings: dict = {}  # delay / timeout for fetching (ingest/fetch.py defaults otherwise)

    def ensure_index(self, progress: bool = True) -> IndexReport:
        """Build or update the index from the articles folder."""
        return build_index(self.articles_dir, self.index, model=self.embedder, progress=progress)

    @property
    def retriever(self) -> Retriever:
        """The current index, reloaded once a newer state is published."""
        with self._swap:
            if self._retriever is None or self._retriever.is_stale():
                self._retriever = Retriever.load(self.index, embedder=self.embedder)
            return self._retriever

    def warm(self) -> None:
        """Load the embedder, the sentence ranker (when one is set), the answer model and the claim checker's
        language models before the first question, so it costs no more than the next one."""
        from ..retrieve.rerank import reranker_for
        from ..text.nlp import parse, word_weight

        self.embedder.embed_query("warm up")
        sentence_ranker = reranker_for(self.settings.sentence_ranker)
        if sentence_ranker is not None:  # merged and exported to ONNX on first use ever, then loaded
            sentence_ranker.score("warm up", ["Warm up."])
        parse("Warm up the parser on Friday in Beijing, Wang said.")
        word_weight("warm")
        self.reader.warm()

    def answer(self, question: str, history: list[tuple[str, str]],
               filters: Filters | None = None) -> Iterator[Retrieved | Partial | Answer]:
        """The answer's events; each carries the articles it was built from, so an index update landing
        mid-answer cannot mix one state's citations with another's article text."""
        settings = replace(self.settings, filters=filters) if filters else self.settings
        yield from Answerer(self.retriever, self.reader, settings).stream(question, history)

    def articles(self) -> list[ArticleRow]:
        """The indexed articles, newest first (undated last), then by title."""
        rows = self.retriever.store.article_rows()
        return sorted(rows, key=lambda r: (r.date is None, "" if r.date is None else _descending(r.date), r.title))

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
            atomic_write(self.articles_dir / target, content)
        report = self.ensure_index(progress)
        return report, problems + report.errors

    def fetch(self, urls: list[str], progress: bool = True):
        """Fetch article pages or RSS/Atom feeds into the articles folder, then update the index:
        (FetchReport, IndexReport or None when nothing new arrived)."""
        return fetch_and_index(self, urls, progress)

    def watch(self, feeds: list[str], interval: float = 900.0) -> None:
        """Poll the feeds every interval seconds in the background (replacing an earlier watch)."""
        self.stop_watching()
        stop = self._watching = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                try:
                    fetched, built = fetch_and_index(self, feeds, progress=False)
                    line = fetched.summary().splitlines()[0] + (f"; {built.summary().splitlines()[0]}" if built else "")
                except Exception as exc:  # a poll that fails is reported, and the next one tries again
                    line = f"poll failed: {exc}"
                self.watch_log = (self.watch_log + [line])[-20:]
                stop.wait(interval)

        threading.Thread(target=poll, name="feed-watch", daemon=True).start()

    def stop_watching(self) -> None:
        if self._watching is not None:
            self._watching.set()
            self._watching = None

    @property
    def watching(self) -> bool:
        return self._watching is not None

    def remove_article(self, doc_id: str, progress: bool = True) -> IndexReport:
        """Delete the article's file (for a JSONL archive, the whole file) and update the index."""
        article = self.retriever.articles([doc_id]).get(doc_id)
        if article is None:
            raise IndexFolderError(f"{doc_id}: not in the index")
        path = (self.articles_dir / file_of(article.path)).resolve()
        if self.articles_dir.resolve() not in path.parents:
            raise IndexFolderError(f"{doc_id}: its file is outside the articles folder")
        path.unlink(missing_ok=True)
        return self.ensure_index(progress)


def _descending(date: str) -> str:
    """A key that sorts YYYY-MM-DD dates newest first."""
    return "".join(chr(0x7F - ord(c)) for c in date)


def fetch_and_index(service: "ChatService", urls: list[str], progress: bool = True):
    from ..ingest.fetch import add_urls

    fetched = add_urls(urls, service.articles_dir, progress=progress, **service.fetch_settings)
    built = service.ensure_index(progress) if (fetched.added or fetched.changed) else None
    return fetched, built
