"""BM25 over the chunks, as a sparse term-frequency matrix that updates in place of a rebuild.

Rows are chunks (ids ascending), columns terms. Adding or removing chunks touches only their rows,
so an index update costs time in proportion to what changed. Scores are Lucene's BM25 (as bm25s
computes them, k1=1.2, b=0.75): idf = ln(1 + (N - df + 0.5) / (df + 0.5)), then
tf / (tf + k1 * (1 - b + b * length / mean length)) summed over the question's terms.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import numpy as np
from scipy import sparse

from ..text.terms import search_terms

K1, B = 1.2, 0.75


class KeywordIndex:
    """An immutable BM25 index; add() and remove() return a new one sharing what did not change."""

    def __init__(self, ids: np.ndarray, matrix: sparse.csr_matrix, vocabulary: dict[str, int]):
        self.ids = ids
        self.matrix = matrix
        self.vocabulary = vocabulary

    @classmethod
    def empty(cls) -> KeywordIndex:
        return cls(np.zeros(0, np.int64), sparse.csr_matrix((0, 0), dtype=np.float32), {})

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, ids: list[int], texts: list[str]) -> KeywordIndex:
        """A new index with these chunks (ids larger than any already here) added."""
        if not ids:
            return self
        vocabulary = dict(self.vocabulary)
        indptr, indices, counts = [0], [], []
        for text in texts:
            row: dict[int, int] = {}
            for term in search_terms(text):
                column = vocabulary.setdefault(term, len(vocabulary))
                row[column] = row.get(column, 0) + 1
            indices.extend(row)
            counts.extend(row.values())
            indptr.append(len(indices))
        width = len(vocabulary)
        old = sparse.csr_matrix((self.matrix.data, self.matrix.indices, self.matrix.indptr),
                                shape=(self.matrix.shape[0], width))
        new = sparse.csr_matrix((np.asarray(counts, np.float32), np.asarray(indices, np.int32),
                                 np.asarray(indptr, np.int64)), shape=(len(texts), width))
        order = np.asarray(ids, np.int64)
        if len(self.ids) and order.min() <= self.ids[-1]:
            raise ValueError("chunk ids must grow: new ids must be larger than every stored one")
        return KeywordIndex(np.concatenate([self.ids, order]), sparse.vstack([old, new], format="csr"), vocabulary)

    def remove(self, ids) -> KeywordIndex:
        """A new index without these chunk ids."""
        gone = np.isin(self.ids, np.fromiter(ids, np.int64))
        if not gone.any():
            return self
        keep = ~gone
        return KeywordIndex(self.ids[keep], self.matrix[keep], self.vocabulary)

    @cached_property
    def _postings(self) -> tuple[sparse.csc_matrix, np.ndarray, np.ndarray]:
        """Per term, its chunks and tf weights (column-major), the idf per term, and nothing else."""
        lengths = np.asarray(self.matrix.sum(axis=1)).ravel()
        mean = lengths.mean() if len(lengths) else 1.0
        norm = K1 * (1 - B + B * lengths / max(mean, 1e-9))
        csc = self.matrix.tocsc()
        rows = csc.indices
        weights = csc.data / (csc.data + norm[rows])  # tf part of BM25, per (term, chunk)
        df = np.diff(csc.indptr)
        n = len(self.ids)
        idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
        return sparse.csc_matrix((weights.astype(np.float32), rows, csc.indptr), shape=csc.shape), idf, df

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every chunk (row order) for the question."""
        columns = [self.vocabulary[t] for t in dict.fromkeys(search_terms(question)) if t in self.vocabulary]
        total = np.zeros(len(self.ids), np.float32)
        if not columns:
            return total
        weights, idf, _ = self._postings
        for column in columns:
            start, end = weights.indptr[column], weights.indptr[column + 1]
            total[weights.indices[start:end]] += idf[column] * weights.data[start:end]
        return total

    def search(self, question: str, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(chunk id, score) of the k best chunks with a score above zero; allowed limits the ids."""
        if not len(self.ids) or k <= 0:
            return []
        scores = self.scores(question)
        if allowed is not None:
            mask = np.isin(self.ids, allowed)
            scores = np.where(mask, scores, 0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.ids[i]), float(scores[i])) for i in top if scores[i] > 0]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "bm25.npz", "wb") as out:
            np.savez(out, ids=self.ids, data=self.matrix.data, indices=self.matrix.indices,
                     indptr=self.matrix.indptr, shape=np.asarray(self.matrix.shape))
        terms = sorted(self.vocabulary, key=self.vocabulary.get)
        (folder / "vocabulary.json").write_text(json.dumps(terms, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex:
        with np.load(folder / "bm25.npz") as arrays:
            matrix = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]),
                                       shape=tuple(arrays["shape"]))
            ids = arrays["ids"]
        terms = json.loads((folder / "vocabulary.json").read_text())
        if matrix.shape != (len(ids), len(terms)):
            raise ValueError(f"matrix {matrix.shape} does not match {len(ids)} chunks and {len(terms)} terms")
        return cls(ids, matrix, {t: i for i, t in enumerate(terms)})
