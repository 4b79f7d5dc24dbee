"""Names compared across a question and a passage."""

from qa.text.nlp import same_name


def test_a_name_matches_by_its_rare_word():
    assert same_name("Antony Blinken", "Blinken's visit to Beijing")
    assert not same_name("Antony Blinken", "Wang Yi met the secretary")


def test_a_name_made_of_common_words_matches_only_by_all_of_them():
    window = "Maradona watched United trounce Chelsea 3-0 last weekend at Old Trafford."
    assert same_name("United", window)
    assert not same_name("United", "Maradona watched Chelsea lose 3-0 last weekend.")
    assert not same_name("the president", "Joe Biden")
