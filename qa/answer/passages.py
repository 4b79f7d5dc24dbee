"""Pick the sentences that matter from the retrieved excerpts: small, exact passages for the answer."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from ..index.embed import Embedder
from ..records import Article, Excerpt, Passage
from ..text.sentences import split_sentences
from ..text.terms import term_overlap

KEYWORD_WEIGHT = 0.15  # share of question terms found in the sentence, added to its cosine
QUANTITY_WEIGHT = 0.2  # for "how long / how many" questions, sentences that state a quantity
QUANTITY_QUESTION_RE = re.compile(r"\bhow (long|many|much|often|far|big|large|old)\b", re.IGNORECASE)
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|millions?"
QUANTITY_RE = re.compile(
    rf"\b(?:more than |less than |about |nearly |over |some )?(?:\d[\d,.]*(?: \d/\d)?|{NUMBER_WORDS})"
    r"(?:[- ](?:and a half[- ])?(?:hours?|days?|weeks?|months?|years?|minutes?|percent|%|"
    r"sanctions|people|visitors|million|billion))?\b", re.IGNORECASE)


def quantities(text: str, with_unit: bool = False) -> dict[str, str]:
    """Quantities stated in text ("four-hour", "5 1/2-hour", "more than 100"): normalised -> as written."""
    found = {}
    for match in QUANTITY_RE.finditer(text):
        phrase = match.group(0)
        has_unit = any(c.isalpha() for c in phrase.split()[-1].split("-")[-1]) and not phrase.isalpha() or " " in phrase.strip() or "-" in phrase
        if (any(c.isdigit() for c in phrase) and not with_unit) or has_unit:
            found[phrase.lower().replace("-", " ")] = phrase
    return found


@dataclass
class Sentence:
    excerpt: Excerpt
    start: int  # offsets into the article's text
    end: int
    score: float = 0.0


def sentences_of(excerpts: list[Excerpt]) -> list[Sentence]:
    """The sentences of the excerpts, each once (neighbouring chunks overlap)."""
    seen: set[tuple[str, int]] = set()
    result = []
    for excerpt in excerpts:
        for s, e in split_sentences(excerpt.text):
            key = (excerpt.doc_id, excerpt.start + s)
            if key not in seen:
                seen.add(key)
                result.append(Sentence(excerpt, excerpt.start + s, excerpt.start + e))
    return result


def score_sentences(question: str, sentences: list[Sentence], articles: dict[str, Article],
                    embedder: Embedder) -> None:
    """Set each sentence's relevance: cosine to the question plus a bonus for shared terms."""
    if not sentences:
        return
    texts = [articles[s.excerpt.doc_id].text[s.start:s.end] for s in sentences]
    vectors = embedder.embed([question] + texts)
    cosines = vectors[1:] @ vectors[0]
    wants_quantity = bool(QUANTITY_QUESTION_RE.search(question))
    for sentence, text, cosine in zip(sentences, texts, cosines):
        sentence.score = float(cosine) + KEYWORD_WEIGHT * term_overlap(question, text)
        if wants_quantity and quantities(text):
            sentence.score += QUANTITY_WEIGHT


def is_heading(sentence: str) -> bool:
    """A section heading ("Key Points:", "3. Day 1 – Shanghai:") says too little to answer from."""
    return sentence.rstrip().endswith(":") or len(sentence.split()) < 5


def select_passages(question: str, excerpts: list[Excerpt], articles: dict[str, Article], embedder: Embedder,
                    max_passages: int = 4, neighbours: int = 1) -> list[Passage]:
    """One window per excerpt, in retrieval order: the excerpt's best sentence plus its neighbours.

    Each passage's score is its best sentence's relevance; text == article.text[start:end].
    """
    sentences = sentences_of(excerpts)
    score_sentences(question, sentences, articles, embedder)
    by_doc: dict[str, list[Sentence]] = {}
    for sentence in sorted(sentences, key=lambda s: s.start):
        by_doc.setdefault(sentence.excerpt.doc_id, []).append(sentence)
    passages: list[Passage] = []
    covered: set[tuple[str, int]] = set()
    for excerpt in excerpts:
        if len(passages) == max_passages:
            break
        group = by_doc[excerpt.doc_id]
        inside = [s for s in group if excerpt.start <= s.start < excerpt.end and (s.excerpt.doc_id, s.start) not in covered
                  and not is_heading(articles[excerpt.doc_id].text[s.start:s.end])]
        if not inside:
            continue
        best = max(inside, key=lambda s: s.score)
        at = group.index(best)
        window = [s for s in group[max(0, at - neighbours):at + neighbours + 1]
                  if (s.excerpt.doc_id, s.start) not in covered]
        start, end = min(s.start for s in window), max(s.end for s in window)
        covered.update((s.excerpt.doc_id, s.start) for s in window)
        fields = dict(asdict(excerpt), rank=len(passages) + 1, score=best.score,
                      text=articles[excerpt.doc_id].text[start:end], start=start, end=end,
                      focus_start=best.start, focus_end=best.end)
        passages.append(Passage(**fields))
    return passages


def best_score(passages: list[Excerpt]) -> float:
    return max((p.score for p in passages), default=float("-inf"))
