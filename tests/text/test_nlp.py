"""Names compared across a question and a passage."""

from qa.text.nlp import last_person, namesakes, same_name, speakers


def test_a_name_matches_by_its_rare_word():
    assert same_name("Antony Blinken", "Blinken's visit to Beijing")
    assert not same_name("Antony Blinken", "Wang Yi met the secretary")


def test_a_name_made_of_common_words_matches_only_by_all_of_them():
    window = "Maradona watched United trounce Chelsea 3-0 last weekend at Old Trafford."
    assert same_name("United", window)
    assert not same_name("United", "Maradona watched Chelsea lose 3-0 last weekend.")
    assert not same_name("the president", "Joe Biden")


def test_people_of_one_family_name_are_told_apart_by_their_given_names():
    assert namesakes("Sean Lavau", "David Lavau") and namesakes("Michelle Obama", "Barack Obama's")
    for a, b in [("David J. Lavau", "David Lavau"), ("President Bush", "George Bush"), ("Omar bin Laden", "Bin Laden"),
                 ("Foreign Minister Wang Yi", "Wang Yi"), ("Sean Lavau", "Lavau"), ("Sean Lavau", "Wang Yi")]:
        assert not namesakes(a, b), (a, b)


def test_he_refers_to_the_last_sentences_subject_even_when_the_tagger_calls_it_an_organisation():
    # spaCy tags "Wang" here as ORG and "Welcoming Blinken" as a PERSON
    before = "Welcoming Blinken to the Diaoyutai state guesthouse in Beijing, Wang offered a cautious assessment."
    assert last_person(before) == "Wang"
    assert speakers("“The relationship is beginning to stabilize,” he told Blinken.", before) == ["Wang"]
    assert last_person("The United States stands firm. Blinken met Xi.") == "Blinken"
    assert last_person("Blinken landed. NATO offered support.") == "Blinken"  # an acronym is a body, not "he"
