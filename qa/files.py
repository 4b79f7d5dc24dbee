"""Small file and terminal helpers every stage shares: atomic writes and progress bars."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file or a directory entry to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def atomic_output(path: str | Path, durable: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside path; on success it replaces path in one rename, on failure it goes.

    A reader sees the old file or the whole new one, never a part. durable=True also fsyncs.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}.tmp")
    try:
        yield temporary
        if durable:
            fsync_path(temporary)
        os.replace(temporary, path)
        if durable:
            fsync_path(path.parent)
    finally:
        if temporary.exists():
            temporary.unlink()


def atomic_write(path: str | Path, data: bytes | str, durable: bool = False) -> None:
    """Write data to path atomically (see atomic_output)."""
    with atomic_output(path, durable) as temporary:
        if isinstance(data, str):
            temporary.write_text(data)
        else:
            temporary.write_bytes(data)


def progress(items: Iterable, enabled: bool = True, desc: str = "", unit: str = "it",
             total: int | None = None, min_total: int = 0):
    """items wrapped in a tqdm progress bar when enabled (and when there are at least min_total)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)
    if not enabled or (total is not None and total < min_total):
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit, total=total)


def progress_bar(enabled: bool = True, desc: str = "", unit: str = "it", total: int | None = None):
    """A tqdm bar to update by hand, or a silent stand-in with the same update/close methods."""
    if enabled:
        from tqdm import tqdm

        return tqdm(desc=desc, unit=unit, total=total)
    return _Silent()


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, text: str) -> None:
        pass

    def close(self) -> None:
        pass
