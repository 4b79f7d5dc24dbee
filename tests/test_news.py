"""News behaviour end to end (fake embedder, scripted reader): dates and outlets on what is cited,
time words that narrow the search, corrections named as newer, syndicated copies told apart from
independent reports."""

import json

import pytest

from qa import Retriever, build_index
from qa.answer.answerer import Answerer, AnswerSettings
from qa.answer.readers import ModelReader
from tests.answer.test_answer import ScriptedModel
from tests.conftest import SEEDS

OPEN = AnswerSettings(min_relevance=float("-inf"), quote_relevance=float("-inf"))
BRIDGE = [
    {"id": "old", "title": "Harbour bridge repairs", "date": "2024-03-02", "url": "https://www.harbour-gazette.example/a",
     "text": "The city said the harbour bridge will reopen in June after repairs. Crews began work on Monday."},
    {"id": "new", "title": "Harbour bridge delay", "date": "2024-04-22", "url": "https://citywire.example/b",
     "text": "The city said the harbour bridge will reopen in September after repairs. Crews found more rust."},
    {"id": "weather", "title": "Weather", "date": "2024-04-25", "url": "https://citywire.example/c",
     "text": "Heavy rain is expected across the region on Sunday. Farmers welcomed the forecast."},
]


@pytest.fixture
def bridge(tmp_path, fake_embedder):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "news.jsonl").write_text("\n".join(json.dumps(r) for r in BRIDGE))
    build_index(tmp_path / "articles", tmp_path / "index", model=fake_embedder, log=lambda m: None)
    return Retriever.load(tmp_path / "index", embedder=fake_embedder)


def test_dates_and_outlets_come_with_every_excerpt(bridge):
    excerpts = bridge.search("When will the harbour bridge reopen?", k=3)
    assert {(e.doc_id, e.date, e.outlet) for e in excerpts} >= {("old", "2024-03-02", "harbour-gazette.example"),
                                                             ("new", "2024-04-22", "citywire.example")}


def test_a_newer_report_that_corrects_an_older_one_is_named_as_newer(bridge):
    events = list(Answerer(bridge, ModelReader(ScriptedModel("June [1]", "June [2]")), OPEN).stream(
        "When will the harbour bridge reopen?"))
    old = next(i for i, p in enumerate(events[0].passages, 1) if p.doc_id == "old")
    answer = Answerer(bridge, ModelReader(ScriptedModel(f"June [{old}]")), OPEN).ask("When will the harbour bridge reopen?")
    assert "The sources disagree" in answer.answer and "September" in answer.answer
    assert "The newest report (2024-04-22) says September" in answer.answer
    assert {c.doc_id for c in answer.citations} == {"old", "new"}


def test_last_week_is_relative_to_the_newest_article_and_shown(bridge):
    events = list(Answerer(bridge, ModelReader(ScriptedModel("none")), OPEN).stream("What did the city say last week?"))
    retrieved = events[0]
    assert retrieved.time_note.startswith("Searched articles from 2024-04-18 to 2024-04-25")
    assert {p.doc_id for p in retrieved.passages} <= {"new", "weather"}


def test_a_configured_reference_date_moves_last_week(bridge):
    settings = AnswerSettings(min_relevance=float("-inf"), quote_relevance=float("-inf"), reference_date="2024-03-05")
    retrieved = next(Answerer(bridge, ModelReader(ScriptedModel("none")), settings).stream("What happened last week?"))
    assert retrieved.time_note.startswith("Searched articles from 2024-02-27 to 2024-03-05")
    assert {p.doc_id for p in retrieved.passages} == {"old"}


def syndicate(folder, copies):
    """Copies of a seed article on other outlets, each with its own header and footer."""
    story = (SEEDS / "004_59289de0ecc82d18.txt").read_text().split("\n", 2)[2]
    rows = [{"id": f"copy-{n}", "title": f"{outlet} | Blinken in Beijing", "url": f"https://{outlet}/world/{n}",
             "date": "2024-04-26",
             "text": f"By {outlet} staff\n\n{story}\n\nCopyright {outlet}. Read more world news at {outlet}."}
            for n, outlet in enumerate(copies)]
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows))


def test_syndicated_copies_are_one_story_with_all_its_outlets(seeds, tmp_path, fake_embedder):
    syndicate(seeds, ["dailypost.example", "eveningwire.example"])
    logged = []
    report = build_index(seeds, tmp_path / "index", model=fake_embedder, log=logged.append)
    assert report.copies == 2 and report.stories == 5
    assert sorted(report.grouped) == ["copy-0 -> 004_59289de0ecc82d18.txt", "copy-1 -> 004_59289de0ecc82d18.txt"]
    assert any("grouped copy-0 as a copy of the story of 004_59289de0ecc82d18.txt" in line for line in logged)
    assert "stories: 5 (near-duplicate copies grouped: 2)" in report.summary()
    retriever = Retriever.load(tmp_path / "index", embedder=fake_embedder)
    excerpts = retriever.search("Wang offered a cautious assessment at the Diaoyutai state guesthouse", k=8)
    shown = [e for e in excerpts if e.story == "004_59289de0ecc82d18.txt"]
    assert len({e.doc_id for e in shown}) == 1  # one copy of the story, not three
    assert set(shown[0].also_published) == {"dailypost.example", "eveningwire.example"}


def test_copies_do_not_count_as_sources_that_agree_or_disagree(seeds, tmp_path, fake_embedder):
    syndicate(seeds, ["dailypost.example"])
    build_index(seeds, tmp_path / "index", model=fake_embedder, log=lambda m: None)
    retriever = Retriever.load(tmp_path / "index", embedder=fake_embedder)
    passages, _ = Answerer(retriever, settings=OPEN).passages("Where did Wang welcome Blinken?")
    stories = [p.story for p in passages]
    docs_of_story = {p.doc_id for p in passages if p.story == "004_59289de0ecc82d18.txt"}
    assert len(docs_of_story) <= 1 and len(stories) == len(passages)


def test_a_copy_of_a_story_that_changes_a_value_is_named_as_a_disagreement(tmp_path, fake_embedder):
    story = ("The harbour authority met on Monday to review the storm damage along the eastern piers. "
             "Engineers told the board that the old crane had been inspected twice since the winter. "
             "The authority said 42 boats were damaged in the storm, most of them moored at the eastern piers. "
             "Repairs to the sea wall are expected to take most of the summer, the chairman added. "
             "Fishermen asked the board for temporary moorings in the western basin until then.")
    altered = story.replace("42 boats", "47 boats")
    rows = [{"id": "first", "title": "Storm damage at the harbour", "url": "https://harbour-gazette.example/1",
             "date": "2024-03-02", "text": story},
            {"id": "altered", "title": "Storm damage at the harbour", "url": "https://citywire.example/2",
             "date": "2024-03-03", "text": altered}]
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    build_index(folder, tmp_path / "index", model=fake_embedder, log=lambda m: None)
    retriever = Retriever.load(tmp_path / "index", embedder=fake_embedder)
    shown = retriever.search("How many boats were damaged in the storm?", k=4)
    assert len({e.doc_id for e in shown}) == 1 and shown[0].copies  # one story, shown once
    answer = Answerer(retriever, ModelReader(ScriptedModel("[1] 42 boats")), OPEN).ask(
        "How many boats were damaged in the storm?")
    assert answer.answer.startswith("42 boats"), answer.answer
    assert "The sources disagree" in answer.answer and "47 boats [2]" in answer.answer
    assert {c.n: c.doc_id for c in answer.citations} == {1: shown[0].doc_id, 2: shown[0].copies[0]}
    assert "47 boats" in answer.citations[1].text


def test_an_edited_copy_joins_its_story_on_a_later_update(seeds, tmp_path, fake_embedder):
    build_index(seeds, tmp_path / "index", model=fake_embedder, log=lambda m: None)
    syndicate(seeds, ["dailypost.example"])
    report = build_index(seeds, tmp_path / "index", model=fake_embedder, log=lambda m: None)
    assert report.added == ["copy-0"] and report.grouped == ["copy-0 -> 004_59289de0ecc82d18.txt"]
