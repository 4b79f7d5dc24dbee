import json

import pytest

from qa.ingest.load import ArticleError, decode, load_articles


def test_reads_text_markdown_html_and_jsonl(tmp_path):
    (tmp_path / "a.txt").write_text("Plain story. It has two sentences.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# A Markdown headline\n\nBody text here.")
    (tmp_path / "c.html").write_text(
        "<html><head><title>Harbour reopens</title></head><body><nav>Home | News</nav><article>"
        "<h1>Harbour reopens</h1><p>The harbour reopened on Monday after a long repair that took most"
        " of the winter and cost the city more than it had planned.</p><p>Fishermen said they were glad"
        " to be back at sea after months on shore, waiting for the work to end.</p></article>"
        "<footer>Subscribe now</footer></body></html>")
    (tmp_path / "d.jsonl").write_text(
        json.dumps({"id": "x1", "title": "T1", "text": "First.", "date": "2024-01-02", "url": "https://e.x/1"})
        + "\n" + json.dumps({"_id": "x2", "title": "T2", "text": "Second."}) + "\n")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF")
    articles, errors = load_articles(tmp_path)
    assert errors == []
    by_id = {a.doc_id: a for a in articles}
    assert sorted(by_id) == ["a.txt", "c.html", "sub/b.md", "x1", "x2"]
    assert by_id["x1"].date == "2024-01-02" and by_id["x1"].url == "https://e.x/1"
    assert by_id["x1"].path == "d.jsonl:1"
    html = by_id["c.html"]
    assert "harbour reopened on Monday" in html.text and "Home | News" not in html.text
    assert html.title == "Harbour reopens"


def test_bad_jsonl_lines_are_reported_and_the_rest_loads(tmp_path):
    lines = [json.dumps({"id": "ok1", "text": "Good."}), "{not json", json.dumps({"id": "nt", "title": "x"}),
             json.dumps(["a list"]), json.dumps({"id": "ok2", "text": "Also good."})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines))
    articles, errors = load_articles(tmp_path)
    assert [a.doc_id for a in articles] == ["ok1", "ok2"]
    messages = [str(e) for e in errors]
    assert messages[0].startswith("feed.jsonl:2: invalid JSON")
    assert messages[1] == 'feed.jsonl:3: missing "text"'
    assert messages[2] == "feed.jsonl:4: expected a JSON object"


def test_decode_handles_bom_and_legacy_encodings():
    assert decode("Café".encode("utf-16"), "f") == "Café"
    assert decode(b"\xef\xbb\xbfhello", "f") == "hello"
    assert decode("Café déjà".encode("latin-1"), "f") == "Café déjà"
    with pytest.raises(ArticleError, match="binary"):
        decode(b"\x00\x01\x02\x03" * 100, "f.txt")


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="articles folder not found"):
        load_articles(tmp_path / "nope")
