"""Shared fixtures: a deterministic fake embedder for unit tests, the real one for integration tests."""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from qa.index.embed import Embedder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


class FakeEmbedder(Embedder):
    """Bag of hashed words: similar words, similar vectors. Counts what it embeds."""

    def __init__(self, dim: int = 64, max_tokens: int = 256, name: str = "fake"):
        self.name = name
        self.dim = dim
        self.max_tokens = max_tokens
        self.embedded: list[str] = []

    def fits(self, texts: list[str]) -> list[bool]:
        return [len(t.split()) + 2 <= self.max_tokens for t in texts]

    def embed(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.embedded.extend(texts)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                vectors[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


def free_port() -> int:
    """A TCP port nothing listens on right now, for servers the tests start."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of the bundled articles, safe to edit."""
    folder = tmp_path / "articles"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture(scope="session")
def real_embedder():
    from qa.config import DEFAULT_MODEL
    from qa.index.embed import embedder_for

    return embedder_for(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory, real_embedder) -> Path:
    """The seeds indexed once with the real model."""
    from qa import build_index

    folder = tmp_path_factory.mktemp("seeds-index") / "index"
    build_index(SEEDS, folder, model=real_embedder, log=lambda message: None)
    return folder
