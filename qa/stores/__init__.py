"""Where an index lives, behind one interface: the folder store (FAISS + BM25 files, the default) or Milvus.

``open_store(uri)`` gives the published state of an index to search; ``store_writer(uri)`` stages an
update and publishes it atomically. The builder and the retriever use nothing else.
"""

from __future__ import annotations

from .base import ArticleStamp, IndexFolderError, Store, StoreWriter, open_store, store_writer, STORES

__all__ = ["ArticleStamp", "IndexFolderError", "STORES", "Store", "StoreWriter", "open_store", "store_writer"]
