"""Disagreement between sources: other articles that state the same fact with another value.

Given the checked answer (a value in a sentence), every other passage from another article that
is about the same statement is read for its own value: by aligning it word by word with the
answer's sentence (copies of a story that differ in one value, as syndicated or corrected reports
do), or else by the one entity of the same kind it names that the question does not. No list of
question types or units: what differs is found, not looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from ..ingest.clean import host_of
from ..records import Article, Passage
from ..text.nlp import NUMBER_NAMES, content_words, entities, numbers, parse, same_name, word_weight
from ..text.sentences import split_sentences
from .claims import (Checked, action_tokens, context_problems, main_verb, nearest_verb, parsed_words, referent_start,
                     tied, whole_entity, word_problems, words_in)
from ..text.terms import search_terms, stop_words
from .passages import NAME_LABELS, answer_type, stem_share

AMOUNT_WORDS = set(NUMBER_NAMES[1:13]) | {"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million",
                                         "billion", "half"}
ABOUT = 0.75  # share of the question's word weight a sentence must repeat to be about the same fact
SAME_STATEMENT = 0.5  # share of the answer sentence's words another sentence must repeat to be "the same fact"


@dataclass
class OtherValue:
    """A value another source gives for the same fact, and the passage (1-based) that gives it."""

    words: str
    passage: int


def outlet_of(source: str) -> str | None:
    """"https://www.cnn.com/2024/..." -> "cnn.com"; a named source as it is; None for a file's path."""
    if "://" in source:
        return host_of(source)
    if "/" in source or source.rsplit(":", 1)[0].lower().endswith((".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")):
        return None
    return source


def value_parts(text: str) -> tuple[set[str], set[str]]:
    """The numbers and the words of a value: "September 20th" -> {"20"}, {"september"}; "June of 2020" ->
    {"2020"}, {"june"}."""
    return numbers(text), {w for w in content_words(text) if w.isalpha() and w not in stop_words()}


def same_value(a: str, b: str) -> bool:
    """Whether two values can both be true of one fact: equal, or one more precise than the other
    ("Tampa" ~ "Tampa, Florida"; "2012" ~ "May 15, 2012"; "$10.4 billion" ~ "10.4 billion")."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return False
    (na, aa), (nb, ab) = value_parts(a), value_parts(b)
    if na and nb:  # the numbers, and the words beside them ("May 5, 2020" is not "5 January 2020")
        return (na <= nb or nb <= na) and (aa <= ab or ab <= aa)
    sa, sb = " ".join(wa), " ".join(wb)
    return sa in sb or sb in sa or SequenceMatcher(a=sa, b=sb).ratio() >= 0.85  # "Christophe" ~ "Cristophe"


def looks_like_a_value(text: str) -> bool:
    """A name, an amount or a date: not a stretch of ordinary words (paraphrases are not disagreements)."""
    words = text.split()
    return 0 < len(words) <= 8 and (any(c.isdigit() for c in text) or is_amount(text)
                                    or any(w[:1].isupper() for w in words))


def statement_match(sentence: str, other: str) -> SequenceMatcher | None:
    """The word-by-word alignment of two sentences when they are the same statement (copies of a report,
    perhaps with another value in one place); None when they are not."""
    clean = lambda words: [w.lower().strip(".,;:!?\"“”'()") for w in words]  # noqa: E731
    matcher = SequenceMatcher(a=clean(sentence.split()), b=clean(other.split()), autojunk=False)
    return matcher if matcher.ratio() >= SAME_STATEMENT else None


def copies(sentences: list[str]) -> list[int]:
    """For each sentence, the index of the first one that states the same (itself when none before does)."""
    first: list[int] = []
    for i, sentence in enumerate(sentences):
        first.append(next((j for j in range(i) if first[j] == j and statement_match(sentences[j], sentence)), i))
    return first


def aligned_value(value: str, sentence: str, other: str) -> str | None:
    """The words of other that stand where value stands in sentence, when the two sentences are the same
    statement; None when they are not, or when other has the same value there."""
    a, b = sentence.split(), other.split()
    matcher = statement_match(sentence, other)
    if matcher is None:
        return None
    wanted = content_words(value)
    size = len(value.split())
    start = next((i for i in range(len(a)) if content_words(" ".join(a[i:i + size])) == wanted), None)
    if not wanted or start is None:
        return None
    end = start + size
    mapped: list[int] = []  # positions in b that the value's words project onto
    changed = False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            mapped += [j1 + (i - i1) for i in range(max(i1, start), min(i2, end))]
        elif (i1 < end and start < i2) or (tag == "insert" and start < i1 < end):
            changed = True
            mapped += list(range(j1, j2))
        elif tag == "insert" and i1 == start:  # words put before the value ("on May 5" for "on 5 January")
            mapped += list(range(j1, j2))
    if not changed or not mapped:
        return None
    words = b[min(mapped):max(mapped) + 1]
    while len(words) > 1 and words[0].isalpha() and not search_terms(words[0]):  # "On April 9" for "In 2015"
        words = words[1:]
    found = value_text(" ".join(words))
    span = words_in(found, other) if found else None
    if span is None:
        return found
    whole = whole_entity(other, 0, len(other), *span)  # "9, 2005" where "April 9, 2005" differs in its day
    return value_text(other[whole[0]:whole[1]]) if whole != span else found


def value_text(text: str) -> str | None:
    """A value cut out of running text, without the punctuation around it (but "U.S." keeps its dot)."""
    text = text.strip(",;:!?\"“”'() ")
    if text.count("(") > text.count(")"):  # "Pieter Vos (Belgium)," keeps the bracket it opens
        text += ")"
    if text.endswith(".") and "." not in text[:-1]:
        text = text[:-1]
    return text or None


AMOUNTS = {"TIME", "QUANTITY", "MONEY", "PERCENT", "CARDINAL"}


def entity_value(value: str, value_sentence: str, other: str, question: str) -> str | None:
    """The single amount of the kind the question asks for (and the value is) that other names and the
    question does not. Only amounts ("four hours" against "5 1/2 hours"): a related sentence names
    other people, places and dates too often for those to count as a disagreement; copies that
    differ in a name are found by aligned_value."""
    wanted = answer_type(question) & AMOUNTS
    labels = {label for text, label in entities(value_sentence) if (words_in(value, text) or words_in(text, value))
              and label in wanted}
    if not labels:
        return None
    kinds = AMOUNTS  # any amount may stand for another ("four-hour" TIME, "5 1/2 hours" TIME or QUANTITY)
    asked = " ".join(content_words(question))
    found = [text for text, label in entities(other)
             if label in kinds and " ".join(content_words(text)) not in asked and is_amount(text)]
    unit = unit_terms(value)
    if unit:  # "more than six hours" against "5 1/2-hour", not "the two sides" or "Friday morning" beside it
        found = [text for text in found if unit & unit_terms(text)]
    found = list(dict.fromkeys(found))
    return found[0] if len(found) == 1 else None


def is_amount(text: str) -> bool:
    """Whether text counts something: digits or a number word ("six hours", "dozens")."""
    return bool(numbers(text)) or any(w in AMOUNT_WORDS for w in content_words(text))


def unit_terms(value: str) -> set[str]:
    """The stems of what an amount counts ("5 1/2-hour" -> {"hour"}); empty for a bare number."""
    nouns = [t.lemma_.lower() for t in parse(value) if t.pos_ == "NOUN" and t.lower_ not in AMOUNT_WORDS]
    return set(search_terms(" ".join(nouns)))


def stated_value(value: str, sentence: str) -> str | None:
    """The sentence's own words for value: value itself, or one of its names, dates or amounts that holds
    all of value, perhaps more precisely ("September 20, 2019" holds "September 20th"; "Raymond James
    Stadium" does not hold "Raymond James Stadium in Glendale"). None when it does not state it."""
    if words_in(value, sentence):
        return value
    wanted_numbers, wanted_words = value_parts(value)
    if not looks_like_a_value(value) or not (wanted_numbers or wanted_words):
        return None
    for text, _ in entities(sentence):
        have_numbers, have_words = value_parts(text)
        if wanted_numbers <= have_numbers and wanted_words <= have_words:
            return text
    return None


def about_the_question(question: str, passage: Passage, article: Article, sentence: str) -> bool:
    """Whether a sentence is about what the question asks: its names are there, and most of its words."""
    if context_problems(question, passage, article, passage.start + max(0, passage.text.find(sentence))):
        return False
    return stem_share([w for w in content_words(question) if word_weight(w) > 2.5], sentence) >= ABOUT


def same_story(question: str, checked: Checked, passage: Passage, article: Article) -> bool:
    """Whether another article's passage may report what the answer does: for a question that names nothing
    ("How many were injured?"), only one that names something the answer's sentence names (Cairo, not a ferry
    in Bangladesh). A question that names its subjects has them checked in every passage already."""
    if any(label in NAME_LABELS for _, label in entities(question)):
        return True
    window = f"{article.title} {passage.text}"
    return any(same_name(name, window) for name, label in entities(checked.sentence) if label in NAME_LABELS)


def best_sentence(passage: Passage, article: Article, like: str) -> str:
    """The sentence of the passage most like the answer's sentence."""
    spans = split_sentences(passage.text) or [(0, len(passage.text))]
    words = set(content_words(like))
    return max((passage.text[s:e] for s, e in spans), key=lambda t: len(words & set(content_words(t))))


def other_values(checked: Checked, question: str, passages: list[Passage], articles: dict[str, Article],
                 min_score: float) -> list[OtherValue]:
    """Values for the same fact from passages of other articles that disagree with the checked one: any
    copy of the answer's statement with another value in its place, and, among passages scoring at
    least min_score, an independent report of the same fact with another amount."""
    if not checked.words:
        return []
    # Sentences that state the answer's value, in its words or in others ("September 20th" ~ "September 20, 2019"),
    # with the words they state it in: a copy of any of them with another value in their place is a disagreement.
    holders = [(checked.words, checked.sentence)]
    seen_docs = {passages[checked.passage - 1].doc_id}
    for passage in passages:
        sentence = best_sentence(passage, articles[passage.doc_id], checked.sentence)
        stated = stated_value(checked.words, sentence) or (checked.words if words_in(checked.words, passage.text) else None)
        if stated:
            holders.append((stated, sentence))
            seen_docs.add(passage.doc_id)
    found: list[OtherValue] = []
    for n, passage in enumerate(passages, start=1):
        if passage.doc_id in seen_docs:
            continue
        article = articles[passage.doc_id]
        value = None
        for stated, holder in holders:  # a copy of a sentence that states the answer, with another value there
            value = aligned_value(stated, holder, best_sentence(passage, article, holder))
            if value:
                break
        if value is None and passage.score >= min_score:  # an independent report: only a strong one is read
            other = best_sentence(passage, article, checked.sentence)
            if about_the_question(question, passage, article, other) and same_story(question, checked, passage, article):
                value = entity_value(checked.words, checked.sentence, other, question)
        if value and looks_like_a_value(value) and not same_value(value, checked.words) and words_in(value, passage.text):
            seen_docs.add(passage.doc_id)
            if not any(same_value(value, f.words) for f in found):
                found.append(OtherValue(value, n))
    return found


def copy_passages(passages: list[Passage], articles: dict[str, Article]) -> list[Passage]:
    """For each passage, its sentence as each other copy of its story writes it (retrieval shows a story once),
    where that copy's words differ: a corrected or altered copy may give another value for the same fact.
    The copies' articles must be in articles."""
    found: list[Passage] = []
    for passage in passages:
        sentence = articles[passage.doc_id].text[passage.focus_start:passage.focus_end]
        for doc_id in passage.copies:
            copy = articles[doc_id]
            spans = split_sentences(copy.text) or [(0, len(copy.text))]
            matched = [(m.ratio(), s, e) for s, e in spans if (m := statement_match(sentence, copy.text[s:e]))]
            if not matched:
                continue
            _, start, end = max(matched)
            if copy.text[start:end] == sentence:
                continue  # the same words: nothing to compare
            found.append(replace(passage, rank=len(passages) + len(found) + 1, text=copy.text[start:end],
                                 doc_id=doc_id, title=copy.title, source=copy.source, date=copy.date,
                                 url=copy.url, outlet=copy.outlet, also_published=[], copies=[], start=start,
                                 end=end, focus_start=start, focus_end=end))
    return found


def more_precise(value: str, other: str) -> bool:
    """Whether other says value and more: "December 2015" of "2015", "April 29, 2015" of "2015"."""
    (na, wa), (nb, wb) = value_parts(value), value_parts(other)
    return bool(na or wa) and na <= nb and wa <= wb and (na, wa) != (nb, wb)


def most_precise(checked: Checked, question: str, passages: list[Passage], articles: dict[str, Article],
                 min_score: float) -> Checked:
    """A date answer made as precise as the sources allow: "2015" becomes "December 2015", cited to the
    passage that says so, where a passage about the same fact (scoring at least min_score) gives that date
    more fully. Another date ("December 2016") is left to other_values, as a disagreement."""
    if not checked.words or not any(label == "DATE" and text == checked.words for text, label in entities(checked.sentence)):
        return checked
    for n, passage in enumerate(passages, start=1):
        if passage.score < min_score:
            continue
        article = articles[passage.doc_id]
        for start in dict.fromkeys((passage.focus_start, said_of_the_one_before(article.text, passage, question))):
            sentence = article.text[start:passage.focus_end]
            fuller = [text for text, label in entities(sentence) if label == "DATE" and more_precise(checked.words, text)]
            if fuller and about_the_question(question, passage, article, sentence):
                return Checked(fuller[0], n, None, start, passage.focus_end, sentence, start)
    return checked


def said_of_the_one_before(text: str, passage: Passage, question: str) -> int:
    """Where the sentence before the passage's key sentence starts, when the key sentence says "it" (or he,
    she, they) for what that one names, with the question's verb ("Splatoon 2 is a 2017 … game. It was
    released on July 21, 2017"). Else the key sentence's start."""
    verb = main_verb(question)
    doc = parse(text[passage.focus_start:passage.focus_end])
    subjects = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"]
    # "It was released", not "Its sequel was released": the subject itself is the pronoun.
    if verb is None or not subjects or subjects[0].lower_ not in ("it", "he", "she", "they") \
            or not action_tokens(doc, verb):
        return passage.focus_start
    return referent_start(text, passage.focus_start, passage.focus_end)


def differing_span(sentence: str, other: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Where two copies of one statement differ, when they differ in one place only: the character spans
    in each ("4, 2018" and "14, 2019" in "… will release on April …, alongside …"); None otherwise."""
    matcher = statement_match(sentence, other)
    if matcher is None:
        return None
    changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if len(changes) != 1 or changes[0][0] != "replace":
        return None
    _, i1, i2, j1, j2 = changes[0]

    def span(text: str, first: int, last: int) -> tuple[int, int]:
        words = list(re.finditer(r"\S+", text))
        start, end = words[first].start(), words[last - 1].end()
        while end > start and (text[end - 1] in ",;:!?\"“”'" or  # "March 3, 2017," ends at its year
                               text[end - 1] == ")" and text.count("(", start, end) < text.count(")", start, end)):
            end -= 1
        return start, end

    return span(sentence, i1, i2), span(other, j1, j2)


def stated_there(question: str, passage: Passage, article: Article, start: int, end: int) -> str | None:
    """The value at article.text[start:end] (widened to its whole name or date), when it is of the kind the
    question asks for and no check rules it out, but for how closely the sentence's parse ties it to the
    asked verb (does_it: a list "2020, Dominic Thiem (Austria), …" under "Winners")."""
    s, e = passage.focus_start, passage.focus_end
    start, end = whole_entity(article.text, s, e, start, end)
    value = value_text(article.text[start:end])
    if not value or not looks_like_a_value(value) or set(content_words(value)) <= set(content_words(question)):
        return None
    kinds = answer_type(question)
    if not any(label in kinds and (words_in(value, text) or words_in(text, value)) for text, label in entities(article.text[s:e])):
        return None
    if context_problems(question, passage, article, s) or word_problems(question, article, start, end, tied=False):
        return None
    doc, own = parsed_words(article, start, end)
    asked = set(search_terms(question))
    # The value must be said of the question's words ("killed 16 people", not "and injured 5 others" beside it):
    # of its verb, where the sentence uses it, else of any of its words
    verb = main_verb(question)
    uses = [t for t in action_tokens(doc, verb) if t.pos_ == "VERB"] if verb else []
    if uses and own and nearest_verb(own[0]) not in uses:
        return None
    if not tied(own, [t for t in doc if t not in own and set(search_terms(t.text)) & asked]):
        return None
    counted = {t.head for t in own if t.dep_ == "nummod" and t.head not in own}
    nouns = asked_count(question)
    if counted and nouns and not any(set(search_terms(t.text)) & nouns for t in counted):
        return None
    return value


def asked_count(question: str) -> set[str]:
    """What "How many <noun> …?" counts, as search terms ({"peopl"}); empty for other questions."""
    return {term for t in parse(question) if t.lower_ == "many" and t.head.pos_ == "NOUN"
            for term in search_terms(t.head.text)}


def disputed(question: str, picked: int, passages: list[Passage], articles: dict[str, Article]) -> Checked | None:
    """For a picked sentence whose answer no check confirmed: its value, marked unconfirmed, when a copy of
    its statement in another article differs from it in that one value, of the kind the question asks for
    (a release "on March 3, 2017" / "on March 13, 2019"), to be told only as a disagreement (other_values
    finds the copies' values). None when there is no such copy."""
    first = passages[picked - 1]
    article = articles[first.doc_id]
    sentence = article.text[first.focus_start:first.focus_end]
    for passage in passages:
        if passage.doc_id == first.doc_id:
            continue
        other_article = articles[passage.doc_id]
        spans = differing_span(sentence, other_article.text[passage.focus_start:passage.focus_end])
        if spans is None:
            continue
        (a, b), (c, d) = spans
        mine = stated_there(question, first, article, first.focus_start + a, first.focus_start + b)
        theirs = stated_there(question, passage, other_article, passage.focus_start + c, passage.focus_start + d)
        if mine and theirs and not same_value(mine, theirs):
            return Checked(mine, picked, None, first.focus_start, first.focus_end, sentence, unconfirmed=True)
    return None


def describe(passage: Passage) -> str:
    return ", ".join(x for x in (passage.outlet or outlet_of(passage.source), passage.date) if x) or passage.title


def disagreement_note(checked: Checked, others: list[OtherValue], passages: list[Passage],
                      number_of: dict[int, int]) -> str:
    """ "The sources disagree: A [1] (cnn.com, 2024-04-20) says X; B [2] says Y." with the newer report named."""
    if not others:
        return ""
    first = passages[checked.passage - 1]
    parts = [f"{checked.words} [{number_of[checked.passage]}] ({describe(first)})"]
    parts += [f"{o.words} [{number_of[o.passage]}] ({describe(passages[o.passage - 1])})" for o in others]
    note = "The sources disagree: " + "; ".join(parts) + "."
    dated = [(passages[n - 1].date, words) for n, words in
             [(checked.passage, checked.words)] + [(o.passage, o.words) for o in others] if passages[n - 1].date]
    if len(dated) == len(others) + 1 and len({d for d, _ in dated}) == len(dated):
        newest = max(dated)
        note += f" The newest report ({newest[0]}) says {newest[1]}."
    return note
