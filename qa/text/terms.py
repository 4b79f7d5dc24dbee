"""Search terms: lower-cased, stemmed words without stop words (what BM25 matches on)."""

from __future__ import annotations

import re
from functools import lru_cache

WORD_RE = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=1)
def _stemmer_and_stopwords():
    import Stemmer
    from bm25s.stopwords import STOPWORDS_EN

    return Stemmer.Stemmer("english"), frozenset(STOPWORDS_EN)


def stop_words() -> frozenset[str]:
    """bm25s's English stop words ("of", "the", "in")."""
    return _stemmer_and_stopwords()[1]


def search_terms(text: str) -> list[str]:
    """The text's BM25 terms: English stemming (PyStemmer), bm25s's English stop words dropped."""
    stemmer, stopwords = _stemmer_and_stopwords()
    words = [w for w in WORD_RE.findall(text.lower()) if w not in stopwords and (len(w) > 1 or w.isdigit())]
    return stemmer.stemWords(words)


def term_overlap(a: str, b: str) -> float:
    """Share of a's search terms that occur in b."""
    terms = set(search_terms(a))
    return len(terms & set(search_terms(b))) / len(terms) if terms else 0.0
