"""Grounded answers: retrieve, pick passages, ask the model, then check every citation in code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..records import Article, Excerpt, Filters, Passage
from ..retrieve.rerank import reranker_for
from ..retrieve.retriever import Retriever
from ..text.sentences import split_sentences
from ..text.terms import term_overlap
from .citations import MARKER_RE, cited_numbers, renumber
from .passages import QUANTITY_QUESTION_RE, best_score, quantities, select_passages
from .prompt import rewrite_messages
from .readers import ExtractiveReader, Reader, answer_backend

REFUSAL = "The articles don't cover this."
DONT_KNOW_RE = re.compile(
    r"\b(i (do not|don't|cannot|can't) (know|answer|find)|(passages|articles|text)s? (do|does) not "
    r"(say|mention|contain|provide|specify|answer)|no information|not (mentioned|stated|specified) in)\b",
    re.IGNORECASE)
FOLLOW_UP_RE = re.compile(r"\b(he|she|him|his|her|hers|they|them|their|it|its|that|this|those|these|there|"
                          r"the same|then)\b", re.IGNORECASE)
NUMBER_RE = re.compile(r"\d+(?:[.,/]\d+)*")


@dataclass
class AnswerSettings:
    """How much to retrieve, how much to show the model, and when to refuse."""

    k: int = 8  # excerpts retrieved
    max_passages: int = 5  # passages put in the prompt, one sentence from each of the top excerpts
    neighbours: int = 0  # sentences around each passage's best one (prompt reading is ~30-60 tokens/s here)
    min_relevance: float = 0.30  # best sentence relevance below this: refuse without asking the model
    max_tokens: int = 160
    filters: Filters = Filters()  # which articles may answer
    reranker: str | None = None  # a reranker spec (see retrieve.rerank.reranker_for), off by default


@dataclass
class Citation(Passage):
    """A cited passage: n as it appears in the answer, and exactly where its text is."""

    n: int = 0


@dataclass
class Answer:
    question: str
    answer: str
    citations: list[Citation]
    refused: bool
    standalone_question: str = ""
    also_retrieved: list[Excerpt] = field(default_factory=list)
    articles: dict[str, Article] = field(default_factory=dict, repr=False)  # what the citations come from

    def to_dict(self) -> dict:
        return {"answer": self.answer, "citations": [asdict(c) for c in self.citations],
                "refused": self.refused, "question": self.question,
                "standalone_question": self.standalone_question,
                "also_retrieved": [e.to_dict() for e in self.also_retrieved]}


@dataclass
class Retrieved:
    """First event of a stream: the rewritten question and the passages, before any answer text."""

    standalone_question: str
    passages: list[Passage]
    articles: dict[str, Article] = field(default_factory=dict, repr=False)  # the passages' whole articles


@dataclass
class Partial:
    """The answer so far, with markers already renumbered."""

    text: str


def citation(n: int, passage: Passage) -> Citation:
    return Citation(n=n, **asdict(passage))


def cite(sentence: str, n: int) -> str:
    """The sentence with its markers replaced by [n], placed before the final full stop."""
    sentence = MARKER_RE.sub("", sentence).rstrip()
    return sentence[:-1] + f" [{n}]." if sentence.endswith(".") else sentence + f" [{n}]"


def ground(text: str, passages: list[Excerpt]) -> str:
    """Keep only sentences the passages support: cited (or citable by overlap), numbers included."""
    kept = []
    for start, end in split_sentences(text):
        sentence = text[start:end]
        bare = MARKER_RE.sub("", sentence).strip()
        if not bare:
            continue
        cited = [n for n in cited_numbers(sentence) if 1 <= n <= len(passages)]
        if not cited:  # repair: cite the passage the sentence draws on, if one clearly does
            best = max(range(len(passages)), key=lambda i: term_overlap(bare, passages[i].text), default=None)
            if best is None or term_overlap(bare, passages[best].text) < 0.5:
                continue
            sentence = cite(sentence, best + 1)
            cited = [best + 1]
        numbers = NUMBER_RE.findall(bare)
        support = " ".join(passages[n - 1].text for n in cited)
        if any(number not in support for number in numbers):
            # Repair a wrong marker: cite the passage that does state every number, if one does.
            holder = next((i for i, p in enumerate(passages, start=1) if all(x in p.text for x in numbers)), None)
            if holder is None:
                continue  # a number no passage contains is not grounded
            sentence = cite(sentence, holder)
        kept.append(sentence)
    return " ".join(kept)


def unit_of(quantity: str) -> str:
    """"more than six hours" -> "hour"."""
    return quantity.split()[-1].rstrip("s")


def differing_figures(question: str, raw: str, passages: list[Passage]) -> str:
    """For "how long / how many" questions: a sentence citing relevant passages from other articles
    whose figures the answer leaves out, so disagreement between articles is never hidden."""
    cited = {n for n in cited_numbers(raw) if 1 <= n <= len(passages)}
    if not cited or not QUANTITY_QUESTION_RE.search(question):
        return ""
    stated = quantities(MARKER_RE.sub("", raw), with_unit=True)
    units = {unit_of(q) for q in stated}
    cited_docs = {passages[n - 1].doc_id for n in cited}
    floor = max(passages[n - 1].score for n in cited) - 0.15
    others = []
    for n, passage in enumerate(passages, start=1):
        if n in cited or passage.doc_id in cited_docs or passage.score < floor:
            continue
        figures = [written for norm, written in quantities(passage.focus, with_unit=True).items()
                   if norm not in stated and (not units or unit_of(norm) in units)]
        if figures:
            others.append(f"{', '.join(figures)} [{n}]")
            cited_docs.add(passage.doc_id)
    return f"The articles disagree: others say {'; '.join(others)}." if others else ""


class Answerer:
    """Answers questions from the index with a reader (a chat model, or extractive)."""

    def __init__(self, retriever: Retriever, reader: Reader | None = None,
                 settings: AnswerSettings = AnswerSettings()):
        self.retriever = retriever
        self.reader = reader or ExtractiveReader()
        self.settings = settings
        self.reranker = reranker_for(settings.reranker) if settings.reranker else None

    @property
    def model(self):
        return self.reader.model

    def standalone(self, question: str, history: list[tuple[str, str]]) -> str:
        """The question rewritten to stand alone when it leans on the conversation."""
        if not history or not (FOLLOW_UP_RE.search(question) or len(question.split()) <= 3):
            return question
        if self.model is not None:
            rewritten = self.model.complete(rewrite_messages(question, history), max_tokens=48).strip()
            rewritten = rewritten.splitlines()[0].removeprefix("Rewritten:").strip().strip('"') if rewritten else ""
            if 8 <= len(rewritten) <= 200 and rewritten.endswith("?"):
                return rewritten
        return f"{history[-1][0]} {question}"

    def stream(self, question: str, history: list[tuple[str, str]] | None = None) -> Iterator[Retrieved | Partial | Answer]:
        """Retrieved first, then Partial answers as tokens arrive, then the final Answer."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        query = self.standalone(question, history or [])
        excerpts = self.retriever.search(query, k=self.settings.k, filters=self.settings.filters,
                                         reranker=self.reranker)
        articles = self.retriever.articles({e.doc_id for e in excerpts})
        passages = select_passages(query, excerpts, articles, self.retriever.embedder,
                                   self.settings.max_passages, self.settings.neighbours)
        yield Retrieved(query, passages, articles)
        if best_score(passages) < self.settings.min_relevance:
            yield Answer(question, REFUSAL, [], True, query, passages, articles)
            return
        raw = ""
        for piece in self.reader.draft(query, passages, self.settings.max_tokens):
            raw += piece
            if self.model is not None:
                yield Partial(renumber(raw, len(passages))[0])
        answer = self.finish(question, query, raw, passages)
        answer.articles = articles
        yield answer

    def ask(self, question: str, history: list[tuple[str, str]] | None = None) -> Answer:
        """The final answer, without streaming."""
        *_, answer = self.stream(question, history)
        return answer

    def finish(self, question: str, query: str, raw: str, passages: list[Passage]) -> Answer:
        if DONT_KNOW_RE.search(raw) or not raw.strip():
            return Answer(question, REFUSAL, [], True, query, passages)
        grounded = ground(raw, passages) if self.model is not None else raw
        grounded = " ".join(filter(None, [grounded, differing_figures(question, grounded, passages)]))
        text, order = renumber(grounded, len(passages))
        if not order:
            return Answer(question, REFUSAL, [], True, query, passages)
        cited = [citation(new, passages[old - 1]) for new, old in enumerate(order, start=1)]
        uncited = [p for i, p in enumerate(passages, start=1) if i not in order]
        return Answer(question, text, cited, False, query, uncited)


def ask(question: str, index: str | Path | None = None, backend: str | None = None,
        history: list[tuple[str, str]] | None = None) -> Answer:
    """One answer from the index (a folder or store URI) with the configured back end (see readers.BACKENDS)."""
    return Answerer(Retriever.load(index), answer_backend(backend)).ask(question, history)
