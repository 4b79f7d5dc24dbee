"""Select passages: score every sentence of the retrieved excerpts, keep the few most likely to answer.

Each sentence gets a handful of features (meaning and word overlap with the question, where its
excerpt ranked, whether it names the kind of thing the question asks for, ...) and a linear score
whose weights were fitted on NewsQA dev questions (benchmarks/fit_sentence_scorer.py), to which a
cross-encoder's score can be added (AnswerSettings.sentence_ranker, off by default; sentence_ranker.py
is trained on NewsQA dev questions); the bundled articles played no part in either. A passage is one sentence, with the sentence before it kept as
context so that "he" and "the minister" keep their referent.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

import numpy as np

from ..index.embed import Embedder
from ..records import Article, Excerpt, Passage
from ..retrieve.rerank import Reranker
from ..text.nlp import PRONOUNS, content_words, entities, numbers, same_name, word_weight
from ..text.sentences import split_sentences
from ..text.terms import search_terms

# The question words and the entity labels (spaCy's OntoNotes set) an answer to them would carry.
ANSWER_TYPES = {
    "how many": {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"},
    "how much": {"MONEY", "QUANTITY", "PERCENT", "CARDINAL"},
    "how long": {"DATE", "TIME", "QUANTITY"},
    "how old": {"DATE", "CARDINAL"},
    "what year": {"DATE"},
    "what date": {"DATE"},
    "when": {"DATE", "TIME"},
    "where": {"GPE", "LOC", "FAC", "ORG"},
    "who": {"PERSON", "ORG", "NORP", "GPE"},
    "whom": {"PERSON", "ORG", "NORP"},
    "whose": {"PERSON", "ORG", "NORP"},
}
ANSWER_TYPE_RE = re.compile(r"\b(" + "|".join(sorted(ANSWER_TYPES, key=len, reverse=True)) + r")\b", re.IGNORECASE)
SPEECH_RE = re.compile(r"\b(say|says|said|tell|told|describe[sd]?|call(?:s|ed)?|claim(?:s|ed)?|think|thinks|"
                       r"thought|believe[sd]?|argue[sd]?|warn(?:s|ed)?|accuse[sd]?)\b", re.IGNORECASE)
QUOTE_RE = re.compile(r"[\"“”]")

FEATURES = ("cosine", "weighted_overlap", "weighted_overlap_context", "term_overlap", "bigram_overlap",
            "excerpt_rank", "excerpt_score", "article_rank", "position", "lead", "length", "numbers_match",
            "speech_match", "answer_type", "names_match")
# Fitted by benchmarks/fit_sentence_scorer.py (listwise logistic regression on NewsQA dev questions).
WEIGHTS = np.array([1.479, 1.015, 1.041, 1.662, 0.658, 1.004, 1.164, 1.049, -0.912, 0.877, 0.641, 0.283, 0.259, 1.288,
                    0.092], dtype=np.float32)
# The sentence ranker's score (sentence_ranker.py) counts this much beside the fitted score; chosen by
# benchmarks/train_sentence_ranker.py --check on NewsQA articles the ranker was not trained on.
RANKER_WEIGHT = 0.5
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
TYPED_CANDIDATES = 12  # sentences whose entities are looked at (the best by the other features)


def answer_type(question: str) -> set[str]:
    """The entity labels an answer to the question would carry (empty when the question does not say)."""
    match = ANSWER_TYPE_RE.search(question)
    return ANSWER_TYPES[match.group(1).lower()] if match else set()


@dataclass
class Sentence:
    """A sentence of a retrieved excerpt: where it is, the sentence before it, and how well it answers."""

    excerpt: Excerpt
    start: int  # offsets into the article's text
    end: int
    text: str
    before: str = ""  # the previous sentence of the article, for who-said-what
    before_start: int = -1
    features: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES), np.float32))
    score: float = 0.0


def leans_on_before(sentence: str) -> bool:
    """Whether a sentence leans on the one before it: a pronoun early on ("It was released …", "he said"),
    or a quote that opens it with no name."""
    first = content_words(" ".join(sentence.split()[:6]))
    return bool(PRONOUNS & set(first)) or sentence.lstrip()[:1] in "\"“'‘"


def sentences_of(excerpts: list[Excerpt], articles: dict[str, Article]) -> list[Sentence]:
    """The sentences of the excerpts, each once (neighbouring chunks overlap), with their previous sentence."""
    seen: set[tuple[str, int]] = set()
    result = []
    for excerpt in excerpts:
        article = articles[excerpt.doc_id].text
        spans = [(excerpt.start + s, excerpt.start + e) for s, e in split_sentences(excerpt.text)]
        for index, (start, end) in enumerate(spans):
            if (excerpt.doc_id, start) in seen:
                continue
            seen.add((excerpt.doc_id, start))
            if index:
                before_start, before_end = spans[index - 1]
            else:
                previous = split_sentences(article[max(0, start - 400):start])
                offset = max(0, start - 400)
                before_start, before_end = ((offset + previous[-1][0], offset + previous[-1][1]) if previous
                                            else (-1, -1))
            before = article[before_start:before_end] if before_start >= 0 else ""
            result.append(Sentence(excerpt, start, end, article[start:end], before, before_start))
    return result


def weighted_share(question_words: list[str], text: str) -> float:
    """Share of the question's word weight that the text repeats (rare words count more)."""
    total = sum(word_weight(w) for w in question_words)
    present = set(content_words(text))
    return sum(word_weight(w) for w in question_words if w in present) / total if total else 0.0


def stem_share(question_words: list[str], text: str) -> float:
    """Share of the question words' weight that the text repeats in some form ("lasted" ~ "last", "died" ~
    "die"); words with no search term ("the") do not count."""
    words = [w for w in question_words if search_terms(w)]
    total = sum(word_weight(w) for w in words)
    stems = set(search_terms(text))
    return sum(word_weight(w) for w in words if set(search_terms(w)) <= stems) / total if total else 0.0


def bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:]))


def score_sentences(question: str, sentences: list[Sentence], articles: dict[str, Article],
                    embedder: Embedder, ranker: Reranker | None = None) -> None:
    """Fill in each sentence's features and score (with the ranker's score added when there is one)."""
    if not sentences:
        return
    vectors = embedder.embed([question] + [s.text for s in sentences])
    cosines = vectors[1:] @ vectors[0]
    question_words = [w for w in dict.fromkeys(content_words(question)) if word_weight(w) > 2.5]
    question_terms = set(search_terms(question))
    question_bigrams = bigrams(search_terms(question))
    question_numbers = numbers(question)
    question_names = [text for text, label in entities(question) if label in NAME_LABELS]
    asks_speech = bool(SPEECH_RE.search(question))
    doc_order = list(dict.fromkeys(s.excerpt.doc_id for s in sorted(sentences, key=lambda s: s.excerpt.rank)))
    for sentence, cosine in zip(sentences, cosines):
        article = articles[sentence.excerpt.doc_id]
        terms = search_terms(sentence.text)
        context = " ".join((article.title, sentence.before, sentence.text))
        position = sentence.start / max(1, len(article.text))
        window_numbers = numbers(context) | numbers(article.date or "")
        sentence.features[:13] = (
            float(cosine),
            weighted_share(question_words, sentence.text),
            weighted_share(question_words, context),
            len(question_terms & set(terms)) / len(question_terms) if question_terms else 0.0,
            len(question_bigrams & bigrams(terms)) / len(question_bigrams) if question_bigrams else 0.0,
            1.0 / sentence.excerpt.rank,
            float(sentence.excerpt.score),
            1.0 / (1 + doc_order.index(sentence.excerpt.doc_id)),
            position,
            1.0 if sentence.start < 400 else 0.0,
            math.log1p(len(sentence.text.split())),
            1.0 if question_numbers <= window_numbers else 0.0,
            1.0 if asks_speech and QUOTE_RE.search(sentence.text) else 0.0,
        )
        sentence.features[14] = (sum(same_name(name, context) for name in question_names) / len(question_names)
                                 if question_names else 1.0)
        sentence.score = float(sentence.features @ WEIGHTS)
    wanted = answer_type(question)
    if wanted:
        asked = {text.lower() for text, _ in entities(question)}
        for sentence in sorted(sentences, key=lambda s: -s.score)[:TYPED_CANDIDATES]:
            new = [t for t, label in entities(sentence.text) if label in wanted and t.lower() not in asked]
            sentence.features[13] = 1.0 if new else 0.0
            sentence.score = float(sentence.features @ WEIGHTS)
    if ranker is not None:
        ranked = ranker.score(question, [s.text for s in sentences])
        # Relative to the best-scored sentence, which keeps its score: min_relevance's floor means what it did.
        top = ranked[max(range(len(sentences)), key=lambda i: sentences[i].score)]
        for sentence, value in zip(sentences, ranked):
            sentence.score += RANKER_WEIGHT * (value - top)


def rank_sentences(question: str, excerpts: list[Excerpt], articles: dict[str, Article],
                   embedder: Embedder, ranker: Reranker | None = None) -> list[Sentence]:
    """Every sentence of the excerpts, best answer first (an exact repeat of a better one is dropped)."""
    sentences = sentences_of(excerpts, articles)
    score_sentences(question, sentences, articles, embedder, ranker)
    ranked, seen = [], set()
    for sentence in sorted(sentences, key=lambda s: -s.score):
        key = " ".join(content_words(sentence.text))
        if key and key not in seen:
            seen.add(key)
            ranked.append(sentence)
    return ranked


def as_passage(sentence: Sentence, rank: int, context: bool = True) -> Passage:
    """The sentence as a citable passage: its text is the sentence (with the one before when context)."""
    start = sentence.before_start if context and sentence.before_start >= 0 else sentence.start
    article_text = sentence.before + (" " if sentence.before else "") + sentence.text
    text = article_text if start != sentence.start else sentence.text
    fields = dict(asdict(sentence.excerpt), rank=rank, score=sentence.score, start=start, end=sentence.end,
                  focus_start=sentence.start, focus_end=sentence.end)
    fields["text"] = text
    return Passage(**fields)


def select_passages(question: str, excerpts: list[Excerpt], articles: dict[str, Article], embedder: Embedder,
                    max_passages: int = 4, ranker: Reranker | None = None) -> list[Passage]:
    """The best sentences as passages (text == article.text[start:end]), best first."""
    ranked = rank_sentences(question, excerpts, articles, embedder, ranker)
    passages = []
    for sentence in ranked[:max_passages]:
        passage = as_passage(sentence, len(passages) + 1)
        article = articles[passage.doc_id].text
        passage.text = article[passage.start:passage.end]
        passages.append(passage)
    return passages


def best_score(passages: list[Excerpt]) -> float:
    return max((p.score for p in passages), default=float("-inf"))
