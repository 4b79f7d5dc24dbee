"""The Milvus store over the network: a `milvus-lite server` on 127.0.0.1, and optionally a real
standalone Milvus 2.3.5 (dense only, no BM25) for the filter dialect.

Every server is started in a subprocess on a free port and stopped by its PID in a finally.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from qa import Retriever, build_index
from qa.records import Filters
from qa.stores import IndexFolderError, open_store, store_writer
from tests.conftest import ROOT, FakeEmbedder, free_port


def quiet(message: str) -> None:
    pass


def milvus_lite_cli() -> str | None:
    beside = Path(sys.executable).with_name("milvus-lite")
    return str(beside) if beside.exists() else shutil.which("milvus-lite")


def wait_for_port(port: int, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nothing listened on port {port} after {seconds} s:\n{log.read_text()[-2000:]}")


def stop(process: subprocess.Popen, seconds: float = 30) -> None:
    """SIGTERM to the server's PID, then SIGKILL if it has not gone after seconds."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_build_and_search_through_a_milvus_lite_server(seeds, tmp_path):
    cli = milvus_lite_cli()
    if cli is None:
        pytest.skip("the milvus-lite command is not installed (pip install 'milvus-lite>=3.2.2,<4')")
    pytest.importorskip("pymilvus", reason="the [milvus] extra is not installed")
    from qa.stores.milvus import release

    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen([cli, "server", "--data-dir", str(tmp_path / "served.db"), "--host", "127.0.0.1",
                                   "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    uri = f"milvus://127.0.0.1:{port}/news"
    try:
        wait_for_port(port, server, log)
        with pytest.raises(IndexFolderError, match="no index here yet"):
            open_store(uri)
        embedder = FakeEmbedder()
        first = build_index(seeds, uri, model=embedder, log=quiet)
        assert len(first.added) == 5 and first.chunks_embedded == first.chunks_total
        retriever = Retriever.load(uri, embedder=embedder)
        assert retriever.store.describe()["server"] == f"http://127.0.0.1:{port}"
        assert retriever.search("Scholz German chancellor", k=3, mode="bm25")[0].doc_id == "004_59289de0ecc82d18.txt"
        # Dense search over the server finds what exact search in the folder store finds, scores and all.
        build_index(seeds, tmp_path / "folder-index", model=embedder, log=quiet)
        exact = Retriever.load(tmp_path / "folder-index", embedder=embedder)
        question = "How long did Blinken meet Xi?"
        served = [(e.doc_id, e.start, round(e.score, 4)) for e in retriever.search(question, k=5, mode="dense")]
        assert served == [(e.doc_id, e.start, round(e.score, 4)) for e in exact.search(question, k=5, mode="dense")]
        assert retriever.search(question, k=3, mode="hybrid")
        assert retriever.search("Scholz", k=3, filters=Filters(date_from="2030-01-01")) == []

        # Another process reads the same index while this one holds it: the point of a server.
        code = textwrap.dedent(f"""
            from qa.stores import open_store
            print(open_store({uri!r}).count())
        """)
        other = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert other.returncode == 0, other.stderr
        assert int(other.stdout.split()[-1]) == first.chunks_total

        # An update: one article added, embedded alone; the old reader notices and keeps its state.
        (seeds / "new.txt").write_text("Harbour news\n\nThe harbour reopened on Monday. Boats went out at dawn.")
        embedder.embedded.clear()
        report = build_index(seeds, uri, model=embedder, log=quiet)
        assert report.added == ["new.txt"] and report.chunks_embedded == 1
        assert retriever.is_stale() and retriever.store.count() == first.chunks_total
        fresh = Retriever.load(uri, embedder=embedder)
        assert fresh.search("harbour reopened boats", k=1, mode="bm25")[0].doc_id == "new.txt"

        # A second writer waits for the first one's lease.
        events: list[str] = []
        with store_writer(uri):
            second = threading.Thread(target=lambda: _second_writer(uri, events))
            second.start()
            deadline = time.monotonic() + 30
            while not events and time.monotonic() < deadline:
                time.sleep(0.05)
            events.append("first released")
        second.join(60)
        assert "waiting for it to finish" in events[0] and events[1:] == ["first released", "second acquired"]
    finally:
        stop(server)
        release(uri)


def _second_writer(uri: str, events: list[str]) -> None:
    with store_writer(uri, on_wait=events.append):
        events.append("second acquired")


MILVUS_235 = textwrap.dedent("""
    import signal, sys, time
    from milvus import default_server

    default_server.set_base_dir(sys.argv[1])
    default_server.listen_port = int(sys.argv[2])

    def stop(*_):
        default_server.stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    default_server.start()
    print("ready", default_server.server_proc.pid, flush=True)
    while True:
        time.sleep(1)
""")


@pytest.mark.milvus_server
def test_dense_search_filters_and_deletes_on_a_real_milvus_235(tmp_path):
    """The store's filter expressions and row versioning against a real Milvus (2.3.5: dense only,
    no BM25, so through pymilvus rather than the whole store). Opt in with
    QA_MILVUS235_PYTHON=/tmp/milvus235-venv/bin/python (a venv with `pip install milvus==2.3.5`)."""
    python = os.environ.get("QA_MILVUS235_PYTHON")
    if not python:
        pytest.skip("QA_MILVUS235_PYTHON is not set (the python of a venv with `pip install milvus==2.3.5`)")
    pytest.importorskip("pymilvus", reason="the [milvus] extra is not installed")
    import numpy as np
    from pymilvus import DataType, MilvusClient, MilvusException

    from qa.stores.milvus import filter_expression, literal, visible

    port = free_port()
    log = tmp_path / "milvus235.log"
    with open(log, "w") as out:
        server = subprocess.Popen([python, "-c", MILVUS_235, str(tmp_path / "milvus235"), str(port)],
                                  stdout=subprocess.PIPE, stderr=out, text=True)
    child = None
    try:
        line = server.stdout.readline().split()  # "ready PID", once /healthz answers
        assert line and line[0] == "ready", log.read_text()[-2000:]
        child = int(line[1])
        client = MilvusClient(uri=f"http://127.0.0.1:{port}", timeout=30)
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("chunk_id", DataType.INT64, is_primary=True)
        schema.add_field("source", DataType.VARCHAR, max_length=256)
        schema.add_field("date", DataType.VARCHAR, max_length=32)
        schema.add_field("added", DataType.INT64)
        schema.add_field("removed", DataType.INT64)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=8)
        indexes = client.prepare_index_params()
        indexes.add_index(field_name="vector", index_type="HNSW", metric_type="IP",
                          params={"M": 16, "efConstruction": 200})  # what a cluster would use
        client.create_collection("chunks", schema=schema, index_params=indexes, consistency_level="Strong")
        vectors = np.eye(8, dtype=np.float32)
        rows = [{"chunk_id": 0, "source": "https://a.example/1", "date": "2023-01-05", "added": 1, "removed": 0},
                {"chunk_id": 1, "source": "https://b.example/50%_off", "date": "2024-06-01", "added": 1, "removed": 0},
                {"chunk_id": 2, "source": "https://c.example/50xxoff", "date": "2024-02-10", "added": 1, "removed": 0},
                {"chunk_id": 3, "source": "https://e.example/x", "date": "", "added": 1, "removed": 0},
                {"chunk_id": 4, "source": "https://a.example/2", "date": "2024-03-01", "added": 2, "removed": 0}]
        client.insert("chunks", [dict(row, vector=vectors[row["chunk_id"]].tolist()) for row in rows])
        client.flush("chunks")

        def found(generation: int, filters: Filters = Filters()) -> set[int]:
            hits = client.search("chunks", data=[np.ones(8).tolist()], anns_field="vector", limit=10,
                                 filter=filter_expression(generation, filters), output_fields=["chunk_id"],
                                 search_params={"metric_type": "IP", "params": {"ef": 64}})
            return {int(h["entity"]["chunk_id"]) for h in hits[0]}

        assert found(1) == {0, 1, 2, 3} and found(2) == {0, 1, 2, 3, 4}  # row 4 is staged for generation 2
        assert found(2, Filters(date_from="2024-01-01")) == {1, 2, 4}
        assert found(2, Filters(date_to="2023-12-31")) == {0}
        # Milvus 2.3 matches LIKE prefixes only ("ab%"), without escapes, so the sources filter (an
        # infix match, "%x%" with \\% and \\_ escaped) needs Milvus >= 2.4; the store needs >= 2.5 anyway, for BM25.
        with pytest.raises(MilvusException, match="only prefix pattern"):
            found(2, Filters(sources=("a.example",)))
        prefixed = client.query("chunks", filter=f"{visible(2)} and source like {literal('https://a.%')}",
                                output_fields=["chunk_id"])
        assert {int(r["chunk_id"]) for r in prefixed} == {0, 4}
        # Generation 3 takes row 0 out (an upsert of the whole row): readers at 2 still see it.
        client.upsert("chunks", [dict(rows[0], removed=3, vector=vectors[0].tolist())])
        assert found(2) == {0, 1, 2, 3, 4} and found(3) == {1, 2, 3, 4}
        back = client.query("chunks", filter=f"chunk_id in {literal([0])}", output_fields=["removed", "vector"])
        assert back[0]["removed"] == 3 and np.allclose(back[0]["vector"], vectors[0])
        # A later writer deletes what no reader needs any more.
        client.delete("chunks", filter="removed > 0 and removed < 4")
        count = client.query("chunks", filter=visible(4), output_fields=["count(*)"])[0]["count(*)"]
        assert count == 4 and found(3) == {1, 2, 3, 4}
        client.close()
    finally:
        stop(server, seconds=30)
        if child is not None:  # the milvus binary, should the wrapper have died without stopping it
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
