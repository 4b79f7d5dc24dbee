"""The answer benchmark: questions with known answers, asked end to end, scored by rule.

Sets (each read from where it lies, never copied into the project):
- seeds: eval/seeds.jsonl over seeds/ (answerable questions and ones no article answers);
- rgb: RGB's news-search snippets in three uses (noise, conflict, rejection), each snippet its own article;
- newsqa: real CNN articles, crowd-written questions with the answer span from the article.

Scoring follows the sets' own rules: an answer is right when it contains an expected answer
(SQuAD normalisation: lower case, no punctuation or articles) and cites a passage that holds it.
A wrong answer that is not refused is the worst outcome and is counted on its own.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import string
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..files import progress as progress_items

ARTICLES_RE = re.compile(r"\b(a|an|the)\b")


def normalise(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = re.sub(r"'s\b", "", text.lower().replace("’", "'"))  # "NATO's" names NATO (SQuAD's would make it "natos")
    text = "".join(c for c in text if c not in set(string.punctuation) | {"“", "”", "‘"})
    return " ".join(ARTICLES_RE.sub(" ", text).split())


def contains(text: str, answer: str) -> bool:
    """Whether the normalised answer occurs in the normalised text, on word boundaries."""
    wanted = normalise(answer)
    return bool(wanted) and f" {wanted} " in f" {normalise(text)} "


def answer_parts(answer) -> list[list[str]]:
    """RGB's answer field as parts, each a list of aliases: "x" -> [["x"]]; ["x", "y"] -> [["x", "y"]];
    [["x", "y"], ["z"]] -> both parts."""
    if isinstance(answer, str):
        return [[answer]]
    if answer and all(isinstance(a, list) for a in answer):
        return [list(a) for a in answer]
    return [list(answer)]


@dataclass
class Case:
    """One question: what a right answer contains (every part, any alias of each), or that it must refuse."""

    question: str
    parts: list[list[str]] = field(default_factory=list)  # empty: must be refused
    false_parts: list[list[str]] = field(default_factory=list)  # a planted false value (RGB conflict)
    gold_doc: str | None = None
    kind: str = ""
    id: str = ""


@dataclass
class Outcome:
    case: Case
    answer: str
    refused: bool
    cited_texts: list[str]
    cited_docs: list[str]
    seconds: float
    said_disagree: bool = False
    kind: str = ""  # the answer's kind: answer, extract, refusal
    best_score: float = float("nan")  # the best passage's score, for calibrating thresholds
    answer_rank: int = 0  # where the passage the answer came from ranked among those shown (0: none)
    answer_score: float = float("nan")  # and its score
    confidence: float | None = None  # the answerer's estimate that its sentence holds the answer
    steps: list[str] = field(default_factory=list)  # how the answer was reached (Answer.steps)

    def names(self, parts: list[list[str]]) -> bool:
        return bool(parts) and all(any(contains(self.answer, alias) for alias in part) for part in parts)

    def cites(self, parts: list[list[str]]) -> bool:
        """Every part of the answer is held by some cited passage."""
        return all(any(contains(text, alias) for text in self.cited_texts for alias in part) for part in parts)

    @property
    def right(self) -> bool:
        return not self.refused and self.names(self.case.parts) and self.cites(self.case.parts)

    @property
    def named_uncited(self) -> bool:
        return not self.refused and self.names(self.case.parts) and not self.cites(self.case.parts)

    @property
    def wrong(self) -> bool:
        """Answered (not refused), but without the expected answer: a cited wrong answer."""
        return not self.refused and bool(self.case.parts) and not self.names(self.case.parts)


DISAGREE_RE = re.compile(r"\b(disagree|differ|conflict|contradict)", re.IGNORECASE)


def summarise(outcomes: list[Outcome]) -> dict[str, float]:
    """The figures the benchmark prints for one set or use."""
    answerable = [o for o in outcomes if o.case.parts]
    unanswerable = [o for o in outcomes if not o.case.parts]
    figures: dict[str, float] = {"questions": len(outcomes)}
    if answerable:
        n = len(answerable)
        figures.update({
            "right": sum(o.right for o in answerable) / n,
            "named_uncited": sum(o.named_uncited for o in answerable) / n,
            "refused": sum(o.refused for o in answerable) / n,
            "wrong_answered": sum(o.wrong for o in answerable) / n,
            "gold_doc_cited": (sum(o.case.gold_doc in o.cited_docs for o in answerable if o.case.gold_doc)
                               / max(1, sum(1 for o in answerable if o.case.gold_doc))),
        })
    if unanswerable:
        figures["refused_unanswerable"] = sum(o.refused for o in unanswerable) / len(unanswerable)
    answered = [o for o in outcomes if not o.refused and not o.case.false_parts]
    if answered:
        figures["disagreement_claimed"] = sum(o.said_disagree for o in answered) / len(answered)
    conflicts = [o for o in outcomes if o.case.false_parts]
    if conflicts:
        both = [o for o in conflicts if o.names(o.case.parts) and o.names(o.case.false_parts)]
        figures["conflict_both_named"] = len(both) / len(conflicts)
        figures["conflict_both_and_flagged"] = sum(o.said_disagree for o in both) / len(conflicts)
        figures["conflict_misled"] = sum(o.names(o.case.false_parts) and not o.names(o.case.parts)
                                         for o in conflicts) / len(conflicts)
    figures["median_seconds"] = statistics.median(o.seconds for o in outcomes) if outcomes else 0.0
    return figures


# --- the sets ---------------------------------------------------------------------------------

def seeds_cases(path: str | Path) -> list[Case]:
    """eval/seeds.jsonl: answerable questions are right with any of their answer phrases."""
    cases = []
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            parts = [row["answers"]] if row.get("relevant") else []
            cases.append(Case(row["question"], parts, gold_doc=(row.get("relevant") or [None])[0],
                              kind=row.get("kind", ""), id=f"seeds-{number}"))
    return cases


def newsqa_cases(path: str | Path, sample: int | None = 100, seed: int = 0) -> list[Case]:
    """A fixed random sample of NewsQA questions (the same for a given seed and file)."""
    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    if sample is not None and sample < len(rows):
        rows = random.Random(seed).sample(rows, sample)
    return [Case(r["question"], [list(r["answers"])], gold_doc=r.get("gold_doc"), kind="newsqa", id=r["qid"])
            for r in rows]


@dataclass
class FollowUp:
    """A two-turn conversation: a first question, then one that names its person by a pronoun only. `case`
    is the follow-up, scored as its own question is; `named` is that question as it was asked, naming them."""

    first: str
    case: Case
    named: str
    person: str


def followup_cases(path: str | Path, sample: int | None = 50, seed: int = 0) -> list[FollowUp]:
    """Conversations made from NewsQA questions on one article: where a later question names a person the
    earlier one names too, the later one is asked after it with the name put as a pronoun ("he", "him",
    "his" for "X's"), as a person in a chat would. A fixed random sample (the same for a given seed and file)."""
    from ..text.nlp import parse, same_name

    rows = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
    by_article: dict[str, list[dict]] = {}
    for row in rows:
        by_article.setdefault(row.get("gold_doc") or "", []).append(row)
    found = []
    for questions in by_article.values():
        for first, later in zip(questions, questions[1:]):
            doc = parse(later["question"])
            person = next((e for e in doc.ents if e.label_ == "PERSON" and same_name(e.text, first["question"])), None)
            if person is None or person.root.dep_ == "compound":  # "Sky roadsters" names no one
                continue
            end = person.end_char
            owner = re.match(r"['’](?:s\b)?", later["question"][end:])  # "Bin Laden's son", "Williams' crime"
            if owner or person.text.endswith(("'", "’", "'s", "’s")):
                pronoun, end = "his", end + (owner.end() if owner else 0)
            else:
                pronoun = "him" if person.root.dep_ in ("dobj", "pobj", "dative") else "he"
            asked = later["question"][:person.start_char] + pronoun + later["question"][end:]
            asked = asked[:1].upper() + asked[1:]
            case = Case(asked, [list(later["answers"])], gold_doc=later.get("gold_doc"), kind="followup",
                        id=later["qid"])
            found.append(FollowUp(first["question"], case, later["question"], person.text))
    if sample is not None and sample < len(found):
        found = random.Random(seed).sample(found, sample)
    return found


RGB_OUTLETS = {"positive": "https://daily-ledger.example", "positive_wrong": "https://morning-courier.example",
               "negative": "https://web-digest.example"}
RGB_USES = ("noise", "conflict", "rejection")


def rgb_items(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def rgb_snippets(item: dict, use: str) -> list[tuple[str, str]]:
    """(kind, text) of the snippets a use indexes for one item."""
    if use == "noise":
        kinds = ["positive", "negative"]
    elif use == "conflict":
        kinds = ["positive", "positive_wrong", "negative"]
    else:
        kinds = ["negative"]
    snippets = [(kind, text) for kind in kinds for text in item.get(kind, [])]
    if use == "rejection":  # a "negative" that holds the answer would make refusing wrong
        parts = answer_parts(item["answer"])
        snippets = [(k, t) for k, t in snippets if not any(contains(t, a) for part in parts for a in part)]
    return snippets


def rgb_articles(item: dict, use: str) -> list[dict]:
    """The item's snippets as JSONL articles, each with an outlet URL (positives and false copies differ)."""
    rows = []
    for number, (kind, text) in enumerate(rgb_snippets(item, use)):
        rows.append({"id": f"rgb{item['id']}-{kind}-{number}",
                     "text": text, "url": f"{RGB_OUTLETS[kind]}/rgb/{item['id']}/{number}"})
    return rows


def rgb_case(item: dict, use: str) -> Case:
    question = item["query"] if item["query"].endswith("?") else item["query"] + "?"
    if use == "rejection":
        return Case(question, [], kind="rgb-rejection", id=f"rgb{item['id']}-{use}")
    false_parts = answer_parts(item["fakeanswer"]) if use == "conflict" else []
    return Case(question, answer_parts(item["answer"]), false_parts, kind=f"rgb-{use}", id=f"rgb{item['id']}-{use}")


def run_cases(cases: Iterable[Case], answer: Callable[[str], object], progress: bool = True,
              label: str = "answers") -> list[Outcome]:
    """Ask each case's question through answer(question) -> qa Answer, timing each."""
    outcomes = []
    for case in progress_items(list(cases), progress, label, "q"):
        started = time.perf_counter()
        result = answer(case.question)
        seconds = time.perf_counter() - started
        scores = [p.score for p in list(result.citations) + list(result.also_retrieved)]
        outcomes.append(Outcome(case, result.answer, result.refused, [c.text for c in result.citations],
                                [c.doc_id for c in result.citations], seconds,
                                bool(DISAGREE_RE.search(result.answer)), getattr(result, "kind", ""),
                                max(scores) if scores else float("nan"),
                                result.citations[0].rank if result.citations else 0,
                                result.citations[0].score if result.citations else float("nan"),
                                getattr(result, "confidence", None), list(getattr(result, "steps", []))))
    return outcomes


def format_figures(name: str, figures: dict[str, float]) -> str:
    parts = [f"{name}:"]
    for key, value in figures.items():
        if key == "questions":
            parts.append(f"{int(value)} questions")
        elif key == "median_seconds":
            parts.append(f"median {value:.1f}s/answer")
        else:
            parts.append(f"{key} {value:.0%}")
    return "  ".join(parts)
