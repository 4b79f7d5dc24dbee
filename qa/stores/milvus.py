"""The Milvus store: an index kept in Milvus (a server or cluster) or in Milvus Lite (embedded, a .db folder).

Addresses it takes:

  milvus://host:port/collection    a Milvus server, MilvusClient(uri="http://host:port"); the
                                   collection defaults to "news"; milvus://user:password@host:port/...
                                   passes user:password as the token
  http(s)://host:port[#collection] the same, spelled as pymilvus spells it
  path/to/index.db                 Milvus Lite embedded in this process (collection "news"); Milvus
                                   Lite 3 keeps its data in a folder of that name, and lets one
                                   process at a time use it (serve it with `milvus-lite server` for more)

Collections, for the collection name N:

  N_meta           the published generations, append-only: one row per publish (generation = its
                   primary key; body = the manifest as JSON, without per-chunk or per-article hashes,
                   naming the two collections below). Readers take the newest row. One more row
                   (generation 0) is the writers' lease on a server.
  N_chunks_E       one row per chunk: ids, offsets, the text the embedder saw (title + passage, which
                   is also what BM25 indexes, as in the folder store), the dense vector and the BM25
                   sparse vector Milvus derives from the text.
  N_articles_E     each article's metadata and full cleaned text, in parts of at most 60,000
                   characters (a VARCHAR holds at most 65,535 bytes), keyed "doc_id#generation#part".

E is the generation that created the pair: an update writes into the published pair, but a full
rebuild (another model, so perhaps another vector size; or an unusable index) writes a fresh pair.

Versioned rows make an update atomic without copying the index. Every chunk and article row carries
`added` (the generation that put it in) and `removed` (the one that took it out; 0 while live). A
reader opened at generation G filters every search and query with
`added <= G and (removed == 0 or removed > G)`. A writer over G stages its rows with added = G+1 and
marks the rows it takes out with removed = G+1 (the rows stay, so readers at G still find them), and
publishes by inserting the one meta row for G+1 once everything staged is flushed. A crash before that
leaves rows nobody reads; the next writer deletes them (added > G) and puts back what it had marked
(removed > G -> 0). The next writer also deletes rows removed at G-1 or before: one generation back
stays readable, for readers still busy with it (a reader two publishes behind must reopen). Readers
fetch chunks and article parts by primary key and check the two fields themselves, and the publisher
records the counts in the manifest: Milvus Lite evaluates a filtered query or count row by row.

Writers take turns: for a .db, an fcntl lock on "<name>.db.lock" beside it; on a server, a lease row
in N_meta (best effort, see Lease). Milvus Lite keeps a .db open for the life of the process that
opened it; release(uri) lets go of it.

pymilvus is imported only when a Milvus store is used (the [milvus] extra), so this module imports without it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np

from ..config import FORMAT_VERSION
from ..extras import require
from ..records import Article, ArticleRow, Chunk, Filters, embed_text
from ..text.terms import search_terms
from .bm25 import B, K1
from .base import STORES, ArticleStamp, IndexFolderError, Store, StoreWriter

log = logging.getLogger(__name__)

DEFAULT_COLLECTION = "news"
DEFAULT_PORT = 19530
LAYOUT = 2  # of the collections below: bump it when their fields change, so old indexes are rebuilt
MAX_VARCHAR = 65_535  # bytes, Milvus's limit for one VARCHAR value
PART_CHARS = 60_000  # characters of article text per articles row
MAX_WINDOW = 16_384  # Milvus's limit on limit (+ offset) of a query or search
IN_BATCH = 500  # values in one `field in [...]` expression
WRITE_ROWS = 1_000  # rows per insert or upsert call (Milvus Lite 2.x slows badly above this)
WRITE_BYTES = 8 << 20  # and about this many bytes (a server takes at most 64 MB per call)
PAGE_ROWS = {"chunks": 1_000, "articles": 128}  # rows per query page (an article row holds up to 64 kB)
TIMEOUT = 120.0  # seconds for one call
LEASE_SECONDS = 60.0  # a server writer's lease lasts this long unless renewed (every quarter of it)
LEASE_ID = 0  # the lease row's key in the meta collection; generations count from 1
# The BM25 field holds terms already stemmed and stripped of stop words (text/terms.py), so the
# engine's analyzer only splits them: Milvus Lite accepts just the 'standard' and 'jieba' tokenizers.
ANALYZER = {"tokenizer": "standard", "filter": ["lowercase"]}
# The folder store's BM25 (stores/bm25.py). Sent as the classic nested "params" JSON that every Milvus
# reads: pymilvus 3 otherwise flattens them into top-level keys, which Milvus Lite 3 silently drops
# (it then scores with its own k1=1.5). Milvus Lite takes only its one algorithm, a server its default.
BM25_PARAMS = {"bm25_k1": K1, "bm25_b": B}
DUMMY_DIM = 2  # Milvus wants a vector field in every collection; the meta and articles ones hold a dummy
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,200}")
CHUNK_FIELDS = ["chunk_id", "doc_id", "chunk_hash", "text", "terms", "title", "source", "date", "start", "end",
                "added", "removed"]
ARTICLE_FIELDS = ["key", "doc_id", "part", "parts", "text", "title", "source", "date", "path", "meta", "hash",
                  "chunks", "added", "removed"]


def literal(value) -> str:
    """A value as a Milvus expression literal (there are no filter_params templates in Milvus Lite)."""
    return json.dumps(value, ensure_ascii=False)


def like_contains(text: str) -> str:
    """A LIKE pattern matching strings that contain text: %, _ and \\ escaped with a backslash."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return literal(f"%{escaped}%")


def visible(generation: int) -> str:
    """The rows of a published generation."""
    return f"added <= {generation} and (removed == 0 or removed > {generation})"


def filter_expression(generation: int, filters: Filters = Filters()) -> str:
    """A chunk filter: the rows of the generation that pass the filters (sources lower-cased, as stored)."""
    parts = [visible(generation)]
    dated = ['date != ""']
    if filters.date_from:
        dated.append(f"date >= {literal(filters.date_from)}")
    if filters.date_to:
        dated.append(f"date <= {literal(filters.date_to)}")
    if len(dated) > 1:
        parts.append(f'(date == "" or ({" and ".join(dated)}))' if filters.include_undated
                     else " and ".join(dated))
    if filters.sources:
        parts.append("(" + " or ".join(f"source like {like_contains(s.lower())}" for s in filters.sources) + ")")
    return " and ".join(parts)


def batched(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def text_parts(text: str) -> list[str]:
    """text cut into parts of at most PART_CHARS characters and MAX_VARCHAR bytes (at least one part)."""
    parts, start = [], 0
    while start < len(text) or not parts:
        size = PART_CHARS
        while len(text[start:start + size].encode("utf-8")) > MAX_VARCHAR:
            size //= 2
        parts.append(text[start:start + size])
        start += size
    return parts


@dataclass(frozen=True)
class Target:
    """Where an index lives: what to pass to MilvusClient, and the name its collections start with."""

    uri: str  # as given, for messages
    client_uri: str
    name: str
    token: str = ""
    path: Path | None = None  # the Milvus Lite folder, when embedded

    @property
    def meta(self) -> str:
        return f"{self.name}_meta"

    def collection(self, kind: str, generation: int) -> str:
        return f"{self.name}_{kind}_{generation}"


def parse_uri(uri: str) -> Target:
    """milvus://host:port/collection, http(s)://host:port#collection or a .db path; raises IndexFolderError."""
    uri = str(uri)
    if "://" not in uri:
        if not uri.endswith(".db"):
            raise IndexFolderError(f"{uri}: not a Milvus address (milvus://host:port/collection, or a .db path)")
        path = Path(uri).expanduser().absolute()
        return Target(uri, str(path), DEFAULT_COLLECTION, path=path)
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        raise IndexFolderError(f"{uri}: the port is not a number") from None
    host = parts.hostname or "localhost"
    host = f"[{host}]" if ":" in host else host
    if scheme == "milvus":
        client_uri = f"http://{host}:{port or DEFAULT_PORT}"
        name = parts.path.strip("/") or DEFAULT_COLLECTION
    elif scheme in ("http", "https"):
        client_uri = f"{scheme}://{host}" + (f":{port}" if port else "") + parts.path.rstrip("/")
        name = parts.fragment or DEFAULT_COLLECTION
    else:
        raise IndexFolderError(f"{uri}: not a Milvus address (milvus://host:port/collection, or a .db path)")
    if not NAME_RE.fullmatch(name):
        raise IndexFolderError(f"{uri}: {name!r} is not a Milvus collection name "
                               "(letters, digits and _, not starting with a digit)")
    token = f"{unquote(parts.username)}:{unquote(parts.password or '')}" if parts.username else ""
    return Target(uri, client_uri, name, token)


# One client per address in a process: Milvus Lite lets one process open a .db, and pymilvus shares
# the connection anyway. close() leaves them open; release() lets go of one.
_clients: dict[tuple[str, str], object] = {}
_clients_lock = threading.Lock()


class _KeepError(logging.Filter):
    """Holds back the traceback Milvus Lite logs when it cannot open a .db, so the error can say it in one line."""

    def __init__(self):
        super().__init__()
        self.error: BaseException | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            self.error = record.exc_info[1]
            return False
        return True


class _NoSessionTs(logging.Filter):
    """Drops pymilvus's warning that the server gave its query iterator no snapshot timestamp: Milvus Lite
    never does (it has no MVCC timestamps), and pymilvus then uses the client's clock, which is fine."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "failed to get mvccTs" not in record.getMessage()


_no_session_ts = _NoSessionTs()


def describe_error(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(message).split())[:300]


def lite_problem(path: Path, error: BaseException | None) -> str:
    """Why Milvus Lite could not open path, in words."""
    name = type(error).__name__ if error else ""
    if name == "DataDirLockedError" or (error and "lock" in str(error).lower()):
        return ("another process has this Milvus Lite database open (Milvus Lite lets one process use a .db "
                f"at a time; serve it with `milvus-lite server --data-dir {path} --host 127.0.0.1 --port 19530` "
                "and use milvus://127.0.0.1:19530/news)")
    return f"Milvus Lite cannot open it ({describe_error(error) if error else 'see the log above'})"


_milvus_lite_mended = False


def mend_milvus_lite() -> None:
    """Mend two ways a process killed mid-write leaves an embedded Milvus Lite database (3.2.2) that
    the next process reads wrong; the engine runs in the process that opens the .db, so mending this
    process's copy covers every .db it opens. Another Milvus Lite layout is left as it is."""
    global _milvus_lite_mended
    if _milvus_lite_mended:
        return
    _milvus_lite_mended = True
    try:
        from milvus_lite.engine import collection, recovery
        from milvus_lite.storage.segment import Segment
    except ImportError:
        return
    if all(hasattr(Segment, name) for name in ("build_or_load_index", "build_or_load_scalar_index",
                                               "index_file_path")):
        rebuild_unreadable_index_sidecars(Segment)
    if callable(getattr(collection, "execute_recovery", None)) and callable(
            getattr(recovery, "replay_wal_operations", None)):
        replay_only_unflushed_wal_rows(collection, recovery)


def rebuild_unreadable_index_sidecars(Segment) -> None:
    """Milvus Lite writes a segment's index sidecar (.idx, .sidx) in place, so a process killed while it
    was writing one leaves a cut-short file, and every later load of the database fails on it. Sidecars
    are derived from the segment's own data: one that cannot be read is deleted and built again."""

    def healing(method, scalar: bool):
        def build_or_load(self, spec, index_dir, *args):
            path = self.index_file_path(index_dir, spec.index_type, spec.field_name, scalar=scalar)
            if os.path.exists(path):
                try:
                    return method(self, spec, index_dir, *args)
                except Exception:  # noqa: BLE001 - any reading error: the file is rebuilt from the data
                    log.warning("rebuilding the unreadable Milvus Lite index %s", path)
                    os.remove(path)
            return method(self, spec, index_dir, *args)

        return build_or_load

    Segment.build_or_load_index = healing(Segment.build_or_load_index, scalar=False)
    Segment.build_or_load_scalar_index = healing(Segment.build_or_load_scalar_index, scalar=True)


def replay_only_unflushed_wal_rows(collection, recovery) -> None:
    """A flush writes the rows to a segment, then the manifest (with the last sequence number it
    holds), then deletes the write-ahead log. A kill between the last two leaves the log, and the next
    open replays its rows beside the same rows in the segment, with equal sequence numbers, so every
    query returns them twice (an article listed twice, a chunk counted twice). Replay skips the rows
    the manifest already holds."""
    import pyarrow.compute as pc

    replay_all, recover = recovery.replay_wal_operations, collection.execute_recovery
    flushed = threading.local()

    def replay_unflushed(wal_dir, wal_number, pk_field):
        last = getattr(flushed, "seq", None)
        for op in replay_all(wal_dir, wal_number, pk_field):
            if last is None:
                yield op
                continue
            newer = pc.greater(op.batch.column("_seq"), last)
            if pc.all(newer).as_py():
                yield op
            elif pc.any(newer).as_py():
                yield type(op)(partition=op.partition, batch=op.batch.filter(newer))

    def execute_recovery(data_dir, schema, manifest):
        flushed.seq = int(manifest.current_seq)
        try:
            return recover(data_dir=data_dir, schema=schema, manifest=manifest)
        finally:
            flushed.seq = None

    recovery.replay_wal_operations = replay_unflushed
    collection.execute_recovery = execute_recovery


def connect(target: Target):
    """The process's MilvusClient for target; raises IndexFolderError when it cannot be reached or opened."""
    key = (target.client_uri, target.token)
    with _clients_lock:
        client = _clients.get(key)
        if client is not None:
            return client
        pymilvus = require("pymilvus", "milvus")
        iterator_log = logging.getLogger("pymilvus.client.iterator.query_iterator")
        if _no_session_ts not in iterator_log.filters:
            iterator_log.addFilter(_no_session_ts)
        keep = _KeepError()
        if target.path is not None:
            require("milvus_lite", "milvus")
            mend_milvus_lite()
            if target.path.exists() and not target.path.is_dir():
                raise IndexFolderError(f"{target.uri}: not a Milvus Lite database (Milvus Lite 3 keeps a .db as a "
                                       "folder; a single-file .db from Milvus Lite 2.x does not open in 3.x)")
            target.path.parent.mkdir(parents=True, exist_ok=True)
        lite_log = logging.getLogger("milvus_lite.server_manager")
        lite_log.addFilter(keep)
        try:
            client = pymilvus.MilvusClient(uri=target.client_uri, token=target.token, timeout=10)
        except Exception as exc:  # noqa: BLE001 - pymilvus raises several kinds; all mean "cannot use it"
            if target.path is not None:
                raise IndexFolderError(f"{target.uri}: {lite_problem(target.path, keep.error or exc)}") from None
            raise IndexFolderError(f"{target.uri}: cannot reach the Milvus server at {target.client_uri} "
                                   f"({describe_error(exc)}); is it running?") from None
        finally:
            lite_log.removeFilter(keep)
        _clients[key] = client
        return client


def release(uri: str) -> None:
    """Let go of this process's client for uri and, for a .db, of Milvus Lite's hold on it (so another
    process may open it). Stores opened on it stop working."""
    target = parse_uri(uri)
    with _clients_lock:
        client = _clients.pop((target.client_uri, target.token), None)
    if client is not None:
        try:
            client.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass
    if target.path is not None:
        from milvus_lite.server_manager import server_manager_instance

        server_manager_instance.release_server(str(target.path))


@contextmanager
def failures(target: Target, doing: str, opening: bool = False) -> Iterator[None]:
    """Milvus errors as IndexFolderError naming the address and what was being done."""
    try:
        yield
    except IndexFolderError:
        raise
    except Exception as exc:  # noqa: BLE001
        module = type(exc).__module__ or ""
        if not (module.startswith(("pymilvus", "grpc", "milvus_lite")) or isinstance(exc, (ConnectionError, TimeoutError))):
            raise
        hint = ""
        if opening and target.path is not None:  # Milvus Lite answers nothing while any collection is damaged
            hint = f" (if the database is damaged, move {target.path} away and run `qa index` to build it again)"
        raise IndexFolderError(f"{target.uri}: Milvus failed while {doing}: {describe_error(exc)}{hint}") from None


def fits(value: str, what: str, doc_id: str) -> str:
    if len(value.encode("utf-8")) > MAX_VARCHAR:
        raise IndexFolderError(f"{doc_id}: its {what} is over {MAX_VARCHAR} bytes, more than a Milvus field holds")
    return value


# --- Schemas ---------------------------------------------------------------------------------------


def chunk_schema(dim: int):
    from pymilvus import DataType, Function, FunctionType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("chunk_id", DataType.INT64, is_primary=True)
    schema.add_field("doc_id", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("chunk_hash", DataType.VARCHAR, max_length=64)
    schema.add_field("text", DataType.VARCHAR, max_length=MAX_VARCHAR)  # title + passage, as embedded
    # The BM25 input: the same stemmed, stop-word-free terms the folder store's BM25 matches on
    # (text/terms.py), so both stores rank keywords alike whatever analyzers the engine has.
    schema.add_field("terms", DataType.VARCHAR, max_length=MAX_VARCHAR, enable_analyzer=True,
                     analyzer_params=ANALYZER)
    schema.add_field("title", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("source", DataType.VARCHAR, max_length=MAX_VARCHAR)  # lower-cased, for the sources filter
    schema.add_field("date", DataType.VARCHAR, max_length=MAX_VARCHAR)  # YYYY-MM-DD, or "" when none
    schema.add_field("start", DataType.INT64)
    schema.add_field("end", DataType.INT64)
    schema.add_field("added", DataType.INT64)
    schema.add_field("removed", DataType.INT64)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dim)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(Function(name="text_bm25", function_type=FunctionType.BM25,
                                 input_field_names=["terms"], output_field_names=["sparse"]))
    return schema


def chunk_indexes(client):
    params = client.prepare_index_params()
    # AUTOINDEX (HNSW in Milvus Lite 3 and on a server) is the one dense type every Milvus takes; a
    # cluster would name it: index_type="HNSW", params={"M": 16, "efConstruction": 200}, ef >= k at search.
    params.add_index(field_name="vector", index_type="AUTOINDEX", metric_type="IP")
    params.add_index(field_name="sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                     params={"params": BM25_PARAMS})
    return params


def article_schema():
    from pymilvus import DataType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=MAX_VARCHAR)  # doc_id#added#part
    schema.add_field("doc_id", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("part", DataType.INT64)
    schema.add_field("parts", DataType.INT64)
    schema.add_field("text", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("title", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("source", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("date", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("path", DataType.VARCHAR, max_length=MAX_VARCHAR)
    schema.add_field("meta", DataType.VARCHAR, max_length=MAX_VARCHAR)  # JSON of Article.metadata (url, outlet)
    schema.add_field("hash", DataType.VARCHAR, max_length=64)
    schema.add_field("chunks", DataType.INT64)
    schema.add_field("added", DataType.INT64)
    schema.add_field("removed", DataType.INT64)
    schema.add_field("dummy", DataType.FLOAT_VECTOR, dim=DUMMY_DIM)
    return schema


def meta_schema():
    from pymilvus import DataType, MilvusClient

    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("generation", DataType.INT64, is_primary=True)
    schema.add_field("kind", DataType.VARCHAR, max_length=16)  # "published" or "lease"
    schema.add_field("body", DataType.VARCHAR, max_length=MAX_VARCHAR)  # JSON
    schema.add_field("dummy", DataType.FLOAT_VECTOR, dim=DUMMY_DIM)
    return schema


def dummy_indexes(client):
    params = client.prepare_index_params()
    params.add_index(field_name="dummy", index_type="AUTOINDEX", metric_type="IP")
    return params


def create_collection(client, name: str, schema, indexes) -> None:
    try:
        # Strong: every read sees the writes before it (a cluster's default, Bounded, may not).
        client.create_collection(name, schema=schema, consistency_level="Strong", timeout=TIMEOUT)
        # sync=False: pymilvus would otherwise poll for the (empty) index with AllocTimestamp, which
        # Milvus Lite does not implement (it retries, logs a traceback each time, and takes ~1 s).
        client.create_index(name, indexes, timeout=TIMEOUT, sync=False)
        client.load_collection(name, timeout=TIMEOUT)
    except BaseException:
        # Creating is several calls: a failure after the first leaves a collection without an index behind.
        try:
            if client.has_collection(name):
                client.drop_collection(name)
        except Exception:  # noqa: BLE001
            pass
        raise


def ensure_loaded(client, names: Iterable[str]) -> None:
    """Load collections that are not (Milvus Lite reopens every collection released)."""
    for name in names:
        if str(client.get_load_state(name, timeout=TIMEOUT).get("state")) != "Loaded":
            client.load_collection(name, timeout=TIMEOUT)


# --- Published generations -------------------------------------------------------------------------


@dataclass
class Published:
    """One row of the meta collection: a published generation and its manifest (None when unreadable)."""

    generation: int
    manifest: dict | None
    problem: str | None = None


def wait_for_indexes(client, collections: list[str], seconds: float = 120.0) -> None:
    """Until every index of the collections covers all flushed rows. Milvus builds them in the
    background; an embedded .db killed while writing one cannot be opened again, so a writer does
    not return (or let go of its lock) before they are done."""
    deadline = time.monotonic() + seconds
    for collection in collections:
        for name in client.list_indexes(collection):
            while True:
                state = client.describe_index(collection, name)
                if state.get("pending_index_rows", 0) == 0 and state.get("state", "Finished") == "Finished":
                    break
                if time.monotonic() > deadline:
                    return  # a very slow build is left to finish in the background
                time.sleep(0.05)


def published_generations(client, target: Target) -> list[Published]:
    """Every published generation still recorded, oldest first ([] when there is no index)."""
    if not client.has_collection(target.meta, timeout=TIMEOUT):
        return []
    ensure_loaded(client, [target.meta])
    rows = client.query(target.meta, filter=f'generation > {LEASE_ID} and kind == "published"',
                        output_fields=["generation", "body"], limit=MAX_WINDOW, timeout=TIMEOUT)
    return [parse_body(int(row["generation"]), row["body"]) for row in sorted(rows, key=lambda r: r["generation"])]


def parse_body(generation: int, body: str) -> Published:
    try:
        manifest = json.loads(body)
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
    except ValueError as exc:
        return Published(generation, None, f"generation {generation}: the manifest is not valid JSON ({exc})")
    if manifest.get("format_version") != FORMAT_VERSION:
        return Published(generation, manifest, f"generation {generation}: format version "
                                               f"{manifest.get('format_version')!r}, this program reads {FORMAT_VERSION}")
    if manifest.get("milvus_layout") != LAYOUT:
        return Published(generation, manifest, f"generation {generation}: collection layout "
                                               f"{manifest.get('milvus_layout')!r}, this program reads {LAYOUT}")
    names = manifest.get("collections") or {}
    if not isinstance(names, dict) or not all(isinstance(names.get(k), str) for k in ("chunks", "articles")):
        return Published(generation, manifest, f"generation {generation}: the manifest names no collections")
    return Published(generation, manifest)


def check_collections(client, target: Target, published: Published) -> str | None:
    """Why the collections of a published generation cannot be read, or None."""
    if published.problem:
        return published.problem
    for kind in ("chunks", "articles"):
        name = published.manifest["collections"][kind]
        if not client.has_collection(name, timeout=TIMEOUT):
            return f"generation {published.generation}: its {kind} collection {name!r} is missing"
    return None


def count_rows(client, collection: str, expression: str) -> int:
    rows = client.query(collection, filter=expression, output_fields=["count(*)"], timeout=TIMEOUT)
    return int(rows[0]["count(*)"]) if rows else 0


def iterate(client, collection: str, expression: str, fields: list[str], batch: int = 1000) -> Iterator[dict]:
    """Every row that matches, a page at a time (never the whole collection in memory)."""
    iterator = client.query_iterator(collection, batch_size=batch, filter=expression, output_fields=fields,
                                     timeout=TIMEOUT)
    try:
        while True:
            page = iterator.next()
            if not page:
                return
            yield from page
    finally:
        iterator.close()


def stamp_of(row: dict) -> ArticleStamp:
    meta = json.loads(row.get("meta") or "{}")
    return ArticleStamp(row["hash"], row["path"], meta.get("story"), meta.get("minhash"))


def chunk_from_row(row: dict) -> Chunk:
    text, title = row["text"], row["title"]
    prefix = embed_text(title, "")
    passage = text[len(prefix):] if text.startswith(prefix) else text
    return Chunk(doc_id=row["doc_id"], start=int(row["start"]), end=int(row["end"]), text=passage,
                 embed_text=text, id=int(row["chunk_id"]))


def hit_id(hit) -> int:
    entity = hit.get("entity") or {}
    if "chunk_id" in entity:
        return int(entity["chunk_id"])
    return int(hit.id)  # never hit["id"]: hits are keyed by the primary key's name on Milvus 2.5+ and Lite 3


# --- The lock --------------------------------------------------------------------------------------


def waiting_message(target: Target) -> str:
    return f"{target.uri}: another `qa index` is updating this index; waiting for it to finish"


@contextmanager
def file_lock(target: Target, on_wait: Callable[[str], None] | None) -> Iterator[None]:
    """An embedded .db's write lock: a lock file beside it, held with fcntl (as the folder store's)."""
    lock_path = target.path.with_name(target.path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait(waiting_message(target))
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class Lease:
    """A server's write lock, best effort: a row in the meta collection naming its holder and when it
    lapses, renewed by a thread while held. Milvus has no compare-and-set, so two writers that find it
    free in the same instant could both take it (each re-reads after writing to narrow that window);
    a writer that dies holds it until it lapses (LEASE_SECONDS); clocks of different hosts must roughly
    agree. Run one `qa index` at a time against a server to be safe."""

    def __init__(self, client, target: Target):
        self.client = client
        self.target = target
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.stop = threading.Event()
        self.lost: str | None = None
        self.thread: threading.Thread | None = None

    def read(self) -> dict | None:
        rows = self.client.query(self.target.meta, filter=f"generation == {LEASE_ID}", output_fields=["body"],
                                 timeout=TIMEOUT)
        try:
            return json.loads(rows[0]["body"]) if rows else None
        except ValueError:
            return None

    def write(self, expires: float) -> None:
        body = json.dumps({"holder": self.holder, "expires": expires})
        self.client.upsert(self.target.meta, [{"generation": LEASE_ID, "kind": "lease", "body": body,
                                               "dummy": [1.0, 0.0]}], timeout=TIMEOUT)

    def acquire(self, on_wait: Callable[[str], None] | None) -> None:
        told = False
        while True:
            lease = self.read()
            if lease is None or lease.get("holder") == self.holder or float(lease.get("expires", 0)) < time.time():
                self.write(time.time() + LEASE_SECONDS)
                time.sleep(0.2)  # let a writer that raced us overwrite it, then see who holds it
                lease = self.read()
                if lease and lease.get("holder") == self.holder:
                    break
            if not told and on_wait:
                on_wait(waiting_message(self.target))
                told = True
            time.sleep(1.0)
        self.thread = threading.Thread(target=self.renew, name="milvus-lease", daemon=True)
        self.thread.start()

    def renew(self) -> None:
        while not self.stop.wait(LEASE_SECONDS / 4):
            try:
                lease = self.read()
                if lease and lease.get("holder") != self.holder:
                    self.lost = f"another writer ({lease.get('holder')}) took the write lease"
                    return
                self.write(time.time() + LEASE_SECONDS)
            except Exception as exc:  # noqa: BLE001 - try again at the next turn, until the lease lapses
                log.warning("renewing the Milvus write lease failed: %s", describe_error(exc))

    def release(self) -> None:
        self.stop.set()
        if self.thread:
            self.thread.join(timeout=TIMEOUT)
        try:
            lease = self.read()
            if lease and lease.get("holder") == self.holder:
                self.client.delete(self.target.meta, ids=[LEASE_ID], timeout=TIMEOUT)
        except Exception:  # noqa: BLE001 - it lapses by itself
            pass


def ensure_meta(client, target: Target) -> None:
    if not client.has_collection(target.meta, timeout=TIMEOUT):
        create_collection(client, target.meta, meta_schema(), dummy_indexes(client))
    ensure_loaded(client, [target.meta])


# --- The store -------------------------------------------------------------------------------------


@STORES.register("milvus")
class MilvusStore(Store):
    """Milvus or Milvus Lite: dense vectors (AUTOINDEX, inner product) and BM25 full-text search."""

    def __init__(self, target: Target, client, published: Published):
        self.target = target
        self.client = client
        self.uri = target.uri
        self.generation = published.generation
        self.manifest = published.manifest
        self.chunks_collection = published.manifest["collections"]["chunks"]
        self.articles_collection = published.manifest["collections"]["articles"]
        self.where = visible(self.generation)
        self._count: int | None = None
        self._added: dict[str, int] = {}  # doc_id -> the generation that added it, seen in chunk rows

    @staticmethod
    def handles(uri: str) -> bool:
        uri = str(uri)
        return uri.startswith(("milvus://", "http://", "https://")) or ("://" not in uri and uri.endswith(".db"))

    @classmethod
    def open(cls, uri: str) -> MilvusStore:
        target = parse_uri(uri)
        if target.path is not None and not target.path.exists():
            raise IndexFolderError(f"{uri}: no index here yet (run `qa index --store {uri}`)")
        client = connect(target)
        with failures(target, "opening the index", opening=True):
            generations = published_generations(client, target)
            if not generations:
                raise IndexFolderError(f"{uri}: no index here yet (run `qa index --store {uri}`)")
            newest = generations[-1]
            problem = check_collections(client, target, newest)
            if problem:
                raise IndexFolderError(f"{uri}: {problem}")
            ensure_loaded(client, newest.manifest["collections"].values())
        return cls(target, client, newest)

    @classmethod
    @contextmanager
    def writer(cls, uri: str, on_wait: Callable[[str], None] | None = None) -> Iterator[MilvusWriter]:
        target = parse_uri(uri)
        if target.path is not None:
            with file_lock(target, on_wait):
                client = connect(target)
                with failures(target, "preparing the update", opening=True):
                    ensure_meta(client, target)
                    writer = MilvusWriter(target, client)
                yield writer
            return
        client = connect(target)
        with failures(target, "taking the write lease"):
            ensure_meta(client, target)
            lease = Lease(client, target)
            lease.acquire(on_wait)
        try:
            with failures(target, "preparing the update", opening=True):
                writer = MilvusWriter(target, client, lease)
            yield writer
        finally:
            lease.release()

    def _query(self, collection: str, expression: str, fields: list[str], doing: str) -> list[dict]:
        with failures(self.target, doing):
            return self.client.query(collection, filter=expression, output_fields=fields, limit=MAX_WINDOW,
                                     timeout=TIMEOUT)

    def _visible(self, row: dict) -> bool:
        return row["added"] <= self.generation and (row["removed"] == 0 or row["removed"] > self.generation)

    def _get(self, collection: str, keys: list, fields: list[str], doing: str) -> list[dict]:
        """Rows by primary key that this generation holds (a key lookup: much faster than a filtered query)."""
        rows = []
        with failures(self.target, doing):
            for batch in batched(keys, IN_BATCH if collection == self.chunks_collection else PAGE_ROWS["articles"]):
                rows.extend(self.client.get(collection, ids=batch, output_fields=fields + ["added", "removed"],
                                            timeout=TIMEOUT))
        return [row for row in rows if self._visible(row)]

    def count(self) -> int:
        if self._count is None:  # a published generation never changes; its publisher counted it
            if "chunks" in self.manifest:
                self._count = int(self.manifest["chunks"])
            else:
                with failures(self.target, "counting chunks"):
                    self._count = count_rows(self.client, self.chunks_collection, self.where)
        return self._count

    def describe(self) -> dict:
        return {"store": "milvus", "uri": self.uri, "server": self.target.client_uri,
                "embedded": self.target.path is not None, "generation": self.generation,
                "collections": {"chunks": self.chunks_collection, "articles": self.articles_collection,
                                "meta": self.target.meta},
                "dense": self.manifest.get("dense_index"), "keyword": self.manifest.get("keyword_index"),
                "chunks": self.count(), "articles": self.manifest.get("articles")}

    def is_stale(self) -> bool:
        with failures(self.target, "checking for a newer index"):
            rows = self.client.query(self.target.meta, filter=f'generation > {self.generation} and kind == "published"',
                                     output_fields=["generation"], limit=1, timeout=TIMEOUT)
        return bool(rows)

    def article_stamps(self) -> dict[str, ArticleStamp]:
        with failures(self.target, "listing articles"):
            return {row["doc_id"]: stamp_of(row)
                    for row in iterate(self.client, self.articles_collection, f"{self.where} and part == 0",
                                       ["doc_id", "hash", "path", "meta"])}

    def articles(self, doc_ids: Iterable[str]) -> dict[str, Article]:
        wanted = list(dict.fromkeys(doc_ids))
        fields = ["doc_id", "part", "parts", "text", "title", "source", "date", "path", "meta"]
        # An article's rows were added with its chunks, so a chunk read before names their keys.
        known = [d for d in wanted if d in self._added]
        firsts = self._get(self.articles_collection, [f"{d}#{self._added[d]}#0" for d in known], fields,
                           "reading articles")
        for row, doc_id in ((row, row["doc_id"]) for row in firsts):
            row["added"] = self._added[doc_id]
        got = {row["doc_id"] for row in firsts}
        for batch in batched([d for d in wanted if d not in got], PAGE_ROWS["articles"]):
            firsts.extend(self._query(self.articles_collection,
                                      f"{self.where} and part == 0 and doc_id in {literal(batch)}",
                                      fields + ["added"], "reading articles"))
        result: dict[str, Article] = {}
        for row in firsts:
            texts = [row["text"]]
            if row["parts"] > 1:
                keys = [f"{row['doc_id']}#{row['added']}#{p}" for p in range(1, row["parts"])]
                rest = {part["part"]: part["text"]
                        for part in self._get(self.articles_collection, keys, ["part", "text"], "reading an article")}
                if len(rest) != row["parts"] - 1:
                    raise IndexFolderError(f"{self.uri}: article {row['doc_id']!r} is missing parts of its text")
                texts.extend(rest[p] for p in range(1, row["parts"]))
            result[row["doc_id"]] = Article(doc_id=row["doc_id"], title=row["title"], text="".join(texts),
                                            source=row["source"], date=row["date"] or None, path=row["path"],
                                            **json.loads(row["meta"] or "{}"))
        return {d: result[d] for d in wanted if d in result}

    def article_rows(self) -> list[ArticleRow]:
        with failures(self.target, "listing articles"):
            return [ArticleRow(row["doc_id"], row["title"], row["date"] or None, row["source"], int(row["chunks"]),
                               json.loads(row["meta"] or "{}").get("outlet"), json.loads(row["meta"] or "{}").get("story"))
                    for row in iterate(self.client, self.articles_collection, f"{self.where} and part == 0",
                                       ["doc_id", "title", "date", "source", "chunks", "meta"])]

    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        wanted = [int(i) for i in dict.fromkeys(ids)]
        found: dict[int, Chunk] = {}
        for row in self._get(self.chunks_collection, wanted, ["chunk_id", "doc_id", "text", "title", "start", "end"],
                             "reading chunks"):
            found[int(row["chunk_id"])] = chunk_from_row(row)
            if len(self._added) < 100_000:
                self._added[row["doc_id"]] = int(row["added"])
        return {i: found[i] for i in wanted if i in found}

    def vectors(self, ids: list[int]) -> np.ndarray:
        dim = int(self.manifest["dim"])
        found = {int(row["chunk_id"]): np.asarray(row["vector"], dtype=np.float32)
                 for row in self._get(self.chunks_collection, [int(i) for i in ids], ["chunk_id", "vector"],
                                      "reading vectors")}
        missing = [i for i in ids if i not in found]
        if missing:
            raise KeyError(f"no chunks with ids {missing[:10]} in this index")
        return np.stack([found[i] for i in ids]) if ids else np.zeros((0, dim), np.float32)

    def _search(self, data, field: str, params: dict, k: int, filters: Filters, doing: str) -> list:
        if k <= 0 or not self.count():
            return []
        with failures(self.target, doing):
            result = self.client.search(self.chunks_collection, data=[data], anns_field=field,
                                        limit=min(k, MAX_WINDOW), filter=filter_expression(self.generation, filters),
                                        output_fields=["chunk_id"], search_params=params, timeout=TIMEOUT)
        return list(result[0]) if result else []

    def dense_search(self, vector: np.ndarray, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        query = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        params = {"metric_type": "IP", "params": {"ef": max(64, min(k, MAX_WINDOW))}}
        hits = self._search(query, "vector", params, k, filters, "searching vectors")
        return [(hit_id(h), float(h["distance"])) for h in hits]

    def keyword_search(self, question: str, k: int, filters: Filters = Filters()) -> list[tuple[int, float]]:
        if not question.strip():
            return []
        terms = " ".join(search_terms(question))
        if not terms:
            return []
        hits = self._search(terms, "sparse", {"metric_type": "BM25"}, k, filters, "searching keywords")
        # Milvus Lite 3 reports BM25 scores negated (a distance); a server reports them positive.
        return [(hit_id(h), abs(float(h["distance"]))) for h in hits]


class MilvusWriter(StoreWriter):
    """Stages an update as rows of the next generation in the published collections (or in fresh ones,
    for a full rebuild); publish() makes it live by inserting its one meta row."""

    def __init__(self, target: Target, client, lease: Lease | None = None):
        self.target = target
        self.client = client
        self.lease = lease
        self.history = published_generations(client, target)
        self.published = self.history[-1] if self.history else None
        self.generation = self.published.generation if self.published else 0  # G, the published one
        self.unusable = check_collections(client, target, self.published) if self.published else None
        if self.published and self.unusable is None:
            names = list(self.published.manifest["collections"].values())
            try:  # damaged collections make the index unusable (so it is rebuilt), as a damaged folder does
                ensure_loaded(client, names)
                for name in names:  # one row each (a filtered count would read every row in Milvus Lite)
                    client.query(name, filter="added >= 0", output_fields=["added"], limit=1, timeout=TIMEOUT)
            except Exception as exc:  # noqa: BLE001
                self.unusable = (f"generation {self.generation}: its collections cannot be read "
                                 f"({describe_error(exc)})")
        self.manifest = self.published.manifest if self.published and not self.unusable else None
        self.fresh = True  # staging into new collections: no vectors to reuse
        self.staged_manifest: dict = {}
        self.next_id = 0
        self.chunks_collection = self.articles_collection = ""
        self.totals = {"chunks": 0, "articles": 0}  # chunks and articles in the staged state

    @property
    def next_generation(self) -> int:
        return self.generation + 1

    def _doing(self, doing: str):
        if self.lease is not None and self.lease.lost:
            raise IndexFolderError(f"{self.target.uri}: {self.lease.lost}; this update was not published")
        return failures(self.target, doing)

    def start(self, manifest: dict, rebuild: bool) -> None:
        with self._doing("cleaning up after earlier updates"):
            self._clean_up()
        new = self.next_generation
        with self._doing("creating collections"):
            if rebuild or self.manifest is None:
                self.fresh = True
                self.chunks_collection = self.target.collection("chunks", new)
                self.articles_collection = self.target.collection("articles", new)
                for name in (self.chunks_collection, self.articles_collection):
                    if self.client.has_collection(name, timeout=TIMEOUT):  # a crashed rebuild's
                        self.client.drop_collection(name, timeout=TIMEOUT)
                create_collection(self.client, self.chunks_collection, chunk_schema(int(manifest["dim"])),
                                  chunk_indexes(self.client))
                create_collection(self.client, self.articles_collection, article_schema(), dummy_indexes(self.client))
                self.staged_manifest = dict(manifest)
                self.next_id = 0
                self.totals = {"chunks": 0, "articles": 0}
            else:
                self.fresh = False
                self.chunks_collection = self.manifest["collections"]["chunks"]
                self.articles_collection = self.manifest["collections"]["articles"]
                self.staged_manifest = dict(self.manifest, **manifest)
                self.next_id = int(self.manifest.get("next_id", 0))
                # Counted as rows go in and out: Milvus Lite counts with a filter row by row (~30 us a row).
                self.totals = {kind: int(self.manifest[kind]) if kind in self.manifest else count_rows(
                    self.client, self.manifest["collections"][kind], "removed == 0" + (
                        " and part == 0" if kind == "articles" else "")) for kind in ("chunks", "articles")}

    def _clean_up(self) -> None:
        """Undo what a crashed update left, and drop what no reader can need any more (the lock is held)."""
        g = self.generation
        keep = [p for p in self.history if p.generation >= g - 1]
        named = {n for p in keep if p.manifest for n in (p.manifest.get("collections") or {}).values()}
        # Collections no generation from G-1 on names: retired two rebuilds ago, or a crashed rebuild's.
        ours = re.compile(re.escape(self.target.name) + r"_(chunks|articles)_[0-9]+")
        retired = {n for p in self.history if p.generation < g - 1 and p.manifest
                   for n in (p.manifest.get("collections") or {}).values()}
        try:
            retired |= {n for n in self.client.list_collections(timeout=TIMEOUT) if ours.fullmatch(n)}
        except Exception as exc:  # noqa: BLE001 - Milvus Lite lists nothing while any collection is damaged
            log.warning("%s: cannot list collections (%s); dropping only those old generations name",
                        self.target.uri, describe_error(exc))
        for name in sorted(retired - named):
            try:
                if self.client.has_collection(name, timeout=TIMEOUT):
                    self.client.drop_collection(name, timeout=TIMEOUT)
            except Exception as exc:  # noqa: BLE001 - dropping is housekeeping; the update goes on
                log.warning("%s: cannot drop the retired collection %s (%s)", self.target.uri, name,
                            describe_error(exc))
        # Meta rows older than G-1: no reader can use them any more (their rows are about to go).
        old = [p.generation for p in self.history if p.generation < g - 1]
        for batch in batched(old, IN_BATCH):
            self.client.delete(self.target.meta, ids=batch, timeout=TIMEOUT)
        self.history = keep
        if self.manifest is None:
            return
        for kind in ("chunks", "articles"):
            name = self.manifest["collections"][kind]
            self.client.delete(name, filter=f"added > {g}", timeout=TIMEOUT)  # staged by a crashed update
            self._drain(kind, name, f"removed > {g}", lambda rows: self._write("upsert", name, [
                dict(row, removed=0) for row in rows]))  # taken out by a crashed update: put back
            if g > 1:
                self.client.delete(name, filter=f"removed > 0 and removed < {g}", timeout=TIMEOUT)

    def _fields(self, kind: str) -> list[str]:
        return CHUNK_FIELDS + ["vector"] if kind == "chunks" else ARTICLE_FIELDS + ["dummy"]

    def _drain(self, kind: str, collection: str, expression: str, handle: Callable[[list[dict]], None]) -> None:
        """Page through the rows that match, where handle() makes each page stop matching."""
        key = "chunk_id" if kind == "chunks" else "key"
        seen: set = set()
        while True:
            rows = self.client.query(collection, filter=expression, output_fields=self._fields(kind),
                                     limit=PAGE_ROWS[kind], timeout=TIMEOUT)
            if not rows:
                return
            keys = {row[key] for row in rows}
            if keys & seen:
                raise IndexFolderError(f"{self.target.uri}: rows of {collection} did not change when updated "
                                       "(is the collection's consistency level Strong?)")
            seen |= keys
            handle([self._plain(kind, row) for row in rows])
            if len(rows) < PAGE_ROWS[kind]:  # that was all of them
                return

    def _plain(self, kind: str, row: dict) -> dict:
        """A queried row as it can be written back."""
        row = {f: row[f] for f in self._fields(kind)}
        vector = "vector" if kind == "chunks" else "dummy"
        row[vector] = np.asarray(row[vector], dtype=np.float32)
        return row

    def _write(self, how: str, collection: str, rows: list[dict]) -> None:
        """Insert or upsert rows, in calls of at most WRITE_ROWS rows and about WRITE_BYTES bytes."""
        write = self.client.insert if how == "insert" else self.client.upsert
        batch, size = [], 0
        for row in rows:
            row_size = 256 + sum(len(v) * 4 if isinstance(v, str) else 8 for v in row.values()) \
                + 4 * len(row.get("vector", ()))
            if batch and (len(batch) >= WRITE_ROWS or size + row_size > WRITE_BYTES):
                write(collection, batch, timeout=TIMEOUT)
                batch, size = [], 0
            batch.append(row)
            size += row_size
        if batch:
            write(collection, batch, timeout=TIMEOUT)

    def stamps(self) -> Iterator[tuple[str, ArticleStamp]]:
        with self._doing("listing articles"):
            for row in iterate(self.client, self.articles_collection, "removed == 0 and part == 0",
                               ["doc_id", "hash", "path", "meta"]):
                yield row["doc_id"], stamp_of(row)

    def vectors_by_hash(self, hashes: list[str]) -> dict[str, np.ndarray]:
        if self.fresh:
            return {}
        found: dict[str, np.ndarray] = {}
        with self._doing("looking up stored vectors"):
            for batch in batched(list(dict.fromkeys(hashes)), IN_BATCH):
                rows = self.client.query(self.chunks_collection,
                                         filter=f"{visible(self.generation)} and chunk_hash in {literal(batch)}",
                                         output_fields=["chunk_hash", "vector"], limit=MAX_WINDOW, timeout=TIMEOUT)
                for row in rows:
                    found.setdefault(row["chunk_hash"], np.asarray(row["vector"], dtype=np.float32))
        return found

    def remove(self, doc_ids: Iterable[str]) -> None:
        new = self.next_generation
        doc_ids = list(dict.fromkeys(doc_ids))
        with self._doing("taking articles out"):
            for batch in batched(doc_ids, 100):
                for kind, name in (("chunks", self.chunks_collection), ("articles", self.articles_collection)):
                    self._drain(kind, name, f"removed == 0 and doc_id in {literal(batch)}",
                                lambda rows, kind=kind, name=name: self._take_out(kind, name, rows, new))

    def _take_out(self, kind: str, collection: str, rows: list[dict], new: int) -> None:
        staged = [row for row in rows if row["added"] >= new]  # put in by this update: just delete them
        if staged:
            key = "chunk_id" if kind == "chunks" else "key"
            self.client.delete(collection, ids=[row[key] for row in staged], timeout=TIMEOUT)
        published = [dict(row, removed=new) for row in rows if row["added"] < new]
        if published:
            self._write("upsert", collection, published)
        self.totals[kind] -= len(rows) if kind == "chunks" else sum(1 for row in rows if row["part"] == 0)

    def add(self, articles: list[Article], chunks: list[Chunk], vectors: np.ndarray) -> None:
        new = self.next_generation
        by_id = {a.doc_id: a for a in articles}
        counts = Counter(c.doc_id for c in chunks)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        chunk_rows = []
        for chunk, vector in zip(chunks, vectors):
            chunk.id = self.next_id
            self.next_id += 1
            article = by_id[chunk.doc_id]
            chunk_rows.append({
                "chunk_id": chunk.id, "doc_id": chunk.doc_id, "chunk_hash": chunk.hash,
                "text": fits(chunk.embed_text, "title and passage", chunk.doc_id),
                "terms": fits(" ".join(search_terms(chunk.embed_text)), "search terms", chunk.doc_id),
                "title": article.title, "source": f"{article.source} {article.outlet or ''}".lower(),
                "date": article.date or "",
                "start": int(chunk.start), "end": int(chunk.end), "added": new, "removed": 0, "vector": vector})
        article_rows = []
        for article in articles:
            for what, value in (("doc_id", article.doc_id), ("title", article.title), ("source", article.source),
                                ("path", article.path), ("date", article.date or "")):
                fits(value, what, article.doc_id)
            parts = text_parts(article.text)
            for number, part in enumerate(parts):
                article_rows.append({
                    "key": f"{article.doc_id}#{new}#{number}", "doc_id": article.doc_id, "part": number,
                    "parts": len(parts), "text": part, "title": article.title, "source": article.source,
                    "date": article.date or "", "path": article.path,
                    "meta": fits(json.dumps(article.metadata, ensure_ascii=False), "metadata", article.doc_id),
                    "hash": article.hash,
                    "chunks": counts.get(article.doc_id, 0), "added": new, "removed": 0,
                    "dummy": [1.0, 0.0]})
        with self._doing("adding articles"):
            self._write("insert", self.chunks_collection, chunk_rows)
            self._write("insert", self.articles_collection, article_rows)
        self.totals["chunks"] += len(chunk_rows)
        self.totals["articles"] += len(articles)

    def chunk_count(self) -> int:
        return self.totals["chunks"]

    def publish(self, manifest: dict) -> None:
        new = self.next_generation
        body = dict(self.staged_manifest, **manifest)
        for key in ("chunk_hashes", "article_hashes"):
            body.pop(key, None)
        with self._doing("publishing the update"):
            chunks, articles = self.totals["chunks"], self.totals["articles"]
            body.update(format_version=FORMAT_VERSION, milvus_layout=LAYOUT, generation=new, next_id=self.next_id,
                        written_at=time.time(), chunks=chunks, articles=articles,
                        collections={"chunks": self.chunks_collection, "articles": self.articles_collection},
                        dense_index={"type": "AUTOINDEX", "metric": "IP", "vectors": chunks},
                        keyword_index={"type": "Milvus BM25 full-text search", "analyzer": ANALYZER,
                                       "k1": BM25_PARAMS["bm25_k1"], "b": BM25_PARAMS["bm25_b"]})
            text = json.dumps(body, ensure_ascii=False)
            if len(text.encode("utf-8")) > MAX_VARCHAR:
                raise IndexFolderError(f"{self.target.uri}: the manifest is over {MAX_VARCHAR} bytes")
            # Everything staged is written out (and indexed) before the one row that makes it visible.
            self.client.flush(self.chunks_collection)
            self.client.flush(self.articles_collection)
            wait_for_indexes(self.client, [self.chunks_collection, self.articles_collection])
            if self.lease is not None and self.lease.lost:
                raise IndexFolderError(f"{self.target.uri}: {self.lease.lost}; this update was not published")
            self.client.insert(self.target.meta, [{"generation": new, "kind": "published", "body": text,
                                                   "dummy": [1.0, 0.0]}], timeout=TIMEOUT)
            self.client.flush(self.target.meta)
            wait_for_indexes(self.client, [self.target.meta])
        self.history.append(Published(new, body))
        self.published = self.history[-1]
        self.generation = new
        self.manifest = body
        self.staged_manifest = dict(body)
