"""An optional second pass: a cross-encoder re-scores the top fused candidates (off by default)."""

from __future__ import annotations

from functools import cached_property


class Reranker:
    """Scores (question, passage) pairs; higher means more relevant."""

    def score(self, question: str, texts: list[str]) -> list[float]:
        raise NotImplementedError


class CrossEncoderReranker(Reranker):
    """A sentence-transformers CrossEncoder by Hugging Face id or local path
    (e.g. cross-encoder/ms-marco-MiniLM-L-6-v2; its weights must be downloadable or on disk)."""

    def __init__(self, name: str):
        self.name = name

    @cached_property
    def model(self):
        from sentence_transformers import CrossEncoder

        return CrossEncoder(self.name, device="cpu")

    def score(self, question: str, texts: list[str]) -> list[float]:
        if not texts:
            return []
        return [float(s) for s in self.model.predict([(question, t) for t in texts], show_progress_bar=False)]
