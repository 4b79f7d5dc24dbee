"""The builder's on-disk ledger and the SQLite-banded story index."""

import random

from datasketch import MinHashLSH

from qa.index.ledger import CACHE_KIB, Ledger
from qa.index.stories import NUM_PERM, THRESHOLD, StoryIndex, lean, signature
from qa.stores import ArticleStamp


def test_the_ledger_tells_what_a_run_met_and_what_it_did_not():
    with Ledger() as ledger:
        ledger.load([("a", ArticleStamp("h1", "a.txt")), ("b", ArticleStamp("h2", "archive.jsonl:2", "a"))])
        assert ledger.stamp("b") == ArticleStamp("h2", "archive.jsonl:2", "a", None)
        assert ledger.stamp("new") is None
        assert list(ledger.not_met()) == [("a", "a.txt")]
        assert ledger.first_with_id("new", "new.txt") is None
        assert ledger.first_with_id("new", "copy.txt") == "new.txt"
        assert ledger.first_with_text("t", "new.txt") is None and ledger.first_with_text("t", "x.txt") == "new.txt"
        ledger.forget("a")
        assert list(ledger.not_met()) == []


def test_the_ledger_is_on_disk_with_a_bounded_cache_not_in_memory():
    with Ledger() as ledger:
        (row,) = ledger.db.execute("PRAGMA database_list").fetchall()
        assert row[2] == ""  # SQLite's temporary on-disk database (":memory:" would hold it all in RAM)
        assert ledger.db.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
        assert ledger.db.in_transaction  # one for the run: writes in autocommit were 20x slower
        ledger.load((f"d{n}", ArticleStamp(f"h{n}", f"p{n}")) for n in range(20_000))
        pages, size = (ledger.db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
        assert pages * size > 20_000 * 20  # what it holds is in the database file, not Python objects
        assert ledger.stamp("d19999") == ArticleStamp("h19999", "p19999")


def texts(count: int, seed: int = 3) -> list[str]:
    """Articles of random words, every third one a lightly edited copy of an earlier one."""
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(400)]
    out: list[str] = []
    for n in range(count):
        if n % 3 == 2:
            base = out[rng.randrange(len(out))].split()
            base[rng.randrange(len(base))] = "edited"
            out.append(" ".join(base))
        else:
            out.append(" ".join(rng.choice(words) for _ in range(120)))
    return out


def test_sqlite_bands_find_the_candidates_datasketch_lsh_finds():
    stories, reference = StoryIndex(), MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    encoded = {f"d{n}": signature(text) for n, text in enumerate(texts(60))}
    for doc_id, value in encoded.items():
        stories.add(doc_id, value, doc_id)
        reference.insert(doc_id, lean(value))
    grouped = 0
    for doc_id, value in encoded.items():
        minhash = lean(value)
        expected = [d for d in reference.query(minhash) if d != doc_id]
        best = max(expected, key=lambda d: minhash.jaccard(lean(encoded[d])), default=None)
        want = best if best and minhash.jaccard(lean(encoded[best])) >= THRESHOLD else doc_id
        assert stories.story_for(doc_id, value) == want
        grouped += want != doc_id
    assert grouped >= 20  # the edited copies (and the articles they copy) were found


def test_a_removed_article_is_no_longer_a_candidate():
    stories = StoryIndex()
    text = texts(1)[0]
    stories.add("first", signature(text), "first")
    assert stories.story_for("copy", signature(text + " extra")) == "first"
    stories.remove("first")
    assert stories.story_for("copy", signature(text + " extra")) == "copy"
    assert stories.counts() == (0, 0) and stories.db.execute("SELECT COUNT(*) FROM bands").fetchone() == (0,)


def test_articles_not_met_are_paged_and_can_be_forgotten_between_pages():
    with Ledger() as ledger:
        ledger.load((f"d{n}", ArticleStamp("h", f"p{n}")) for n in range(7))
        ledger.stamp("d3")
        listed = []
        for doc_id, _ in ledger.not_met(page=2):
            listed.append(doc_id)
            ledger.forget(doc_id)
        assert listed == ["d0", "d1", "d2", "d4", "d5", "d6"]
        assert list(ledger.not_met()) == []
