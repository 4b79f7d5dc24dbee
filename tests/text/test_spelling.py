"""Misspellings in a question put right against the retrieved articles, and only those."""

import pytest

from qa.text.spelling import respelled

ARTICLES = ["Welcoming Blinken to the Diaoyutai State Guesthouse, Wang Yi offered a cautious assessment.",
            "In Shanghai, Blinken met party secretary Chen Jining. Xi Jinping received him in Beijing.",
            "The government's intent to ban TikTok stems from security concerns, Treasury Secretary Janet Yellen said."]


@pytest.mark.parametrize("question,fixed", [
    ("Where did Wang Yi welcome Blinkin?", "Where did Wang Yi welcome Blinken?"),
    ("Who did Blinken meet in Shanhai?", "Who did Blinken meet in Shanghai?"),
    ("Why does the goverment want to ban Tik Tok?", "Why does the government want to ban TikTok?"),
    ("What did Janet Yelen say?", "What did Janet Yellen say?"),
])
def test_a_misspelled_word_takes_the_articles_spelling(question, fixed):
    assert respelled(question, ARTICLES) == fixed


@pytest.mark.parametrize("question", [
    "What did Chen Jining say?",  # the articles name him: not taken for Xi Jinping
    "Where did Osama speak?",  # no word of the articles is one slip from it
    "Which company makes the tablets?",  # English words the articles do not use stay as they are
])
def test_words_that_are_not_misspellings_of_the_articles_words_stay(question):
    assert respelled(question, ARTICLES) == question


def test_the_askers_first_letter_case_is_kept_whichever_article_comes_first():
    texts = ["the people of Beijing", "the Great Hall of the People"]
    for order in (texts, texts[::-1]):
        assert respelled("Where is the Great Hall of the Peple?", order) == "Where is the Great Hall of the People?"
        assert respelled("Where do the peple live?", order) == "Where do the people live?"


def test_words_of_other_alphabets_are_whole_words():
    texts = ["José Miguel Vivanco of Human Rights Watch met Schrödinger's biographer in Zürich."]
    assert respelled("Who is José Miguel Vivanko?", texts) == "Who is José Miguel Vivanco?"
    assert respelled("What did Schrödinger's biographer say in Zürich?", texts) == (
        "What did Schrödinger's biographer say in Zürich?")
