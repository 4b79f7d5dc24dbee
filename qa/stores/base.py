"""The store interface every back end implements, the registry of back ends, and URI dispatch."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from ..records import Article, ArticleRow, Chunk, Filters
from ..registry import Registry

POINTER = "STORE"  # a file in an index folder that names the store the index really lives in


class IndexFolderError(Exception):
    """The index is missing, damaged, or from another model or format; the message says which and where."""


@dataclass(frozen=True)
class ArticleStamp:
    """What the builder needs to know of an indexed article to tell whether it changed."""

    hash: str
    path: str
    story: str | None = None
    minhash: str | None = None  # the near-duplicate signature (index/stories.py)


class Store(ABC):
    """One published state of an index: searches and reads never see a later update half-applied."""

    uri: str
    manifest: dict  # format version, model, chunking, dim, next_id, ...

    @abstractmethod
    def count(self) -> int:
        """Chunks in this state."""

    @abstractmethod
    def describe(self) -> dict:
        """The engine, where it is, and how its dense and keyword indexes are set up."""

    @abstractmethod
    def is_stale(self) -> bool:
        """Whether a newer state has been published since this one was opened."""

    @abstractmethod
    def article_stamps(self) -> dict[str, ArticleStamp]:
        """doc_id -> hash and path of every article."""

    @abstractmethod
    def articles(self, doc_ids: Iterable[str]) -> dict[str, Article]:
        """The full cleaned articles, by doc_id (missing ids are left out)."""

    @abstractmethod
    def article_rows(self) -> list[ArticleRow]:
        """Every article's title, date, source and chunk count, for listings."""

    def newest_date(self) -> str | None:
        """The newest publication date among the articles (the default reference for "last week")."""
        return self._newest_date

    @cached_property
    def _newest_date(self) -> str | None:
        # Asked for on every question; a store object is one published state, so one pass over it.
        return max((row.date for row in self.article_rows() if row.date), default=None)

    @abstractmethod
    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        """Chunk records (with their text) by id."""

    @abstractmethod
    def vectors(self, ids: list[int]) -> np.ndarray:
        """Stored vectors by chunk id, in the order asked."""

    @abstractmethod
    def dense_search(self, vector: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        """(chunk id, inner product) of the k nearest chunks that pass the filters, best first."""

    @abstractmethod
    def keyword_search(self, question: str, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) of the k best keyword matches that pass the filters, best first."""

    def close(self) -> None:
        """Let go of connections or files."""


class StoreWriter(ABC):
    """A staged update: nothing is visible to readers until publish()."""

    manifest: dict | None  # of the published state, None when there is none yet
    unusable: str | None  # why the published state cannot be built on (damaged, another format)

    @abstractmethod
    def start(self, manifest: dict, rebuild: bool) -> None:
        """Begin from the published state, or from nothing when rebuild."""

    @abstractmethod
    def stamps(self) -> Iterator[tuple[str, ArticleStamp]]:
        """(doc_id, stamp) of every article in the state being built, streamed (never all in memory)."""

    @abstractmethod
    def vectors_by_hash(self, hashes: list[str]) -> dict[str, np.ndarray]:
        """Vectors already stored for chunks with these content hashes (so they are not embedded again)."""

    @abstractmethod
    def remove(self, doc_ids: Iterable[str]) -> None:
        """Take these articles (all of them in the state being built) and all their chunks out."""

    @abstractmethod
    def add(self, articles: list[Article], chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Put in articles not in the state (remove() an earlier version first) and their chunks;
        assigns chunk ids."""

    @abstractmethod
    def publish(self, manifest: dict) -> None:
        """Make the staged state the published one, in one atomic step."""

    def chunk_count(self) -> int:
        return 0


StoreFactory = type[Store]
STORES: Registry = Registry("store", modules=("qa.stores.folder", "qa.stores.milvus"))


def resolve_uri(uri: str | Path) -> str:
    """Follow an index folder's STORE pointer (written by `qa index --store`) to where the index lives."""
    uri = str(uri)
    pointer = Path(uri) / POINTER
    if "://" not in uri and pointer.is_file():
        try:
            return json.loads(pointer.read_text())["uri"]
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexFolderError(f"{pointer}: not a store pointer ({exc})") from None
    return uri


def store_class(uri: str) -> StoreFactory:
    """The registered store that takes this URI (the folder store takes any plain path)."""
    matches = [entry.factory for entry in STORES.entries() if entry.factory.handles(uri)]
    if not matches:
        raise IndexFolderError(f"{uri}: no store takes this address (stores: {', '.join(STORES.names())})")
    return matches[0]


def open_store(uri: str | Path) -> Store:
    """The published state of the index at uri (a folder, milvus://host:port/collection, or a .db file)."""
    uri = resolve_uri(uri)
    return store_class(uri).open(uri)


def store_writer(uri: str | Path, on_wait: Callable[[str], None] | None = None) -> AbstractContextManager[StoreWriter]:
    """A writer holding the index's write lock; publish() inside makes the update live."""
    uri = resolve_uri(uri)
    return store_class(uri).writer(uri, on_wait)


def record_store(folder: str | Path, uri: str) -> None:
    """Make the index folder point at uri (or at itself again), so commands without --store follow it."""
    from ..files import atomic_write

    pointer = Path(folder) / POINTER
    if "://" not in uri:
        if Path(uri).resolve() == Path(folder).resolve():
            pointer.unlink(missing_ok=True)
            return
        uri = str(Path(uri).resolve())  # the pointer holds where it is, wherever commands run from
    atomic_write(pointer, json.dumps({"uri": uri}) + "\n")
