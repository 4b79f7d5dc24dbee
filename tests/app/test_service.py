"""The chat's service: uploads stay safe, answers keep coming while the index changes underneath."""

from __future__ import annotations

import json
import shutil
import threading

import pytest

from qa import Retriever, build_index
from qa.answer.answerer import Answer
from qa.ingest.load import MAX_FILE_BYTES
from qa.app.service import ChatService
from qa.stores import IndexFolderError
from qa.stores.folder import read_index
from tests.conftest import SEEDS, FakeEmbedder
from tests.ingest.test_fetch import site  # noqa: F401  (the local news site fixture)

STORY = b"Harbour news\n\nThe harbour in Qingdao reopened on Monday. Boats went out at dawn."


@pytest.fixture
def service(seeds, tmp_path, fake_embedder):
    chat = ChatService(seeds, tmp_path / "index", embedder=fake_embedder)
    chat.ensure_index(progress=False)
    return chat


def final(events) -> Answer:
    return [e for e in events if isinstance(e, Answer)][-1]


@pytest.mark.parametrize("name,stored", [
    ("../../escape.txt", "escape.txt"),
    ("..\\..\\windows.md", "windows.md"),
    ("/etc/cron.d/job.txt", "job.txt"),
    (".hidden.txt", "hidden.txt"),
    ("my story (final) — v2.md", "my_story_final_v2.md"),
])
def test_uploads_are_stored_inside_the_articles_folder_under_a_safe_name(service, seeds, tmp_path, name, stored):
    report, problems = service.add_files([(name, STORY)], progress=False)
    assert problems == [] and report.added == [stored]
    assert (seeds / stored).read_bytes() == STORY
    assert not (tmp_path / "escape.txt").exists() and not (seeds.parent.parent / "escape.txt").exists()
    assert not [p for p in seeds.iterdir() if p.name.endswith(".upload")]


@pytest.mark.parametrize("name,content,problem", [
    ("payload.exe", STORY, "payload.exe: not an article file (accepted: .htm, .html, .jsonl, .markdown, .md, .txt)"),
    ("notes.pdf", b"%PDF-1.7", "notes.pdf: not an article file"),
    ("..", STORY, "..: not an article file"),
    ("big.txt", b"x" * (MAX_FILE_BYTES + 1), "big.txt: too large (10.0 MB, limit 10 MB)"),
])
def test_uploads_of_other_types_or_too_large_are_refused(service, seeds, name, content, problem):
    before = sorted(p.name for p in seeds.iterdir())
    report, problems = service.add_files([(name, content)], progress=False)
    assert len(problems) == 1 and problems[0].startswith(problem)
    assert sorted(p.name for p in seeds.iterdir()) == before and report.added == []


def test_a_broken_upload_is_reported_and_the_index_keeps_the_rest(service, seeds):
    report, problems = service.add_files([("photo.txt", b"\x00\x01\x02" * 100), ("ok.txt", STORY)], progress=False)
    assert problems == ["photo.txt: binary file, not text"] and report.added == ["ok.txt"]
    assert len(service.articles()) == 6


def test_damaged_index_or_one_from_another_model_is_rebuilt_on_start(seeds, tmp_path):
    index = tmp_path / "index"
    build_index(seeds, index, model=FakeEmbedder(name="fake-a"), log=lambda message: None)
    with pytest.raises(IndexFolderError, match="built with the model 'fake-a', not 'fake-b'; run `qa index"):
        Retriever.load(index, embedder=FakeEmbedder(name="fake-b"))
    chat = ChatService(seeds, index, embedder=FakeEmbedder(name="fake-b"))
    assert chat.ensure_index(progress=False).rebuilt_because == "embedding model changed (fake-a -> fake-b)"
    generation = index / (index / "CURRENT").read_text().strip()
    (generation / "chunks.jsonl").write_text("hand-edited\n")
    report = chat.ensure_index(progress=False)
    assert report.rebuilt_because.startswith("the existing index cannot be used (")
    assert "chunks.jsonl" in report.rebuilt_because
    retrieved = next(chat.answer("Which German chancellor visited Beijing?", []))
    assert any("Olaf Scholz" in p.text for p in retrieved.passages)  # searched in the rebuilt index


@pytest.mark.model
def test_chat_keeps_answering_while_the_index_is_updated(tmp_path, real_embedder, monkeypatch):
    """The update is held just before it publishes: answers meanwhile come whole from the old index."""
    from qa.stores.folder import FolderWriter

    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    chat = ChatService(articles, tmp_path / "index", embedder=real_embedder)
    chat.ensure_index(progress=False)
    rows = [{"id": f"wire-{i}", "title": f"Port bulletin {i}",
             "text": f"Bulletin {i}: the container port in Zorbl handled {i} ships. Cranes worked overnight."}
            for i in range(150)]
    rows.append({"id": "lantern", "title": "Zorbl lantern festival",
                 "text": "The Zorbl lantern festival opened on Saturday with four thousand paper lanterns."})
    (articles / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows))

    staged, release = threading.Event(), threading.Event()
    publish = FolderWriter.publish

    def held_publish(self, manifest):
        staged.set()
        assert release.wait(60)
        publish(self, manifest)

    monkeypatch.setattr(FolderWriter, "publish", held_publish)
    update = threading.Thread(target=chat.ensure_index, kwargs={"progress": False})
    update.start()
    assert staged.wait(120)  # all 151 articles are embedded and staged, not yet published
    during = [final(chat.answer("How many lanterns opened the Zorbl festival?", [])) for _ in range(3)]
    release.set()
    update.join(60)
    assert all(c.doc_id.startswith("00") for a in during for c in a.citations)  # the old index, whole
    assert all(a.articles and all(c.doc_id in a.articles for c in a.citations) for a in during)
    after = final(chat.answer("How many lanterns opened the Zorbl festival?", []))
    assert [c.doc_id for c in after.citations][:1] == ["lantern"]
    assert len(read_index(tmp_path / "index").articles) == 5 + 151


def test_the_app_fetches_a_feed_and_keeps_polling_it(tmp_path, seeds, fake_embedder, site):
    """The Articles tab's fetch and poll: a story the feed publishes later is indexed on the next poll."""
    import time

    from tests.ingest.test_fetch import ATOM_ITEMS, FAST, MUSEUM, TIMEOUT, article_html, atom

    chat = ChatService(seeds, tmp_path / "index", embedder=fake_embedder)
    chat.fetch_settings = {"delay": FAST, "timeout": TIMEOUT}
    fetched, built = chat.fetch([site.url("/city.atom")], progress=False)
    assert len(fetched.added) == 2 and len(built.added) == 7  # the five seeds and the two stories
    chat.watch([site.url("/city.atom")], interval=0.2)
    try:
        deadline = time.time() + 30
        while not chat.watch_log and time.time() < deadline:
            time.sleep(0.05)
        assert chat.watch_log and chat.watching
        site.put("/city/museum", article_html("Maritime museum opens a new hall", MUSEUM,
                                              published="2024-03-06T11:00:00+01:00"))
        site.put("/city.atom", atom(site, [("/city/museum", "Museum", "2024-03-06T11:00:00+01:00")] + ATOM_ITEMS),
                 "application/xml")
        while not any("1 added" in line for line in chat.watch_log) and time.time() < deadline:
            time.sleep(0.05)
    finally:
        chat.stop_watching()
    assert any("1 added" in line for line in chat.watch_log), chat.watch_log
    assert not chat.watching
    top = final(chat.answer("What did the maritime museum open?", []))
    assert top.citations and top.citations[0].doc_id == site.url("/city/museum")
