"""Passage selection: every sentence of the excerpts scored, the answering one first, context kept."""

from qa.answer.answerer import needs_context
from qa.answer.passages import FEATURES, WEIGHTS, answer_type, as_passage, rank_sentences, sentences_of
from qa.records import Article, Excerpt
from tests.conftest import FakeEmbedder

TEXT = ("Trade talks resumed in Geneva on Monday. Officials from both sides attended. "
        "Chancellor Olaf Scholz visited Beijing last week to discuss exports. "
        "He said the visit went well. The weather in Geneva was cold.")


def excerpt(start: int, end: int, rank: int = 1, doc: str = "d.txt") -> Excerpt:
    return Excerpt(rank=rank, score=1.0, text=TEXT[start:end], doc_id=doc, title="Talks", source="s", date=None,
                   start=start, end=end, chunk_id=rank)


ARTICLES = {"d.txt": Article("d.txt", "Talks", TEXT, "s")}


def test_sentences_are_listed_once_with_the_one_before():
    half = TEXT.index("He said")
    sentences = sentences_of([excerpt(0, half + 28), excerpt(half - 70, len(TEXT), rank=2)], ARTICLES)
    texts = [s.text for s in sentences]
    assert len(texts) == len(set(texts)) == 5
    he = next(s for s in sentences if s.text.startswith("He said"))
    assert he.before.startswith("Chancellor Olaf Scholz") and TEXT[he.before_start:].startswith(he.before)
    assert all(TEXT[s.start:s.end] == s.text for s in sentences)


def test_the_sentence_that_answers_ranks_first():
    ranked = rank_sentences("Which chancellor visited Beijing?", [excerpt(0, len(TEXT))], ARTICLES, FakeEmbedder())
    assert ranked[0].text.startswith("Chancellor Olaf Scholz visited Beijing")
    assert ranked[0].features[FEATURES.index("answer_type")] == 0.0  # "which" asks for no particular kind
    who = rank_sentences("Who visited Beijing last week?", [excerpt(0, len(TEXT))], ARTICLES, FakeEmbedder())
    assert who[0].features[FEATURES.index("answer_type")] == 1.0 and who[0].score == float(who[0].features @ WEIGHTS)


def test_a_pronoun_sentence_keeps_its_context_as_a_citable_passage():
    sentences = sentences_of([excerpt(0, len(TEXT))], ARTICLES)
    he = next(s for s in sentences if s.text.startswith("He said"))
    assert needs_context(he) and not needs_context(sentences[0])
    passage = as_passage(he, 1, context=True)
    assert TEXT[passage.start:passage.end] == passage.text and passage.text.startswith("Chancellor Olaf Scholz")
    assert TEXT[passage.focus_start:passage.focus_end] == he.text


def test_question_words_name_the_kind_of_answer():
    assert answer_type("How many people came?") >= {"CARDINAL"} and "PERSON" in answer_type("Who won?")
    assert answer_type("Where did it happen?") >= {"GPE"} and answer_type("What happened?") == set()
