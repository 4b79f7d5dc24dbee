"""One set of behaviour tests for every store: the folder store and Milvus Lite (embedded .db).

Everything goes through build_index and Retriever.load / open_store, so the same test holds the two
back ends to the same promises: incremental updates, filters, fusion, and atomic publishing (a
killed or concurrent update shows the old state or the new one, never a mix). The tests at the end
are Milvus-only details (addresses, errors, long articles, the filter dialect).
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from qa import Retriever, build_index
from qa.records import Filters
from qa.retrieve.retriever import SearchSettings
from qa.stores import IndexFolderError, open_store, store_writer
from tests.conftest import ROOT, SEEDS, FakeEmbedder

KINDS = ("folder", "milvus")
MODES = ("dense", "bm25", "hybrid")
SCHOLZ = "004_59289de0ecc82d18.txt"  # the seed article about the German chancellor
EDITED = "001_ce62307185d3a8e6.txt"


def quiet(message: str) -> None:
    pass


def build(articles, uri, embedder=None, **kwargs):
    return build_index(articles, uri, model=embedder or FakeEmbedder(), log=quiet, **kwargs)


def release(uri: str) -> None:
    """Let go of an embedded Milvus Lite .db, so another process can open it (no-op for folders)."""
    if uri.endswith(".db"):
        from qa.stores.milvus import release as release_milvus

        release_milvus(uri)


class Uris:
    """Index addresses of one store kind under tmp_path; embedded .db files are let go at the end."""

    def __init__(self, kind: str, tmp_path: Path):
        self.kind = kind
        self.tmp_path = tmp_path
        self.made: list[str] = []

    def __call__(self, name: str = "index") -> str:
        uri = str(self.tmp_path / (name if self.kind == "folder" else f"{name}.db"))
        self.made.append(uri)
        return uri

    def copy(self, source: str, name: str) -> str:
        target = self(name)
        shutil.copytree(source, target)
        return target


@pytest.fixture(params=KINDS)
def uris(request, tmp_path):
    if request.param == "milvus":
        pytest.importorskip("pymilvus", reason="the [milvus] extra is not installed")
        pytest.importorskip("milvus_lite", reason="the [milvus] extra is not installed")
    made = Uris(request.param, tmp_path)
    yield made
    for uri in made.made:
        release(uri)


def all_chunks(store):
    """Every chunk of a store's state (chunk ids are below the manifest's next_id in every store)."""
    return store.chunks(range(int(store.manifest.get("next_id", 0))))


def stamps(uri: str) -> dict[str, str]:
    return {doc_id: stamp.hash for doc_id, stamp in open_store(uri).article_stamps().items()}


def write_feed(folder: Path, rows: list[dict], name: str = "feed.jsonl") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(json.dumps(r) for r in rows))


# --- Incremental updates ---------------------------------------------------------------------------


def test_first_build_embeds_all_then_an_unchanged_rerun_embeds_nothing(uris, seeds):
    uri, embedder = uris(), FakeEmbedder()
    first = build(seeds, uri, embedder)
    assert len(first.added) == 5 and first.chunks_embedded == first.chunks_total > 5
    assert len(embedder.embedded) == first.chunks_total
    store = open_store(uri)
    assert store.count() == first.chunks_total and len(all_chunks(store)) == first.chunks_total
    generation = store.describe()["generation"]
    again = build(seeds, uri, embedder)
    assert again.chunks_embedded == 0 and again.unchanged == 5 and again.chunks_total == first.chunks_total
    assert (again.added, again.changed, again.removed) == ([], [], [])
    assert len(embedder.embedded) == first.chunks_total
    assert not store.is_stale() and open_store(uri).describe()["generation"] == generation  # nothing published


def test_adding_one_article_embeds_only_its_chunks(uris, seeds):
    uri, embedder = uris(), FakeEmbedder()
    first = build(seeds, uri, embedder)
    (seeds / "new.txt").write_text("Harbour news\n\nThe harbour reopened on Monday. Boats went out at dawn.")
    embedder.embedded.clear()
    report = build(seeds, uri, embedder)
    assert report.added == ["new.txt"] and report.unchanged == 5
    assert report.chunks_embedded == 1 and report.chunks_total == first.chunks_total + 1
    assert embedder.embedded == ["Harbour news\nThe harbour reopened on Monday. Boats went out at dawn."]
    store = open_store(uri)
    assert store.count() == first.chunks_total + 1
    top = Retriever.load(uri, embedder=embedder).search("harbour reopened boats dawn", k=1, mode="bm25")[0]
    assert top.doc_id == "new.txt" and top.title == "Harbour news"


def test_editing_one_article_reembeds_only_changed_chunks_with_new_offsets(uris, seeds):
    uri, embedder = uris(), FakeEmbedder()
    build(seeds, uri, embedder)
    old_chunks = [c for c in all_chunks(open_store(uri)).values() if c.doc_id == EDITED]
    path = seeds / EDITED
    path.write_text(path.read_text().replace("Mexican drug cartels", "Mexican cartels"))
    embedder.embedded.clear()
    report = build(seeds, uri, embedder)
    assert report.changed == [EDITED] and report.unchanged == 4
    assert 1 <= report.chunks_embedded < len(old_chunks)
    assert all("Mexican cartels" in text for text in embedder.embedded)
    store = open_store(uri)
    chunks = all_chunks(store)
    assert store.count() == len(chunks) == report.chunks_total
    article = store.articles([EDITED])[EDITED]
    assert "Mexican cartels" in article.text and "Mexican drug cartels" not in article.text
    mine = [c for c in chunks.values() if c.doc_id == EDITED]
    assert mine and all(c.text == article.text[c.start:c.end] for c in mine)
    assert any("Mexican cartels" in c.text for c in mine)
    assert all(c.embed_text == f"{article.title}\n{c.text}" for c in mine)
    assert [r.chunks for r in store.article_rows() if r.doc_id == EDITED] == [len(mine)]


def test_deleting_a_file_removes_its_chunks_from_every_search(uris, seeds):
    uri, embedder = uris(), FakeEmbedder()
    build(seeds, uri, embedder)
    before = Retriever.load(uri, embedder=embedder)
    assert SCHOLZ in {e.doc_id for e in before.search("Scholz German chancellor", k=30, mode="bm25")}
    (seeds / SCHOLZ).unlink()
    report = build(seeds, uri, embedder)
    assert report.removed == [SCHOLZ] and report.chunks_embedded == 0
    store = open_store(uri)
    assert SCHOLZ not in store.article_stamps() and SCHOLZ not in {r.doc_id for r in store.article_rows()}
    assert store.articles([SCHOLZ]) == {}
    assert all(c.doc_id != SCHOLZ for c in all_chunks(store).values())
    retriever = Retriever.load(uri, embedder=embedder)
    for mode in MODES:
        assert all(e.doc_id != SCHOLZ for e in retriever.search("Scholz German chancellor", k=30, mode=mode))
    # The retriever opened before the update still answers from its own state, whole.
    assert before.is_stale()
    assert SCHOLZ in {e.doc_id for e in before.search("Scholz German chancellor", k=30, mode="bm25")}


def test_no_index_yet_is_a_clear_error(uris):
    with pytest.raises(IndexFolderError, match="no index here yet"):
        open_store(uris("nothing"))


# --- Filters and ranking ---------------------------------------------------------------------------


FILTER_ROWS = [
    {"id": "old", "title": "Harbour", "text": "The harbour reopened.", "date": "2023-01-05",
     "url": "https://a.example/1"},
    {"id": "new", "title": "Harbour", "text": "The harbour closed again.", "date": "2024-06-01",
     "url": "https://b.example/50%_off"},
    {"id": "wild", "title": "Harbour", "text": "The harbour flooded at night.", "date": "2024-02-10",
     "url": "https://c.example/50xxoff"},
    {"id": "upper", "title": "Harbour", "text": "The harbour froze in winter.", "date": "2024-12-31",
     "url": "https://D.Example/Path_A"},
    {"id": "none", "title": "Harbour", "text": "Harbour without date.", "url": "https://e.example/x"},
]


@pytest.mark.parametrize("mode", MODES)
def test_filters_on_every_search_mode(uris, tmp_path, mode):
    articles = tmp_path / "articles"
    write_feed(articles, FILTER_ROWS)
    uri = uris()
    build(articles, uri)
    retriever = Retriever.load(uri, embedder=FakeEmbedder())

    def found(**filters) -> set[str]:
        return {e.doc_id for e in retriever.search("harbour", k=10, mode=mode, filters=Filters(**filters))}

    assert found() == {"old", "new", "wild", "upper", "none"}
    assert found(date_from="2024-01-01") == {"new", "wild", "upper"}
    assert found(date_to="2023-12-31") == {"old"}  # an article without a date passes no date filter
    assert found(date_from="2024-02-10", date_to="2024-06-01") == {"new", "wild"}  # both ends inclusive
    assert found(date_from="2025-01-01") == set()
    assert found(sources=("a.example",)) == {"old"}
    assert found(sources=("a.example", "e.example")) == {"old", "none"}
    # % and _ are plain characters in a sources filter, not LIKE wildcards; matching ignores case.
    assert found(sources=("50%_off",)) == {"new"}
    assert found(sources=("%",)) == {"new"} and found(sources=("_",)) == {"new", "upper"}
    assert found(sources=("d.example/path_a",)) == {"upper"} and found(sources=("PATH_A",)) == {"upper"}
    assert found(sources=("example",), date_from="2024-06-01") == {"new", "upper"}
    assert found(sources=('quote"s',)) == set()


HYBRID_ROWS = [
    # Dense (word-overlap vectors) favours the page full of "harbour"; BM25 favours the rare "zeppelin"
    # over "harbour", which every filler has too.
    {"id": "common", "title": "Harbour", "text": "Harbour harbour harbour. The harbour, the harbour."},
    {"id": "rare", "title": "Airship over the valley",
     "text": "A zeppelin crossed the valley. The zeppelin was silver, and a second zeppelin followed it."},
] + [
    {"id": f"filler{i}", "title": f"Port notes {i}",
     "text": f"The harbour saw {word} ships today and the crews were busy unloading cargo."}
    for i, word in enumerate(["seven", "many", "new", "old", "few"])
]


@pytest.mark.parametrize("fusion", ("weighted", "rrf"))
def test_hybrid_fuses_rankings_that_disagree(uris, tmp_path, fusion):
    articles = tmp_path / "articles"
    write_feed(articles, HYBRID_ROWS)
    uri = uris()
    build(articles, uri)
    retriever = Retriever.load(uri, embedder=FakeEmbedder(), settings=SearchSettings(fusion=fusion))
    question = "harbour zeppelin"
    dense = [e.doc_id for e in retriever.search(question, k=7, mode="dense")]
    bm25 = [e.doc_id for e in retriever.search(question, k=7, mode="bm25")]
    assert dense[:2] == ["common", "rare"]  # dense: the harbour page first
    assert bm25[:2] == ["rare", "common"]  # BM25: the rare word beats the common one, however often
    assert len(dense) == len(bm25) == 7
    hybrid = retriever.search(question, k=3, mode="hybrid")
    assert {e.doc_id for e in hybrid[:2]} == {"common", "rare"}  # fusion keeps the best of both
    assert hybrid[2].doc_id.startswith("filler")
    assert all(e.dense_score is not None and e.keyword_score is not None for e in hybrid)
    assert hybrid[0].score >= hybrid[1].score > hybrid[2].score
    assert all(e.keyword_score > 0 for e in retriever.search(question, k=7, mode="bm25"))  # BM25 never negative
    if fusion == "weighted":  # the weight decides between the two
        for weight, first in ((0.9, "common"), (0.1, "rare")):
            leaning = Retriever.load(uri, embedder=FakeEmbedder(), settings=SearchSettings(dense_weight=weight))
            assert leaning.search(question, k=1)[0].doc_id == first, weight
    top = retriever.search("zeppelin silver airship", k=1)[0]
    assert top.doc_id == "rare" and top.text in open_store(uri).articles(["rare"])["rare"].text


# --- Atomic publishing -----------------------------------------------------------------------------


def start_fake_build(articles: Path, uri: str, wait: bool = True) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "tests.fake_build", str(articles), uri],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    if wait:
        assert process.stdout.readline().strip() == "ready"
    return process


def finish_fake_build(articles: Path, uri: str) -> float:
    process = start_fake_build(articles, uri)
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, out
    return float(out.strip().splitlines()[-1].split()[1])


def grow(articles: Path, count: int = 300) -> None:
    """A sizeable update: count new articles in an archive, one edited article, one removed."""
    rows = [{"id": f"wire-{i}", "title": f"Wire story {i}",
             "text": f"Story {i} reports on trade talks in city number {i}. " * 12} for i in range(count)]
    write_feed(articles, rows, "wire.jsonl")
    edited = articles / "000_2086a75d902da235.txt"
    edited.write_text(edited.read_text().replace("Blinken", "Blinken (the Secretary of State)"))
    (articles / SCHOLZ).unlink()


# Moments to kill the update at, as fractions of how long a whole update takes after "ready"; None:
# once it has said "done". Milvus spends the first ~40% importing pymilvus and opening the .db, so its
# moments crowd into the writing that follows. The folder store's 20-moment version is in test_crash.py.
KILL_AT = {"folder": (0.1, 0.3, 0.5, 0.7, 0.9, None), "milvus": (0.55, 0.75, 0.85, 0.95, None)}


def leftovers(uri: str) -> int:
    """What a killed update left staged and unpublished: Milvus rows of the next generation, or folder .tmp- dirs."""
    if not uri.endswith(".db"):
        return len([p for p in Path(uri).iterdir() if p.name.startswith(".tmp-")])
    from qa.stores.milvus import count_rows

    store = open_store(uri)
    return sum(count_rows(store.client, name, f"added > {store.generation} or removed > {store.generation}")
               for name in (store.chunks_collection, store.articles_collection))


def test_an_update_killed_at_any_moment_leaves_the_old_or_the_new_state(uris, tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    pristine = uris("pristine")
    finish_fake_build(articles, pristine)  # in a subprocess, so this process holds no .db open
    old = stamps(pristine)
    release(pristine)
    grow(articles)
    finished = uris.copy(pristine, "finished")
    seconds = finish_fake_build(articles, finished)
    new = stamps(finished)
    assert old != new and len(new) == len(old) - 1 + 300
    seen = []
    for n, fraction in enumerate(KILL_AT[uris.kind]):
        uri = uris.copy(pristine, f"index-{n}")
        process = start_fake_build(articles, uri)
        if fraction is None:
            for line in process.stdout:  # (ends at EOF, should it die first)
                if line.startswith("done"):
                    break
        else:
            time.sleep(seconds * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)

        now = stamps(uri)  # opens without error
        assert now in (old, new), f"kill {n}: a mix of old and new articles"
        seen.append(("old" if now == old else "new", leftovers(uri)))
        embedder = FakeEmbedder()
        store = open_store(uri)
        hits = Retriever.load(uri, embedder=embedder).search("Blinken met Wang Yi in Beijing", k=3)
        assert hits and all(h.text for h in hits)
        assert store.count() == len(all_chunks(store)) == sum(r.chunks for r in store.article_rows())

        report = build(articles, uri, embedder)  # finishes the job, whatever the kill left
        assert stamps(uri) == new and report.rebuilt_because is None
        store = open_store(uri)
        assert report.chunks_total == store.count() == len(all_chunks(store))
        assert build(articles, uri, embedder).chunks_embedded == 0
        release(uri)
    # The kills landed both before and after the update went live (with the rows staged so far, if any).
    states = [state for state, _ in seen]
    assert "old" in states and "new" in states, seen


def test_a_milvus_lite_index_file_cut_short_by_a_kill_is_built_again(tmp_path):
    """Milvus Lite writes its index sidecars in place; one a kill cut short must not lock the database."""
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    uri = str(tmp_path / "index.db")
    finish_fake_build(articles, uri)  # in a subprocess, as the killed writer was
    sidecars = [f for f in Path(uri).rglob("*") if f.suffix in (".idx", ".sidx")]
    assert sidecars
    for sidecar in sidecars:
        sidecar.write_bytes(sidecar.read_bytes()[: sidecar.stat().st_size // 2])
    try:
        hits = Retriever.load(uri, embedder=FakeEmbedder()).search("Blinken met Wang Yi in Beijing", k=3)
        assert hits and all(h.text for h in hits)
        assert all(f.stat().st_size > 0 for f in sidecars if f.exists())
    finally:
        release(uri)


# Marks one article's first row as taken out by the next generation, as an update does, and dies
# where Milvus Lite's flush has saved its manifest but not yet deleted the write-ahead log.
TORN_FLUSH = """
import os, signal, sys
from milvus_lite.storage.wal import WAL
from qa.stores import open_store
store = open_store(sys.argv[1])
row = store.client.query(store.articles_collection, filter="part == 0", output_fields=["*"], limit=1)[0]
row.pop("sparse", None)
store.client.upsert(store.articles_collection, [dict(row, removed=store.generation + 1)])
WAL.close_and_delete = lambda wal: os.kill(os.getpid(), signal.SIGKILL)
store.client.flush(store.articles_collection)
"""


def test_a_milvus_lite_write_log_a_kill_left_after_a_flush_is_not_read_twice(tmp_path):
    """Milvus Lite would replay the log's rows beside the same rows already flushed: the article
    taken out would be listed twice and its chunks counted twice."""
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    uri = str(tmp_path / "index.db")
    finish_fake_build(articles, uri)
    before = open_store(uri).article_rows()
    release(uri)
    died = subprocess.run([sys.executable, "-c", TORN_FLUSH, uri], cwd=ROOT, capture_output=True, text=True)
    assert died.returncode == -signal.SIGKILL, died.stderr
    assert list((Path(uri) / "collections").glob("*/wal/*.arrow"))  # the log the kill left
    try:
        store = open_store(uri)
        rows = store.article_rows()
        assert sorted(r.doc_id for r in rows) == sorted(r.doc_id for r in before)
        assert store.count() == len(all_chunks(store)) == sum(r.chunks for r in rows)
        report = build(articles, uri)  # the next update puts the marked row back
        assert report.chunks_embedded == 0 and len(open_store(uri).article_rows()) == len(before)
    finally:
        release(uri)


def writer_class(kind: str):
    if kind == "folder":
        from qa.stores.folder import FolderWriter

        return FolderWriter
    from qa.stores.milvus import MilvusWriter

    return MilvusWriter


def test_a_reader_searching_during_an_update_sees_the_old_state_until_publish(uris, seeds, monkeypatch):
    """The writer stops just before publishing until the reader has searched the staged update three
    times; events, not sleeps, fix the order."""
    uri = uris()
    build(seeds, uri)
    (seeds / "zebra.txt").write_text("Zebra crossing news\n\nA zebra crossing opened near the school. "
                                     "Parents welcomed the new zebra crossing.")
    (seeds / SCHOLZ).unlink()
    staged, checked, publishing, published = (threading.Event() for _ in range(4))
    original = writer_class(uris.kind).publish

    def publish(self, manifest):
        staged.set()  # every row of the update is written (for Milvus: in the very collections readers search)
        assert checked.wait(60), "the reader never searched the staged update"
        publishing.set()
        original(self, manifest)
        published.set()

    monkeypatch.setattr(writer_class(uris.kind), "publish", publish)
    failures: list[BaseException] = []
    seen: list[tuple[str, bool]] = []  # (state, searched while the update was staged and unpublished)

    def state_of(retriever) -> str:
        docs = set()
        for mode in MODES:
            docs |= {e.doc_id for e in retriever.search("zebra crossing Scholz chancellor", k=40, mode=mode)}
        if SCHOLZ in docs and "zebra.txt" not in docs and retriever.store.count() == 27:
            return "old"
        if "zebra.txt" in docs and SCHOLZ not in docs and retriever.store.count() != 27:
            return "new"
        return f"mixed {sorted(docs)}"

    def reader():
        try:
            retriever = Retriever.load(uri, embedder=FakeEmbedder())
            waiting = 0
            while True:
                during = staged.is_set() and not publishing.is_set()
                state = state_of(retriever)
                seen.append((state, during and not publishing.is_set()))
                if state == "new":
                    return
                if during:
                    waiting += 1
                    if waiting >= 3:
                        checked.set()
                stale = retriever.is_stale()
                assert not stale or publishing.is_set(), "stale before the update was published"
                if stale:
                    retriever = Retriever.load(uri, embedder=FakeEmbedder())
                    assert state_of(retriever) == "new"
                assert time.monotonic() < deadline, "the reader never saw the new state"
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
            checked.set()

    def writer():
        try:
            build(seeds, uri)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    deadline = time.monotonic() + 120
    threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(150)
    assert not failures, failures
    assert published.is_set() and not any(t.is_alive() for t in threads)
    states = [state for state, _ in seen]
    assert all(s in ("old", "new") for s in states), states
    assert states[-1] == "new" and "new" not in states[:-1]  # old, ..., old, then new
    assert sum(during for state, during in seen if state == "old") >= 3  # searched the staged update


def test_a_second_writer_waits_for_the_first(uris, seeds):
    uri = uris()
    build(seeds, uri)
    events: list[str] = []
    with store_writer(uri) as first:
        assert first.manifest is not None
        second = threading.Thread(target=lambda: _second_writer(uri, events))
        second.start()
        deadline = time.monotonic() + 30
        while not events and time.monotonic() < deadline:  # the second writer says it waits ...
            time.sleep(0.01)
        events.append("first released")
    second.join(30)
    assert "another `qa index` is updating this index; waiting" in events[0] and events[0].startswith(uri)
    assert events[1:] == ["first released", "second acquired"]  # ... and gets in only after the first


def _second_writer(uri: str, events: list[str]) -> None:
    with store_writer(uri, on_wait=events.append):
        events.append("second acquired")


def test_a_model_change_rebuilds_everything(uris, seeds):
    uri = uris()
    first = build(seeds, uri)
    other = FakeEmbedder(dim=32, name="other-model")
    report = build(seeds, uri, other)
    assert report.rebuilt_because == "embedding model changed (fake -> other-model)"
    assert report.chunks_embedded == first.chunks_total
    store = open_store(uri)
    assert store.manifest["model"] == "other-model" and store.manifest["dim"] == 32
    assert store.vectors([next(iter(all_chunks(store)))]).shape == (1, 32)
    assert Retriever.load(uri, embedder=other).search("Blinken met Wang Yi", k=1)


# --- Milvus only -----------------------------------------------------------------------------------


@pytest.fixture
def milvus_uris(tmp_path):
    pytest.importorskip("pymilvus", reason="the [milvus] extra is not installed")
    pytest.importorskip("milvus_lite", reason="the [milvus] extra is not installed")
    made = Uris("milvus", tmp_path)
    yield made
    for uri in made.made:
        release(uri)


def test_milvus_addresses():
    from qa.stores.base import store_class
    from qa.stores.milvus import MilvusStore, parse_uri

    target = parse_uri("milvus://127.0.0.1:19541/archive")
    assert (target.client_uri, target.name, target.token, target.path) == ("http://127.0.0.1:19541", "archive", "", None)
    assert parse_uri("milvus://db.example").client_uri == "http://db.example:19530"
    assert parse_uri("milvus://db.example:1/").name == "news"
    assert parse_uri("milvus://me:s%40cret@db.example:443/n").token == "me:s@cret"
    assert (parse_uri("https://x.zillizcloud.com:19538#docs").client_uri, parse_uri("https://x.zillizcloud.com:19538#docs").name) \
        == ("https://x.zillizcloud.com:19538", "docs")
    assert parse_uri("http://localhost:19530").name == "news"
    lite = parse_uri("some/where/index.db")
    assert lite.path == Path("some/where/index.db").absolute() and lite.name == "news"
    for uri in ("milvus://h:1/a", "http://h:1", "https://h", "x.db", "/abs/x.db"):
        assert store_class(uri) is MilvusStore, uri
    for uri in ("index", "/tmp/index", "x.dbx"):
        assert store_class(uri) is not MilvusStore, uri
    with pytest.raises(IndexFolderError, match="not a Milvus collection name"):
        parse_uri("milvus://h:1/bad-name")
    with pytest.raises(IndexFolderError, match="port is not a number"):
        parse_uri("milvus://h:port/news")


def test_milvus_filter_expressions():
    from qa.stores.milvus import filter_expression, like_contains

    assert filter_expression(7) == "added <= 7 and (removed == 0 or removed > 7)"
    assert filter_expression(3, Filters(date_from="2024-01-01", date_to="2024-12-31", sources=("BBC", 'a"b'))) == (
        'added <= 3 and (removed == 0 or removed > 3) and date != "" and date >= "2024-01-01" '
        'and date <= "2024-12-31" and (source like "%bbc%" or source like "%a\\"b%")')
    assert like_contains("50%_off") == '"%50\\\\%\\\\_off%"'  # \% and \_ inside a JSON-quoted literal
    assert like_contains("back\\slash") == '"%back\\\\\\\\slash%"'


def test_milvus_unreachable_server_and_broken_db(tmp_path):
    pytest.importorskip("pymilvus", reason="the [milvus] extra is not installed")
    from tests.conftest import free_port

    uri = f"milvus://127.0.0.1:{free_port()}/news"
    with pytest.raises(IndexFolderError, match="cannot reach the Milvus server") as error:
        open_store(uri)
    assert uri in str(error.value)
    broken = tmp_path / "old.db"
    broken.write_bytes(b"SQLite format 3\x00 from Milvus Lite 2")
    with pytest.raises(IndexFolderError, match="not a Milvus Lite database") as error:
        open_store(str(broken))
    assert str(broken) in str(error.value)
    with pytest.raises(IndexFolderError, match="no index here yet"):
        open_store(str(tmp_path / "missing" / "index.db"))
    assert not (tmp_path / "missing").exists()  # looking does not create it


def test_milvus_import_needs_no_pymilvus():
    code = ("import sys; sys.modules['pymilvus'] = None\n"
            "import qa.stores.milvus\n"
            "from qa.stores import open_store\n"
            "try:\n    open_store('milvus://127.0.0.1:1/news')\n"
            "except ImportError as exc:\n    print(exc)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "qa-news[milvus]" in out.stdout


def test_milvus_bm25_scores_are_the_folder_stores(milvus_uris, seeds, tmp_path):
    # The engine must score with the folder store's k1 and b (a dropped parameter once left Milvus
    # Lite on its own k1=1.5, which reordered multi-term results); it scales every score by k1 + 1.
    from qa.stores.bm25 import K1

    folder = str(tmp_path / "folder-index")
    build(seeds, folder)
    uri = milvus_uris()
    build(seeds, uri)
    questions = ["Scholz German chancellor coalition", "Blinken Wang Yi talks in Beijing", "Xi meeting rivals partners"]
    for question in questions:
        expected = open_store(folder).keyword_search(question, 10)
        got = open_store(uri).keyword_search(question, 10)
        assert [i for i, _ in got] == [i for i, _ in expected], question
        assert [round(s, 3) for _, s in got] == [round(s * (K1 + 1), 3) for _, s in expected], question


def test_milvus_long_articles_are_stored_in_parts(milvus_uris, tmp_path):
    articles = tmp_path / "articles"
    paragraph = "Ünïcødé harbour report with many words and €uro signs. " * 40 + "\n\n"
    text = paragraph * 70  # about 160,000 characters and more bytes: three parts or more
    write_feed(articles, [{"id": "long", "title": "Long read", "text": text},
                          {"id": "short", "title": "Short", "text": "A short harbour note."}])
    uri = milvus_uris()
    report = build(articles, uri, FakeEmbedder(max_tokens=4096))
    store = open_store(uri)
    article = store.articles(["long", "short"])
    assert set(article) == {"long", "short"} and len(article["long"].text) > 150_000
    assert article["long"].text == open_store(uri).articles(["long"])["long"].text
    chunks = all_chunks(store)
    assert len(chunks) == report.chunks_total
    assert all(c.text == article[c.doc_id].text[c.start:c.end] for c in chunks.values())
    from qa.stores.milvus import text_parts

    assert len(text_parts(article["long"].text)) >= 3 and "".join(text_parts(text)) == text


def test_milvus_a_crashed_update_is_undone_by_the_next_writer(milvus_uris, seeds, monkeypatch):
    from qa.stores.milvus import MilvusWriter, count_rows

    uri = milvus_uris()
    build(seeds, uri)
    store = open_store(uri)
    before = stamps(uri)
    (seeds / "new.txt").write_text("Harbour news\n\nThe harbour reopened on Monday.")
    (seeds / SCHOLZ).unlink()

    class Crash(Exception):
        pass

    def crash(self, manifest):
        raise Crash()

    with monkeypatch.context() as patch:
        patch.setattr(MilvusWriter, "publish", crash)
        with pytest.raises(Crash):
            build(seeds, uri)
    # The staged rows are there, but no reader sees them.
    client, name = store.client, store.chunks_collection
    assert count_rows(client, name, f"added > {store.generation}") == 1
    assert count_rows(client, name, f"removed > {store.generation}") > 0
    assert stamps(uri) == before and not store.is_stale()
    report = build(seeds, uri)
    assert report.added == ["new.txt"] and report.removed == [SCHOLZ]
    fresh = open_store(uri)
    assert count_rows(client, name, f"added > {fresh.generation}") == 0
    assert fresh.count() == count_rows(client, name, "removed == 0")
    # Two updates later, the rows taken out are gone for good, and the older meta rows with them.
    for n in range(2):
        (seeds / f"more{n}.txt").write_text(f"More news {n}\n\nAnother story number {n}.")
        build(seeds, uri)
    latest = open_store(uri)
    assert count_rows(client, name, f"removed > 0 and removed < {latest.generation - 1}") == 0
    assert count_rows(client, name, "removed == 0") == latest.count()
    assert count_rows(client, "news_meta", "generation > 0") == 3  # the newest three generations


def test_milvus_lite_open_in_another_process_is_a_clear_error(milvus_uris, seeds):
    uri = milvus_uris()
    build(seeds, uri)
    release(uri)
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from qa.stores import open_store\n"
                               f"store = open_store({uri!r}); print('holding', flush=True); sys.stdin.read()"],
                              cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(IndexFolderError, match="another process has this Milvus Lite database open") as error:
            open_store(uri)
        assert str(error.value).startswith(uri) and "milvus-lite server --data-dir" in str(error.value)
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert open_store(uri).count() > 0  # free again once the other process has gone


def test_milvus_damage_is_reported_and_a_missing_collection_rebuilt(milvus_uris, seeds):
    uri = milvus_uris()
    first = build(seeds, uri)
    chunks_collection = open_store(uri).chunks_collection
    release(uri)
    shutil.rmtree(Path(uri) / "collections" / chunks_collection)  # Milvus Lite 3 keeps a folder per collection
    with pytest.raises(IndexFolderError, match=f"its chunks collection '{chunks_collection}' is missing") as error:
        open_store(uri)
    assert str(error.value).startswith(uri)
    report = build(seeds, uri)
    assert report.rebuilt_because.startswith("the existing index cannot be used") and "missing" in report.rebuilt_because
    assert report.chunks_total == first.chunks_total == open_store(uri).count()
    rebuilt = open_store(uri).chunks_collection
    assert rebuilt != chunks_collection  # a fresh pair of collections
    release(uri)
    damaged = list((Path(uri) / "collections" / rebuilt).rglob("*.parquet"))
    assert damaged
    for data in damaged:
        data.write_bytes(b"garbage")
    with pytest.raises(IndexFolderError, match="Milvus failed while opening the index.*move .* away") as error:
        open_store(uri)
    assert str(error.value).startswith(uri)
