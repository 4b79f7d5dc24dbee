from qa.answer.citations import cited_numbers, renumber


def test_markers_are_renumbered_by_first_use():
    text, order = renumber("Scholz visited [3]. Wang met Blinken [1][3].", 3)
    assert text == "Scholz visited [1]. Wang met Blinken [2][1]."
    assert order == [3, 1]


def test_markers_pointing_nowhere_are_dropped():
    text, order = renumber("A fact [7]. Another [2, 9]. Plain (2024) text.", 3)
    assert text == "A fact. Another [1]. Plain (2024) text."
    assert order == [2]


def test_near_miss_markers_are_repaired():
    text, order = renumber("One [Passage 2]. Two 【1】. Three (Source 2). Four [1; 2].", 2)
    assert text == "One [1]. Two [2]. Three [1]. Four [2][1]."
    assert order == [2, 1]


def test_marker_after_the_full_stop_moves_before_it():
    assert renumber("It lasted four hours.[1]", 1)[0] == "It lasted four hours [1]."


def test_cited_numbers_in_order():
    assert cited_numbers("a [2] b [1, 3] c [2]") == [2, 1, 3, 2]
