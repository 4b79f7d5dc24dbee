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


def other_words(question: str, words: str, texts: list[str]) -> list[str]:
    """The other values found for words checked on the first of texts (every passage read)."""
    passages, articles = setup(texts)
    checked = check([Claim(words, 1)], question, passages, articles)[0]
    return [o.words for o in other_values(checked, question, passages, articles, min_score=0)]


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
    assert other_words("Where was Super Bowl 2021 played?", "Tampa, Florida",
                       [TRUE, TRUE.replace("The game", "The final game"), OTHER]) == []


MEETING_QUESTION = "How long did Blinken's meeting with Wang Yi last?"
FOUR_HOURS = "Blinken and Wang Yi held a four-hour meeting in Beijing on Friday, officials said."
FIVE_AND_A_HALF_HOURS = "Blinken met Wang Yi in Beijing on Friday for a meeting that lasted 5 1/2 hours, officials said."


def test_a_copy_with_another_value_counts_however_it_ranks_but_a_weak_report_does_not():
    question = "Where was Super Bowl 2021 played?"
    passages, articles = setup([TRUE, FALSE, OTHER])
    passages[1].score = 1.0  # a copy of the answer's statement: read whatever its rank
    checked = check([Claim("Tampa, Florida", 1)], question, passages, articles)[0]
    assert [o.words for o in other_values(checked, question, passages, articles, min_score=5.0)] == ["Glendale, Arizona"]
    question = MEETING_QUESTION
    passages, articles = setup([FOUR_HOURS, FIVE_AND_A_HALF_HOURS, OTHER])
    passages[1].score = 1.0  # an independent report of the same meeting, but a weak match
    checked = check([Claim("four-hour", 1)], question, passages, articles)[0]
    assert other_values(checked, question, passages, articles, min_score=5.0) == []


def test_another_person_in_a_related_sentence_is_not_taken_for_a_disagreement():
    question = "Who won the women's singles at Wimbledon in 2019?"
    a = "Simona Halep won the women's singles title at Wimbledon in 2019, beating Serena Williams in the final."
    b = "In 2019 the Wimbledon women's singles draw included Angelique Kerber, the champion of the year before."
    assert other_words(question, "Simona Halep", [a, b, OTHER]) == []


def test_amounts_from_independent_reports_of_the_same_meeting_disagree():
    assert other_words(MEETING_QUESTION, "four-hour", [FOUR_HOURS, FIVE_AND_A_HALF_HOURS, OTHER]) == ["5 1/2 hours"]


def test_an_amount_in_words_beside_other_amounts_is_read_by_what_it_counts():
    question = "How many hours of meetings did Blinken have with Wang Yi?"
    answer = "Blinken met Xi in Beijing after three days of talks, including a 5 1/2-hour meeting with Wang Yi."
    other = ("Blinken on Friday morning began more than six hours of scheduled meetings with Wang Yi, giving the two "
             "sides ample time to air their differences.")
    # "Friday morning" and "the two sides" are amounts too, but not of hours
    assert other_words(question, "5 1/2-hour", [answer, other, OTHER]) == ["more than six hours"]
    busy = other.replace("giving the two sides", "giving the two sides 12 topics and")
    assert other_words(question, "5 1/2-hour", [answer, busy, OTHER]) == ["more than six hours"]


def test_a_bare_number_against_a_report_with_two_numbers_is_not_read_as_a_disagreement():
    a = "Police said 3,000 people attended the rally in the square on Sunday."
    b = "Organizers of the rally in the square said 5,000 people came and 40 buses brought them on Sunday."
    assert other_words("How many people attended the rally?", "3,000", [a, b, OTHER]) == []


def test_spellings_of_one_name_are_the_same_value():
    from qa.answer.conflicts import same_value

    assert same_value("Christophe Gans", "Cristophe Gans") and same_value("2012", "May 15, 2012")
    assert not same_value("Tampa, Florida", "Glendale, Arizona") and not same_value("2017", "2015")
    assert not same_value("May 5, 2020", "5 January 2020")  # the same numbers, another month
    assert same_value("September 20th", "September 20, 2019")


def test_a_date_written_another_way_in_a_copy_is_read_whole():
    answer = "The 77th Golden Globe Awards will take place on 5 January 2020 at The Beverly Hilton Hotel."
    copy = "The 77th Golden Globe Awards will take place on May 5, 2020 at The Beverly Hilton Hotel."
    assert aligned_value("5 January 2020", answer, copy) == "May 5, 2020"
    question = "When did the Golden Globe Awards 2020 take place?"
    assert other_words(question, "5 January 2020", [answer, copy, OTHER]) == ["May 5, 2020"]


def test_a_copy_that_differs_in_part_of_a_date_gives_the_whole_date():
    answer = "It was published in Japan by Nintendo on April 29, 2015."
    copy = "It was published in Japan by Nintendo on April 9, 2005."
    assert aligned_value("2015", answer, copy) == "April 9, 2005"  # not "9, 2005": only the day and year differ
    assert aligned_value("2015", "In 2015 when the game first came out, I was a student.",
                         "On April 9, 2005 when the game first came out, I was a student.") == "April 9, 2005"
    assert aligned_value("Joe Biden", "Joe Biden won the 2020 election.", "Donald Trump won the 2020 election.") \
        == "Donald Trump"


def test_a_copy_of_a_source_that_agrees_in_other_words_is_read_against_it():
    # The answer's sentence is no copy of the two reports; the first states its value more precisely, and the
    # second is a copy of the first with another date.
    question = "When was the iPhone 11 released?"
    answer = "At its fall 2019 event, Apple announced that the iPhone 11 was released on September 20th."
    agrees = "The iPhone 11, released on September 20, 2019, is now considered older in the smartphone market."
    differs = "The iPhone 11, released on September 21, 2021, is now considered older in the smartphone market."
    passages, articles = setup([answer, agrees, differs])
    checked = check([Claim("September 20th", 1)], question, passages, articles)[0]
    assert [(o.words, o.passage) for o in other_values(checked, question, passages, articles, min_score=99)] == [
        ("September 21, 2021", 3)]
    passages, articles = setup([answer, agrees, agrees.replace("older", "dated")])
    assert other_values(checked, question, passages, articles, min_score=99) == []


def test_outlets_are_hosts_or_named_sources_never_file_paths():
    assert outlet_of("https://www.cnn.com/2024/04/26/x.html") == "cnn.com"
    assert outlet_of("cgtn.com") == "cgtn.com"
    assert outlet_of("001_ce62307185d3a8e6.txt") is None and outlet_of("wire/archive.jsonl:3") is None


def test_a_date_answer_is_made_as_precise_as_another_source_about_the_same_fact_gives_it():
    from qa.answer.conflicts import most_precise

    question = "When was OpenAI founded?"
    vague = "OpenAI was founded in 2015 by a group of researchers and investors."
    full = "OpenAI Inc was founded in December 2015 by Elon Musk, Sam Altman and others as a non-profit."
    unrelated = "OpenAI released ChatGPT to the public on November 30, 2022."
    passages, articles = setup([vague, unrelated, full])
    checked = check([Claim("2015", 1)], question, passages, articles)[0]
    sharper = most_precise(checked, question, passages, articles, min_score=0)
    assert (sharper.words, sharper.passage, sharper.sentence) == ("December 2015", 3, full)
    # another year, or a date of something else, is no sharper version of this one
    passages, articles = setup([vague, unrelated, full.replace("December 2015", "December 2016")])
    checked = check([Claim("2015", 1)], question, passages, articles)[0]
    assert most_precise(checked, question, passages, articles, min_score=0) == checked
    # a weak passage is not read
    passages, articles = setup([vague, unrelated, full])
    passages[2].score = 1.0
    assert most_precise(checked, question, passages, articles, min_score=5.0) == checked


def test_a_date_is_made_precise_by_a_sentence_that_says_it_of_the_one_before():
    from qa.answer.conflicts import most_precise

    question = "When was Splatoon 2 released?"
    vague = "Splatoon 2 release date slated for July."
    intro = "Splatoon 2 is a third-person shooter game published by Nintendo."
    later = "It was released on July 21, 2017, to strong reviews."
    passages, articles = setup([vague, intro + " " + later])
    start = len(intro) + 1  # the passage's key sentence is the one that says "it"
    passages[1].focus_start, passages[1].start = start, start
    checked = check([Claim("July", 1)], question, passages, articles)[0]
    sharper = most_precise(checked, question, passages, articles, min_score=0)
    assert (sharper.words, sharper.passage, sharper.sentence) == ("July 21, 2017", 2, intro + " " + later)
    assert sharper.window_start == 0  # the cited excerpt starts where Splatoon 2 is named
    # "Its sequel" is not "it": the sentence says nothing of the one before's game
    sequel = "Its sequel was released on July 21, 2022."
    passages, articles = setup([vague, intro + " " + sequel])
    passages[1].focus_start, passages[1].start = start, start
    checked = check([Claim("July", 1)], question, passages, articles)[0]
    assert most_precise(checked, question, passages, articles, min_score=0) == checked


def test_a_date_written_with_of_is_the_same_date_and_a_copy_with_another_year_disagrees():
    question = "When was GPT-3 released?"
    answer = "When OpenAI first debuted its GPT-3 language model in June of 2020, it debuted in a limited beta."
    true = "OpenAI released GPT-3 in June 2020, but decided to set up a private API to filter who could use it."
    false = true.replace("June 2020", "June 2010")
    passages, articles = setup([answer, false, true])
    checked = check([Claim("June of 2020", 1)], question, passages, articles)[0]
    assert [(o.words, o.passage) for o in other_values(checked, question, passages, articles, min_score=0)] == \
        [("June 2010", 2)]


RELEASED = "Nintendo has revealed that Skyward Racer will release on April 4, 2018, alongside the new handheld."
RELEASED_LATER = RELEASED.replace("April 4, 2018", "April 14, 2019")


def test_copies_that_differ_in_one_place_give_where():
    from qa.answer.conflicts import differing_span

    (a, b), (c, d) = differing_span(RELEASED, RELEASED_LATER)
    assert (RELEASED[a:b], RELEASED_LATER[c:d]) == ("4, 2018", "14, 2019")  # the day and year; "April" agrees
    winners = "Winners ; 2021, Quentin Marlow (France), Oskar Lind (Sweden) ; 2020, Tomas Berg (Norway)"
    (a, b), (c, d) = differing_span(winners, winners.replace("Quentin Marlow (France)", "Pieter Vos (Belgium)"))
    assert winners[a:b] == "Quentin Marlow (France)"
    assert differing_span(RELEASED, RELEASED_LATER.replace("Nintendo", "Sega")) is None  # two places differ
    assert differing_span(RELEASED, OTHER) is None  # not the same statement
    assert differing_span(RELEASED, RELEASED) is None


def test_a_pick_no_check_confirms_is_told_as_a_disagreement_when_a_copy_gives_another_value():
    from qa.answer.conflicts import disputed

    question = "When did Skyward Racer come out?"
    passages, articles = setup([RELEASED, RELEASED_LATER, OTHER])
    held = disputed(question, 1, passages, articles)
    assert (held.words, held.passage, held.unconfirmed) == ("April 4, 2018", 1, True)
    assert [(o.words, o.passage) for o in other_values(held, question, passages, articles, min_score=0)] == \
        [("April 14, 2019", 2)]
    assert disputed(question, 3, passages, articles) is None  # the other sentence has no copy
    # A copy in the same article is no second source; a value of another kind than asked is no answer
    passages, articles = setup([RELEASED, RELEASED_LATER, OTHER])
    passages[1].doc_id = "d0"
    articles["d0"] = Article("d0", "", RELEASED + " " + RELEASED_LATER, "https://daily-ledger.example/a")
    passages[1].focus_start = passages[1].start = len(RELEASED) + 1
    passages[1].focus_end = passages[1].end = len(articles["d0"].text)
    assert disputed(question, 1, passages, articles) is None
    sold = "The studio said it sold 40,000 copies of Skyward Racer in its first week."
    passages, articles = setup([sold, sold.replace("40,000", "45,000"), OTHER])
    assert disputed("Who made Skyward Racer?", 1, passages, articles) is None
    assert disputed("How many copies of Skyward Racer were sold?", 1, passages, articles).words == "40,000"
    # Copies about another year than the one asked disagree about something else
    assert disputed("When did Skyward Racer come out in 2016?", 1, *setup([RELEASED, RELEASED_LATER, OTHER])) is None


def test_a_value_keeps_the_bracket_it_opens():
    from qa.answer.conflicts import value_text

    assert value_text("Pieter Vos (Belgium),") == "Pieter Vos (Belgium)"
    assert value_text("(Belgium)") == "Belgium" and value_text("U.S.") == "U.S."


def test_a_disputed_value_must_be_what_the_question_asks_about_not_another_beside_it():
    from qa.answer.conflicts import disputed

    crash = "The crash near the airport killed 16 people and injured 5 others, the police said on Monday."
    injured = setup([crash, crash.replace("injured 5", "injured 7"), OTHER])
    killed = setup([crash, crash.replace("16 people", "18 people"), OTHER])
    for question in ("How many people died in the crash near the airport?",  # counts people, not "others"
                     "How many were killed in the crash near the airport?"):  # "5" is said of "injured"
        assert disputed(question, 1, *injured) is None
        assert disputed(question, 1, *killed).words == "16"
    assert disputed("How many were injured in the crash near the airport?", 1, *injured).words == "5"
    assert disputed("How many were injured in the crash near the airport?", 1, *killed) is None


def test_a_question_that_names_nothing_finds_no_disagreement_in_a_report_of_another_event():
    cairo = ("Six people were killed and at least 300 were injured when activists clashed Friday with security forces "
             "in central Cairo, a government official said.")
    ferry = "A ferry capsized late Friday night in Bangladesh, and about 50 more people were injured, police said."
    assert other_words("How many were injured?", "at least 300", [cairo, ferry, OTHER]) == []
    # a report that names the same place is of the same event
    hospital = "Doctors in Cairo said about 500 people were injured in Friday's clashes with security forces."
    assert other_words("How many were injured?", "at least 300", [cairo, hospital, OTHER]) == ["about 500"]
