"""Registries: built-ins and plugins register the same way; unknown names list the choices."""

import pytest

from qa.registry import Registry, UnknownName


def test_register_get_create_and_list_in_order():
    kind: Registry = Registry("widget")

    @kind.register("round")
    class Round:
        """A round widget."""

        def __init__(self, size=1):
            self.size = size

    kind.register("square", lambda size=2: ("square", size), help="A square one.")
    assert kind.names() == ["round", "square"] and "round" in kind and "oval" not in kind
    assert kind.create("round", size=3).size == 3 and kind.get("square")() == ("square", 2)
    assert [(e.name, e.help) for e in kind.entries()] == [("round", "A round widget."), ("square", "A square one.")]
    with pytest.raises(UnknownName, match=r"unknown widget 'oval'; choose from round, square"):
        kind.get("oval")


def test_the_builtin_registries_hold_the_builtins():
    from qa.answer.readers import BACKENDS
    from qa.index.embed import EMBEDDERS
    from qa.ingest.load import READERS
    from qa.retrieve.rerank import RERANKERS
    from qa.stores import STORES

    assert BACKENDS.names()[:3] == ["extractive", "llama", "openai"]
    assert {"sentence-transformers", "onnx-int8"} <= set(EMBEDDERS.names())
    assert {".txt", ".md", ".html", ".jsonl"} <= set(READERS.names())
    assert "cross-encoder" in RERANKERS and "folder" in STORES


def test_a_registered_embedder_is_chosen_by_its_name_suffix(tmp_path):
    from qa import Retriever, build_index
    from qa.index.embed import EMBEDDERS, embedder_for
    from tests.conftest import SEEDS, FakeEmbedder

    EMBEDDERS.register("fake", lambda name: FakeEmbedder(name=name))
    try:
        embedder = embedder_for("words@fake")
        assert isinstance(embedder, FakeEmbedder) and embedder.name == "words@fake"
        build_index(SEEDS, tmp_path / "index", model="words@fake", log=lambda m: None)
        retriever = Retriever.load(tmp_path / "index")  # the manifest's model name finds the back end again
        assert isinstance(retriever.embedder, FakeEmbedder) and retriever.search("Scholz", k=1)
    finally:
        EMBEDDERS.unregister("fake")


def test_a_registered_file_reader_takes_its_suffix(tmp_path):
    from qa.ingest.load import READERS, load_articles
    from qa.records import RawArticle

    def read_csv(path, rel, errors):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            title, text = line.split(";", 1)
            yield RawArticle(doc_id=f"{rel}:{number}", text=text, path=f"{rel}:{number}", title=title)

    READERS.register(".csv", read_csv)
    try:
        (tmp_path / "wire.csv").write_text("Harbour;The harbour reopened on Monday.\nRain;Rain fell all day.\n")
        articles, errors = load_articles(tmp_path)
        assert [(a.doc_id, a.title) for a in articles] == [("wire.csv:1", "Harbour"), ("wire.csv:2", "Rain")]
        assert errors == []
    finally:
        READERS.unregister(".csv")


def test_an_installed_plugin_registers_through_its_entry_point(tmp_path, monkeypatch):
    from qa import registry
    from qa.answer.readers import BACKENDS

    (tmp_path / "qa_echo_plugin.py").write_text(
        "from qa.answer.readers import BACKENDS, ExtractiveReader\n"
        "BACKENDS.register('echo-plugin', ExtractiveReader, help='from an entry point')\n")
    info = tmp_path / "qa_echo_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: qa-echo-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[qa_news.plugins]\necho = qa_echo_plugin\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "_plugins_loaded", False)
    import sys

    assert "qa_echo_plugin" not in sys.modules
    try:  # the first lookup after start-up imports the plugin, which registers itself
        assert "echo-plugin" in BACKENDS.names() and BACKENDS.create("echo-plugin").name == "extractive"
        assert "qa_echo_plugin" in sys.modules
    finally:
        BACKENDS.unregister("echo-plugin")
        sys.modules.pop("qa_echo_plugin", None)
