"""The claim checker on constructed cases: what a draft says must be what its passage says."""

import pytest

from qa.answer.claims import (Claim, another_owner, check, decided_polarity, first_problems, names_a_doer, parse_draft,
                              problems, statement)
from qa.records import Article, Passage
from qa.text.nlp import entities


def article(text: str, doc: str = "d.txt", title: str = "Talks in Beijing", date: str | None = None) -> Article:
    return Article(doc_id=doc, title=title, text=text, source="example.com", date=date)


def passage_of(art: Article, sentence: str, n: int = 1) -> Passage:
    start = art.text.index(sentence)
    return Passage(rank=n, score=5.0, text=sentence, doc_id=art.doc_id, title=art.title, source=art.source,
                   date=art.date, start=start, end=start + len(sentence), chunk_id=n,
                   focus_start=start, focus_end=start + len(sentence))


WANG = article("Welcoming Blinken to the Diaoyutai State Guesthouse in Beijing, Wang Yi offered a cautious assessment. "
               "“Overall the relationship is beginning to stabilize,” he told Blinken.", "wang.txt")
XI = article("The meeting took place at the Great Hall of the People, where Xi Jinping received Blinken.", "xi.txt")


def test_a_reply_is_parsed_into_words_and_the_passage_number():
    assert parse_draft("Olaf Scholz [2]", "Who visited?") == [Claim("Olaf Scholz", 2)]
    assert parse_draft("No, partners rather than rivals [1]", "Did Xi say they are rivals?") == [
        Claim("partners rather than rivals", 1, "No")]
    assert parse_draft("none", "Who?") == [] and parse_draft("I don't know.", "Who?") == []
    assert parse_draft("[2] Olaf Scholz", "Who visited?") == [Claim("Olaf Scholz", 2)]  # the number first
    assert parse_draft("[1] No, partners rather than rivals", "Did Xi say they are rivals?") == [
        Claim("partners rather than rivals", 1, "No")]
    assert parse_draft("[0] none", "Who?") == [] and parse_draft("[3]", "Who?") == []
    assert parse_draft("[1] [Nadal]", "Who?") == [Claim("Nadal", 1)]  # words bracketed like their number
    assert parse_draft("[3] [none]", "Who?") == []


def test_words_from_another_speaker_are_not_an_answer_about_this_one():
    sentence = "“Overall the relationship is beginning to stabilize,” he told Blinken."
    found = problems(Claim("beginning to stabilize", 1), "How did Blinken describe the relationship?",
                     passage_of(WANG, sentence), WANG)
    assert found == ["said by Wang Yi, not Blinken"]
    assert problems(Claim("beginning to stabilize", 1), "How did Wang Yi describe the relationship?",
                    passage_of(WANG, sentence), WANG) == []


def test_what_x_said_is_not_answered_by_a_sentence_that_does_not_mention_x():
    art = article("Blinken arrived in Beijing on Wednesday. Talks covered trade. While China sees the fentanyl crisis as "
                  "an American issue, it can help by curbing precursor chemicals.", title="Blinken in Beijing")
    sentence = art.text[art.text.index("While"):]
    claim = Claim("curbing precursor chemicals", 1)
    assert problems(claim, "What did Blinken say about fentanyl?", passage_of(art, sentence), art) == [
        "the sentence does not mention Blinken"]
    named = article("Blinken raised the fentanyl crisis, urging curbs on precursor chemicals.")
    assert problems(Claim("urging curbs on precursor chemicals", 1), "What did Blinken say about fentanyl?",
                    passage_of(named, named.text), named) == []  # no reporting verb needed, only Blinken


def test_a_place_from_a_passage_about_someone_else_is_not_moved_there():
    wang = passage_of(WANG, WANG.text.split(". ")[0] + ".", 1)
    xi = passage_of(XI, XI.text, 2)
    question = "Where did Wang Yi welcome Blinken?"
    drafted = parse_draft("the Great Hall of the People [1]", question)
    assert check(drafted, question, [wang, xi], {"wang.txt": WANG, "xi.txt": XI}) == []
    right = check(parse_draft("the Diaoyutai State Guesthouse [2]", question), question, [wang, xi],
                  {"wang.txt": WANG, "xi.txt": XI})
    assert [(c.words, c.passage) for c in right] == [("the Diaoyutai State Guesthouse", 1)]  # moved to [1]


@pytest.mark.parametrize("draft,problem", [
    ("Passage [1]", "names no fact, only a passage"),
    ("[1]", "names no fact, only a passage"),
    ("Yes [1]", "a bare yes or no"),
    ("The meeting lasted 9 hours [1]", "not in the cited passage"),
    ("Blinken and Wang Yi [1]", "repeats the question"),
])
def test_degenerate_or_unsupported_drafts_fail(draft, problem):
    art = article("Blinken and Wang Yi met for four hours on Friday.")
    question = "Did Blinken and Wang Yi meet?" if draft.startswith("Yes") else "How long did Blinken and Wang Yi meet?"
    if draft.startswith("Blinken"):
        question = "Blinken and Wang Yi met for how long?"
    claim = parse_draft(draft, question)[0] if parse_draft(draft, question) else Claim("", 1)
    assert problem in problems(claim, question, passage_of(art, art.text), art)


def test_a_year_the_question_asks_about_must_be_in_the_passage():
    art = article("Angelique Kerber won the women's singles title at Wimbledon.", title="Wimbledon 2018")
    claim = Claim("Angelique Kerber", 1)
    assert problems(claim, "Who won Wimbledon in 2019?", passage_of(art, art.text), art) == [
        "the passage is not about 2019"]
    assert problems(claim, "Who won Wimbledon in 2018?", passage_of(art, art.text), art) == []


def test_a_pronoun_takes_its_referent_from_the_sentence_before():
    art = article("Xi Jinping met Blinken on Friday. He said the two countries should be partners.")
    sentence = "He said the two countries should be partners."
    assert problems(Claim("should be partners", 1), "What did Xi Jinping say about the two countries?",
                    passage_of(art, sentence), art) == []
    assert problems(Claim("should be partners", 1), "What did Blinken say about the two countries?",
                    passage_of(art, sentence), art) == ["said by Xi Jinping, not Blinken"]


def test_words_that_run_on_into_the_next_sentence_are_checked_there_and_quoted_whole():
    text = ("Welcoming Blinken to the guesthouse in Beijing, Wang Yi offered a cautious assessment of the talks. "
            "“Overall the China-U.S. relationship is beginning to stabilize,” he told Blinken.")
    art = article(text)
    passage = passage_of(art, text)
    run_on = Claim("Welcoming Blinken to the guesthouse in Beijing, Wang Yi offered a cautious assessment of the talks. "
                   "“Overall the China", 1)
    assert problems(run_on, "What did Blinken call the relationship?", passage, art) == [
        "said by Wang Yi, not Blinken"]
    [checked] = check([run_on], "What did Wang Yi call the relationship?", [passage], {art.doc_id: art})
    assert checked.sentence == text  # both sentences, not one cut where the reply stopped


def test_he_after_a_quote_is_the_one_quoted_not_a_country_in_the_quote():
    art = article("“We will be clear about where the United States stands,” Blinken said at the start of the meetings. "
                  "He called the exchanges “the most consequential relationship in the world.”")
    sentence = "He called the exchanges “the most consequential relationship in the world.”"
    claim = Claim("the most consequential relationship in the world", 1)
    assert problems(claim, "How did Blinken describe the relationship?", passage_of(art, sentence), art) == []
    assert "said by Blinken, not Wang Yi" in problems(claim, "How did Wang Yi describe the relationship?",
                                                     passage_of(art, sentence), art)


def test_a_name_in_the_possessive_is_the_name():
    art = article("Blinken’s flight landed on Wednesday. That came after a phone call between Biden and Xi on April 2.")
    sentence = "That came after a phone call between Biden and Xi on April 2."
    question = "When did Biden and Xi speak by phone before Blinken's trip?"
    assert problems(Claim("April 2", 1), question, passage_of(art, sentence), art) == []


@pytest.mark.parametrize("sentence,holds", [
    ("Simona Halep won the women's singles title at Wimbledon in 2019.", True),
    ("Simona Halep, the 2019 Wimbledon winner, returned to Paris.", True),
    ("Wimbledon 2019, women's singles: Serena Williams and Simona Halep in the final.", False),  # a name, no winning
])
def test_who_did_it_is_answered_only_by_a_sentence_that_says_it_was_done(sentence, holds):
    art = article(sentence, title="Tennis")
    found = problems(Claim("Simona Halep", 1), "Who won the women's singles at Wimbledon in 2019?",
                     passage_of(art, sentence), art)
    assert (found == []) == holds
    assert not holds or problems(Claim("Simona Halep", 1), "Which player reached the final at Wimbledon in 2019?",
                                 passage_of(art, sentence), art) == []  # no "Who <did>": nothing asked of the verb


def test_a_reply_that_repeats_a_place_from_the_question_is_no_answer_and_points_at_no_sentence():
    art = article("In Beijing, Blinken warned China about Chinese spying from a base in Cuba.")
    question = "Which country did Blinken mention in connection with Chinese spying?"
    assert problems(Claim("China", 1), question, passage_of(art, art.text), art) == ["repeats the question"]
    assert check([Claim("China", 1)], question, [passage_of(art, art.text)], {"d.txt": art}) == []
    assert [c.words for c in check([Claim("Cuba", 1)], question, [passage_of(art, art.text)], {"d.txt": art})] == ["Cuba"]


def test_a_name_that_shares_a_word_with_the_prize_asked_about_is_no_answer():
    art = article("2019 CFDA Awards winners: Brandon Maxwell, Rick Owens take top honors.", title="Fashion awards")
    question = "Who is the Maxwell Award winner in 2019?"
    assert problems(Claim("Brandon Maxwell", 1), question, passage_of(art, art.text), art) == ["repeats the question"]
    assert problems(Claim("Rick Owens", 1), question, passage_of(art, art.text), art) == []


def test_a_question_that_offers_choices_is_answered_by_a_sentence_that_names_one():
    from qa.answer.claims import alternatives

    question = "According to Wang Yi, were the US measures aimed at fair competition or at containment?"
    assert alternatives(question) == {"at fair competition": ["fair", "competit"], "at containment": ["contain"]}
    assert alternatives("Is the relationship stabilizing or deteriorating?") == {
        "stabilizing": ["stabil"], "deteriorating": ["deterior"]}
    assert alternatives("Who won the final?") == {}
    art = article("Wang Yi said the negative factors in the relationship are escalating. Wang said the US measures "
                  "were aimed at containment rather than fair competition.")
    off, on = art.text.split(". ")[0] + ".", art.text.split(". ")[1]
    assert problems(Claim("the negative factors", 1), question, passage_of(art, off), art) == [
        "the sentence names none of the question's alternatives (at fair competition / at containment)"]
    assert problems(Claim("containment", 1), question, passage_of(art, on), art) == []


@pytest.mark.parametrize("sentence", ["In 2014 the Germans won the World Cup final, defeating Argentina.",
                                      "The 2014 World Cup final was won by Germany, who beat Argentina.",
                                      "Germany won the 2014 World Cup final, while Argentina won the hearts of fans."])
def test_who_did_it_is_the_one_the_sentence_says_did_it(sentence):
    art = article(sentence, title="World Cup")
    question = "Who won the World Cup final in 2014?"
    if "hearts" not in sentence:  # Argentina won something else there: the words may stand, the sentence decides
        assert problems(Claim("Argentina", 1), question, passage_of(art, sentence), art)[0].endswith(
            "did it, not Argentina")
    winner = "the Germans" if "Germans" in sentence else "Germany"
    assert problems(Claim(winner, 1), question, passage_of(art, sentence), art) == []


def test_who_did_it_is_not_answered_by_only_the_one_the_question_names():
    art = article("President Dalton promised federal help. Watch Dalton tour the damage » The president said that "
                  "after touring the area and visiting Millbrook with Governor Arnold Reyes.", title="Fires")
    question = "Who toured Millbrook with Dalton?"
    watch = passage_of(art, "Watch Dalton tour the damage »")
    assert problems(Claim("Dalton tour the damage", 1), question, watch, art) == [
        "repeats the question"]
    touring = passage_of(art, "The president said that after touring the area and visiting Millbrook with Governor "
                              "Arnold Reyes.")
    assert problems(Claim("visiting Millbrook with Governor Arnold Reyes", 1), question, touring, art) == []
    # A doer that only shares a name with the question's is someone else: "Lavau's family", "Sean Lavau".
    family = article("Lavau's family began searching for him when he failed to return home.", title="Lavau found")
    assert problems(Claim("Lavau's family", 1), "Who began searching for Lavau?",
                    passage_of(family, family.text), family) == []
    son = article("Sean Lavau hiked to the bottom of the canyon to find his father, the report said.", title="Lavau found")
    assert names_a_doer("Who found David Lavau?", son, 0, len(son.text))
    assert not names_a_doer(question, art, art.text.index("Watch"), art.text.index(" The president"))


def test_who_did_it_is_not_whom_it_was_done_to_nor_passed_over_for_sharing_a_family_name():
    art = article("Peter K. Morrow, 71, of Pine Hollow, Oregon, was found in a ravine a week after his car left the road. "
                  "Tom Morrow hiked to the bottom of the canyon to find his father.", title="Driver found")
    found = passage_of(art, "Peter K. Morrow, 71, of Pine Hollow, Oregon, was found in a ravine a week after his car left "
                            "the road.")
    question = "Who found Peter Morrow?"
    # The words name a place too, so not only whom the question names; but he is whom it was done to.
    assert problems(Claim("Peter K. Morrow, 71, of Pine Hollow, Oregon, was found in a ravine", 1), question, found,
                    art) == ["the sentence says it was done to Peter K. Morrow, not who did it"]
    assert problems(Claim("Peter K. Morrow", 1), "Who was found in a ravine?", found, art) == []  # whom it was done to
    son = passage_of(art, "Tom Morrow hiked to the bottom of the canyon to find his father.")
    assert problems(Claim("Tom Morrow", 1), question, son, art) == []  # not a repeat of "Peter Morrow"
    assert problems(Claim("Peter Morrow", 1), question, son, art) == ["repeats the question"]


def test_who_it_was_done_to_is_answered_by_whom_the_sentence_does_it_to_not_by_who_does_it():
    art = article("Police in India have charged 63 people with murder in the beating death of a company boss.",
                  title="Charges")
    question = "Who has been charged in the beating death?"
    assert problems(Claim("Police", 1), question, passage_of(art, art.text), art) == [
        "it was done to 63 people, not Police"]
    assert problems(Claim("63 people", 1), question, passage_of(art, art.text), art) == []
    named = article("Authorities identified the driver as Austin Wuennenberg, a senior at Stetson University.")
    assert problems(Claim("the driver", 1), "Who was identified as Austin Wuennenberg?",
                    passage_of(named, named.text), named) == []
    # Whom a prize was awarded to, not the prize the question names.
    prize = article("The Nobel Prize in Literature for 2021 is awarded to the novelist Abdulrazak Gurnah.", title="Nobel")
    assert problems(Claim("Abdulrazak Gurnah", 1), "Who was awarded the 2021 Nobel Prize in Literature?",
                    passage_of(prize, prize.text), prize) == []
    # "Who charged …?" still asks who did it.
    assert problems(Claim("Police", 1), "Who charged 63 people?", passage_of(art, art.text), art) == []


def test_who_is_not_answered_by_the_person_the_question_names_however_titled():
    art = article("U.S. Secretary of State Antony Blinken met with Chinese President Xi Jinping in Beijing on Friday.")
    question = "Who did Blinken meet in Beijing on Friday?"
    assert problems(Claim("Secretary of State Antony Blinken", 1), question, passage_of(art, art.text), art) == [
        "repeats the question"]
    assert problems(Claim("Chinese President Xi Jinping", 1), question, passage_of(art, art.text), art) == []
    # To "Who is X?" a title is the answer; "Lavau's family" names the family.
    assert problems(Claim("Secretary of State Antony Blinken", 1), "Who is Antony Blinken?",
                    passage_of(art, art.text), art) == []
    family = article("Lavau's family began searching for him when he failed to return home.", title="Lavau found")
    assert problems(Claim("Lavau's family", 1), "Who searched for Lavau when he went missing?",
                    passage_of(family, family.text), family) == []


def test_a_yes_no_answer_carries_the_deciding_fact_and_a_denial_is_a_no():
    art = article("“China and the United States should be partners rather than rivals,” Xi told Blinken.")
    question = "Did Xi Jinping say the US and China should be rivals?"
    checked = check(parse_draft("Yes, partners rather than rivals [1]", question), question,
                    [passage_of(art, art.text)], {"d.txt": art})
    assert checked[0].polarity == "No"
    text = statement(checked[0], 1)
    assert text.startswith("No: “") and "partners rather than rivals" in text and text.endswith("[1]")


def test_a_yes_stands_only_on_a_sentence_that_states_what_was_asked():
    art = article("Soon after Blinken arrived in Beijing, Russian President Vladimir Putin announced that he will "
                  "visit China in May. Blinken met Chinese President Xi Jinping on Friday.")
    passages = [passage_of(art, s, n) for n, s in enumerate(art.text.split(". "), 1)]
    question = "Did Blinken meet Putin?"
    # The reply draws on the sentence naming both men, which does not say they met: quoted without a Yes.
    checked = check(parse_draft("[1] Yes, Blinken met Putin", question), question, passages, {"d.txt": art})
    assert [(c.polarity, c.passage) for c in checked] == [(None, 1)]
    assert not statement(checked[0], 1).startswith("Yes")
    # Where the sentence states it, in another form of the verb, the reader's Yes stands.
    question = "Did Blinken meet Xi Jinping?"
    checked = check(parse_draft("[2] Yes, Blinken met Chinese President Xi Jinping", question), question, passages,
                    {"d.txt": art})
    assert statement(checked[0], 2).startswith("Yes: “Blinken met Chinese President Xi Jinping")


@pytest.mark.parametrize("question, sentence, reader, decided", [
    ("Did Blinken meet Xi?", "Blinken met Xi Jinping in Beijing.", "Yes", "Yes"),
    ("Did Blinken meet Xi?", "Blinken met Xi Jinping in Beijing.", "No", None),  # a No nothing in it denies
    ("Did Blinken meet Xi?", "Blinken did not say whether he met Xi.", "Yes", None),  # negated
    ("Did Blinken meet Xi?", "Blinken may meet Xi on Friday.", "Yes", None),  # hedged
    ("Will Blinken meet Xi?", "Blinken will meet Xi on Friday.", "Yes", "Yes"),
    ("Did the rapper win any awards?", "Harris, the top nominee, was up for nine awards.", "Yes", None),
    ("Did Xi say they should be rivals?", "“We should be partners rather than rivals,” Xi said.", "Yes", "No"),
    ("Did Xi say they should be partners or rivals?", "“We should be partners rather than rivals,” Xi said.", "No",
     None),  # "A or B?" is not answered by a yes or a no
    # a verb that denies what it governs, or a "not" more than two words before the asked word
    ("Did the talks produce breakthroughs?", "The talks failed to produce any major breakthroughs.", None, "No"),
    ("Did the talks produce breakthroughs?", "The talks failed to produce any major breakthroughs.", "Yes", "No"),
    ("Did the talks produce breakthroughs?", "The talks did not produce any major breakthroughs.", None, "No"),
    ("Did China resume the military talks?", "China refused to resume the military talks.", "Yes", "No"),
    # the question's own verb not done, by whom it names or by no one; not by someone else
    ("Did Blinken meet Putin?", "Blinken did not meet Putin during the trip.", None, "No"),
    ("Did Blinken meet Putin?", "Xi did not meet Putin during the trip.", None, None),
    ("Was anyone killed in the Papua crash?", "No one was killed in that crash in Papua province.", None, "No"),
    ("Were any homes destroyed?", "The storm destroyed no homes, officials said.", None, "No"),
    ("Was anyone killed in the Papua crash?", "Two people were killed in that crash in Papua province.", None, None),
    # a negation in a clause above the asked words is not a denial of them
    ("Did the talks produce breakthroughs?", "He would not say that the talks produced major breakthroughs.", None,
     None),
    ("Did the talks produce breakthroughs?", "Aides who failed to attend said the talks produced breakthroughs.", "Yes",
     None),
])
def test_the_code_decides_the_yes_or_no(question, sentence, reader, decided):
    assert decided_polarity(question, sentence, reader) == decided


def test_a_yes_before_the_words_of_a_reply_to_a_wh_question_is_left_off():
    art = article("German Chancellor Olaf Scholz visited Beijing last week. “Yes, we can,” Obama told the girls.")
    passages = [passage_of(art, "German Chancellor Olaf Scholz visited Beijing last week.", 1),
                passage_of(art, "“Yes, we can,” Obama told the girls.", 2)]
    question = "Which chancellor visited Beijing?"
    checked = check(parse_draft("[1] Yes, Olaf Scholz", question), question, passages, {"d.txt": art})
    assert [(c.words, c.polarity) for c in checked] == [("Olaf Scholz", None)]
    question = "What did Obama tell the girls?"  # words found with their "Yes" keep it
    checked = check(parse_draft("[2] Yes, we can", question), question, passages, {"d.txt": art})
    assert [c.words for c in checked] == ["Yes, we can"]


def test_a_length_of_time_does_not_answer_when():
    art = article("Treasury Secretary Janet Yellen spent five days in the country in early April.")
    sentence = passage_of(art, art.text)
    assert problems(Claim("five days", 1), "When did Yellen visit China?", sentence, art) == [
        "five days is a length of time, not the time the question asks for"]
    assert problems(Claim("early April", 1), "When did Yellen visit China?", sentence, art) == []
    assert problems(Claim("five days", 1), "How long did Yellen stay in China?", sentence, art) == []
    ago = article("Yellen left China five days ago.")
    assert problems(Claim("five days ago", 1), "When did Yellen leave China?", passage_of(ago, ago.text), ago) == []


def test_who_is_not_answered_by_another_of_the_things_the_question_names():
    art = article("Baker Mayfield, winner of the 2017 Johnny Unitas Golden Arm Award, was honoured again.")
    sentence = passage_of(art, art.text)
    question = "Who is the Walter Camp Award winner in 2017?"
    assert problems(Claim("Johnny Unitas Golden Arm Award", 1), question, sentence, art) == [
        "Johnny Unitas Golden Arm Award is another award, not who"]
    assert "another award" not in " ".join(problems(Claim("Baker Mayfield", 1), question, sentence, art))
    # "Who is X?" is answered by X named with a title: the same one, not another of a kind
    art = article("Blinken held a 5 1/2-hour meeting with Chinese Foreign Minister Wang Yi on Friday.")
    assert problems(Claim("Chinese Foreign Minister Wang Yi", 1), "Who is Wang Yi?", passage_of(art, art.text), art) == []


def test_whom_it_was_done_to_is_not_held_to_the_who_did_it_check():
    from qa.answer.claims import asked_action

    assert asked_action("Who won the game?") == "win" and asked_action("Who scored for Schalke?") == "score"
    assert asked_action("Who did Fulham beat 3-2?") is None  # Fulham did the beating: the answer was beaten
    sentence = "Fulham produced a superb performance to eliminate Basel from the Europa League with a 3-2 victory."
    art = article(sentence)
    assert problems(Claim("Basel", 1), "Who did Fulham beat 3-2?", passage_of(art, sentence), art) == []


def test_a_sentence_that_tells_of_someone_else_does_not_answer_what_the_named_people_did():
    text = ("Blinken met Wang Yi in Beijing on Friday. Xi Jinping stressed that the two countries should be partners "
            "during discussions with Blinken. Blinken and Wang Yi discussed Taiwan and trade.")
    art = article(text)
    xi = "Xi Jinping stressed that the two countries should be partners during discussions with Blinken."
    question = "What did Blinken and Wang Yi discuss?"
    assert problems(Claim("the two countries should be partners", 1), question, passage_of(art, xi), art) == [
        "the sentence tells of Xi Jinping, not Wang Yi"]
    both = "Blinken and Wang Yi discussed Taiwan and trade."
    assert problems(Claim("Taiwan and trade", 1), question, passage_of(art, both), art) == []
    # "Who …?" asks for someone the question does not name: the sentence's subject may well be that one
    assert problems(Claim("Xi Jinping", 1), "Who stressed partnership in discussions with Blinken and Wang Yi?",
                    passage_of(art, xi), art) == []


@pytest.mark.parametrize("sentence, reply, shown", [
    ("Norwegian Foreign Minister Ingrid Dahlberg met her Swedish counterpart on Monday.", "Ingrid Dahlberg",
     "Norwegian Foreign Minister Ingrid Dahlberg"),
    ("Ingrid Dahlberg, the Norwegian foreign minister, met her Swedish counterpart on Monday.", "Ingrid Dahlberg",
     "Ingrid Dahlberg, the Norwegian foreign minister"),
    ("Talks began with Norway's top diplomat, Ingrid Dahlberg, giving both sides time.", "Ingrid Dahlberg",
     "Norway's top diplomat, Ingrid Dahlberg"),
    # said in words no passage has: the passage's own words for who she is
    ("Norwegian Foreign Minister Ingrid Dahlberg met her Swedish counterpart on Monday.",
     "Ingrid Dahlberg is the foreign minister of Norway", "Norwegian Foreign Minister Ingrid Dahlberg"),
])
def test_who_is_x_is_answered_by_the_title_the_passage_gives_x(sentence, reply, shown):
    art = article(sentence)
    checked = check([Claim(reply, 1)], "Who is Ingrid Dahlberg?", [passage_of(art, sentence)], {"d.txt": art})
    assert [c.words for c in checked] == [shown]


@pytest.mark.parametrize("question, sentence, words, repeats", [
    ("What does Michelle Obama wear?", "Michelle Obama wears J.Crew.", "Michelle Obama wears J.Crew", False),
    ("Where in Florida did the girl go missing?", "Haleigh went missing from her home in Satsuma, Florida.",
     "Satsuma, Florida", False),
    ("What is the VBS following?", "VBS.TV is Vice's broadband television network.", "VBS.TV", True),  # a longer name
    ("Who is the Maxwell Award winner in 2019?", "2019 CFDA Awards winners: Brandon Maxwell, Rick Owens take top "
     "honors.", "Brandon Maxwell", True),
])
def test_words_that_say_more_than_a_name_the_question_gives_do_not_repeat_it(question, sentence, words, repeats):
    art = article(sentence)
    found = problems(Claim(words, 1), question, passage_of(art, sentence), art)
    assert ("repeats the question" in found) == repeats, found


def test_who_is_x_s_deputy_is_not_answered_by_x_with_a_title():
    sentence = "Norwegian Foreign Minister Ingrid Dahlberg met her Swedish counterpart on Monday."
    art = article(sentence)
    checked = check([Claim("Ingrid Dahlberg", 1)], "Who is Ingrid Dahlberg's deputy?", [passage_of(art, sentence)],
                    {"d.txt": art})
    assert checked == []


def test_who_is_x_is_not_answered_by_x_alone_nor_by_a_longer_name():
    art = article("Ingrid Dahlberg met her Swedish counterpart in Oslo on Monday.")
    sentence = passage_of(art, art.text)
    assert problems(Claim("Ingrid Dahlberg", 1), "Who is Ingrid Dahlberg?", sentence, art) == ["repeats the question"]
    art = article("Omar bin Laden met reporters in Rome on Monday.")
    sentence = passage_of(art, art.text)
    assert problems(Claim("Omar bin Laden", 1), "Who is Bin Laden?", sentence, art) == ["repeats the question"]


def test_a_sentence_that_says_it_or_he_is_cited_from_the_sentence_before():
    from qa.answer.claims import referent_start

    text = "Skyward Racer 3 is a racing game. It was released on March 8, 2019. Reviews were mixed."
    second = text.index("It was")
    assert referent_start(text, second, text.index(" Reviews")) == 0
    third = text.index("Reviews")
    assert referent_start(text, third, len(text)) == third  # its subject is named in it
    assert referent_start(text, 0, second) == 0  # nothing before


def test_a_count_of_the_asked_things_does_not_say_which_they_are():
    art = article("He threatened new sanctions on China, adding to the more than 100 sanctions that already exist.")
    sentence = passage_of(art, art.text)
    assert problems(Claim("more than 100", 1), "What sanctions did the US threaten?", sentence, art) == [
        "more than 100 says how many sanctions, not which"]
    assert problems(Claim("more than 100", 1), "How many sanctions already exist?", sentence, art) == []
    assert problems(Claim("new sanctions on China", 1), "What sanctions did the US threaten?", sentence, art) == []


def test_the_answer_is_the_words_then_the_verbatim_sentence():
    art = article("German Chancellor Olaf Scholz visited Beijing last week. Trade was on the agenda.")
    checked = check([Claim("Olaf Scholz", 1)], "Which chancellor visited Beijing?", [passage_of(art, art.text)],
                    {"d.txt": art})[0]
    assert statement(checked, 1) == "Olaf Scholz — “German Chancellor Olaf Scholz visited Beijing last week.” [1]"
    assert art.text[checked.sentence_start:checked.sentence_end] == checked.sentence


def test_copied_words_too_long_to_read_as_an_answer_are_left_to_the_quote():
    sentence = ("Omar bin Laden said he is talking publicly because he wants an end to the violence his father has "
                "inspired -- violence that has killed innocent civilians in a spate of attacks around the world, "
                "including those of September 11, 2001, in New York, Washington and Pennsylvania, which his father "
                "planned from his base in the mountains of Afghanistan.")
    art = article(sentence)
    cut = sentence[:sentence.index(" that has killed")]  # 21 words, cut off where the reply stopped
    [checked] = check([Claim(cut, 1)], "Who inspired the violence?", [passage_of(art, art.text)], {"d.txt": art})
    assert statement(checked, 1) == f"“{sentence}” [1]"


def test_small_numbers_match_in_digits_or_words():
    art = article("Blinken began more than six hours of meetings with Wang Yi on Friday.")
    checked = check(parse_draft("6 hours", "How long did the meetings last?"), "How long did the meetings last?",
                    [passage_of(art, art.text)], {"d.txt": art})
    assert [c.words for c in checked] == ["more than six hours"]  # found without an [n], widened to the quantity
    assert problems(Claim("16 hours", 1), "How long did the meetings last?", passage_of(art, art.text), art) == [
        "not in the cited passage"]
    circled = article("Step ① of the plan: Blinken meets Wang Yi.")  # a digit int() cannot read
    checked = check(parse_draft("[1] Step ①", "What is the first step?"), "What is the first step?",
                    [passage_of(circled, circled.text)], {"d.txt": circled})
    assert [c.words for c in checked] == ["Step ①"]


def test_a_sentence_about_another_place_does_not_answer_for_the_asked_one():
    beijing = article("Blinken met Chinese President Xi Jinping in Beijing on Friday.", "b.txt", title="Blinken in China")
    shanghai = article("In Shanghai, Blinken met party secretary Chen Jining.", "s.txt", title="Blinken in China")
    question = "Who did Blinken meet in Shanghai?"
    assert problems(Claim("Xi Jinping", 1), question, passage_of(beijing, beijing.text), beijing) == [
        "the passage is about Beijing, not Shanghai"]
    assert problems(Claim("Chen Jining", 1), question, passage_of(shanghai, shanghai.text), shanghai) == []
    # Places the question asks about as a topic, not as where it happened, are not a constraint.
    topic = article("Blinken raised concerns about Chinese support for the Russian defense industry and Taiwan.")
    assert problems(Claim("the Russian defense industry", 1), "What did Blinken press China about regarding Russia?",
                    passage_of(topic, topic.text), topic) == []
    # A sentence that names no other place is not ruled out by this check.
    quiet = article("Blinken met party secretary Chen Jining.", "q.txt", title="Blinken in China")
    assert problems(Claim("Chen Jining", 1), question, passage_of(quiet, quiet.text), quiet) == []


def test_a_name_the_reply_put_for_the_sentences_he_is_checked_as_the_sentence_writes_it():
    art = article("President Bush got a firsthand look at the fires Thursday. He promised federal help for those "
                  "affected by the fires.", title="Fires in California")
    shown = passage_of(art, "He promised federal help for those affected by the fires.")
    question = "What did Bush promise the people affected by the fires?"
    checked = check(parse_draft("[1] Bush promised federal help for those affected by the fires.", question),
                    question, [shown], {"d.txt": art})
    assert [c.words for c in checked] == ["He promised federal help for those affected by the fires"]
    # Not a name the "he" does not refer to, nor a rest the sentence does not say.
    for reply in ("[1] Obama promised federal help for those affected by the fires.",
                  "[1] Bush promised federal money for those affected by the fires."):
        assert [c.words for c in check(parse_draft(reply, question), question, [shown], {"d.txt": art})
                if c.words] == []


def test_a_place_the_tagger_calls_an_organisation_still_rules_out_a_sentence_about_another_place():
    quetta = article("A car bomb outside the home of a former lawmaker killed 10 in Quetta, the capital of Balochistan "
                     "province, police said.", "q.txt", title="Blasts in Pakistan")
    bajaur = article("The bomb in the Bajaur Agency was remotely detonated, Zeb said.", "b.txt", title="Blasts in Pakistan")
    question = "How was the bomb in Bajaur detonated?"
    assert ("Bajaur", "ORG") in entities(question)  # what the check must handle
    assert problems(Claim("A car bomb outside the home of a former lawmaker", 1), question,
                    passage_of(quetta, quetta.text), quetta) == ["the passage is about Quetta, not Bajaur"]
    assert problems(Claim("remotely detonated", 1), question, passage_of(bajaur, bajaur.text), bajaur) == []
    # An organisation the question names as a topic, not as where it happened, is no constraint.
    topic = article("In Quetta, the police said the bomb was remotely detonated.", "t.txt", title="Blasts in Pakistan")
    assert problems(Claim("remotely detonated", 1), "How did the police say the bomb was detonated?",
                    passage_of(topic, topic.text), topic) == []


def test_a_yes_no_reply_that_cannot_be_checked_is_decided_by_a_denial_in_its_passage():
    art = article("Xi expressed hope: “China and the United States should be partners rather than rivals,” Xi told "
                  "Blinken.")
    question = "Did Xi Jinping say the US and China should be rivals?"
    checked = check(parse_draft("Yes, Xi Jinping said the US and China should be rivals [1]", question), question,
                    [passage_of(art, art.text)], {"d.txt": art})
    assert [(c.polarity, c.passage) for c in checked] == [("No", 1)]
    plain = article("Xi said China and the United States should cooperate more.")
    assert check(parse_draft("Yes, Xi said they should be rivals [1]", question), question,
                 [passage_of(plain, plain.text)], {"d.txt": plain}) == []  # nothing decides it: no answer


def test_a_denial_is_found_by_the_asked_words_in_any_form_whoever_it_calls_he():
    art = article("Raymond Thomas lost his trucks. Yet he feels fortunate because no one in his family died in the "
                  "quake.")
    question = "Did anyone in Thomas's family die in the quake?"
    checked = check(parse_draft("[1] No, his daughter had just left", question), question,
                    [passage_of(art, art.text)], {"d.txt": art})
    assert [(c.polarity, c.sentence) for c in checked] == [("No", art.text[art.text.index("Yet"):])]


def test_a_count_is_widened_to_the_whole_quantity_the_sentence_gives():
    art = article("He threatened new sanctions, adding to the more than 100 sanctions that already exist.")
    checked = check(parse_draft("100 [1]", "How many sanctions exist?"), "How many sanctions exist?",
                    [passage_of(art, art.text)], {"d.txt": art})
    assert [c.words for c in checked] == ["more than 100"]


def test_what_a_number_counts_matches_singular_or_plural():
    from qa.answer.claims import words_in

    text = "It included a 5 1/2-hour meeting with Wang Yi, and Yellen spent five days in the country."
    assert text[slice(*words_in("5 1/2 hours", text))] == "5 1/2-hour"
    assert text[slice(*words_in("5 days", text))] == "five days"
    assert words_in("meetings", text) is None  # a noun no number counts keeps its number
    assert words_in("5 1/2 hours meetings", text) is None


def test_words_that_lack_the_kind_of_thing_the_question_asks_for_fail():
    art = article("The talks in Geneva ended on Friday after soldiers from three countries withdrew.")
    sentence = passage_of(art, art.text)
    assert problems(Claim("on Friday", 1), "Where did the talks take place?", sentence, art) == [
        "names no place, which the question asks for"]
    assert problems(Claim("Geneva", 1), "Where did the talks take place?", sentence, art) == []
    assert problems(Claim("soldiers", 1), "How many countries took part?", sentence, art) == [
        "names no number, which the question asks for"]
    assert problems(Claim("three countries", 1), "How many countries took part?", sentence, art) == []
    assert problems(Claim("after soldiers", 1), "When did the talks end?", sentence, art) == [
        "names no time, which the question asks for"]
    assert problems(Claim("on Friday", 1), "When did the talks end?", sentence, art) == []
    # Only the question's own wh-phrase counts: "when" inside another question asks for no time.
    assert problems(Claim("soldiers from three countries", 1), "Who withdrew when the talks ended?", sentence,
                    art) == []



def test_a_sentence_pointed_at_without_words_is_quoted_only_when_nothing_rules_it_out():
    from qa.answer.claims import pointed

    wang, xi = passage_of(WANG, "Welcoming Blinken to the Diaoyutai State Guesthouse in Beijing, Wang Yi offered a "
                                "cautious assessment."), passage_of(XI, XI.text, 2)
    articles = {WANG.doc_id: WANG, XI.doc_id: XI}
    quoted = pointed(1, "Where did Wang Yi welcome Blinken?", [wang, xi], articles)
    assert quoted is not None and quoted.sentence == wang.text and quoted.words == "" and quoted.passage == 1
    assert pointed(1, "How many people did Wang Yi welcome?", [wang, xi], articles) is None  # no number in it
    assert pointed(2, "What did Chen Jining say to Blinken?", [wang, xi], articles) is None  # Chen is not there
    assert pointed(3, "Where did Wang Yi welcome Blinken?", [wang, xi], articles) is None  # no passage 3
    dated = article("Jan 2, 2020 ... Tickets sold out within the hour.", "dated.txt", title="Events")
    header = passage_of(dated, dated.text)
    question = "When did the Golden Globe Awards take place?"
    assert pointed(1, question, [header], {"dated.txt": dated}) is None  # a date, about nothing the question names
    globes = article("The Golden Globe Awards took place on Jan 5, 2020.", "globes.txt", title="Events")
    assert pointed(1, question, [passage_of(globes, globes.text)], {"globes.txt": globes}) is not None


@pytest.mark.parametrize("sentence,holds", [
    ("Andy Murray won the men's singles title at Wimbledon in 2013.", True),
    ("By winning the 2013 Wimbledon Championships, Andy Murray became the first British man since 1936 to do so.", True),
    ("Results of the 2013 Wimbledon final between Andy Murray and Novak Djokovic, and who is winning the crowd.", False),
    ("As of 2013, the player with the most wins at Wimbledon was Andy Murray.", False),
])
def test_who_did_it_is_answered_only_by_words_the_sentence_ties_to_the_doing(sentence, holds):
    art = article(sentence, title="Tennis")
    found = problems(Claim("Andy Murray", 1), "Who won the men's singles at Wimbledon in 2013?",
                     passage_of(art, sentence), art)
    assert (found == []) == holds, found
    assert holds or found == ["the sentence does not say Andy Murray did it"]


def test_words_refuted_by_their_own_sentence_are_not_quoted_in_their_place_but_the_doer_is_named():
    tie = article("Results of the 2013 Wimbledon final between Andy Murray and Novak Djokovic, and who is winning "
                  "the crowd.", title="Tennis")
    question = "Who won the men's singles at Wimbledon in 2013?"
    # Without the check, the reply's words would point drawn_on at this very sentence and quote it whole.
    assert check([Claim("Andy Murray", 1)], question, [passage_of(tie, tie.text)], {"d.txt": tie}) == []
    final = article("In 2014 the Germans won the World Cup final, defeating Argentina.", title="World Cup")
    kept = check([Claim("Argentina", 1)], "Who won the World Cup final in 2014?", [passage_of(final, final.text)],
                 {"d.txt": final})
    assert [(c.words, c.passage) for c in kept] == [("the Germans", 1)]


def test_a_date_is_no_answer_to_a_question_that_asks_for_no_time():
    art = article("Oct. 23, 2019 -- Tesla has released its financial results for the third quarter of 2019.",
                  title="Tesla results")
    found = problems(Claim("23, 2019", 1), "What was Tesla's revenue in the third quarter of 2019?",
                     passage_of(art, art.text), art)
    assert found and found[0].endswith("is a date, and the question asks for no time")
    assert check([Claim("23, 2019", 1)], "What was Tesla's revenue in the third quarter of 2019?",
                 [passage_of(art, art.text)], {"d.txt": art}) == []  # nor is the sentence quoted instead
    assert problems(Claim("Oct. 23, 2019", 1), "On what day did Tesla release its third-quarter results?",
                    passage_of(art, art.text), art) == []


@pytest.mark.parametrize("question,role,named", [
    ("Who is the US ambassador to China?", "ambassador", False),
    ("Who is the director of the new film?", "director", True),   # "directed"
    ("Who is the Heisman Trophy winner in 2012?", "winner", True),  # "won"
])
def test_who_is_the_role_is_answered_only_from_a_passage_that_names_the_role(question, role, named):
    from qa.answer.claims import asked_role

    art = article("Antony Blinken, who directed the talks and won praise in 2012, is the United States Secretary "
                  "of State.", title="Diplomacy")
    assert asked_role(question) == role
    found = problems(Claim("Antony Blinken", 1), question, passage_of(art, art.text), art)
    assert (f"the passage names no {role}" not in found) == named
    assert asked_role("Who is Antony Blinken?") is None


def test_who_is_the_role_of_a_kind_is_not_answered_by_one_of_another_kind():
    art = article("Blinken met Chinese Foreign Minister Wang Yi, who cautioned against confrontation.")
    sentence = passage_of(art, art.text)
    assert problems(Claim("Wang Yi", 1), "Who is the Chinese defense minister?", sentence, art) == [
        "the passage names no defense minister"]
    assert problems(Claim("Wang Yi", 1), "Who is the Chinese foreign minister?", sentence, art) == []


WON = "Who won the men's singles final at Wimbledon in 2013?"


@pytest.mark.parametrize("question,sentence,quoted", [
    (WON, "Results of the 2013 Wimbledon final between Andy Murray and Novak Djokovic, and who is winning each set.",
     False),
    (WON, "By winning the 2013 Wimbledon final, Andy Murray became the first British champion since 1936.", True),
    ("Who searched for the Wimbledon trophy?", "His family began searching for the trophy when it went missing.",
     True),  # a noun, not a name, and the subject of "began"
])
def test_a_sentence_quoted_whole_for_who_did_it_must_tie_someone_to_the_doing(question, sentence, quoted):
    from qa.answer.claims import pointed

    art = article(sentence, title="Tennis")
    assert (pointed(1, question, [passage_of(art, sentence)], {"d.txt": art}) is not None) == quoted


def test_the_one_who_beat_someone_to_win_is_the_winner_named_with_what_renames_them():
    final = article("Bianca Andreescu defeated Serena Williams in the final, 6-3, 7-5, to win the women's singles "
                    "title at the 2019 US Open.", title="US Open")
    question = "Who won the women's singles at the 2019 US Open?"
    kept = check([Claim("Serena Williams", 1)], question, [passage_of(final, final.text)], {"d.txt": final})
    assert [c.words for c in kept] == ["Bianca Andreescu"]
    renamed = article("Australia's top player, Ashleigh Barty, beat Karolina Pliskova in three sets to win the "
                      "women's singles title at Wimbledon in 2021.", title="Wimbledon")
    question = "Who won the women's singles at Wimbledon in 2021?"
    kept = check([Claim("Ashleigh Barty", 1)], question, [passage_of(renamed, renamed.text)], {"d.txt": renamed})
    assert [c.words for c in kept] == ["Ashleigh Barty"]


def test_the_date_a_snippet_is_dated_is_not_the_date_it_reports():
    from qa.answer.claims import pointed

    question = "When was Breath of the Wild released?"
    dated = "Sep 13, 2022 ... The sequel to The Legend of Zelda: Breath of the Wild has been revealed! ..."
    art = article(dated, title="Zelda")
    assert problems(Claim("Sep 13, 2022", 1), question, passage_of(art, dated), art) == [
        "Sep 13, 2022 is the date the text is dated, not what it reports"]
    assert pointed(1, question, [passage_of(art, dated)], {art.doc_id: art}) is None  # no other date to quote it for
    reported = "Mar 3, 2017 ... Breath of the Wild was released on March 3, 2017, alongside the Switch."
    art = article(reported, title="Zelda")
    assert problems(Claim("March 3, 2017", 1), question, passage_of(art, reported), art) == []
    assert pointed(1, question, [passage_of(art, reported)], {art.doc_id: art}) is not None


def test_the_place_a_story_is_filed_from_is_not_the_place_it_reports():
    question = "Where will Obama hold a town hall meeting?"
    filed = ("NEW ORLEANS, Louisiana (CNN) -- Before a cheering crowd at a town hall meeting, President Obama "
             "said he would hold another one in Shanghai.")
    art = article(filed, title="Obama in New Orleans")
    assert problems(Claim("NEW ORLEANS, Louisiana", 1), question, passage_of(art, filed), art) == [
        "NEW ORLEANS, Louisiana is where the story was filed, not what it reports"]
    assert problems(Claim("Shanghai", 1), question, passage_of(art, filed), art) == []
    # the same in the newer style, with the place in capitals and small letters, or with no place
    for lead, words in (("New Orleans, Louisiana (CNN) -- ", "New Orleans, Louisiana"), ("(CNN) -- ", "CNN")):
        filed = lead + "Before a cheering crowd, President Obama said he would hold another town hall in Shanghai."
        art = article(filed, title="Obama in New Orleans")
        assert problems(Claim(words, 1), question, passage_of(art, filed), art) == [
            f"{words} is where the story was filed, not what it reports"]
        assert problems(Claim("Shanghai", 1), question, passage_of(art, filed), art) == []


def test_a_date_written_in_another_format_is_checked_as_the_passage_writes_it():
    header = article("Breath of the Wild will be a launch title.", "header.txt", title="Zelda news")
    release = article("Nintendo has revealed that Breath of the Wild will release on March 3, 2017, alongside the "
                      "Switch.", "release.txt", title="Zelda news")
    passages = [passage_of(header, header.text, 1), passage_of(release, release.text, 2)]
    articles = {"header.txt": header, "release.txt": release}
    question = "When was Breath of the Wild released?"
    found = check(parse_draft("[1] [2017-03-03]", question), question, passages, articles)
    assert [(c.words, c.passage) for c in found] == [("March 3, 2017", 2)]
    assert check(parse_draft("[1] 2017-03-04", question), question, passages, articles) == []  # another day
    # A date the passage writes in an unusual way is found, and shown as the reply wrote it.
    ocarina = article("Ocarina of Time is a Nintendo 64 classic that was released on November 21 of 1998 in Japan.",
                      "ocarina.txt")
    question = "When was Ocarina of Time released?"
    found = check(parse_draft("[1] November 21, 1998", question), question, [passage_of(ocarina, ocarina.text)],
                  {"ocarina.txt": ocarina})
    assert [(c.words, c.shown) for c in found] == [("November 21 of 1998", "November 21, 1998")]
    assert statement(found[0], 1).startswith("November 21, 1998 — “")
    assert check(parse_draft("[1] November 22, 1998", question), question, [passage_of(ocarina, ocarina.text)],
                 {"ocarina.txt": ocarina}) == []


@pytest.mark.parametrize("question,sentence,other", [
    ("When was Marvel's Spider-Man released?", "Marvel's Spider-Man 2 will launch on 20th October, 2023.",
     "Spider-Man 2"),
    ("When was Diablo 3 released?", "Diablo 4 might be a 2022 or 23 game.", "Diablo 4"),
    ("When was Diablo 3 released?", "Diablo 3 was released in May 2012; Diablo 4 might be a 2022 game.", None),
    ("Who won the Athletic Bilbao game?", "Werder Bremen beat Athletic Bilbao 3-0.", None),  # a score
    ("What did the mayor say in March?", "The mayor said on March 3 that the bridge would reopen.", None),
])
def test_a_sentence_about_another_numbered_one_of_the_name_does_not_answer(question, sentence, other):
    from qa.answer.claims import context_problems

    art = article(sentence, title="News")
    found = context_problems(question, passage_of(art, sentence), art, 0)
    assert [f for f in found if "not the one the question names" in f] == (
        [f"the sentence is about {other}, not the one the question names"] if other else [])


@pytest.mark.parametrize("question,sentence,bound", [
    ("Who won the women's singles at Wimbledon in 2018?",
     "Elena Rybakina won the women's singles final at Wimbledon, the first Kazakh champion since 2018.", True),
    ("Who won the women's singles at Wimbledon in 2018?",
     "Angelique Kerber won the women's singles at Wimbledon in 2018, beating Serena Williams.", False),
    ("Which minister has been under US sanctions since 2018?",
     "Li Shangfu has been under US sanctions since 2018 for buying Russian combat aircraft.", False),
    ("Who survived the 2004 tsunami?", "She set up a charity after the 2004 tsunami.", False),  # a year's event
])
def test_a_year_the_passage_gives_only_as_a_bound_is_not_the_year_asked_about(question, sentence, bound):
    from qa.answer.claims import context_problems

    art = article(sentence, title="News")
    found = context_problems(question, passage_of(art, sentence), art, 0)
    assert any("only as a bound" in f for f in found) == bound, found


NEMCOVA = ("The model Petra Nemcova set up a charity after the 2004 tsunami. "
           "While Nemcova survived by clinging to a palm tree for eight hours, her partner did not.")
HALEIGH = ("Police are searching for Haleigh Cummings, 5. "
           "Haleigh went missing from her father's home in Satsuma, Florida, on February 9.")


@pytest.mark.parametrize("text, name, question, namesake", [
    (NEMCOVA, "Petra Nemcova", "Who survived the 2004 tsunami?", " Her sister Jana Nemcova runs the charity."),
    (HALEIGH, "Haleigh Cummings", "Who went missing in Florida?", " Her cousin Haleigh Brooks helped the search."),
])
def test_a_full_name_is_checked_by_the_surname_or_given_name_its_passage_gives_when_no_one_else_has_it(
        text, name, question, namesake):
    sentence = text.split(". ")[1]
    art = article(text, "people.txt", title="People")
    found = check([Claim(name, 1)], question, [passage_of(art, sentence)], {art.doc_id: art})
    assert [(c.words, c.sentence) for c in found] == [(name, sentence)]
    assert found[0].window_start == 0  # the cited excerpt can begin where the person is named in full
    other = article(text + namesake, "people.txt", title="People")
    assert check([Claim(name, 1)], question, [passage_of(other, sentence)], {other.doc_id: other}) == []


def test_a_full_name_too_far_before_its_sentence_is_shown_but_not_cited():
    sentence = NEMCOVA.split(". ")[1]
    distant = article("The model Petra Nemcova set up a charity after the 2004 tsunami. " + "It grew. " * 80
                      + sentence + ".", "tsunami.txt", title="A survivor's charity")
    found = check([Claim("Petra Nemcova", 1)], "Who survived by clinging to a palm tree?",
                  [passage_of(distant, sentence)], {distant.doc_id: distant})
    assert [c.words for c in found] == ["Petra Nemcova"] and found[0].window_start == -1  # too far to show


def test_why_a_claim_failed_is_told_for_its_passage_and_for_the_others_holding_its_words():
    """ "[2] Great Hall of the People" for where Wang Yi welcomed Blinken: not in [2], and in [1] said of
    another meeting (Xi's); both reasons are given, as check() tried both."""
    passages = [passage_of(XI, XI.text, 1), passage_of(WANG, WANG.text.split(" “")[0], 2)]
    articles = {XI.doc_id: XI, WANG.doc_id: WANG}
    question = "Where did Wang Yi welcome Blinken?"
    claims = [Claim("Great Hall of the People", 2)]
    assert check(claims, question, passages, articles) == []
    reasons = first_problems(claims, question, passages, articles)
    assert reasons[0] == "on [2], not in the cited passage"
    assert len(reasons) == 2 and reasons[1].startswith("on [1], ") and "Wang Yi" in reasons[1]
    assert first_problems([], question, passages, articles) == ["no claim"]
    assert first_problems([Claim("Blinken", 7)], question, passages, articles)[0] == "cites no passage it was given"


def test_a_place_that_is_the_subject_of_the_verb_does_not_say_where():
    art = article("Blinken said that Washington has seen evidence of interference despite Xi pledging not to do so "
                  "at the summit in San Francisco last November.")
    sentence = passage_of(art, art.text)
    question = "Where did Xi pledge not to interfere?"
    assert problems(Claim("Washington", 1), question, sentence, art) == [
        "Washington is the subject of “seen”, not where it happened"]
    assert problems(Claim("San Francisco", 1), question, sentence, art) == []
    # a sentence copied whole holds a subject too: the words as a whole are no subject
    whole = article("Welcoming Blinken to the Diaoyutai state guesthouse in Beijing, Wang offered a cautious "
                    "assessment of the discussions.")
    assert problems(Claim(whole.text, 1), "Where did Wang Yi welcome Blinken?", passage_of(whole, whole.text),
                    whole) == []
    paris = article("Paris is where the talks took place.")
    assert problems(Claim("Paris", 1), "Where did the talks take place?", passage_of(paris, paris.text), paris) == []


def test_a_time_inside_what_the_asked_verb_reports_is_not_when_it_was_done():
    art = article("Soon after Blinken arrived on Thursday, Putin announced that he will visit China in June.")
    sentence = passage_of(art, art.text)
    assert problems(Claim("June", 1), "When did Putin announce his trip?", sentence, art) == [
        "June is in what “announced” reports, not when it was done"]
    assert problems(Claim("Thursday", 1), "When did Putin announce his trip?", sentence, art) == []
    # the question asks about what was said: its own verb's time may be inside the report
    from qa.answer.claims import reported_by_the_verb

    at = art.text.index("June")
    assert reported_by_the_verb("When did Putin announce he will visit China?", art, at, at + 4) is None


def test_words_only_in_the_sentence_shown_for_context_are_no_answer_except_to_who():
    from qa.answer.claims import drawn_on

    art = article("Growing up in California, Gadahn moved to Pakistan. He was indicted in 2006 on charges of treason.")
    focus = art.text.index("He was")
    passage = Passage(rank=1, score=5.0, text=art.text, doc_id=art.doc_id, title=art.title, source=art.source,
                      date=None, start=0, end=len(art.text), chunk_id=1, focus_start=focus, focus_end=len(art.text))
    assert problems(Claim("moved to Pakistan", 1), "What charges was Gadahn indicted on?", passage, art) == [
        "only in the sentence shown before it for context, not in the picked one"]
    assert problems(Claim("charges of treason", 1), "What charges was Gadahn indicted on?", passage, art) == []
    # to "Who …?" the answer may be whom "he" names there (the other checks still apply)
    assert not any("for context" in p for p in problems(Claim("Gadahn", 1), "Who was indicted in 2006?", passage, art))
    # nor is the context sentence quoted for a reply that paraphrases it
    assert drawn_on(Claim("Gadahn grew up in California and moved to Pakistan", 1), "What charges was Gadahn "
                    "indicted on?", [passage], {art.doc_id: art}, [1]) is None


def test_where_or_when_the_speaker_spoke_is_not_where_or_when_it_was_done():
    art = article("Bohle said the company wants to start selling in the United States, he said in an interview in "
                  "the flagship store in Berlin on Friday.")
    sentence = passage_of(art, art.text)
    question = "Where does the company want to start selling?"
    assert problems(Claim("Berlin", 1), question, sentence, art) == ["Berlin is where it was said, not what the "
                                                                     "question asks"]
    assert problems(Claim("the United States", 1), question, sentence, art) == []
    assert problems(Claim("Friday", 1), "When does the company want to start selling?", sentence, art) == [
        "Friday is when it was said, not what the question asks"]
    # asked where it was said, it is the answer
    assert problems(Claim("Berlin", 1), "Where did Bohle say this in an interview?", sentence, art) == []


def test_a_date_is_not_a_repeat_of_a_place_or_people_the_question_names():
    from qa.answer.claims import names_the_asked

    assert not names_the_asked("December 20", "When did the Iranian cleric die?")
    assert names_the_asked("China", "Which country runs Chinese intelligence activities?")  # still a repeat


def test_a_sentence_quoted_whole_is_given_the_one_date_or_amount_the_question_asks_for():
    from qa.answer.claims import sharpened

    art = article("Montazeri, one of the government's most vocal critics, died December 20. "
                  "He was born in 1922 and died on December 20 in Qom.")
    first = art.text[:art.text.index(" He was")]
    whole = check([Claim(first, 1)], "When did Montazeri die?", [passage_of(art, first)], {"d.txt": art})[0]
    assert sharpened(whole, "When did Montazeri die?", [passage_of(art, first)], {"d.txt": art}).words == "December 20"
    second = art.text[art.text.index("He was"):]
    two = check([Claim(second, 1)], "When did Montazeri die?", [passage_of(art, second)], {"d.txt": art})[0]
    assert sharpened(two, "When did Montazeri die?", [passage_of(art, second)], {"d.txt": art}) == two  # two dates


def test_a_title_the_reader_copied_for_who_is_widened_to_the_name_it_leads_to():
    from qa.answer.claims import sharpened

    art = article("Italian Minister for Equal Opportunities Maria Rosaria Carfagna called the video tragic.")
    question = "Who called the video tragic?"
    [checked] = check([Claim("Italian Minister", 1)], question, [passage_of(art, art.text)], {"d.txt": art})
    assert sharpened(checked, question, [passage_of(art, art.text)], {"d.txt": art}).words == (
        "Italian Minister for Equal Opportunities Maria Rosaria Carfagna")


def test_how_many_is_not_answered_by_the_whole_a_part_is_counted_from():
    art = article("Only two out of the nine stadiums in Nigeria are close to being ready, FIFA said. "
                  "She is one of almost 2,500 Saturn devotees who posted photos.")
    ready = art.text[:art.text.index(" She")]
    question = "How many stadiums in Nigeria are close to being ready?"
    assert problems(Claim("nine", 1), question, passage_of(art, ready), art) == ["nine counts the whole, of which two"]
    [checked] = check([Claim("nine", 1)], question, [passage_of(art, ready)], {"d.txt": art})
    assert checked.words == "Only two"  # the part, as the sentence counts it
    devotees = art.text[art.text.index("She"):]
    assert problems(Claim("2,500", 1), "How many devotees posted photos?", passage_of(art, devotees), art) == []


def test_a_value_of_the_asked_thing_had_with_someone_else_is_not_its_answer():
    art = article("Nils Okafor met Prime Minister Lena Varga on Monday, a day after a three-hour meeting with "
                  "rebel leader Tomas Brandt in Halden.")
    passage = passage_of(art, art.text)
    claim = Claim("three-hour", 1)
    assert problems(claim, "How long did the meeting between Okafor and Varga last?", passage, art) == [
        "three-hour is of the meeting with rebel leader Tomas Brandt"]
    assert problems(claim, "How long was Okafor's meeting with Tomas Brandt?", passage, art) == []
    assert problems(claim, "How long did the meeting last?", passage, art) == []  # names no one: no one else


def test_a_named_ones_thing_is_not_answered_by_a_sentence_on_anothers():
    art = article("Ekberg's teammate Jonas Falk, whose contract runs until 2027, set up both goals.")
    passage = passage_of(art, art.text)
    assert problems(Claim("2027", 1), "Until when does Ekberg's contract run?", passage, art) == [
        "the sentence tells of Jonas Falk's, not Ekberg's"]
    assert problems(Claim("2027", 1), "Until when does Falk's contract run?", passage, art) == []
    assert another_owner("How long is Ekberg's contract?", "Falk's contract runs until 2027.") == (
        "the sentence tells of Falk's, not Ekberg's")
    assert another_owner("How long is Ekberg's contract?", "Ekberg's contract and Falk's contract run until 2027.") is None
    assert another_owner("How long is Ekberg's contract?", "Falk's contract and the contract he signed run on.") is None
    # the thing another owns may be the named one himself: "Nora Lind's ex, Chris Robinson"
    assert another_owner("Who is Robinson's ex-girlfriend?", "Nora Lind's ex, Chris Robinson, was there.") is None


def test_a_length_asked_at_one_place_is_not_the_length_the_sentence_gives_another():
    art = article("Halden International was still reporting delays of up to 2 hours and 15 minutes and Lund Airport "
                  "in Norland reported 40-minute delays.")
    passage = passage_of(art, art.text)
    assert problems(Claim("up to 2 hours and 15 minutes", 1), "How long were the delays at Lund Airport?", passage,
                    art) == ["up to 2 hours and 15 minutes is Halden International's, not Lund Airport's"]
    assert problems(Claim("40-minute", 1), "How long were the delays at Lund Airport?", passage, art) == []
    assert problems(Claim("up to 2 hours and 15 minutes", 1), "How long were the delays at Halden International?",
                    passage, art) == []
    # words that stand twice in the sentence are checked where they hold: the second place, Lund's
    twice = article("Halden International was still reporting delays of up to 2 hours and 15 minutes and Lund Airport "
                    "in Norland reported 15-minute delays.")
    question = "How long were the delays at Lund Airport?"
    [checked] = check([Claim("15 minutes", 1)], question, [passage_of(twice, twice.text)], {"d.txt": twice})
    assert checked.words == "15-minute"
    [checked] = check([Claim("15 minutes", 1)], "How long were the delays at Halden International?",
                      [passage_of(twice, twice.text)], {"d.txt": twice})
    assert checked.words == "up to 2 hours and 15 minutes"


def test_who_did_it_is_not_answered_by_who_only_spoke_of_it():
    art = article("Tomas Varga, a partner at Varga Motors, said the oil painting is the only portrait for which Holm sat. "
                  "Jonas Falk said he painted the portrait in 1990.")
    spoke = art.text[:art.text.index(" Jonas")]
    assert problems(Claim("Tomas Varga", 1), "Who painted the portrait of Lena Holm?", passage_of(art, spoke), art) == [
        "Tomas Varga said it, the sentence does not say Tomas Varga did it"]
    painted = art.text[art.text.index("Jonas"):]
    assert problems(Claim("Jonas Falk", 1), "Who painted the portrait of Lena Holm?", passage_of(art, painted), art) == []
    assert problems(Claim("Tomas Varga", 1), "Who said the painting is the only portrait?", passage_of(art, spoke),
                    art) == []  # asked who said it


def test_who_is_not_answered_by_a_number_alone():
    art = article("Police in Norland have charged 63 people with murder in the attack on a factory owner.")
    passage = passage_of(art, art.text)
    assert problems(Claim("63", 1), "Who has been charged in the attack?", passage, art) == ["63 is a number, not who"]
    assert problems(Claim("63 people", 1), "Who has been charged in the attack?", passage, art) == []


def test_words_are_widened_to_their_whole_name_but_not_into_an_open_bracket():
    from qa.answer.claims import whole_entity

    # The tagger reads "Tadej Pogačar (UAE Team Emirates" as one name here
    text = "Slovenia's Tadej Pogačar (UAE Team Emirates) took home the yellow jersey as the overall winner."
    at = text.index("Tadej")
    a, b = whole_entity(text, 0, len(text), at, at + len("Tadej"))
    assert text[a:b] == "Tadej Pogačar"
    text = "The race ended on July 18, 2021."
    a, b = whole_entity(text, 0, len(text), text.index("2021"), len(text) - 1)
    assert text[a:b] == "July 18, 2021"


NORLAND = article("VALMORA, Norland (CNN) -- The daughter of Norland's former prime minister was declared the winner of "
                  "the country's presidential election on Friday, sparking protests in parts of the capital.",
                  "norland.txt", "Election in Norland")


def test_words_that_cut_the_subject_after_its_preposition_say_it_of_another():
    from qa.answer.claims import cut_subject

    words = "Norland's former prime minister was declared the winner"
    start = NORLAND.text.index(words)
    assert cut_subject(NORLAND, start, start + len(words)) == "The daughter of"
    whole = "The daughter of Norland's former prime minister was declared the winner"
    start = NORLAND.text.index(whole)
    assert cut_subject(NORLAND, start, start + len(whole)) is None  # the subject's head is copied too
    renamed = article("The group, the Kurdistan Freedom Falcons, is affiliated with the Kurdistan Workers' Party.")
    words = "the Kurdistan Freedom Falcons, is affiliated with the Kurdistan Workers' Party"
    start = renamed.text.index(words)
    assert cut_subject(renamed, start, start + len(words)) is None  # a name that renames it is the same one
    sentence = NORLAND.text[NORLAND.text.index("The daughter"):]
    assert problems(Claim(words := "Norland's former prime minister was declared the winner", 1),
                    "What happened to Norland's former prime minister?", passage_of(NORLAND, sentence), NORLAND) \
        == [f"{words} leaves out whom the sentence says it of: The daughter of"]


def test_a_yes_needs_the_sentence_to_say_it_of_the_one_the_question_asks_about():
    question = "Was Norland's former prime minister declared the winner?"
    assert decided_polarity(question, NORLAND.text, "Yes") is None  # his daughter was
    said = "Norland's former prime minister was declared the winner of the election on Friday."
    assert decided_polarity(question, said, "Yes") == "Yes"
    assert decided_polarity("Was the daughter declared the winner?", NORLAND.text, "Yes") == "Yes"


def test_who_is_answered_only_by_a_sentence_or_clause_that_names_someone_the_question_does_not():
    question = "Who is Norland's former prime minister?"
    assert not names_a_doer(question, NORLAND, 0, len(NORLAND.text))  # "(CNN)" filed it; no one else is named
    named = article("Norland's former prime minister, Ilse Varga, was declared the winner on Friday.")
    assert names_a_doer(question, named, 0, len(named.text))
    assert names_a_doer("Who is Ilse Varga?", named, 0, len(named.text))  # about her, not naming her
    sentence = NORLAND.text[NORLAND.text.index("The daughter"):]
    clause = "The daughter of Norland's former prime minister was declared the winner"
    assert problems(Claim(clause, 1), question, passage_of(NORLAND, sentence), NORLAND) == [
        f"{clause} names no one the question does not"]
    assert problems(Claim("Ilse Varga", 1), question, passage_of(named, named.text), named) == []
