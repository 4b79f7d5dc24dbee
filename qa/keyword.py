"""A BM25 keyword index over the same chunks as the vectors (bm25s, English stemming and stop words)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
BM25_PARAMS = {"k1": 1.2, "b": 0.75}


@lru_cache(maxsize=1)
def _stemmer_and_stopwords():
    import Stemmer
    from bm25s.stopwords import STOPWORDS_EN

    return Stemmer.Stemmer("english"), frozenset(STOPWORDS_EN)


def keyword_tokens(text: str) -> list[str]:
    """Lower-cased, stemmed words without stop words: what BM25 matches on."""
    stemmer, stopwords = _stemmer_and_stopwords()
    words = [w for w in TOKEN_RE.findall(text.lower()) if w not in stopwords and (len(w) > 1 or w.isdigit())]
    return stemmer.stemWords(words)


def term_overlap(a: str, b: str) -> float:
    """Share of a's BM25 terms that occur in b."""
    terms = set(keyword_tokens(a))
    return len(terms & set(keyword_tokens(b))) / len(terms) if terms else 0.0


class KeywordIndex:
    """BM25 scores for a list of chunk ids, built from their stored tokens."""

    def __init__(self, ids: np.ndarray, bm25):
        self.ids = ids
        self.bm25 = bm25

    @classmethod
    def build(cls, tokens: dict[int, list[str]]) -> KeywordIndex:
        import bm25s

        ids = np.fromiter(tokens.keys(), dtype=np.int64, count=len(tokens))
        bm25 = bm25s.BM25(**BM25_PARAMS)
        if len(ids):
            bm25.index([tokens[int(i)] for i in ids], show_progress=False)
        return cls(ids, bm25)

    def save(self, folder: Path) -> None:
        folder.mkdir()
        np.save(folder / "ids.npy", self.ids)
        if len(self.ids):
            self.bm25.save(str(folder), show_progress=False)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        import bm25s

        ids = np.load(folder / "ids.npy")
        bm25 = bm25s.BM25.load(str(folder), show_progress=False) if len(ids) else bm25s.BM25(**BM25_PARAMS)
        return cls(ids, bm25)

    def search(self, question: str, k: int) -> list[tuple[int, float]]:
        """(chunk id, BM25 score) of the k best-matching chunks with a score above zero."""
        if not len(self.ids):
            return []
        query = [t for t in keyword_tokens(question) if t in self.bm25.vocab_dict]
        if not query:
            return []
        scores = self.bm25.get_scores(query)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top if scores[i] > 0]


def save_tokens(path: Path, tokens: dict[int, list[str]]) -> None:
    with open(path, "w") as out:
        for chunk_id, words in tokens.items():
            out.write(json.dumps([chunk_id, words]) + "\n")


def load_tokens(path: Path) -> dict[int, list[str]]:
    tokens: dict[int, list[str]] = {}
    with open(path) as lines:
        for line in lines:
            chunk_id, words = json.loads(line)
            tokens[int(chunk_id)] = words
    return tokens
