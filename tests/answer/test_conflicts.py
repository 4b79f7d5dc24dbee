"""Disagreement between sources, on RGB-like pairs: the same statement with another value."""

from qa.answer.claims import Claim, check
from qa.answer.conflicts import aligned_value, disagreement_note, other_values, outlet_of
from qa.records import Article, Passage

TRUE = "The game was played on February 7, 2021, at Raymond James Stadium in Tampa, Florida, the home stadium."
FALSE = "The game was played on February 7, 2021, at Raymond James Stadium in Glendale, Arizona, the home stadium."
OTHER = "Super Bowl LVIII ticket packages are now available in Las Vegas."


def passage(doc: str, text: str, n: int, source: str, date: str | None = None, score: float = 9.0):
    return Passage(rank=n, score=score, text=text, doc_id=doc, title=text[:30], source=source, date=date, start=0,
                   end=len(text), chunk_id=n, focus_start=0, focus_end=len(text))


def setup(texts, dates=(None, None, None)):
    sources = ["https://daily-ledger.example/a", "https://morning-courier.example/b", "https://web.example/c"]
    passages = [passage(f"d{i}", t, i + 1, sources[i], dates[i]) for i, t in enumerate(texts)]
    articles = {p.doc_id: Article(p.doc_id, p.title, p.text, p.source, p.date) for p in passages}
    return passages, articles


def test_the_value_that_stands_where_the_answer_stands_is_found():
    assert aligned_value("Tampa, Florida", TRUE, FALSE) == "Glendale, Arizona"
    assert aligned_value("Tampa, Florida", TRUE, TRUE) is None  # same value
    assert aligned_value("Tampa, Florida", TRUE, OTHER) is None  # not the same statement
    assert aligned_value("four hours", "Blinken met Wang Yi for four hours.", "Blinken met Wang Yi for 5 1/2 hours.") == "5 1/2 hours"


def test_a_source_with_another_value_is_named_with_its_citation_and_date():
    question = "Where was Super Bowl 2021 played?"
    passages, articles = setup([TRUE, FALSE, OTHER], ("2021-02-07", "2021-02-09", None))
    checked = check([Claim("Tampa, Florida", 1)], question, passages, articles)[0]
    others = other_values(checked, question, passages, articles, min_score=0)
    assert [(o.words, o.passage) for o in others] == [("Glendale, Arizona", 2)]
    note = disagreement_note(checked, others, passages, {1: 1, 2: 2})
    assert note == ("The sources disagree: Tampa, Florida [1] (daily-ledger.example, 2021-02-07); Glendale, Arizona [2] "
                    "(morning-courier.example, 2021-02-09). The newest report (2021-02-09) says Glendale, Arizona.")


def test_sources_that_agree_add_nothing():
    question = "Where was Super Bowl 2021 played?"
    passages, articles = setup([TRUE, TRUE.replace("The game", "The final game"), OTHER])
    checked = check([Claim("Tampa, Florida", 1)], question, passages, articles)[0]
    assert other_values(checked, question, passages, articles, min_score=0) == []


def test_a_weak_passage_is_not_read_for_disagreement():
    question = "Where was Super Bowl 2021 played?"
    passages, articles = setup([TRUE, FALSE, OTHER])
    passages[1].score = 1.0
    checked = check([Claim("Tampa, Florida", 1)], question, passages, articles)[0]
    assert other_values(checked, question, passages, articles, min_score=5.0) == []


def test_different_people_for_the_same_role_are_found_by_entity_kind():
    question = "Who won the women's singles at Wimbledon in 2019?"
    a = "Simona Halep won the women's singles title at Wimbledon in 2019, beating Serena Williams in the final."
    b = "In 2019 the Wimbledon women's singles title went to Angelique Kerber after a final of two sets."
    passages, articles = setup([a, b, OTHER])
    checked = check([Claim("Simona Halep", 1)], question, passages, articles)[0]
    others = other_values(checked, question, passages, articles, min_score=0)
    assert [o.words for o in others] == ["Angelique Kerber"]


def test_outlets_are_hosts_or_named_sources_never_file_paths():
    assert outlet_of("https://www.cnn.com/2024/04/26/x.html") == "cnn.com"
    assert outlet_of("cgtn.com") == "cgtn.com"
    assert outlet_of("001_ce62307185d3a8e6.txt") is None and outlet_of("wire/archive.jsonl:3") is None
