"""The `qa` command, with a registered fake embedder (fast); tests marked `model` use the real one."""

import json
import shutil

import pytest
from click.testing import CliRunner

from qa.cli import main
from qa.index.embed import EMBEDDERS
from tests.conftest import SEEDS, FakeEmbedder

EXCERPT_KEYS = {"rank", "score", "text", "doc_id", "title", "source", "date", "start", "end", "outlet"}
FAKE = "words@fake"


@pytest.fixture(scope="module", autouse=True)
def fake_backend():
    EMBEDDERS.register("fake", lambda name: FakeEmbedder(name=name))
    yield
    EMBEDDERS.unregister("fake")


def index_args(folder):
    return ["--articles", str(folder / "articles"), "--index", str(folder / "index")]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    shutil.copytree(SEEDS, folder / "articles")
    result = CliRunner().invoke(main, ["index", *index_args(folder), "--model", FAKE])
    return folder, result


def test_index_prints_what_it_did(built):
    folder, result = built
    assert result.exit_code == 0, result.output
    assert "articles: 5 added, 0 changed, 0 removed, 0 unchanged" in result.output
    assert "chunks: 27 embedded, 0 reused, 27 in index" in result.output and "chunks/s" in result.output
    again = CliRunner().invoke(main, ["index", *index_args(folder), "--model", FAKE])
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
    from qa.stores.folder import read_index

    articles = read_index(folder / "index").articles
    for e in excerpts:
        assert articles[e["doc_id"]].text[e["start"]:e["end"]] == e["text"]
    assert "Chen Jining" in excerpts[0]["text"]


def test_search_prints_readable_citations(built):
    folder, _ = built
    result = CliRunner().invoke(main, ["search", "Which German chancellor Scholz visited Beijing?", "-k", "1",
                                       "--index", str(folder / "index")])
    assert result.output.startswith("[1] ") and "004_59289de0ecc82d18.txt:" in result.output
    assert "Olaf Scholz" in result.output


def test_ask_piped_prints_the_final_answer_once(built):
    folder, _ = built
    result = CliRunner().invoke(main, ["ask", "Which German chancellor Olaf Scholz visited Beijing?", "--backend",
                                       "extractive", *index_args(folder)])
    assert result.exit_code == 0, result.output
    assert "\r" not in result.output and result.output.count("[1]") >= 2  # the answer once, then its citation
    assert result.output.splitlines()[0].startswith("The closest passage says:")


def test_ask_explain_tells_how_the_answer_was_reached(built):
    folder, _ = built
    question = ["ask", "Which German chancellor Olaf Scholz visited Beijing?", "--backend", "extractive"]
    result = CliRunner().invoke(main, [*question, "--explain", *index_args(folder)])
    assert result.exit_code == 0, result.output
    answer, how = result.output.split("\nHow this answer was reached", 1)
    assert "Olaf Scholz" in answer and "  - No reader model: the best sentence quoted" in how
    plain = CliRunner().invoke(main, [*question, *index_args(folder)])
    assert "How this answer was reached" not in plain.output
    as_json = CliRunner().invoke(main, [*question, "--json", *index_args(folder)])
    assert json.loads(as_json.stdout)["steps"] == ["No reader model: the best sentence quoted, nothing ruling it out."]


def test_ask_builds_the_index_on_first_use_like_the_chat(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "articles")
    result = CliRunner().invoke(main, ["ask", "Who is Chen Jining?", "--backend", "extractive", "--json",
                                     "--model", FAKE, *index_args(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "No index yet: building it from" in result.stderr and "5 added" in result.stderr
    assert json.loads(result.stdout)["citations"] and (tmp_path / "index" / "CURRENT").exists()


def test_ask_takes_a_sentence_ranker_and_names_a_missing_adapter(built):
    folder, _ = built
    question = ["ask", "Which German chancellor Olaf Scholz visited Beijing?", "--backend", "extractive", "--json"]
    missing = CliRunner().invoke(main, [*question, "--sentence-ranker", "adapter:/tmp/nowhere.safetensors",
                                        *index_args(folder)])
    assert missing.exit_code == 1 and "nowhere.safetensors: no sentence-ranker adapter there" in missing.output
    ranked = CliRunner().invoke(main, [*question, "--sentence-ranker", "adapter:bundled", *index_args(folder)])
    assert ranked.exit_code == 0, ranked.output
    assert "Olaf Scholz" in json.loads(ranked.stdout)["answer"]


def test_nothing_usable_exits_non_zero(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "empty.txt").write_text("   \n")
    result = CliRunner().invoke(main, ["index", *index_args(tmp_path), "--model", FAKE])
    assert result.exit_code == 1 and "nothing usable was indexed" in result.output


def test_search_without_index_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["search", "anything", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no index here yet" in result.output


def test_a_hand_edited_index_is_reported_and_rebuilt(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "articles")
    command = ["index", *index_args(tmp_path), "--model", FAKE]
    assert CliRunner().invoke(main, command).exit_code == 0
    generation = tmp_path / "index" / (tmp_path / "index" / "CURRENT").read_text().strip()
    (generation / "vectors.faiss").write_bytes(b"edited by hand")
    from qa.stores import folder

    folder._loaded.clear()  # a fresh process would not have the generation in memory
    search = CliRunner().invoke(main, ["search", "Scholz", "--index", str(tmp_path / "index")])
    assert search.exit_code == 1 and "vectors.faiss: not a readable FAISS index" in search.output
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 0, result.output
    assert "Full rebuild: the existing index cannot be used (" in result.output and "chunks: 27 embedded" in result.output
    assert CliRunner().invoke(main, ["search", "Scholz", "--index", str(tmp_path / "index")]).exit_code == 0


def test_help_lists_the_registered_back_ends_and_the_reranker_everywhere():
    for command in ("ask", "chat", "search", "eval"):
        result = CliRunner().invoke(main, [command, "--help"])
        assert "--reranker" in result.output, command
        assert ("--sentence-ranker" in result.output) == (command in ("ask", "chat")), command
    ask = CliRunner().invoke(main, ["ask", "--help"]).output
    assert "[extractive|llama|openai]" in ask.replace("\n", "").replace(" ", "") or "extractive|llama|openai" in ask
    assert "--from" in ask and "--source" in ask


def test_a_store_given_with_store_is_recorded_in_the_index_folder(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "articles")
    other = tmp_path / "elsewhere"
    result = CliRunner().invoke(main, ["index", *index_args(tmp_path), "--store", str(other), "--model", FAKE])
    assert result.exit_code == 0, result.output
    pointer = json.loads((tmp_path / "index" / "STORE").read_text())
    assert pointer == {"uri": str(other.resolve())} and (other / "CURRENT").exists()
    search = CliRunner().invoke(main, ["search", "Chen Jining", "--json", "--index", str(tmp_path / "index")])
    assert search.exit_code == 0 and json.loads(search.output)  # followed the pointer


@pytest.mark.model
def test_index_and_search_through_the_real_model(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "articles")
    assert CliRunner().invoke(main, ["index", *index_args(tmp_path)]).exit_code == 0
    result = CliRunner().invoke(main, ["search", "Which German chancellor visited Beijing?", "-k", "1",
                                       "--index", str(tmp_path / "index")])
    assert result.output.startswith("[1] U.S.-China ties are ‘beginning to stabilize,’")
    assert "Olaf Scholz" in result.output
