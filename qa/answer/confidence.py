"""Which sentence answers, and whether to answer at all: the reader's own probabilities weighed in code.

The reader's reply opens with the number of the sentence it answers from, "[2] Olaf Scholz", and
before that number is written the model's probabilities for every number (and for [0], none) are
read (models.Pick). The code picks the sentence with those probabilities and its own sentence
scores (passages.py) together, then estimates how likely that sentence is to hold the answer. Below
AnswerSettings.min_confidence the reply is turned into [0] and the question is refused. The weights
were fitted on NewsQA dev questions outside the answer benchmark's sample
(benchmarks/fit_answer_confidence.py); the bundled articles played no part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# Only relative scores: a corpus's sentence scores run higher or lower as a whole (the absolute floor is
# AnswerSettings.min_relevance), while the model's probabilities and the pick's lead carry over.
FEATURES = ("log_p_pick", "log_p_none", "margin", "pick_is_first")
SCORE_WEIGHT = 1.0  # a point of passages.py's sentence score, in units of the model's log-probability
# Fitted by benchmarks/fit_answer_confidence.py (logistic regression: does the picked sentence hold the answer).
WEIGHTS = (0.554, -0.505, 0.414, 0.116)
BIAS = -2.231


@dataclass
class Decision:
    """What the code made of the reader's probabilities: the passage (1-based; 0 for none) and how sure it is."""

    passage: int
    confidence: float
    probabilities: list[float] = field(default_factory=list)  # the model's, for [0] .. [n]


def shared(probabilities: list[float], same: list[int] | None) -> list[float]:
    """Each passage's probability together with its copies' (same[i]: the first passage that states what
    passage i+1 states): the model's choice split between two copies of one report is one choice."""
    own = probabilities[1:]
    if same is None:
        return list(own)
    return [sum(p for p, group in zip(own, same) if group == same[i]) for i in range(len(own))]


def choose(probabilities: list[float], scores: list[float], same: list[int] | None = None) -> int:
    """The passage (1-based) with the best model log-probability (its copies' included) plus SCORE_WEIGHT x
    its score's distance from the best score."""
    best = max(scores)
    combined = [math.log(p + 1e-9) + SCORE_WEIGHT * (s - best) for p, s in zip(shared(probabilities, same), scores)]
    return 1 + combined.index(max(combined))


def features(probabilities: list[float], scores: list[float], chosen: int, same: list[int] | None = None) -> list[float]:
    others = [s for n, s in enumerate(scores, start=1) if n != chosen]
    score = scores[chosen - 1]
    return [math.log(shared(probabilities, same)[chosen - 1] + 1e-9), math.log(probabilities[0] + 1e-9),
            score - max(others, default=score - 1.0), 1.0 if chosen == 1 else 0.0]


def confidence(probabilities: list[float], scores: list[float], chosen: int, same: list[int] | None = None) -> float:
    """The fitted estimate that passage `chosen` holds the answer."""
    z = BIAS + sum(w * x for w, x in zip(WEIGHTS, features(probabilities, scores, chosen, same)))
    return 1.0 / (1.0 + math.exp(-z))


def decide(probabilities: list[float], scores: list[float], min_confidence: float,
           same: list[int] | None = None) -> Decision:
    """The passage to answer from, or 0 when the estimate is below min_confidence. same[i] names the first
    passage that states what passage i+1 states (conflicts.copies), so copies share the model's choice."""
    scores = scores[:len(probabilities) - 1]
    if not scores:
        return Decision(0, 0.0, probabilities)
    same = same[:len(scores)] if same is not None else None
    chosen = choose(probabilities, scores, same)
    sure = confidence(probabilities, scores, chosen, same)
    return Decision(chosen if sure >= min_confidence else 0, sure, probabilities)
