"""Optional dependencies: a clear message naming the extra to install when one is missing."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

EXTRAS = {
    "gradio": "chat",
    "llama_cpp": "chat",
    "pymilvus": "milvus",
    "milvus_lite": "milvus",
    "feedparser": "news",
    "playwright": "test",
}


class MissingExtra(ImportError):
    """An optional package is not installed; the message says which extra brings it."""


def require(module: str, extra: str | None = None) -> ModuleType:
    """Import module, or raise MissingExtra naming `pip install 'qa-news[extra]'`."""
    try:
        return import_module(module)
    except ImportError as exc:
        if exc.name and exc.name.split(".")[0] != module.split(".")[0]:
            raise  # the module is there but one of its own imports failed: show that error
        extra = extra or EXTRAS.get(module.split(".")[0], "all")
        raise MissingExtra(f"{module} is not installed: it comes with the [{extra}] extra "
                           f"(pip install 'qa-news[{extra}]')") from None
