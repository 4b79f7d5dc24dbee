"""Registries of pluggable parts: one per kind (readers, embedders, stores, rerankers, answer back ends).

Built-ins register themselves exactly as a third-party package would: by calling
``REGISTRY.register(name)`` when their module is imported. Other packages add theirs through the
``qa_news.plugins`` entry point group, whose modules are imported the first time a registry is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module, metadata
from typing import Generic, TypeVar

T = TypeVar("T")
PLUGIN_GROUP = "qa_news.plugins"
_plugins_loaded = False


class UnknownName(ValueError):
    """A name no registry entry answers to; the message lists the choices."""


@dataclass(frozen=True)
class Entry(Generic[T]):
    name: str
    factory: Callable[..., T]
    help: str


def load_plugins() -> None:
    """Import every module registered under the qa_news.plugins entry point group (once)."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for point in metadata.entry_points(group=PLUGIN_GROUP):
        point.load()


class Registry(Generic[T]):
    """Named factories of one kind. ``modules`` are imported before the first lookup, so the
    built-ins are there without the caller importing them."""

    def __init__(self, kind: str, modules: tuple[str, ...] = ()):
        self.kind = kind
        self.modules = modules
        self._entries: dict[str, Entry[T]] = {}

    def register(self, name: str, factory: Callable[..., T] | None = None, *, help: str = ""):
        """Add factory under name (usable as a decorator); a later registration replaces an earlier one."""

        def add(item: Callable[..., T]) -> Callable[..., T]:
            doc = (help or (item.__doc__ or "")).strip().splitlines()
            self._entries[name] = Entry(name, item, doc[0] if doc else "")
            return item

        return add(factory) if factory is not None else add

    def unregister(self, name: str) -> None:
        self._entries.pop(name, None)

    def _ready(self) -> None:
        for module in self.modules:
            import_module(module)
        load_plugins()

    def get(self, name: str) -> Callable[..., T]:
        self._ready()
        if name not in self._entries:
            raise UnknownName(f"unknown {self.kind} {name!r}; choose from {', '.join(self.names())}")
        return self._entries[name].factory

    def create(self, name: str, *args, **kwargs) -> T:
        return self.get(name)(*args, **kwargs)

    def names(self) -> list[str]:
        self._ready()
        return list(self._entries)

    def entries(self) -> list[Entry[T]]:
        self._ready()
        return list(self._entries.values())

    def __contains__(self, name: str) -> bool:
        self._ready()
        return name in self._entries
