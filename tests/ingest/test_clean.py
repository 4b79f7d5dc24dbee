import pytest

from qa.ingest.clean import clean_article, parse_date
from qa.ingest.load import ArticleError, load_articles
from qa.records import RawArticle
from tests.conftest import SEEDS

BOILERPLATE = ["Leave a Reply", "Subscribe now", "Continue reading", "Scroll to Top", "Source link",
               "Your email address will not be published", "More Stories", "HEC withdraws", "Reference(s)",
               "Leave a Comment", "Discover more from"]


@pytest.fixture(scope="module")
def cleaned():
    raws, errors = load_articles(SEEDS)
    assert not errors
    return {raw.doc_id[:3]: clean_article(raw) for raw in raws}


def test_seed_boilerplate_is_removed_and_story_kept(cleaned):
    for article in cleaned.values():
        for phrase in BOILERPLATE:
            assert phrase not in article.text, (article.doc_id, phrase)
    assert cleaned["002"].text.rstrip().endswith("more U.S. citizens studying in China.")
    assert cleaned["003"].text.rstrip().endswith("which Beijing claims as its own.")
    assert "German Chancellor Olaf Scholz" in cleaned["004"].text


def test_titles_sources_and_dates(cleaned):
    assert cleaned["002"].title == "Blinken-Xi Talks Highlight Continued Areas Of Disagreement"
    assert cleaned["002"].title not in cleaned["002"].text  # printed twice on the page, dropped both times
    assert cleaned["004"].title.startswith("U.S.-China ties are ‘beginning to stabilize,’")
    # No headline: the first sentence, not cut at the "U.S." abbreviation.
    assert cleaned["000"].title.startswith("U.S. Secretary of State Antony Blinken embarked")
    assert len(cleaned["000"].title) <= 201  # a long first sentence is shortened at a word
    assert cleaned["000"].source == "cgtn.com"
    assert cleaned["004"].source == "004_59289de0ecc82d18.txt"
    assert all(a.date is None for a in cleaned.values())


def test_dateline_is_extracted_and_removed():
    raw = RawArticle(doc_id="d", path="d.txt",
                     text="Port strike ends\n\nPublished: March 5, 2024\n\nWorkers returned on Tuesday.")
    article = clean_article(raw)
    assert article.date == "2024-03-05"
    assert article.title == "Port strike ends"
    assert article.text == "Workers returned on Tuesday."


def test_only_boilerplate_is_an_error():
    with pytest.raises(ArticleError, match="only.txt: no story text left"):
        clean_article(RawArticle(doc_id="only.txt", path="only.txt", text="Leave a Reply\n\nSource link\n"))


def test_more_stories_block_only_cut_near_the_end():
    text = ("Library expands\n\nMore Stories\nThe story begins here. " + "It goes on. " * 20
            + "\n\nMore Stories\nUnrelated headline")
    article = clean_article(RawArticle(doc_id="m", path="m.txt", text=text))
    assert "Unrelated headline" not in article.text
    assert article.text.startswith("More Stories\nThe story begins here.")


@pytest.mark.parametrize("text,expected", [("2024-04-26", "2024-04-26"), ("April 26, 2024", "2024-04-26"),
                                           ("26 Apr 2024", "2024-04-26"), ("Sept. 3, 2023", "2023-09-03"),
                                           ("no date here", None)])
def test_parse_date(text, expected):
    assert parse_date(text) == expected
