"""Follow-ups made to stand alone in code, without a second model call."""

import pytest

from qa.answer.followup import standalone


@pytest.mark.parametrize("question,history,expected", [
    ("What did he say about relations?", [("Who did Blinken meet in Shanghai?", "Chen Jining [1]")],
     "What did Blinken say about relations?"),
    ("What did she say?", [("Who is Janet Yellen?", "The Treasury Secretary [1]")], "What did Janet Yellen say?"),
    ("What was his title?", [("Who did Blinken meet in Shanghai?", "Chen Jining [1]")],
     "What was Blinken's title?"),
    ("Who else was there?", [("Where did Xi meet Blinken?", "At the Great Hall of the People [1]")],
     "Who else was in the Great Hall of the People?"),
    ("And in 2023?", [("Who won Wimbledon in 2022?", "x")], "Who won Wimbledon in 2022? And in 2023?"),
    ("What did they discuss?", [("Who did Blinken meet in Shanghai?", "Chen Jining — “…met Chen Jining.” [1]")],
     "What did Blinken and Chen Jining discuss?"),  # people, not the place
    ("What did they discuss?", [("Who did Blinken meet in Shanghai?", "I found no answer.")],
     "What did Blinken discuss?"),
    ("What did they agree on?", [("Did China and the US hold talks?", "Yes [1]")], "What did China agree on?"),
    ("How long did they meet?", [("Where did Wang Yi welcome Blinken?", "“Welcoming Blinken to the Diaoyutai state "
                                  "guesthouse, Wang offered a cautious assessment.” [1]")],
     "How long did Wang Yi and Blinken meet?"),
    ("Who did he meet there?", [("Where did Blinken go before Beijing?", "Shanghai — “Before touching down in "
                                 "Beijing, Blinken made a stop in Shanghai.” [1]")],
     "Who did Blinken meet in Shanghai?"),  # both pronouns
])
def test_pronouns_take_their_referent_from_the_conversation(question, history, expected):
    assert standalone(question, history) == expected


def test_a_question_that_stands_alone_is_left_as_it_is():
    assert standalone("Who is Chen Jining?", [("Who did Blinken meet?", "Chen Jining [1]")]) == "Who is Chen Jining?"
    assert standalone("What did he say?", []) == "What did he say?"
