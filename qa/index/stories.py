"""Syndicated copies: articles that are the same story (a wire report with other headers, footers or
small edits) are grouped under one story id, found with MinHash LSH (datasketch) over word 5-grams.

Each article keeps its signature (64 permutations, base64) so a later update compares new articles
with the indexed ones without reading their text again. The story id is the doc_id of the story's
first indexed article.
"""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3

import numpy as np

NUM_PERM = 64
SHINGLE_WORDS = 5
THRESHOLD = 0.7  # estimated Jaccard similarity of the shingle sets above which two articles are one story
SEED = 1
MAX_CANDIDATES = 8  # articles compared with a new one: those that share the most LSH bands with it
SCHEME = "affine32"  # datasketch's hashing scheme, named so stored signatures are read back the same way
WORD_RE = re.compile(r"\w+")


def signature(text: str) -> str:
    """The MinHash signature of the text's word 5-grams, as base64."""
    from datasketch import MinHash

    words = WORD_RE.findall(text.lower())
    shingles = [" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch(shingles)
    return base64.b64encode(minhash.hashvalues.astype(np.uint32).tobytes()).decode()


def lean(encoded: str):
    from datasketch import LeanMinHash

    values = np.frombuffer(base64.b64decode(encoded), dtype=np.uint32).astype(np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


class StoryIndex:
    """The indexed articles' signatures, banded for LSH in SQLite: which story is a new article a copy of?

    The bands are datasketch's (MinHashLSH's b bands of r rows for THRESHOLD), kept in SQLite tables
    rather than datasketch's in-memory dicts (its other storage is Redis or Cassandra), so a million
    articles cost disk, not the indexer's memory. `db` is the build's ledger (index/ledger.py), or an
    in-memory database.
    """

    def __init__(self, db: sqlite3.Connection | None = None):
        from datasketch import MinHashLSH

        self.db = db if db is not None else sqlite3.connect(":memory:")
        self.ranges = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM).hashranges
        self.db.executescript("""
            CREATE TABLE IF NOT EXISTS signatures (doc_id TEXT PRIMARY KEY, minhash TEXT, story TEXT);
            CREATE TABLE IF NOT EXISTS bands (band INTEGER, doc_id TEXT);
            CREATE INDEX IF NOT EXISTS bands_by_band ON bands (band);
        """)

    def band_keys(self, encoded: str) -> list[int]:
        """One 64-bit key per band: equal keys are (up to a hash collision, which the Jaccard check
        catches) equal bands, the LSH candidate test."""
        values = base64.b64decode(encoded)
        keys = []
        for band, (start, end) in enumerate(self.ranges):
            digest = hashlib.blake2b(values[start * 4:end * 4], digest_size=8, salt=band.to_bytes(8, "little"))
            keys.append(int.from_bytes(digest.digest(), "little", signed=True))
        return keys

    def add(self, doc_id: str, encoded: str, story: str) -> None:
        self.remove(doc_id)
        self.db.execute("INSERT INTO signatures VALUES (?, ?, ?)", (doc_id, encoded, story))
        self.db.executemany("INSERT INTO bands VALUES (?, ?)", [(key, doc_id) for key in self.band_keys(encoded)])

    def remove(self, doc_id: str) -> None:
        row = self.db.execute("SELECT minhash FROM signatures WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is not None:  # its bands are found by their keys: one index on bands, not two, to keep up
            self.db.execute("DELETE FROM signatures WHERE doc_id = ?", (doc_id,))
            self.db.executemany("DELETE FROM bands WHERE band = ? AND doc_id = ?",
                                [(key, doc_id) for key in self.band_keys(row[0])])

    def story_for(self, doc_id: str, encoded: str) -> str:
        """The story of the most similar indexed article above the threshold, else a new one (doc_id)."""
        keys = self.band_keys(encoded)
        # The articles sharing the most bands (the likeliest to be most similar), not every candidate:
        # a story syndicated a thousand times would otherwise cost a thousand comparisons an article.
        rows = self.db.execute(
            f"SELECT s.doc_id, s.minhash, s.story FROM (SELECT doc_id, COUNT(*) AS shared FROM bands "
            f"WHERE band IN ({','.join('?' * len(keys))}) AND doc_id != ? GROUP BY doc_id "
            f"ORDER BY shared DESC, doc_id LIMIT {MAX_CANDIDATES}) AS c JOIN signatures AS s ON s.doc_id = c.doc_id",
            (*keys, doc_id)).fetchall()
        if not rows:
            return doc_id
        minhash = lean(encoded)
        similarity, story = max((minhash.jaccard(lean(other)), story) for _, other, story in rows)
        return story if similarity >= THRESHOLD else doc_id

    def counts(self) -> tuple[int, int]:
        """(distinct stories, articles that are a copy of another article's story)."""
        stories, copies = self.db.execute(
            "SELECT COUNT(DISTINCT story), COALESCE(SUM(story != doc_id), 0) FROM signatures").fetchone()
        return int(stories), int(copies)
