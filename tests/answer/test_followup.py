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
    ("And then?", [("Who won Wimbledon in 2022?", "x")], "Who won Wimbledon in 2022? And then?"),  # a fragment
    # a follow-up that asks with its own question word goes first: the answer is checked for what it asks
    ("Who played her in the movie?", [("How long did she spend on the book?", "I found no answer.")],
     "Who played her in the movie? How long did she spend on the book?"),
    ("Where exactly?", [("When did Blinken visit Beijing?", "April 24 to 26 [1]")],
     "Where exactly? When did Blinken visit Beijing?"),
    ("Did she win?", [("Who reached the final?", "I found no answer.")], "Did she win? Who reached the final?"),
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


def test_a_pronoun_the_last_turn_has_no_referent_for_takes_it_from_the_turn_before():
    history = [("What did al-Maliki tell American executives?", "“… al-Maliki said …” [1]"),
               ("How many executives did he speak to?", "more than 400 — “He spoke to more than 400 executives.” [1]")]
    assert standalone("Where did he give the address?", history) == "Where did al-Maliki give the address?"
    earlier = [("Who is Chen Jining?", "x"), ("What did they say?", "y"), ("What was agreed then?", "z"), ("Which one?", "w")]
    assert standalone("Where did he go?", earlier) == (  # no further back than three turns: not Chen Jining
        "Where did he go? Which one? What was agreed then? What did they say?")


@pytest.mark.parametrize("question,last,expected", [
    ("And in 2023?", "Who won Wimbledon in 2022?", "Who won Wimbledon in 2023?"),  # the phrase after "in"
    ("And 2023?", "Who won Wimbledon in 2022?", "Who won Wimbledon in 2023?"),  # a name of the same kind
    ("And Wang Yi?", "What did Blinken say about Taiwan?", "What did Wang Yi say about Taiwan?"),
    ("And Blinken?", "What did Wang Yi say about the relationship?", "What did Blinken say about the relationship?"),
    ("How about China?", "What did the US say about trade?", "What did China say about trade?"),
    ("What about employees?", "How many trucks does Raymond Thomas own?", "How many employees does Raymond Thomas own?"),
    ("And the second round?", "What did Stenson shoot in the first round?", "What did Stenson shoot in the second round?"),
    ("And why?", "When did Blinken visit Beijing?", "Why did Blinken visit Beijing?"),  # the question word
    ("Why?", "When did Blinken visit Beijing?", "Why did Blinken visit Beijing?"),
    ("And why?", "How many trucks does Thomas own?", "Why? How many trucks does Thomas own?"),  # nothing to swap
])
def test_a_fragment_swaps_its_part_into_the_last_question(question, last, expected):
    assert standalone(question, [(last, "x [1]")]) == expected


@pytest.mark.parametrize("question,history,expected", [
    ("And how many were infected?", [("How many people have died from contaminated cantaloupes?", "28 [1]")],
     "How many were infected? How many people have died from contaminated cantaloupes?"),
    ("In how many states?", [("How many people have died from contaminated cantaloupes?", "28 [1]"),
                             ("And how many were infected?", "133 [1]")],
     "In how many states? How many were infected? How many people have died from contaminated cantaloupes?"),
])
def test_a_question_that_goes_on_from_the_last_asks_its_own_question_beside_it(question, history, expected):
    assert standalone(question, history) == expected


@pytest.mark.parametrize("question,history,expected", [
    ("How much did it sell for?", [("Who painted the portrait of Michael Jackson?", "Macky Dancy [1]")],
     "How much did the portrait of Michael Jackson sell for?"),  # not Dancy-Power Automotive, named in the answer
    ("What did they discuss?", [("Where did the ministers meet?", "Ankara — “… ministers met in Ankara …” [1]")],
     "What did the ministers discuss?"),  # several: not Ankara
    ("Where will it be built?", [("How much will the project cost?", "$26.7 billion — “… the Saudi town of "
                                  "Jeddah …” [1]")], "Where will the project be built?"),
    ("Who is its CEO?", [("What is Adidas's main priority?", "“…, he told CNN.” [1]")],
     "Who is Adidas's CEO?"),  # the tagger calls Adidas a person; no one is "it" (and not CNN, of the answer)
])
def test_it_or_they_is_the_thing_the_last_question_named_with_the(question, history, expected):
    assert standalone(question, history) == expected


def test_earlier_questions_are_read_as_they_were_rewritten_in_their_turn():
    history = [("Who is Janet Yellen?", "Treasury Secretary Janet Yellen [1]"),
               ("When did she visit China?", "“This was Blinken’s second visit …; Janet Yellen spent five days in the "
                                             "country in early April.” [1]")]
    # the last answer names Blinken first, but the last question's "she" was Janet Yellen
    assert standalone("What did she discuss?", history) == "What did Janet Yellen discuss?"


def test_an_owner_is_taken_without_its_possessive():
    history = [("Who was Larry King's first major guest?", "Bobby Darin [1]")]
    assert standalone("When did he leave Brooklyn?", history) == "When did Larry King leave Brooklyn?"


def test_a_question_that_stands_alone_is_left_as_it_is():
    assert standalone("Who is Chen Jining?", [("Who did Blinken meet?", "Chen Jining [1]")]) == "Who is Chen Jining?"
    assert standalone("What did he say?", []) == "What did he say?"


@pytest.mark.parametrize("question,history,expected", [
    ("How long did the meeting last?", [("Where did Xi Jinping meet Blinken?", "Beijing [1]")],
     "How long did the meeting of Xi Jinping and Blinken last?"),  # a name the tagger misses is still a name
    ("What was the meeting about?", [("Who did Blinken meet in Shanghai?", "I found no answer.")],
     "What was the meeting of Blinken in Shanghai about?"),  # a place something happened in stays a place
    ("How many people died in the attack?", [("When did the attack in Mumbai happen?", "November 26 [1]")],
     "How many people died in the attack in Mumbai?"),
    ("What did Xi say in the meeting?", [("Where did Xi Jinping meet Blinken?", "Beijing [1]")],
     "What did Xi say in the meeting of Blinken?"),  # the names it gives itself are not given twice
])
def test_a_definite_noun_the_last_question_spoke_of_takes_its_names(question, history, expected):
    assert standalone(question, history) == expected


@pytest.mark.parametrize("question,history,expected", [
    ("Who has been charged in the attack?", [("How badly was Michael Brewer burned?", "over 65 percent [1]"),
                                             ("How old is he?", "15-year-old [1]")],
     "Who has been charged in the attack of Michael Brewer?"),  # the latest question naming someone, rewritten
    ("Who hosts the show?", [("How old is Joan Rivers?", "75-year-old [1]"), ("Who raised more money?", "Duke [1]")],
     "Who hosts the show of Joan Rivers?"),
])
def test_a_definite_noun_in_a_question_naming_no_one_takes_the_conversations_names(question, history, expected):
    assert standalone(question, history) == expected


@pytest.mark.parametrize("question,history", [
    ("Who attended the meeting in Paris?", [("Where did Xi Jinping meet Blinken?", "Beijing [1]")]),  # its own place
    ("What did Biden say about the meeting?", [("Where did Xi Jinping meet Blinken?", "Beijing [1]")]),  # its own person
    ("Who won the election?", [("When was the 2020 election held?", "November 3 [1]")]),  # nothing was named
])
def test_a_definite_noun_that_names_its_own_or_was_not_spoken_of_stands_alone(question, history):
    assert standalone(question, history) == question
