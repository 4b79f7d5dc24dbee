"""The builder's bookkeeping of every article in one run, in a SQLite file on disk rather than in memory.

An update has to know, for each article, whether this run met its id or its text before, what the
index holds for it (its stamp), and at the end which indexed articles the run never met; grouping
needs every indexed article's near-duplicate bands. Kept in dicts, that grew with the archive (about
2 KB an article: 2.5 GB of indexer memory at a million). Here it lives in a private temporary SQLite
database (on disk, beyond a small page cache; SQLite deletes it when the run ends, or the process),
so the indexer holds only its batches however large the archive.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from ..stores import ArticleStamp
from .stories import StoryIndex

CACHE_KIB = 32 * 1024  # SQLite's page cache: the ledger's share of the indexer's memory


class Ledger:
    """What one build has met: ids and texts of this run's articles, the index's stamps, the stories."""

    def __init__(self):
        # "" is SQLite's private temporary database: on disk in the temp directory, already unlinked,
        # so even a killed build leaves no file. Used by the builder's thread only.
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.executescript(f"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA cache_size = -{CACHE_KIB};
            CREATE TABLE stamps (doc_id TEXT PRIMARY KEY, hash TEXT, path TEXT, story TEXT, minhash TEXT,
                                 met INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
            CREATE TABLE ids (doc_id TEXT PRIMARY KEY, path TEXT) WITHOUT ROWID;
            CREATE TABLE texts (hash TEXT PRIMARY KEY, path TEXT) WITHOUT ROWID;
        """)
        self.stories = StoryIndex(self.db)  # before BEGIN: its CREATE script commits what is open
        # One transaction for the run: in autocommit each write would write its pages out (about 20x slower).
        self.db.execute("BEGIN")

    def load(self, stamps: Iterable[tuple[str, ArticleStamp]]) -> None:
        """The indexed articles, as the store lists them (a page at a time)."""
        for doc_id, stamp in stamps:
            self.db.execute("INSERT OR REPLACE INTO stamps (doc_id, hash, path, story, minhash) VALUES (?, ?, ?, ?, ?)",
                            (doc_id, stamp.hash, stamp.path, stamp.story, stamp.minhash))
            if stamp.minhash:
                self.stories.add(doc_id, stamp.minhash, stamp.story or doc_id)

    def stamp(self, doc_id: str) -> ArticleStamp | None:
        """The indexed article's stamp (None for a new article); marks it as met by this run."""
        row = self.db.execute("SELECT hash, path, story, minhash FROM stamps WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        self.db.execute("UPDATE stamps SET met = 1 WHERE doc_id = ?", (doc_id,))
        return ArticleStamp(*row)

    def first_with_id(self, doc_id: str, path: str) -> str | None:
        """Where this run met the id before (None the first time, which is recorded)."""
        return self._first("ids", doc_id, path)

    def first_with_text(self, text_hash: str, path: str) -> str | None:
        """Where this run met the text before (None the first time, which is recorded)."""
        return self._first("texts", text_hash, path)

    def _first(self, table: str, key: str, path: str) -> str | None:
        row = self.db.execute(f"SELECT path FROM {table} WHERE {'doc_id' if table == 'ids' else 'hash'} = ?",
                              (key,)).fetchone()
        if row is not None:
            return row[0]
        self.db.execute(f"INSERT INTO {table} VALUES (?, ?)", (key, path))
        return None

    def not_met(self, page: int = 1000) -> Iterator[tuple[str, str]]:
        """(doc_id, path) of each indexed article this run did not meet, a page at a time (forget()
        may be called between pages)."""
        last = ""
        while True:
            rows = self.db.execute("SELECT doc_id, path FROM stamps WHERE met = 0 AND doc_id > ? ORDER BY doc_id "
                                   "LIMIT ?", (last, page)).fetchall()
            yield from rows
            if len(rows) < page:
                return
            last = rows[-1][0]

    def forget(self, doc_id: str) -> None:
        """The article is taken out of the index."""
        self.db.execute("DELETE FROM stamps WHERE doc_id = ?", (doc_id,))
        self.stories.remove(doc_id)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
