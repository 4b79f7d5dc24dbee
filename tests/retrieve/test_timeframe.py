"""Time words in questions become date ranges or a preference for the newest, against a reference date."""

from datetime import date

import pytest

from qa.retrieve.timeframe import TimeFrame, time_frame

REFERENCE = date(2024, 4, 27)  # a Saturday


@pytest.mark.parametrize("question,start,end", [
    ("What happened last week?", "2024-04-20", "2024-04-27"),
    ("What did Blinken say in April 2024?", "2024-04-01", "2024-04-30"),
    ("What has China done since March?", "2024-03-01", "2024-04-27"),
    ("What did they agree after April 25, 2024?", "2024-04-26", "2024-04-27"),
    ("What was said before April 25, 2024?", None, "2024-04-24"),
    ("What happened on April 26?", "2024-04-26", "2024-04-26"),
    ("Who won in 2023?", "2023-01-01", "2023-12-31"),
    ("What happened between March 2024 and April 2024?", "2024-03-01", "2024-04-30"),
    ("What happened yesterday?", "2024-04-26", "2024-04-26"),
    ("What happened this month?", "2024-04-01", "2024-04-27"),
    ("What happened in the past 3 days?", "2024-04-24", "2024-04-27"),
])
def test_time_words_become_a_date_range(question, start, end):
    frame = time_frame(question, REFERENCE)
    assert (frame.date_from, frame.date_to) == (start, end)
    assert frame.describe().startswith("Searched articles")


def test_an_event_is_dated_by_the_reports_about_it():
    asked = []

    def anchor(phrase):
        asked.append(phrase)
        return date(2024, 4, 26)

    frame = time_frame("What did the ministers agree before the summit?", REFERENCE, anchor)
    assert asked == ["the summit"] and (frame.date_from, frame.date_to) == (None, "2024-04-25")


def test_latest_prefers_the_newest_and_plain_questions_have_no_frame():
    assert time_frame("What is the latest on the TikTok ban?", REFERENCE) == TimeFrame(prefer_recent=True,
                                                                                      phrase="latest")
    plain = time_frame("Which German chancellor visited Beijing?", REFERENCE)
    assert plain == TimeFrame() and plain.describe() == ""
    assert time_frame("What happened last week?", None) == TimeFrame()  # no dated article: nothing to resolve against
