"""Grounded answers: retrieve, pick sentences, let the reader point at the answer, check it in code.

The flow of one question: the follow-up made to stand alone (followup.py) -> excerpts from the
index -> the few sentences most likely to answer (passages.py) -> the reader's draft, "[n] words"
(readers.py), its n picked by the code from the model's probabilities, or none when the pick is not
sure enough (confidence.py) -> the draft checked against its passage (claims.py) -> other sources' values for the
same fact (conflicts.py) -> the answer, built by code from verbatim words, with citations.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from ..records import Article, Excerpt, Filters, Passage
from ..retrieve.rerank import reranker_for
from ..retrieve.retriever import Retriever
from ..retrieve.timeframe import TimeFrame, time_frame
from ..text.nlp import content_words, word_weight
from ..text.spelling import respelled
from ..text.terms import search_terms
from . import confidence
from .citations import MARKER_RE
from .claims import (EMPTY_WORDS_RE, Checked, alternatives, check, context_problems, decided_polarity, first_problems,
                     is_yes_no, names_a_doer, parse_draft, pointed, quoted_whole, referent_start, sharpened,
                     statement, states_something, trimmed, value_ruled_out)
from .conflicts import copies, copy_passages, disagreement_note, disputed, most_precise, other_values
from .followup import standalone
from .models import Pick
from .passages import Sentence, as_passage, leans_on_before, rank_sentences
from .readers import ExtractiveReader, Reader, answer_backend

REFUSAL = "The articles don't cover this."  # nothing retrieved scores as relevant
# Relevant passages were found, but nothing in them could be checked as the answer: not "don't cover",
# which would claim more than the code knows.
UNCHECKED = "I found no answer in the articles that I could check."
EXTRACT_LEAD = "The closest passage says:"
UNDECIDED_LEAD = "Not said in so many words; the closest sentence:"


@dataclass
class AnswerSettings:
    """How much to retrieve, how much to show the reader, and when to refuse (scores from passages.py)."""

    k: int = 8  # excerpts retrieved
    max_passages: int = 4  # sentences the reader sees
    conflict_passages: int = 12  # sentences read (by code) for other sources' values of the same fact
    # Scores are passages.py's (typically 5-12). Calibrated on NewsQA dev, RGB dev and the seeds set
    # (benchmarks/README.md): below min_relevance nothing near the question was retrieved; a passage
    # quoted on its own (the extractive back end's answer, and the provisional text the chat shows
    # while the model reads) must score at least quote_relevance.
    min_relevance: float = 6.0  # best sentence below this: refuse without asking the reader
    quote_relevance: float = 8.0
    # The estimate (confidence.py) that the sentence the reader and the code picked holds the answer;
    # below it the question is refused. Higher trades right answers for fewer wrong ones (the sweep is
    # in benchmarks/README.md); 0.2 keeps plainly stated facts in the bundled articles answered, whose
    # long, overlapping reports split the model's probabilities more than NewsQA's do.
    min_confidence: float = 0.2
    # A pick at least this sure whose reply copied nothing that holds ("[3]", "[1] none") is answered with its
    # sentence quoted. On the benchmark sets such quotes were right 12 times and wrong 6 above 0.5, and mostly
    # wrong below 0.3. (A model that shows no probabilities has its bare "[n]" quoted.)
    min_quote_confidence: float = 0.5
    # Other sources' sentences within this of the best (and above min_relevance) are read for another amount.
    # 1.5 until the nineteenth session; from 1.5 to 10 no benchmark answer changes (the amount must count
    # the same thing and the sentence repeat the question's words), while 1.5 missed "more than six hours"
    # 3.1 below "a 5 1/2-hour meeting" for "How long was the meeting …?".
    conflict_margin: float = 4.0
    max_tokens: int = 32  # "[n]" and the answering words; a reply ends with its first line
    filters: Filters = Filters()  # which articles may answer
    reranker: str | None = None  # a reranker spec (see retrieve.rerank.reranker_for), off by default
    # Scores (question, sentence) pairs beside passages.py's fitted score: "adapter:bundled" (answer/sentence_ranker.py)
    # or another reranker spec. Off: on the benchmark sets it gave 4 more right answers for as many bad at the 0.2 gate,
    # fewer at some stricter gates, and turned two of the bundled articles' answers wrong (benchmarks/README.md).
    sentence_ranker: str | None = None
    reference_date: str | None = None  # what "last week" is relative to: QA_REFERENCE_DATE, else the newest article
    # Nothing held on the best passages: show the reader the next max_passages once. Off: on the
    # benchmark sets it turned 8 refusals into right answers and 5 into wrong ones (benchmarks/README.md).
    second_look: bool = False
    recent_margin: float = 1.0  # for "the latest ...": sentences within this of the best, newest first
    # A pick at least min_quote_confidence sure whose reply copied nothing that holds: before its sentence is
    # quoted whole, the reader is shown that sentence alone and asked again (a 1.5B model copies better from
    # one sentence than from four). On the benchmark sets 7 long quotes became short checked words, none worse.
    reread: bool = True


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
    kind: str = "answer"  # "answer" (checked words), "extract" (a quoted passage), "refusal"
    articles: dict[str, Article] = field(default_factory=dict, repr=False)  # what the citations come from
    confidence: float | None = None  # the estimate that the answer's sentence holds the answer (confidence.py)
    steps: list[str] = field(default_factory=list)  # how the answer was reached, in words (`qa ask --explain`)

    def to_dict(self) -> dict:
        return {"answer": self.answer, "citations": [asdict(c) for c in self.citations],
                "refused": self.refused, "kind": self.kind, "confidence": self.confidence, "question": self.question,
                "standalone_question": self.standalone_question, "steps": self.steps,
                "also_retrieved": [e.to_dict() for e in self.also_retrieved]}


@dataclass
class Retrieved:
    """First event of a stream: the rewritten question and the passages, before any answer text."""

    standalone_question: str
    passages: list[Passage]
    articles: dict[str, Article] = field(default_factory=dict, repr=False)  # the passages' whole articles
    time_note: str = ""  # what the question's time words did: "Searched articles from ... to ..."


@dataclass
class Partial:
    """Answer text before the final one: a provisional quoted extract shown while the reader works."""

    text: str
    provisional: bool = True


def bare_number(draft: str) -> int:
    """n for a reply that is only "[n]"; 0 for any other."""
    match = re.fullmatch(r"\s*\[(\d)\]\s*", draft)
    return int(match.group(1)) if match else 0


RARE_WORD = 5.0  # word_weight of a word seen less than once in 100,000 (Zipf 3): a name more than a topic


def mentioned(question: str, passages: list[Passage]) -> bool:
    """Whether a retrieved passage has a rare word of the question ("Diaoyutai"): the articles mention what
    it asks about, though no sentence scores as an answer."""
    rare = {t for w in content_words(question) if word_weight(w) >= RARE_WORD for t in search_terms(w)}
    return any(rare & set(search_terms(p.text)) for p in passages)


def citation(n: int, passage: Passage) -> Citation:
    return Citation(n=n, **asdict(passage))


def needs_context(sentence: Sentence) -> bool:
    """Whether the sentence leans on the one before (passages.leans_on_before), and there is one."""
    return bool(sentence.before) and leans_on_before(sentence.text)


def shows(passage: Passage, other: Passage) -> bool:
    """Whether passage's text already holds other's sentence."""
    return (passage.doc_id == other.doc_id and passage.start <= other.focus_start
            and other.focus_end <= passage.end)


def picked(decision: confidence.Decision, offset: int, floor: float) -> str:
    """The code's pick among the shown sentences, told with the model's probabilities it was made from."""
    odds = ", ".join([f"none {decision.probabilities[0]:.2f}"] + [f"[{offset + n}] {p:.2f}" for n, p in
                                                                  enumerate(decision.probabilities[1:], start=1)])
    if not decision.passage:
        return f"The reader's probabilities: {odds}. Confidence {decision.confidence:.2f} is below {floor}: refused."
    return f"The reader's probabilities: {odds}. Picked [{offset + decision.passage}], confidence {decision.confidence:.2f}."


class Answerer:
    """Answers questions from the index with a reader (a chat model, or extractive)."""

    def __init__(self, retriever: Retriever, reader: Reader | None = None,
                 settings: AnswerSettings = AnswerSettings()):
        self.retriever = retriever
        self.reader = reader or ExtractiveReader()
        self.settings = settings
        self.reranker = reranker_for(settings.reranker)
        self.sentence_ranker = reranker_for(settings.sentence_ranker)

    @property
    def model(self):
        return self.reader.model

    def time_frame(self, query: str) -> TimeFrame:
        """The question's time words against the reference date (see retrieve/timeframe.py)."""
        reference = self.settings.reference_date or os.environ.get("QA_REFERENCE_DATE") or self.retriever.newest_date()

        def anchor(phrase: str) -> date | None:  # "before the summit": when the best dated report of it is
            dated = [e.date for e in self.retriever.search(phrase, k=5) if e.date]
            return date.fromisoformat(dated[0]) if dated else None

        return time_frame(query, date.fromisoformat(reference) if reference else None, anchor)

    def passages(self, query: str, frame: TimeFrame | None = None) -> tuple[list[Passage], dict[str, Article]]:
        """The sentences the reader will see (with the sentence before where it is needed), best first."""
        filters = self.settings.filters
        if frame is not None and (frame.date_from or frame.date_to):
            filters = filters.narrowed(frame.date_from, frame.date_to, include_undated=True)
        excerpts = self.retriever.search(query, k=self.settings.k, filters=filters, reranker=self.reranker)
        articles = self.retriever.articles({e.doc_id for e in excerpts})
        ranked = rank_sentences(query, excerpts, articles, self.retriever.embedder, self.sentence_ranker)
        if frame is not None and frame.prefer_recent and ranked:
            near = [s for s in ranked if s.score >= ranked[0].score - self.settings.recent_margin]
            near.sort(key=lambda s: s.excerpt.date or "", reverse=True)
            ranked = near + ranked[len(near):]
        passages: list[Passage] = []
        wanted = max(self.settings.max_passages, self.settings.conflict_passages)
        for sentence in ranked:
            if len(passages) == wanted:
                break
            passage = as_passage(sentence, len(passages) + 1, context=needs_context(sentence))
            if any(shows(p, passage) for p in passages):
                continue  # already shown, as the sentence before another one
            if any(shows(passage, p) for p in passages):  # its sentence before is already a passage
                passage = as_passage(sentence, len(passages) + 1, context=False)
            passage.text = articles[passage.doc_id].text[passage.start:passage.end]
            passages.append(passage)
        # Copies of a story are shown once; one that words the sentence otherwise comes last, for disagreement.
        unread = {d for p in passages for d in p.copies} - set(articles)
        if unread:
            articles.update(self.retriever.articles(unread))
        return passages + copy_passages(passages, articles), articles

    def stream(self, question: str, history: list[tuple[str, str]] | None = None) -> Iterator[Retrieved | Partial | Answer]:
        """Retrieved first, then a provisional extract (when one is strong), then the final Answer."""
        question = question.strip()
        if not question:
            raise ValueError("the question is empty")
        query = standalone(question, history or [])
        frame = self.time_frame(query)
        candidates, articles = self.passages(query, frame)
        fixed = respelled(query, (f"{a.title}\n{a.text}" for _, a in sorted(articles.items())))
        if fixed != query:  # "Blinkin" -> "Blinken": searched again, and the checks compare names as the articles write them
            query = fixed
            candidates, articles = self.passages(query, frame)
        passages = candidates[:self.settings.max_passages]  # what the reader sees
        yield Retrieved(query, passages, articles, frame.describe())
        steps = [f"Searched for: {query}"] if query != question else []
        best = passages[0].score if passages else float("-inf")
        if not passages or best < self.settings.min_relevance:
            steps.append("Nothing was retrieved." if not passages else f"The best sentence scores {best:.2f}, "
                         f"below min_relevance {self.settings.min_relevance}: refused without asking the reader.")
            # "Don't cover" only where nothing retrieved names what the question names ("the Diaoyutai" is
            # named, though no sentence about it scores as relevant)
            text = UNCHECKED if mentioned(query, passages) else REFUSAL
            refusal = self.refusal(question, query, passages, articles, text)
            refusal.steps = steps
            yield refusal
            return
        extract = self.extract(question, query, passages, articles) if best >= self.settings.quote_relevance else None
        if extract is not None and self.reader.model is not None:
            yield Partial(extract.answer)
        checked, sure = self.read(query, candidates, articles, steps)
        if checked is not None:
            answer = self.compose(question, query, checked, candidates, articles)
        elif extract is not None and self.reader.model is None:
            answer = extract  # the extractive back end's answer
            steps.append("No reader model: the best sentence quoted, nothing ruling it out.")
        else:
            # A model that found nothing it could copy from the passages is not overruled with a
            # quote: on the benchmark sets such quotes were wrong far more often than right.
            answer = self.refusal(question, query, passages, articles, UNCHECKED)
            if not steps or not steps[-1].endswith("refused."):
                steps.append("Nothing the reader wrote holds: refused.")
        answer.confidence = sure
        answer.steps = steps
        yield answer

    def read(self, query: str, candidates: list[Passage], articles: dict[str, Article],
             steps: list[str]) -> tuple[Checked | None, float | None]:
        """The reader's first claim that holds, and the confidence in its sentence (None where the model
        shows no probabilities): on the best passages, then (when nothing there holds) on the next ones
        still above min_relevance. (None, confidence) when neither round yields one, or when the sentence
        the reader and the code picked is below min_confidence. What happened is appended to steps."""
        if self.reader.model is None:
            return None, None  # the extractive back end writes no draft
        size = self.settings.max_passages
        rounds = 2 if self.settings.second_look else 1
        sure = None
        for offset in range(0, size * rounds, size):
            shown = [p for p in candidates[offset:offset + size] if offset == 0 or p.score >= self.settings.min_relevance]
            if not shown:
                break
            decisions: list[confidence.Decision] = []
            same = copies([articles[p.doc_id].text[p.focus_start:p.focus_end] for p in shown])

            def decide(probabilities: list[float]) -> int:
                decisions.append(confidence.decide(probabilities, [p.score for p in shown],
                                                   self.settings.min_confidence, same))
                return decisions[-1].passage

            draft = "".join(self.reader.draft(query, shown, self.settings.max_tokens, Pick(len(shown), decide)))
            steps.append("Shown to the reader, with their scores (passages.py):")
            steps += [f"  [{offset + n}] {p.score:.2f} “{trimmed(p.focus)}”" for n, p in enumerate(shown, start=1)]
            if decisions:
                sure = decisions[-1].confidence
                steps.append(picked(decisions[-1], offset, self.settings.min_confidence))
                if not decisions[-1].passage:
                    continue  # not sure enough of any sentence: whatever the reply says, no claim stands
            steps.append(f"The reader wrote: {draft.strip()!r}")
            claims = parse_draft(draft, query)
            checked = check(claims, query, shown, articles)
            number = decisions[-1].passage if decisions else bare_number(draft)
            if decisions:
                pointing = decisions[-1].confidence >= self.settings.min_quote_confidence
            else:
                pointing = bool(EMPTY_WORDS_RE.match(MARKER_RE.sub("", draft)))
            if decisions and not pointing and checked and not checked[0].words and checked[0].polarity != "No":
                # A sentence quoted whole for words that are not in it (the one the reply drew on) is as
                # unchecked as a quote for a bare pick, and asks the same confidence (a denial is a check).
                steps.append(f"The reply's words are in no shown sentence; sentence [{offset + checked[0].passage}], "
                             f"which it draws on, is not quoted below min_quote_confidence "
                             f"{self.settings.min_quote_confidence}.")
                checked = []
            elif not checked:
                steps.append("It does not hold: " + "; ".join(first_problems(claims, query, shown, articles)) + ".")
            if not checked and number and pointing and decisions and self.settings.reread:
                checked = self.reread(query, shown[number - 1], number, articles, steps)
            ruled_out = value_ruled_out(claims, query, shown, articles, number) if number and pointing and not checked \
                else None  # only where the sentence would be quoted whole in the words' place
            if ruled_out:
                steps.append(f"Sentence [{offset + number}] is not quoted either: {ruled_out}.")
            if not checked and number and pointing and not ruled_out:
                # A very sure pick whose reply copied nothing that holds ("[3]", "[1] none", a number
                # written "45" for "45th"), or a bare "[n]" from a model without probabilities: the
                # sentence itself, quoted, is the answer when nothing rules it out. To a yes/no question
                # it is the closest sentence, or a No where it denies what was asked.
                checked = [c for c in [pointed(number, query, shown, articles)] if c]
                for c in checked if is_yes_no(query) else []:
                    c.polarity = decided_polarity(query, c.sentence, None)
                if not checked:
                    steps.append(f"Sentence [{offset + number}] is not quoted either: the checks rule it out.")
            if checked and quoted_whole(checked[0]) and not states_something(checked[0].sentence):
                steps.append(f"Sentence [{offset + checked[0].passage}] is a heading or a label: not quoted as an answer.")
                checked = []
            if not checked and decisions and not offset:
                # Nothing holds, but a sentence the reader weighed has a copy in another article that gives
                # another value of the asked kind: told as the sources' disagreement, in the reader's order.
                by_odds = sorted(range(1, len(shown) + 1), key=lambda n: -decisions[-1].probabilities[n])
                checked = next(([c] for n in by_odds if (c := disputed(query, n, candidates, articles))), [])
                if checked:
                    steps.append(f"Sentence [{checked[0].passage}] says “{checked[0].words}” where another article's "
                                 f"copy of it says otherwise: told as a disagreement, not as the answer.")
            if checked:
                checked[0].passage += offset  # numbered among all candidates from here on
                held = checked[0]
                if not held.unconfirmed:
                    steps.append(f"Checked: “{held.words}” is in sentence [{held.passage}], which nothing rules out."
                                 if held.words else f"Answered with sentence [{held.passage}] quoted whole, which nothing rules out.")
                return held, sure
        return None, sure

    def reread(self, query: str, passage: Passage, number: int, articles: dict[str, Article],
               steps: list[str]) -> list[Checked]:
        """The reader's words from the picked sentence shown alone, checked there (numbered as among `shown`)."""
        draft = "".join(self.reader.draft(query, [passage], self.settings.max_tokens, Pick(1, lambda _: 1)))
        # Only copied words: a paraphrase of the one sentence shown would always be read as quoting it.
        checked = [c for c in check(parse_draft(draft, query), query, [passage], articles) if c.words]
        steps.append(f"Shown the picked sentence alone, the reader wrote: {draft.strip()!r}"
                     + ("" if checked else " (no copied words that hold)."))
        for c in checked:
            c.passage = number
        return checked

    def ask(self, question: str, history: list[tuple[str, str]] | None = None) -> Answer:
        """The final answer, without streaming."""
        *_, answer = self.stream(question, history)
        return answer

    def refusal(self, question: str, query: str, passages: list[Passage], articles: dict[str, Article],
                text: str = REFUSAL) -> Answer:
        return Answer(question, text, [], True, query, passages, "refusal", articles)

    def extract(self, question: str, query: str, passages: list[Passage], articles: dict[str, Article]) -> Answer | None:
        """The best passage quoted, when nothing in it rules it out (another speaker, another year)."""
        passage = passages[0]
        article = articles[passage.doc_id]
        if context_problems(query, passage, article, passage.focus_start) \
                or not names_a_doer(query, article, passage.focus_start, passage.focus_end):
            return None
        focus = article.text[passage.focus_start:passage.focus_end]
        text = f"{EXTRACT_LEAD} “{trimmed(focus)}” [1]"
        return Answer(question, text, [citation(1, passage)], False, query, passages[1:], "extract", articles)

    def compose(self, question: str, query: str, checked: Checked, passages: list[Passage],
                articles: dict[str, Article]) -> Answer:
        """The answer text from a checked claim, with any disagreeing sources named and cited."""
        floor = max(passages[0].score - self.settings.conflict_margin, self.settings.min_relevance)
        if not checked.unconfirmed:
            checked = most_precise(sharpened(checked, query, passages, articles), query, passages, articles,
                                   self.settings.min_relevance)
        others = other_values(checked, query, passages, articles, floor)
        if checked.unconfirmed and not others:
            return self.refusal(question, query, passages[:self.settings.max_passages], articles, UNCHECKED)
        order = [checked.passage] + [o.passage for o in others]
        number_of = {p: n for n, p in enumerate(order, start=1)}
        text = statement(checked, 1)
        if is_yes_no(query) and checked.polarity is None and not alternatives(query):
            # A yes/no question its sentence neither states nor denies: the sentence, marked as only the closest.
            text = f"{UNDECIDED_LEAD} “{trimmed(checked.sentence, checked.words).rstrip()}” [1]"
        note = disagreement_note(checked, others, passages, number_of)
        if checked.unconfirmed:
            text = note  # no value is told as the answer, only what each source says
        elif note:
            text = f"{text} {note}"
        cited = [citation(number_of[p], passages[p - 1]) for p in order]
        for c in cited:  # the cited sentence is the one that holds the words
            if c.n == 1:
                c.focus_start, c.focus_end = checked.sentence_start, checked.sentence_end
                # From where the person is named in full, or where the sentence's "it" or "he" is named.
                whole = articles[c.doc_id].text
                begin = checked.window_start if checked.window_start >= 0 else \
                    referent_start(whole, checked.sentence_start, checked.sentence_end)
                if 0 <= begin < c.start:
                    c.start = begin
                    c.text = whole[c.start:c.end]
        uncited = [p for i, p in enumerate(passages[:self.settings.max_passages], start=1) if i not in number_of]
        return Answer(question, text, cited, False, query, uncited, "answer", articles)


def ask(question: str, index: str | Path | None = None, backend: str | None = None,
        history: list[tuple[str, str]] | None = None) -> Answer:
    """One answer from the index (a folder or store URI) with the configured back end (see readers.BACKENDS)."""
    return Answerer(Retriever.load(index), answer_backend(backend)).ask(question, history)
