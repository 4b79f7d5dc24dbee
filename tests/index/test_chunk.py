import pytest

from qa.index.chunk import chunk_article
from qa.ingest.clean import clean_article
from qa.config import ChunkSettings
from qa.ingest.load import load_articles
from qa.records import Article
from qa.text.sentences import split_sentences
from qa.text.tiktoken_offline import encoding
from tests.conftest import SEEDS


def tokens(text: str) -> int:
    return len(encoding().encode_ordinary(text))


@pytest.fixture(scope="module")
def seed_articles():
    raws, _ = load_articles(SEEDS)
    return [clean_article(raw) for raw in raws]


def test_sentences_respect_abbreviations():
    text = "The U.S. Secretary met Mr. Wang in China-U. S. talks. He left. “Good,” he said! Then 3 more."
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == ["The U.S. Secretary met Mr. Wang in China-U. S. talks.", "He left.",
                         "“Good,” he said!", "Then 3 more."]
    # An abbreviated title after a hyphen: "then-Sen. Obama", "Minneapolis-St. Paul".
    text = "He threatened then-Sen. Obama on October 23. They met at the Minneapolis-St. Paul airport. It rained."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "He threatened then-Sen. Obama on October 23.", "They met at the Minneapolis-St. Paul airport.", "It rained."]


def test_chunks_point_at_exact_text_and_respect_the_budget(seed_articles):
    settings = ChunkSettings(chunk_tokens=80, overlap_tokens=20)
    for article in seed_articles:
        chunks = chunk_article(article, settings)
        assert chunks
        for chunk in chunks:
            assert chunk.text == article.text[chunk.start:chunk.end]
            assert chunk.text == chunk.text.strip()
            assert tokens(chunk.text) <= 80
            assert chunk.embed_text == f"{article.title}\n{chunk.text}"
        # Every sentence is in some chunk, in order, and neighbours overlap or touch.
        covered = set()
        for chunk in chunks:
            covered.update(range(chunk.start, chunk.end))
        for s, e in split_sentences(article.text):
            assert set(range(s, e)) <= covered
        starts = [c.start for c in chunks]
        assert starts == sorted(starts)
        for before, after in zip(chunks, chunks[1:]):
            assert after.start <= before.end + 2


def test_neighbouring_chunks_overlap_by_whole_sentences(seed_articles):
    chunks = chunk_article(seed_articles[1], ChunkSettings(chunk_tokens=100, overlap_tokens=40))
    assert len(chunks) >= 4
    overlaps = [b.start < a.end for a, b in zip(chunks, chunks[1:])]
    assert sum(overlaps) >= len(overlaps) // 2 and any(overlaps)
    sentence_starts = {s for s, _ in split_sentences(seed_articles[1].text)}
    assert all(c.start in sentence_starts for c in chunks)


def test_one_huge_line_without_breaks_is_cut_at_words():
    text = " ".join(f"word{i}" for i in range(20000))
    article = Article(doc_id="big", title="Big", text=text, source="big")
    chunks = chunk_article(article, ChunkSettings(chunk_tokens=64, overlap_tokens=16))
    assert all(tokens(c.text) <= 64 for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    assert all(c.text == text[c.start:c.end] == c.text.strip() for c in chunks)


def test_text_without_spaces_is_still_cut():
    text = "x" * 5000
    chunks = chunk_article(Article(doc_id="x", title="X", text=text, source="x"), ChunkSettings(64, 16))
    assert all(tokens(c.text) <= 64 for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    assert all(b.start <= a.end for a, b in zip(chunks, chunks[1:]))


def test_chunks_the_embedder_would_truncate_are_recut(seed_articles):
    article = seed_articles[2]
    limit = 60  # whitespace words, far below the 160-token chunks

    def fits(texts):
        return [len(t.split()) <= limit for t in texts]

    chunks = chunk_article(article, ChunkSettings(), fits=fits)
    assert all(fits([c.embed_text])[0] for c in chunks)
    assert len(chunks) > len(chunk_article(article, ChunkSettings()))
    assert all(c.text == article.text[c.start:c.end] for c in chunks)


@pytest.mark.model
def test_real_tokenizer_limit_holds_for_long_titles(real_embedder):
    title = "A very long headline " * 20
    article = Article(doc_id="t", title=title.strip(), text="Sentence number one is here. " * 200, source="t")
    chunks = chunk_article(article, ChunkSettings(), fits=real_embedder.fits)
    from qa.index.embed import SentenceTransformerEmbedder

    # Checked with sentence-transformers' own tokenizer, not the one the chunker asked.
    ids = SentenceTransformerEmbedder().model.tokenizer([c.embed_text for c in chunks])["input_ids"]
    assert max(len(row) for row in ids) <= real_embedder.max_tokens == 256
