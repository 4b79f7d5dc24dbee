"""Settings shared by every stage: where caches live, which store is the default."""

from qa.config import ChunkSettings, cache_dir, default_store


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    assert cache_dir() == tmp_path / "cache" and (tmp_path / "cache").is_dir()
    monkeypatch.delenv("QA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "qa"


def test_the_default_store_is_the_index_folder_unless_qa_store_says(monkeypatch):
    monkeypatch.delenv("QA_STORE", raising=False)
    assert default_store() == "index"
    monkeypatch.setenv("QA_STORE", "milvus://db.example:19530/news")
    assert default_store() == "milvus://db.example:19530/news"


def test_chunk_settings_are_recorded_as_plain_data():
    assert ChunkSettings().to_dict() == {"chunk_tokens": 160, "overlap_tokens": 32, "encoding": "cl100k_base",
                                         "version": 3}
