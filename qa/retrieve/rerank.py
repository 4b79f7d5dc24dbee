"""An optional second pass: a reranker re-scores the top fused candidates (off by default).

Rerankers are registered by kind; ``reranker_for("cross-encoder:NAME")`` (or just ``NAME``, a
sentence-transformers CrossEncoder by Hugging Face id or local path) builds one.
"""

from __future__ import annotations

from functools import cached_property, lru_cache

from ..registry import Registry

RERANKERS: Registry = Registry("reranker", modules=("qa.answer.sentence_ranker",))


class Reranker:
    """Scores (question, passage) pairs; higher means more relevant."""

    def score(self, question: str, texts: list[str]) -> list[float]:
        raise NotImplementedError


@RERANKERS.register("cross-encoder")
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


@lru_cache(maxsize=8)  # one loaded model per spec, however many answerers ask for it (the chat makes one per question)
def reranker_for(spec: str | None) -> Reranker | None:
    """"KIND:NAME" for a registered kind, a bare NAME for a cross-encoder; None, "" or "none" for no reranker."""
    if not spec or spec.lower() == "none":
        return None
    kind, _, name = spec.partition(":")
    if name and kind in RERANKERS:
        return RERANKERS.create(kind, name)
    return RERANKERS.create("cross-encoder", spec)
