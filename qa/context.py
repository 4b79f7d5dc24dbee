"""Pick the sentences that matter from the retrieved excerpts: small, exact passages for the answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .embed import Embedder
from .keyword import keyword_tokens
from .records import Article, Excerpt, Passage
from .sentences import split_sentences

KEYWORD_WEIGHT = 0.15  # share of question terms found in the sentence, added to its cosine


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
    terms = set(keyword_tokens(question))
    for sentence, text, cosine in zip(sentences, texts, cosines):
        shared = len(terms & set(keyword_tokens(text))) / len(terms) if terms else 0.0
        sentence.score = float(cosine) + KEYWORD_WEIGHT * shared


def select_passages(question: str, excerpts: list[Excerpt], articles: dict[str, Article], embedder: Embedder,
                    max_passages: int = 4, neighbours: int = 1) -> list[Passage]:
    """Up to max_passages windows (best sentence plus neighbours), best first, as excerpts.

    Each passage's score is its best sentence's relevance; text == article.text[start:end].
    """
    sentences = sentences_of(excerpts)
    score_sentences(question, sentences, articles, embedder)
    by_doc: dict[str, list[Sentence]] = {}
    for sentence in sentences:
        by_doc.setdefault(sentence.excerpt.doc_id, []).append(sentence)
    for group in by_doc.values():
        group.sort(key=lambda s: s.start)
    passages: list[Passage] = []
    covered: set[tuple[str, int]] = set()
    for best in sorted(sentences, key=lambda s: -s.score):
        if len(passages) == max_passages:
            break
        if (best.excerpt.doc_id, best.start) in covered:
            continue
        group = by_doc[best.excerpt.doc_id]
        at = group.index(best)
        window = [s for s in group[max(0, at - neighbours):at + neighbours + 1]
                  if (s.excerpt.doc_id, s.start) not in covered]
        start, end = min(s.start for s in window), max(s.end for s in window)
        covered.update((s.excerpt.doc_id, s.start) for s in window)
        text = articles[best.excerpt.doc_id].text[start:end]
        fields = dict(asdict(best.excerpt), rank=len(passages) + 1, score=best.score, text=text, start=start,
                      end=end, focus_start=best.start, focus_end=best.end)
        passages.append(Passage(**fields))
    return passages


def best_score(passages: list[Excerpt]) -> float:
    return max((p.score for p in passages), default=float("-inf"))
