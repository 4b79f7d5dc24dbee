"""The code's pick of the answering sentence and its confidence, from the reader's probabilities and the scores."""

import pytest

from qa.answer import confidence


def test_the_model_picks_unless_its_sentence_scores_far_below_another(monkeypatch):
    monkeypatch.setattr(confidence, "SCORE_WEIGHT", 2.0)
    probabilities = [0.05, 0.2, 0.7, 0.05]  # the model prefers passage 2, 3.5 times over passage 1
    assert confidence.choose(probabilities, [9.0, 8.8, 8.0]) == 2  # 0.2 points behind: the model's pick stands
    assert confidence.choose(probabilities, [9.0, 7.0, 8.0]) == 1  # 2 points behind: the scores win
    monkeypatch.setattr(confidence, "SCORE_WEIGHT", 0.0)
    assert confidence.choose(probabilities, [9.0, 7.0, 8.0]) == 2  # the model alone


def test_confidence_rises_with_the_models_probability_and_falls_with_none():
    scores = [9.0, 7.5, 7.0]
    low = confidence.confidence([0.5, 0.2, 0.2, 0.1], scores, 1)
    high = confidence.confidence([0.02, 0.9, 0.05, 0.03], scores, 1)
    assert 0.0 < low < high < 1.0


def test_a_pick_below_the_minimum_is_none():
    probabilities, scores = [0.02, 0.9, 0.05, 0.03], [9.0, 7.5, 7.0]
    sure = confidence.decide(probabilities, scores, 0.0)
    assert sure.passage == 1 and sure.probabilities == probabilities
    assert confidence.decide(probabilities, scores, sure.confidence + 0.01).passage == 0
    assert confidence.decide([1.0], [], 0.0).passage == 0  # nothing shown


@pytest.mark.parametrize("chosen", [1, 2, 3])
def test_features_describe_the_chosen_passage(chosen):
    values = confidence.features([0.1, 0.5, 0.3, 0.1], [9.0, 8.0, 7.0], chosen)
    assert len(values) == len(confidence.FEATURES) == len(confidence.WEIGHTS)
    assert (values[2] > 0) == (chosen == 1) and values[3] == (1.0 if chosen == 1 else 0.0)
    assert values[2] == [9.0, 8.0, 7.0][chosen - 1] - max(s for n, s in enumerate([9.0, 8.0, 7.0], 1) if n != chosen)


def test_copies_of_one_report_share_the_models_choice():
    from qa.answer.conflicts import copies

    sentences = ["The game was played at Raymond James Stadium in Tampa, Florida, on February 7.",
                 "The game was played at Raymond James Stadium in Glendale, Arizona, on February 7.",
                 "Tickets for next year's game go on sale in May."]
    same = copies(sentences)
    assert same == [0, 0, 2]
    probabilities, scores = [0.05, 0.4, 0.3, 0.25], [8.0, 8.0, 8.0]
    alone = confidence.confidence(probabilities, scores, 1)
    together = confidence.confidence(probabilities, scores, 1, same)
    assert together > alone  # 0.7 for the statement, not 0.4 for one copy
    assert confidence.choose([0.05, 0.3, 0.3, 0.35], scores, same) == 1  # 0.6 for the statement beats 0.35
    assert confidence.choose([0.05, 0.3, 0.3, 0.35], scores) == 3
