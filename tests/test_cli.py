"""The `qa` command through the real model."""

import json
import shutil

import pytest
from click.testing import CliRunner

from qa.cli import main
from tests.conftest import SEEDS

pytestmark = pytest.mark.model

EXCERPT_KEYS = {"rank", "score", "text", "doc_id", "title", "source", "date", "start", "end"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    shutil.copytree(SEEDS, folder / "articles")
    result = CliRunner().invoke(main, ["index", "--articles", str(folder / "articles"), "--index", str(folder / "index")])
    return folder, result


def test_index_prints_what_it_did(built):
    folder, result = built
    assert result.exit_code == 0, result.output
    assert "articles: 5 added, 0 changed, 0 removed, 0 unchanged" in result.output
    assert "chunks: 27 embedded, 0 reused, 27 in index" in result.output
    assert "chunks/s" in result.output
    again = CliRunner().invoke(main, ["index", "--articles", str(folder / "articles"), "--index", str(folder / "index")])
    assert "chunks: 0 embedded, 27 reused, 27 in index" in again.output
    assert "0 added, 0 changed, 0 removed, 5 unchanged" in again.output


def test_search_json_has_citation_fields_pointing_at_exact_text(built):
    folder, _ = built
    result = CliRunner().invoke(main, ["search", "Who is Chen Jining?", "-k", "3", "--json", "--index", str(folder / "index")])
    assert result.exit_code == 0, result.output
    excerpts = json.loads(result.output)
    assert [e["rank"] for e in excerpts] == [1, 2, 3]
    assert all(EXCERPT_KEYS <= set(e) for e in excerpts)
    assert excerpts[0]["score"] >= excerpts[1]["score"] >= excerpts[2]["score"]
    articles = {a["doc_id"]: a for a in map(json.loads, _articles_jsonl(folder / "index"))}
    for e in excerpts:
        assert articles[e["doc_id"]]["text"][e["start"]:e["end"]] == e["text"]
    assert "Chen Jining" in excerpts[0]["text"]


def test_search_prints_readable_citations(built):
    folder, _ = built
    result = CliRunner().invoke(main, ["search", "Which German chancellor visited Beijing?", "-k", "1",
                                       "--index", str(folder / "index")])
    assert result.output.startswith("[1] U.S.-China ties are ‘beginning to stabilize,’")
    assert "004_59289de0ecc82d18.txt:" in result.output and "Olaf Scholz" in result.output


def test_nothing_usable_exits_non_zero(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "empty.txt").write_text("   \n")
    result = CliRunner().invoke(main, ["index", "--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index")])
    assert result.exit_code == 1
    assert "nothing usable was indexed" in result.output


def test_search_without_index_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["search", "anything", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no index here yet" in result.output


def _articles_jsonl(index):
    return (index / (index / "CURRENT").read_text().strip() / "articles.jsonl").read_text().splitlines()


def test_a_hand_edited_index_is_reported_and_rebuilt(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "articles")
    command = ["index", "--articles", str(tmp_path / "articles"), "--index", str(tmp_path / "index")]
    assert CliRunner().invoke(main, command).exit_code == 0
    generation = tmp_path / "index" / (tmp_path / "index" / "CURRENT").read_text().strip()
    (generation / "vectors.faiss").write_bytes(b"edited by hand")
    search = CliRunner().invoke(main, ["search", "Scholz", "--index", str(tmp_path / "index")])
    assert search.exit_code == 1 and "vectors.faiss: not a readable FAISS index" in search.output
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    assert "Full rebuild: the existing index cannot be used (" in result.output
    assert "chunks: 27 embedded" in result.output
    assert CliRunner().invoke(main, ["search", "Scholz", "--index", str(tmp_path / "index")]).exit_code == 0
