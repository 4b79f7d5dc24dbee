"""Claim checking in code: what the reader drafted is kept only where its cited passage says it.

A draft is "[n] words" (or "words [n]"). The words must be copied from passage n (or, found in another passage,
they are cited there instead); a reply that only names a passage, repeats the question or is a
bare yes/no fails; a Yes stands only on a sentence that states all the question asks, a No only on
one that denies it, else the sentence is quoted with neither; numbers the question asks about must
be in the cited article; "what did X say" is answered only from a sentence whose speaker is X, "who
won" only from one that says who won and ties the answer to the winning, "who is the ambassador"
only from one that names the role, "A or B?" only from one that names A or B, "who is X" by the
title the passage gives X, what named people did not from a sentence about someone else, and a date
is no answer where no time is asked. The answer is then built by code around the checked words and the
verbatim sentence that holds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Article, Passage
from ..ingest.dates import DATE_RE, DATELINE_RE, MONTHS, read_date
from ..text.nlp import (NUMBER_NAMES, REPORTING_LEMMAS, content_words, entities, last_person, namesakes, numbers, parse,
                        same_name, speakers, word_weight)
from ..text.sentences import split_sentences
from ..text.terms import search_terms, term_overlap
from .citations import MARKER_RE, cited_numbers
from .passages import ANSWER_TYPES, NAME_LABELS, leans_on_before, stem_share

YES_NO_RE = re.compile(r"^\s*(is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|may|"
                       r"might|must)\b", re.IGNORECASE)
POLARITY_RE = re.compile(r"^\s*(yes|no)\b[\s,.:;—–-]*", re.IGNORECASE)
NONE_RE = re.compile(r"^\W*(none|no answer|unknown|i (?:do not|don't|cannot|can't) (?:know|answer|find)|"
                     r"not (?:stated|mentioned|given))\W*$", re.IGNORECASE)
EMPTY_WORDS_RE = re.compile(r"^\W*(?:(?:the\s+)?(?:passage|sentence|source|article|excerpt|answer)s?\W*)*$",
                            re.IGNORECASE)
SPEECH_QUESTION_RE = re.compile(r"\b(say|says|said|tell|told|describe[sd]?|call(?:ed|s)?|characteri[sz]e[sd]?)\b",
                                re.IGNORECASE)
MAX_QUOTE_WORDS = 60
# A wire credit opening a story, with or without the place it was filed from: "(CNN) -- ", "Los Angeles,
# California (CNN) -- " (DATELINE_RE reads the older all-capitals form, "RIO DE JANEIRO, Brazil (CNN) --").
WIRE_CREDIT_RE = re.compile(r"^\s*(?:[A-Z][\w.'’-]*(?:,?\s+[A-Z][\w.'’-]*){0,4}\s*)?"  # the place, if any
                            r"\([A-Z][\w.&]{1,15}\)\s*(?:—|–|--)\s+")
PLACE_LABELS = {"GPE", "LOC", "FAC"}
AMOUNT_LABELS = {"DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"}
# The question's own wh-phrase, at its start ("In what year ...", "How many ..."), and the entity labels
# (spaCy's OntoNotes set) an answer to it must carry. "Who" is left out: news answers to it are as
# often a description ("a 24-year-old man") as a name.
ASKED_KIND_RE = re.compile(r"^\W*(?:(?:in|on|at|since|by|until|from|for|to|of)\s+)?(how many|how much|how long|"
                           r"how old|what year|which year|what date|when|where)\b", re.IGNORECASE)
ASKED_KINDS = {
    "how many": ({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}, "number"),
    "how much": ({"MONEY", "QUANTITY", "PERCENT", "CARDINAL"}, "amount"),
    "how long": ({"DATE", "TIME", "QUANTITY", "CARDINAL"}, "length of time"),
    "how old": ({"DATE", "CARDINAL"}, "age"),
    "what year": ({"DATE", "CARDINAL"}, "year"),
    "which year": ({"DATE", "CARDINAL"}, "year"),
    "what date": ({"DATE"}, "date"),
    "when": ({"DATE", "TIME", "EVENT"}, "time"),
    "where": ({"GPE", "LOC", "FAC", "ORG", "NORP"}, "place"),
}
MONTH_RE = re.compile(rf"(?:{MONTHS})\.?", re.IGNORECASE)
NUMBERED_NAME_RE = re.compile(r"\b([A-Z][\w'’-]*)\s+(\d{1,2})\b(?![.,:–-]?\d)")  # "Diablo 4", not "Bilbao 3-0"
NUMERIC_KINDS = {"number", "amount", "age", "year", "length of time", "time"}  # "When?" "In 1620"
POINT_KINDS = {"time", "date", "year"}  # asked for a point in time, which a length of time is not
DURATION_RE = re.compile(r"(?:(?:about|around|nearly|almost|roughly|some|more than|less than|over|under|at least|"
                         rf"up to|just|only|the|a|an|another|several|few|many|\d[\d.,/ ]*|{'|'.join(NUMBER_NAMES)})"
                         r"[\s-]+)+(?:and a half\s+)?(?:second|minute|hour|day|night|week|month|year|decade|century|"
                         r"centurie)s?(?:\s+long)?\W*$", re.IGNORECASE)


def asks_who(question: str) -> bool:
    """Whether the question asks who ("Who said …?", "Whom …", "Whose …"): its answer may be the one a sentence
    calls "he", named in the sentence before."""
    return bool(re.match(r"\W*(?:who|whom|whose)\b", question, re.IGNORECASE))


def is_yes_no(question: str) -> bool:
    return bool(YES_NO_RE.match(question))


def asked_kind(question: str) -> str | None:
    """The question's own wh-phrase, lower-cased ("how many", "when", "where"; see ASKED_KINDS), or None."""
    match = ASKED_KIND_RE.match(question)
    return match.group(1).lower() if match else None


def parsed_words(article: Article, start: int, end: int) -> tuple:
    """The parse of the sentence holding article.text[start:end], and the tokens of those words in it."""
    s, e = sentence_around(article, start, end)
    doc = parse(article.text[s:e])
    return doc, [t for t in doc if start <= s + t.idx < end]


@dataclass
class Claim:
    """Words drafted as the answer, and the passage (1-based) they are said to come from."""

    words: str
    passage: int
    polarity: str | None = None  # "Yes" / "No" for a yes-or-no question
    shown: str | None = None  # the words to answer with, when fuller than the checked ones (a full name)


@dataclass
class Checked:
    """A claim that passed: the words as they stand in the article, and the sentence that holds them."""

    words: str
    passage: int
    polarity: str | None
    sentence_start: int  # article offsets of the sentence holding the words
    sentence_end: int
    sentence: str
    window_start: int = -1  # where the cited excerpt must begin to hold the words (a full name named earlier)
    shown: str = ""  # the words to show, where the reply wrote them otherwise than the article (a date)
    unconfirmed: bool = False  # not checked as the answer: only one source's value where sources disagree


def parse_draft(draft: str, question: str) -> list[Claim]:
    """The claims in a reply like "[2] Olaf Scholz" or "[1] No, partners rather than rivals" (the number may
    also come last); [] for "none"."""
    claims = []
    for piece in re.split(r"\n+|;\s+(?=\S.*\[\d)", draft.strip()):
        bare = MARKER_RE.sub("", piece).strip().strip('"“”').strip()
        if bare.startswith("[") and bare.endswith("]"):  # "[1] [Nadal]": the words bracketed like their number
            bare = bare[1:-1].strip().strip('"“”').strip()
        if not bare or NONE_RE.match(bare):
            continue
        numbers_cited = cited_numbers(piece)
        polarity = None
        if is_yes_no(question):
            match = POLARITY_RE.match(bare)
            if match:
                polarity = match.group(1).capitalize()
                bare = bare[match.end():].strip()
        claims.append(Claim(bare.rstrip(".").strip(), numbers_cited[0] if numbers_cited else 0, polarity))
    return claims


def token_pattern(token: str) -> str:
    """A word as it may be written: small numbers in digits or in words ("6" ~ "six")."""
    # isdecimal, not isdigit: "①" or "²" is a digit that int() cannot read
    if token.isdecimal() and int(token) < len(NUMBER_NAMES):
        return f"(?:{token}|{NUMBER_NAMES[int(token)]})"
    if token in NUMBER_NAMES:
        return f"(?:{token}|{NUMBER_NAMES.index(token)})"
    return re.escape(token)


def is_count(token: str) -> bool:
    return token.isdecimal() or token in NUMBER_NAMES


def counted_pattern(token: str) -> str:
    """What a number counts, singular or plural: "5 1/2 hours" is written "5 1/2-hour meeting" too."""
    if not token.isalpha() or len(token) < 3:
        return token_pattern(token)
    stem = token[:-1] if token.endswith("s") else token
    return f"{re.escape(stem)}s?"


def words_in(words: str, text: str) -> tuple[int, int] | None:
    """Where words first occur in text, ignoring case, spacing and punctuation at word edges, whether small
    numbers are written in digits or words, and whether what a number counts is singular or plural; None
    if they don't."""
    spans = words_at(words, text)
    return spans[0] if spans else None


def words_at(words: str, text: str) -> list[tuple[int, int]]:
    """Every place words occur in text, as words_in finds them."""
    tokens = re.findall(r"\w+", words.lower())  # apostrophes, dots and quotes of any kind fall between words
    if not tokens:
        return []
    pattern = r"\W+".join(counted_pattern(t) if i and is_count(tokens[i - 1]) else token_pattern(t)
                          for i, t in enumerate(tokens))
    return [match.span() for match in re.finditer(rf"(?<!\w){pattern}(?!\w)", text, re.IGNORECASE)]


def sentence_around(article: Article, start: int, end: int) -> tuple[int, int]:
    """The article sentence holding article.text[start:end]; the sentences, when the words run on into the
    next one (a whole sentence, never one cut where the words end)."""
    spans = split_sentences(article.text)
    for i, (s, e) in enumerate(spans):
        if s <= start < e:
            last = next((e2 for s2, e2 in spans[i:] if s2 < end <= e2), max(e, min(end, len(article.text))))
            return s, max(e, last)
    return start, end


def problems(claim: Claim, question: str, passage: Passage, article: Article) -> list[str]:
    """Why the claim cannot stand on this passage; [] when it can."""
    return checked_span(claim, question, passage, article)[1]


def checked_span(claim: Claim, question: str, passage: Passage, article: Article) -> tuple[tuple[int, int] | None, list[str]]:
    """Where in the passage the claim holds, and [] (see held_span); else why it cannot stand there."""
    found: list[str] = []
    words = claim.words
    if not words and claim.polarity:
        found.append("a bare yes or no")
    elif not words or EMPTY_WORDS_RE.match(words):
        found.append("names no fact, only a passage")
    elif claim.polarity is None and not picks_one(words, question) and (
            set(content_words(words)) <= set(content_words(question))
            or (names_the_asked(words, question) and not describes_the_asked(words, question))
            or names_only_the_asked(words, question)):
        found.append("repeats the question")
    if found:
        return None, found
    return held_span(claim, question, passage, article)


def held_span(claim: Claim, question: str, passage: Passage, article: Article) -> tuple[tuple[int, int] | None, list[str]]:
    """Where in the passage the claim's words stand as its answer, and []; where they stand more than once,
    the first place that holds ("45 minutes" in "delays of up to 1 hour and 45 minutes and Lund reported
    45-minute delays", asked of Lund). Else the first place and why it does not hold (None when they are
    not in the passage)."""
    spans = words_at(claim.words, passage.text)
    if not spans:
        return None, ["not in the cited passage"]
    first: list[str] = []
    for span in spans:
        found = span_problems(claim, question, passage, article, span)
        if not found:
            return span, []
        first = first or found
    return spans[0], first


def span_problems(claim: Claim, question: str, passage: Passage, article: Article, span: tuple[int, int]) -> list[str]:
    if passage.start + span[1] <= passage.focus_start and not asks_who(question):
        return ["only in the sentence shown before it for context, not in the picked one"]
    found = context_problems(question, passage, article, passage.start + span[0])
    s, _ = sentence_around(article, passage.start + span[1] - 1, passage.start + span[1])
    if not found and s > passage.start + span[0]:  # the words run on into another sentence: it must hold too
        found = context_problems(question, passage, article, s)
    if not found and claim.polarity is None:
        found = word_problems(question, article, passage.start + span[0], passage.start + span[1])
    return found


def word_problems(question: str, article: Article, start: int, end: int, tied: bool = True) -> list[str]:
    """Why the words at article.text[start:end], in a sentence that may answer the question, are not its
    answer: the date a page is dated, a date where no time is asked, not the kind of thing asked for, not
    the one who did it. With tied=False the sentence need not tie the words to the asked verb (does_it)."""
    words = article.text[start:end]
    s, _ = sentence_around(article, start, end)
    if start < s + dateline_end(article.text[s:end + 200]):
        return [f"{words} is the date the text is dated, not what it reports"]
    lead = article.text[s:end + 200]
    wire = (DATELINE_RE.match(lead) if s == 0 or article.text[s - 1] == "\n" else None) or WIRE_CREDIT_RE.match(lead)
    if wire and start < s + wire.end():  # "RIO DE JANEIRO, Brazil (CNN) -- A judge ...", "Washington (CNN) -- …"
        return [f"{words} is where the story was filed, not what it reports"]
    if only_a_date(article, start, end) and not asks_time(question):
        return [f"{words} is a date, and the question asks for no time"]
    cut = cut_subject(article, start, end)
    if cut:
        return [f"{words} leaves out whom the sentence says it of: {cut}"]
    if not asked_action(question) and any(t.tag_ in FINITE_TAGS for t in parse(words)) \
            and not names_a_doer(question, article, start, end):
        return [f"{words} names no one the question does not"]  # "Who is …?" answered by a clause about it
    missing = missing_kind(question, article, start, end) or place_that_acts(question, article, start, end) \
        or another_places(question, article, start, end) \
        or reported_by_the_verb(question, article, start, end) or where_it_was_said(question, article, start, end)
    if missing:
        return [missing]
    thing = another_of_its_kind(words, question)
    if thing:
        return [f"{words} is another {thing}, not who"]
    if asks_who(question) and all(t.like_num or t.pos_ == "NUM" or t.is_punct for t in parse(words)):
        return [f"{words} is a number, not who"]  # "63" of "charged 63 people"; no NewsQA dev gold answer to who is one
    counted = counts_the_asked(question, article, start, end)
    if counted:
        return [f"{words} says how many {counted}, not which"]
    part = the_part(question, article, start, end)
    if part:
        return [f"{words} counts the whole, of which {part}"]
    other = of_another_one(question, article, start, end)
    if other:
        return [f"{words} is of the {other}"]
    speaking = only_the_speaker(question, article, start, end)
    if speaking:
        return [f"{words} {speaking} it, the sentence does not say {words} did it"]
    doer = other_doer(question, article, start, end)
    if doer:
        return [f"it was done to {doer}, not {words}" if asks_whom(question) else f"{doer} did it, not {words}"]
    patient = done_to_the_asked(question, article, start, end)
    if patient:
        return [f"the sentence says it was done to {patient}, not who did it"]
    return [] if not tied or does_it(question, article, start, end) else [f"the sentence does not say {words} did it"]


def filed_by(sentence: str) -> re.Match | None:
    """The wire credit a sentence opens with, with the place it was filed from ("(CNN) -- ", "RIO DE JANEIRO,
    Brazil (CNN) -- "); None when it opens with none."""
    return WIRE_CREDIT_RE.match(sentence) or DATELINE_RE.match(sentence)


def cut_subject(article: Article, start: int, end: int) -> str | None:
    """The subject of a verb the words at article.text[start:end] copy, when they hold only what follows its
    preposition: "Gabon's former president was declared the winner", copied from "The son of Gabon's former
    president was declared the winner", says it of another. None when the words hold the subject's head, or
    none of it."""
    s, e = sentence_around(article, start, end)
    for subject in parse(article.text[s:e]):
        verb = subject.head
        if subject.dep_ not in ("nsubj", "nsubjpass") or not start <= s + verb.idx < end or start <= s + subject.idx < end:
            continue
        # Only what hangs from it by a preposition ("The son of …"), not a name that renames it ("The group,
        # the Kurdistan Freedom Falcons, …", the same one)
        if any(start <= s + t.idx < end for c in subject.children if c.dep_ == "prep" for t in c.subtree):
            return article.text[s + subject.left_edge.idx:start].strip()
    return None


def other_doer(question: str, article: Article, start: int, end: int) -> str | None:
    """For "Who won ...?": the one the sentence names as doing it, when the words at article.text[start:end]
    are not that one ("The Germans won ... since defeating Argentina": "Argentina" did not win)."""
    action = asked_action(question)
    if not action:
        return None
    s, e = sentence_around(article, start, end)
    spans = [(s + a, s + b) for a, b in doer_spans(article.text[s:e], action, question)]
    if spans and not any(a < end and start < b for a, b in spans):
        return article.text[spans[0][0]:spans[0][1]]
    return None


def asks_whom(question: str) -> bool:
    """Whether "Who …?" asks whom it was done to: "Who has been charged in the attack?"."""
    doc = parse(question)
    return len(doc) > 0 and doc[0].lower_ == "who" and doc[0].dep_ == "nsubjpass"


def doer_spans(sentence: str, action: str, question: str = "") -> list[tuple[int, int]]:
    """Where the sentence names the subject of the verb ("The Germans won", "won by Germany"): a name or a
    noun ("Lavau's family began searching"), not "who" or "he", whose referent is elsewhere. To a question
    that asks whom it was done to (asks_whom), whom the sentence does it to instead ("63 people" in "Police
    have charged 63 people", "Smith was charged", "awarded to Gurnah"; not "the Nobel Prize" it names)."""
    doers = []
    whom = asks_whom(question) if question else False
    named = set(content_words(question)) if whom else set()
    for verb in parse(sentence):
        if verb.lemma_.lower() != action or verb.pos_ not in ("VERB", "AUX"):
            continue
        if whom:
            doers += [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj", "dative")
                      and c.lower_ not in named]
            doers += [g for c in verb.children if c.dep_ == "prep" and c.lower_ == "to"
                      for g in c.children if g.dep_ == "pobj" and g.lower_ not in named]
        else:
            doers += [c for c in verb.children if c.dep_ == "nsubj"]
            doers += [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]  # "won by X"
            if verb.dep_ == "xcomp" or (verb.dep_ == "advcl" and any(c.lower_ == "to" for c in verb.children)):
                # "X began searching", "X beat Y to win": X searched, X won
                doers += [c for c in verb.head.children if c.dep_ == "nsubj"]
    spans = []
    for d in doers:
        if d.pos_ in ("PROPN", "NOUN"):  # the name and what renames it ("No. 1 Ashleigh Barty"), not a clause after it
            last = max([d] + [a.right_edge for a in d.children if a.dep_ == "appos"], key=lambda t: t.i)
            spans.append((d.left_edge.idx, last.idx + len(last)))
    return spans


# Most steps in the sentence's parse from the words to the asked verb ("Murray" in "By winning ..., Murray became").
TIED_STEPS = 3


def does_it(question: str, article: Article, start: int, end: int) -> bool:
    """For "Who won ...?": whether the sentence ties the words at article.text[start:end] to the winning
    (within a few steps of its parse), not only names them beside it ("between Trump and Biden ...
    who is winning")."""
    action = asked_action(question)
    if not action:
        return True
    s, e = sentence_around(article, start, end)
    doc = parse(article.text[s:e])
    span = [t for t in doc if s + t.idx < end and start < s + t.idx + len(t)]
    acts = action_tokens(doc, action)
    if not span or not acts:
        return True
    return tied(span, acts)


def tied(tokens: list, others: list) -> bool:
    """Whether any of tokens is within TIED_STEPS of any of others in their sentence's parse."""
    def path(t) -> list[int]:
        chain = [t]
        while chain[-1].head.i != chain[-1].i:
            chain.append(chain[-1].head)
        return [x.i for x in chain]

    def distance(a, b) -> int:
        pa, pb = path(a), path(b)
        common = next((x for x in pa if x in pb), None)
        return pa.index(common) + pb.index(common) if common is not None else 99

    return any(distance(a, b) <= TIED_STEPS for a in tokens for b in others)


FINITE_TAGS = {"VBD", "VBZ", "VBP", "MD"}  # a verb that makes the words a clause, not a name or a noun phrase
# Names that may be someone's: the tagger calls a yacht club a building, a singer a work of art, a band a place.
SOMEONE_LABELS = {"PERSON", "ORG", "GPE", "FAC", "LOC", "WORK_OF_ART", "PRODUCT"}


def names_a_doer(question: str, article: Article, start: int, end: int) -> bool:
    """For "Who won ...?": whether the sentence at article.text[start:end], quoted whole, names someone
    (not named in the question) that it ties to the winning. For "Who …?" without such a verb ("Who is
    Gabon's former president?", not "Who is Wang Yi?"): whether it names anyone the question does not."""
    action = asked_action(question)
    if not action:
        if not asks_who(question) or asked_name(question):
            return True
        sentence = article.text[start:end]
        wire = filed_by(sentence)  # not the "(CNN)" that filed it
        return any(label in SOMEONE_LABELS and not only_the_asked(name, question)
                   for name, label in entities(sentence[wire.end() if wire else dateline_end(sentence):]))
    # "Who toured the town with Bush?" is not answered by "Watch Bush tour the damage": Bush is the question's.
    if any(not only_the_asked(article.text[start + a:start + b], question)
           for a, b in doer_spans(article.text[start:end], action, question)):
        return True
    asked = [name for name, _ in entities(question)]
    return any(label in ANSWER_TYPES["who"] and not any(same_name(name, a) for a in asked)
               and does_it(question, article, start + at, start + at + len(name))
               for name, label, at in ((e.text, e.label_, e.start_char) for e in parse(article.text[start:end]).ents))


def only_the_asked(name: str, question: str) -> bool:
    """Whether a name (a doer) is one the question gives: "Bush" or "President Bush" to "Who toured the town with
    Bush?", "Antony Blinken" to "Who did Blinken meet?"; not "Lavau's family", nor "Sean Lavau" to "Who found
    David Lavau?"."""
    own = re.split(r"['’]s\s", name)[-1]  # "Lavau's family" names the family
    return any(same_name(own, asked) and not namesakes(own, asked)
               for asked, label in entities(question) if label in NAME_LABELS)


def done_to_the_asked(question: str, article: Article, start: int, end: int) -> str | None:
    """For "Who found David Lavau?": the one the question names, when the words at article.text[start:end] hold
    them as whom the verb was done to, with no one said to do it ("David J. Lavau … was found in a ravine")."""
    action = asked_action(question)
    if not action or asks_whom(question):  # not "Who was found dead …?", whose answer that is
        return None
    s, e = sentence_around(article, start, end)
    for verb in parse(article.text[s:e]):
        if verb.lemma_.lower() != action or any(c.dep_ == "agent" for c in verb.children):
            continue
        for patient in (c for c in verb.children if c.dep_ == "nsubjpass" and start <= s + c.idx < end):
            name = " ".join([t.text for t in patient.children if t.dep_ == "compound" and t.i < patient.i]
                            + [patient.text])  # "David J. Lavau"
            if only_the_asked(name, question):
                return name
    return None


def missing_kind(question: str, article: Article, start: int, end: int) -> str | None:
    """What the words lack when the question asks for a kind of thing (a number, a date, a place) and
    they carry none: "Where ...?" is not answered by "the talks [1]", nor "How many ...?" by "soldiers"."""
    asked = asked_kind(question)
    if not asked:
        return None
    labels, kind = ASKED_KINDS[asked]
    s, e = sentence_around(article, start, end)
    dated = dateline_end(article.text[s:e])
    spans = [ent for ent in parse(article.text[s:e]).ents
             if s + ent.start_char < end and start < s + ent.end_char and ent.start_char >= dated]
    if kind in POINT_KINDS and spans and all(DURATION_RE.match(ent.text) for ent in spans):
        return f"{spans[0].text} is a length of time, not the {kind} the question asks for"  # "five days" to "When …?"
    if any(ent.label_ in labels for ent in spans):
        return None
    words = article.text[max(start, s + dated):end]
    if kind in NUMERIC_KINDS and (re.search(r"\d", words) or set(content_words(words)) & set(NUMBER_NAMES)):
        return None
    return f"names no {kind}, which the question asks for"


def place_that_acts(question: str, article: Article, start: int, end: int) -> str | None:
    """For "Where …?": why a place that is the subject of the sentence's verb is no answer ("Washington has
    seen evidence … despite Xi pledging …" names who saw, not where Xi pledged). Not "Paris is where …"."""
    if asked_kind(question) != "where":
        return None
    _, span = parsed_words(article, start, end)
    heads = [t for t in span if t.head not in span]  # the words as a whole: the subject, not a sentence holding one
    if len(heads) == 1 and heads[0].dep_ == "nsubj" and heads[0].head.lemma_.lower() != "be" \
            and heads[0].ent_type_ in ASKED_KINDS["where"][0]:
        return f"{heads[0].text} is the subject of “{heads[0].head.text}”, not where it happened"
    return None


def only_the_speaker(question: str, article: Article, start: int, end: int) -> str | None:
    """For "Who <did> …?": the reporting verb whose subject the words at article.text[start:end] are, when the
    doing is only in what they report ("Macky Dancy … said the oil painting … is the only portrait for which
    Jackson sat" names who spoke of the painting, not who painted it). Not "X said he painted it"."""
    action = asked_action(question)
    if not action or action in REPORTING_LEMMAS:
        return None
    doc, tokens = parsed_words(article, start, end)
    acts = action_tokens(doc, action)
    heads = [t for t in tokens if t.head not in tokens]
    if len(heads) != 1 or not acts or heads[0].dep_ != "nsubj" or heads[0].head.lemma_.lower() not in REPORTING_LEMMAS:
        return None
    verb = heads[0].head
    reported = {t.i for c in verb.children if c.dep_ in ("ccomp", "xcomp", "advcl") for t in c.subtree}
    if all(a.i in reported and not any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ == "PRON" for c in a.children)
           for a in acts):
        return verb.text
    return None


def another_places(question: str, article: Article, start: int, end: int) -> str | None:
    """For a number, length or time asked of something at a place ("How long were the delays at LaGuardia?"):
    the other place that is the subject of the clause holding the words at article.text[start:end], when that
    clause does not name the question's ("Newark International was still reporting delays of up to 1 hour and
    45 minutes and LaGuardia Airport … reported 45-minute delays": not LaGuardia's)."""
    kind = asked_kind(question)
    places = [name for name, label in entities(question) if label in PLACE_LABELS | {"ORG"} and located_in(name, question)]
    if not kind or ASKED_KINDS[kind][1] not in NUMERIC_KINDS or not places:
        return None
    doc, tokens = parsed_words(article, start, end)
    verb = nearest_verb(tokens[0], ("VERB", "AUX")) if tokens else None
    if verb is None:
        return None
    aside = {x.i for c in verb.children if c.dep_ in ("conj", "advcl", "ccomp", "parataxis") for x in c.subtree}
    clause = " ".join(t.text for t in verb.subtree if t.i not in aside)  # not "… and LaGuardia reported …"
    if any(same_place(place, clause) for place in places):
        return None
    wire = filed_by(doc.text)  # "BAGHDAD, Iraq (CNN) --" filed it
    for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        other = next((e for e in doc.ents if e.start <= subject.i < e.end and e.label_ in PLACE_LABELS | {"ORG"}
                      and not (wire and e.start_char < wire.end())), None)
        if other is not None:
            return f"{article.text[start:end]} is {other.text}'s, not {places[0]}'s"
    return None


def main_verb(question: str) -> str | None:
    """The lemma of the question's own verb ("When was it released?" -> "release"), not "be", "have" or "do"."""
    root = next((t for t in parse(question) if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" or root.lemma_.lower() in ("be", "have", "do"):
        return None
    return root.lemma_.lower()


def reported_by_the_verb(question: str, article: Article, start: int, end: int) -> str | None:
    """For "When / Where … <verb>?": why words inside what the sentence's <verb> reports are not when or where
    it was done ("Putin announced that he will visit China in May": May is when he will visit, not when he
    announced). Not where the question itself asks about what was said ("When did police say it happened?")."""
    kind = asked_kind(question)
    verb = main_verb(question) if kind else None
    if verb is None or any(t.dep_ == "ccomp" for t in parse(question)):
        return None
    doc, words = parsed_words(article, start, end)
    for token in doc:
        if token.lemma_.lower() == verb and token.pos_ in ("VERB", "AUX"):
            for clause in (c for c in token.children if c.dep_ == "ccomp"):
                inside = {t.i for t in clause.subtree}
                if words and all(t.i in inside for t in words):
                    return f"{article.text[start:end]} is in what “{token.text}” reports, not {kind} it was done"
    return None


# Verbs of saying whose place and time are the speaker's: nlp.REPORTING_LEMMAS without those that take
# other complements ("denied asylum in Britain", "called for", "asked for").
SPEECH_LEMMAS = {"say", "tell", "add", "note", "state", "explain", "announce", "declare", "remark", "comment", "speak"}


def where_it_was_said(question: str, article: Article, start: int, end: int) -> str | None:
    """For "When / Where … <verb>?" (not a verb of saying): why words that tell where or when the sentence's
    speaker spoke are not the answer ("…, he said in an interview in the flagship store in Berlin" to "Where
    does the company want to start selling?")."""
    kind = asked_kind(question)
    if kind not in ("when", "where") or main_verb(question) in SPEECH_LEMMAS:
        return None
    for token in parsed_words(article, start, end)[1]:
        head = token.head.head if token.dep_ == "pobj" and token.head.dep_ == "prep" else token.head
        while head.dep_ == "pobj" and head.head.dep_ == "prep":  # "in an interview in the store in Berlin"
            head = head.head.head
        if token.dep_ in ("pobj", "npadvmod") and head.lemma_.lower() in SPEECH_LEMMAS and head.pos_ == "VERB":
            return f"{article.text[start:end]} is {kind} it was {head.text}, not what the question asks"
    return None


YEAR_RE = re.compile(r"(?:19|20)\d\d")
BOUND_RE = re.compile(r"\b(?:since|before|after|until|till|prior to)\s+(?:(?:early|late|mid)\W*)?$", re.IGNORECASE)
STANDALONE_NUMBER_RE = re.compile(r"(?<![\w.-])\d+(?:[.,]\d+)*(?![\w-])")


def only_as_a_bound(year: str, text: str) -> bool:
    """Whether a year appears in text only after since / before / after / until ("since 2018")."""
    return bool(YEAR_RE.fullmatch(year)) and only_after(BOUND_RE, rf"(?<![\w.-]){year}(?![\w-])", text, 20)


def standalone_numbers(text: str) -> set[str]:
    """Numbers written on their own ("in 2019", "3 ships"), not as part of a name ("Q1", "GPT-3")."""
    return {n.replace(",", "") for n in STANDALONE_NUMBER_RE.findall(text)}


def counts_the_asked(question: str, article: Article, start: int, end: int) -> str | None:
    """For "What / Which <things> …?": the things, when the words at article.text[start:end] only count them
    ("more than 100" of "the more than 100 sanctions" to "What sanctions did the US threaten?")."""
    asked = [t.head for t in parse(question) if t.tag_ == "WDT" and t.dep_ == "det" and t.head.pos_ == "NOUN"]
    if not asked:
        return None
    words = parsed_words(article, start, end)[1]
    counts = [t for t in words if t.dep_ == "nummod"]
    if counts and all(t.pos_ == "NUM" or t.like_num or t.dep_ in ("quantmod", "amod", "advmod") for t in words) \
            and any(t.head.lemma_.lower() == asked[0].lemma_.lower() for t in counts):
        return asked[0].text
    return None


def the_part(question: str, article: Article, start: int, end: int) -> str | None:
    """For "How many …?": the count of a part, when the words at article.text[start:end] count the whole it is
    part of ("nine" in "Only two out of the nine stadiums are ready": two)."""
    if asked_kind(question) != "how many":
        return None
    doc, tokens = parsed_words(article, start, end)
    words = {t.i for t in tokens}
    for token in doc:
        if token.i not in words or token.dep_ != "nummod" or token.head.dep_ != "pobj" or token.head.head.lower_ != "of":
            continue
        part = token.head.head.head
        if part.lower_ == "out":  # "two out of the nine"
            part = part.head
        # not "one of 2,500 devotees" (one among them) nor "one out of every 17 children" (a rate)
        if part.like_num and part.i not in words and part.lower_ not in ("one", "1") \
                and not any(c.lower_ == "every" for c in token.head.children):
            return part.text
    return None


def nearest_verb(token, kinds: tuple[str, ...] = ("VERB",)):
    """The first verb (of these parts of speech) above a token in its sentence's parse, the token itself when it
    is one; None if none."""
    return next((t for t in [token, *token.ancestors] if t.pos_ in kinds), None)


PARTNER_LABELS = {"PERSON", "ORG", "GPE"}  # who a meeting, a deal or a match is with (not "Chinese" of a title)


def of_another_one(question: str, article: Article, start: int, end: int) -> str | None:
    """The words at article.text[start:end] describe a thing the question names, but one the sentence has with,
    between or against someone the question does not name: "5 1/2-hour" of "a 5 1/2-hour meeting with Wang
    Yi" to "How long did the meeting between Xi and Blinken last?". Only where the question names someone."""
    asked = [name for name, label in entities(question) if label in NAME_LABELS]
    if not any(label in PARTNER_LABELS for _, label in entities(question)):
        return None
    stems = set(search_terms(question))
    doc, tokens = parsed_words(article, start, end)
    for token in tokens:
        thing = token.head
        if thing in tokens or thing.pos_ != "NOUN" or not set(search_terms(thing.text)) & stems:
            continue
        for link in thing.children:
            if link.dep_ != "prep" or link.lower_ not in ("with", "between", "against"):
                continue
            partners = [p for o in link.children if o.dep_ == "pobj" for p in joined(o)]
            if any(label in PARTNER_LABELS and not any(same_name(name, a) for a in asked)
                   for p in partners for name, label in entities(p.text)):
                return f"{thing.text} {link.text} {' and '.join(p.text for p in partners)}"
    return None


def joined(token) -> list:
    """The noun phrase a token heads, up to the token (not what follows it: "leader Tomas Brandt", not "… in
    Halden"), and those joined to it by "and"."""
    return [token.doc[token.left_edge.i:token.i + 1]] + [p for c in token.children if c.dep_ == "conj" for p in joined(c)]


def another_of_its_kind(words: str, question: str) -> str | None:
    """For "Who …?": the kind of thing the words name when it is the kind the question names another of
    ("Johnny Unitas Golden Arm Award" to "Who is the Walter Camp Award winner?": an award), not a who."""
    tokens = words.split()
    if not re.match(r"\W*who\b", question, re.IGNORECASE) or len(tokens) < 2 or not words[:1].isupper():
        return None
    kind = tokens[-1].strip(".,;:!?").lower()
    for name, label in entities(question):
        parts = name.split()
        if label != "PERSON" and len(parts) >= 2 and parts[-1][:1].isupper() and parts[-1].lower() == kind \
                and not set(search_terms(name)) <= set(search_terms(words)):  # "Foreign Minister Wang Yi" is Wang Yi
            return kind
    return None


def names_the_asked(words: str, question: str) -> bool:
    """Whether a short answer that is a name is one the question itself gives ("Antony Blinken" to
    "Who did Blinken meet?"; "China" to "...Chinese intelligence..."; "Brandon Maxwell" to "the Maxwell
    Award")."""
    if len(words.split()) > 4 or not words[:1].isupper():
        return False
    asked = entities(question)
    return (any(same_name(words, name) and not namesakes(words, name) for name, label in asked if label in NAME_LABELS)
            or (not any(label in AMOUNT_LABELS for _, label in entities(words))  # not "December 20" for "Montazeri"
                and any(same_place(words, name) for name, label in asked if label in ("GPE", "NORP"))))


def names_only_the_asked(words: str, question: str) -> bool:
    """For "Who …?" (not "Who is X?"): whether the words name no one but those the question names, however
    titled ("Secretary of State Antony Blinken" to "Who did Blinken meet in Beijing?")."""
    if not asks_who(question) or asked_name(question):
        return False
    names = [name for name, label in entities(words) if label in ANSWER_TYPES["who"]
             and any(word_weight(w) > 3 for w in content_words(name))]  # not "State" of "Secretary of State"
    if any(re.search(rf"{re.escape(name)}['’]s\s+\w", words) for name in names):
        return False  # "Lavau's family" names the family
    return bool(names) and all(only_the_asked(name, question) for name in names)


def context_problems(question: str, passage: Passage, article: Article, at: int) -> list[str]:
    """Why the sentence at article offset `at` cannot answer the question: a year or number the question
    names that the passage never mentions; another speaker than the one the question asks about."""
    found = []
    s, e = sentence_around(article, at, at)
    before = article.text[max(0, s - 600):s]
    window = " ".join((article.title, article.date or "", before[-300:], passage.text, article.text[s:e]))
    asked_numbers = standalone_numbers(question)
    if asked_numbers - numbers(window):
        found.append(f"the passage is not about {', '.join(sorted(asked_numbers - numbers(window)))}")
    bounds = [year for year in sorted(asked_numbers & numbers(window))
              if only_as_a_bound(year, window) and not only_as_a_bound(year, question)]
    if bounds:  # "Who won Wimbledon in 2018?": not "the youngest finalist since 2018"
        found.append(f"the passage gives {bounds[0]} only as a bound (since, before, after, until)")
    asked = entities(question)
    missing = [name for name, label in asked if label == "PERSON" and not same_name(name, window)]
    if missing:
        found.append(f"the passage does not mention {missing[0]}")
    # "Who did Blinken meet in Shanghai?" is not answered by a sentence about a meeting in Beijing. What the
    # question puts something in may be tagged an organisation ("the bomb in Bajaur"): it is a place there.
    places = [(name, label) for name, label in asked if label in PLACE_LABELS | {"ORG"}
              and located_in(name, question) and not same_place(name, window)]
    elsewhere = [(name, label) for name, label in entities(article.text[s:e]) if label in PLACE_LABELS
                 and not any(same_name(name, p) for p, _ in asked)]
    if places and elsewhere:
        other = next((name for name, label in elsewhere if label == places[0][1]), elsewhere[0][0])
        found.append(f"the passage is about {other}, not {places[0][0]}")
    numbered = other_numbered(question, article.text[s:e])
    if numbered:
        found.append(f"the sentence is about {numbered}, not the one the question names")
    speaker = asked_speaker(question)
    if speaker:
        named = speakers(article.text[s:e], before)
        previous = split_sentences(before)
        near = before[previous[-1][0]:] if previous else ""
        if named and not any(same_name(speaker, n) for n in named):
            found.append(f"said by {named[0]}, not {speaker}")
        elif not named and not same_name(speaker, f"{near} {article.text[s:e]}"):
            # Not said to be X's words, nor about X: "What did Blinken say about fentanyl?" is not answered by
            # a sentence on China's view of fentanyl, though the article is about Blinken's visit.
            found.append(f"the sentence does not mention {speaker}")
    offered = alternatives(question)
    if offered and not any(set(terms) & set(search_terms(article.text[s:e])) for terms in offered.values()):
        found.append(f"the sentence names none of the question's alternatives ({' / '.join(offered)})")
    action = asked_action(question)
    if action and not states_action(article.text[s:e], action):
        found.append(f"the sentence does not say who did it ({action})")
    actor = another_actor(question, article.text[s:e]) or another_owner(question, article.text[s:e])
    if actor:
        found.append(actor)
    role = asked_role(question)
    if role and not names_role(role, window):
        found.append(f"the passage names no {role}")
    elif role:
        kind = [w for w in role_kind(question) if not set(search_terms(w)) <= set(search_terms(window))]
        if kind:  # "Who is the defense minister?" is not answered by a passage on the foreign minister
            found.append(f"the passage names no {kind[0]} {role}")
    return found


def another_actor(question: str, sentence: str) -> str | None:
    """For a question about what named people did or said (not "Who …?"): why the sentence tells of someone
    else, when its subject is a person the question does not name and one the question names is not in it
    ("What did Blinken and Wang Yi discuss?" is not answered by "Xi emphasized … during discussions with
    Blinken")."""
    if asks_who(question):
        return None
    people = [name for name, label in entities(question) if label == "PERSON"]
    missing = [name for name in people if not same_name(name, sentence)]
    if not missing:
        return None
    doc = parse(sentence)
    labels = {ent.root.i: ent.label_ for ent in doc.ents}
    # a person's name, or a name the tagger gave no label ("Xi Jinping" is sometimes left unlabelled)
    subjects = [" ".join(w.text for w in t.subtree if w.pos_ == "PROPN") for t in doc
                if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT" and t.pos_ == "PROPN"
                and labels.get(t.i, "PERSON") == "PERSON"]
    other = next((name for name in subjects if not any(same_name(name, p) for p in people)), None)
    return f"the sentence tells of {other}, not {missing[0]}" if other else None


# "Beckham's contract", "Xi Jinping's new plan": a capitalised name owning the next word or two. Read by pattern,
# in the question and the sentence alike: the parser often reads "Beckham's contract runs" as a noun phrase.
OWNER_RE = re.compile(r"\b((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*)(?:['’]s|,\s+whose)\s+((?:[a-z][\w-]*\s+)?[a-z][\w-]*)")
NOT_OWNERS = {"what", "who", "where", "when", "how", "why", "which", "that", "it", "there", "here", "he", "she", "let"}


def owned(text: str) -> list[tuple[str, set[str], int]]:
    """Each owner the text names, the search terms of what it owns and where that ends ("Benzema, whose
    contract runs": Benzema, {"contract", "run"})."""
    found = []
    for match in OWNER_RE.finditer(text):
        words = match.group(1).split()
        name = " ".join(words[1:] if words[0].lower() in NOT_OWNERS else words)
        if name:
            found.append((name, set(search_terms(match.group(2))), match.end()))
    return found


def another_owner(question: str, sentence: str) -> str | None:
    """For a question about a named one's thing ("Until when does Beckham's contract run?"): why the sentence
    tells of another's, when every mention of that thing there is owned by another ("Benzema, whose contract
    runs until 2013", "Benzema's contract") and is not the named one ("Kate Hudson's ex, Chris Robinson")."""
    terms = search_terms(sentence)
    for name, thing, _ in owned(question):
        others = [(owner, end) for owner, owns, end in owned(sentence) if owns & thing]
        if not others or any(same_name(owner, name) or same_name(name, sentence[end:end + 40]) for owner, end in others):
            continue
        if len(others) >= max(terms.count(t) for t in thing):
            return f"the sentence tells of {others[0][0]}'s, not {name}'s"
    return None


def other_numbered(question: str, sentence: str) -> str | None:
    """A name from the question that the sentence gives only with a number the question does not ("Spider-Man
    2" for "Marvel's Spider-Man", "Diablo 4" for "Diablo 3"): another of its kind. Not a month's day."""
    asked_words, asked_numbers = set(content_words(question)), numbers(question)
    others = {}
    for match in NUMBERED_NAME_RE.finditer(sentence):
        name, number = match.group(1), match.group(2)
        if name.lower().strip("'’-") in asked_words and number not in asked_numbers and not MONTH_RE.fullmatch(name):
            others.setdefault(name.lower(), f"{name} {number}")
    for name, other in others.items():
        bare = re.search(rf"(?<!\w){re.escape(name)}(?!\w)(?!\s+\d)", sentence, re.IGNORECASE)
        with_asked = any(re.search(rf"(?<!\w){re.escape(name)}\s+{re.escape(n)}(?!\w)", sentence, re.IGNORECASE)
                         for n in asked_numbers)
        if not bare and not with_asked:
            return other
    return None


def names_role(role: str, text: str) -> bool:
    """Whether text names the role, or the doing it is named for: "director" ~ "directed", "winner" ~ "won"."""
    base = re.sub(r"(\w)\1$", r"\1", role.lower()[:-2]) if re.search(r"\w\w\w(?:er|or)$", role.lower()) else ""
    wanted = set(search_terms(role)) | (set(search_terms(f"{base} {base}e")) if base else set())
    if wanted & set(search_terms(text)):
        return True
    # "won" -> "win": the text is parsed only when its own words do not name the role
    return bool(wanted & set(search_terms(" ".join(t.lemma_ for t in parse(text)))))


def asked_role(question: str) -> str | None:
    """The role a "Who is the ROLE ...?" question asks about: "ambassador" in "Who is the US ambassador to
    China?"."""
    doc = parse(question)
    if len(doc) < 3 or doc[0].lower_ != "who" or doc[0].head.lemma_ != "be":
        return None
    nouns = [t for t in doc[0].head.children if t.i > 0 and t.dep_ in ("nsubj", "attr") and t.pos_ == "NOUN"]
    return nouns[0].text if nouns else None


def role_kind(question: str) -> list[str]:
    """The nouns that say which of its kind the asked role is: "defense" in "Who is the Chinese defense
    minister?"."""
    role = asked_role(question)
    doc = parse(question)
    head = next((t for t in doc if t.text == role), None)
    return [c.text for c in head.children if c.dep_ == "compound" and c.pos_ == "NOUN"] if head is not None else []


def alternatives(question: str) -> dict[str, list[str]]:
    """The choices an "A or B?" question offers, each with its own search terms (those the rest of the
    question does not use): "…aimed at fair competition or at containment?" -> {"fair competition":
    [fair, competit], "containment": [contain]}. Empty for a question without "or"."""
    doc = parse(question)
    choice = next((t for t in doc if t.dep_ == "cc" and t.lower_ == "or"), None)
    if choice is None:
        return {}
    first = choice.head
    others = [t for t in first.children if t.dep_ == "conj"]
    if not others:
        return {}
    # The first choice is its head word with what modifies it, not the question's subject or auxiliaries:
    # "stabilizing" in "Is the relationship stabilizing or deteriorating?".
    kept = [first] + [t for child in first.children if child.dep_ not in ("conj", "cc", "punct")
                      and (child.i > first.i or child.dep_ in ("amod", "compound", "nummod", "poss", "neg"))
                      for t in child.subtree]
    phrases = [" ".join(t.text for t in sorted(kept, key=lambda t: t.i) if not t.is_punct)]
    phrases += [" ".join(t.text for t in other.subtree if not t.is_punct) for other in others]
    inside = {t.i for t in kept} | {t.i for other in others for t in other.subtree}
    rest = set(search_terms(" ".join(t.text for t in doc if t.i not in inside)))
    offered = {phrase: [w for w in search_terms(phrase) if w not in rest] for phrase in phrases}
    return offered if all(offered.values()) else {}


def picks_one(words: str, question: str) -> bool:
    """Whether the words choose one of the choices the question offers ("containment" to "...fair
    competition or containment?"): an answer, though its words are the question's."""
    terms = set(search_terms(words))
    return sum(bool(terms & set(offered)) for offered in alternatives(question).values()) == 1


def asked_action(question: str) -> str | None:
    """The verb's lemma in a question that asks who did something ("Who won ...?" -> "win"); None for other
    questions and for "Who is / has / did ...?"."""
    doc = parse(question)
    first = doc[0] if len(doc) else None
    if first is None or first.lower_ != "who" or first.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = first.head
    if verb.pos_ != "VERB" or verb.lemma_.lower() in ("be", "have", "do", "get"):
        return None
    if any(t.i != first.i and t.dep_ in ("nsubj", "nsubjpass") and t.head.i == verb.i for t in doc):
        return None  # "Who did Fulham beat?" asks whom it was done to (the parser may still call "Who" the subject)
    return verb.lemma_.lower()


def states_action(sentence: str, lemma: str) -> bool:
    """Whether the sentence uses the verb in any form: "won", "winning", "winner" for "win"; "invitation" for
    "invite" (their stems)."""
    return bool(action_tokens(parse(sentence), lemma))


def action_tokens(doc, lemma: str) -> list:
    """The tokens of a parsed sentence that use the verb in any form (see states_action)."""
    stem = (search_terms(lemma) or [lemma])[0]
    return [t for t in doc if t.lemma_.lower() == lemma or any(w.startswith(stem) for w in search_terms(t.text))]


def located_in(place: str, question: str) -> bool:
    """Whether the question asks about something in or at the place ("meet in Shanghai"), rather than
    about the place itself ("visited Beijing", "press China")."""
    return bool(re.search(rf"\b(?:in|at|inside|near)\s+(?:the\s+)?{re.escape(place)}", question, re.IGNORECASE))


def same_place(place: str, text: str) -> bool:
    """Whether text names the place, or says it through an adjective ("Russia" ~ "Russian", "China" ~ "Chinese")."""
    stems = [w[:-1] if len(w) > 4 else w for w in content_words(place) if word_weight(w) > 3]
    words = content_words(text)
    return not stems or any(w.startswith(stem) for stem in stems for w in words)


# "failed to produce" says it was not produced: verbs that deny what follows them (negative implicatives).
DENYING_VERB = r"(?:fail(?:s|ed|ing)?|refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing))\s+to"
NEGATION_RE = re.compile(rf"\b(?:not|no|never|nor|neither|without|rather than|instead of|{DENYING_VERB})\s+(?:\w+\s+){{0,2}}$"
                         r"|n't\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
DENYING_VERB_RE = re.compile(rf"\b{DENYING_VERB}\b", re.IGNORECASE)


def only_after(lead: re.Pattern, mention: str, text: str, reach: int) -> bool:
    """Whether text has the mention (a pattern), and every time within reach characters after the lead."""
    spots = [m.start() for m in re.finditer(mention, text, re.IGNORECASE)]
    return bool(spots) and all(lead.search(text[max(0, at - reach):at]) for at in spots)


def denied(sentence: str, word: str) -> bool:
    """Whether the sentence uses word only under a negation: "partners rather than rivals" denies "rivals",
    and so does "did not become rivals"; "failed to produce any major breakthroughs" denies "breakthroughs"."""
    if only_after(NEGATION_RE, rf"\b{re.escape(word)}\w*", sentence, 40):
        return True
    mentions = [t for t in parse(sentence) if t.lower_.startswith(word.lower())]
    return bool(mentions) and all(under_negation(t) for t in mentions)


CLAUSE_EDGES = {"ROOT", "ccomp", "advcl", "relcl", "acl", "csubj", "parataxis", "conj"}


def under_negation(token) -> bool:
    """Whether a word's own clause is negated ("not", "never") or its verb is what a denying verb governs
    ("failed to produce"); a negated clause above it ("did not say that …") does not count."""
    while True:
        if any(child.dep_ == "neg" for child in token.children):
            return True
        if token.dep_ == "xcomp" and DENYING_VERB_RE.match(f"{token.head.text} to"):
            return True
        if token.dep_ in CLAUSE_EDGES or token.head.i == token.i:
            return False
        token = token.head


def decided_polarity(question: str, sentence: str, polarity: str | None) -> str | None:
    """The yes/no the sentence decides, or None when it decides neither and is quoted without one: No when it
    denies what the question asks about; Yes only when the reader says so and the sentence states all of it;
    neither for an "A or B?" question, which no yes or no answers."""
    if alternatives(question):
        return None
    named = " ".join(t for t, _ in entities(question)).lower()
    asked = [w for w in content_words(question) if word_weight(w) > 3.5 and w not in named]
    if any(denied(sentence, w) for w in asked) or denies_the_action(question, sentence):
        return "No"
    return "Yes" if polarity == "Yes" and states_all(question, sentence) and not said_of_another(question, sentence) \
        else None


def said_of_another(question: str, sentence: str) -> str | None:
    """The sentence's subject of the question's verb, when the question's own subject is only part of it, after a
    preposition: "The daughter of Norland's former prime minister was declared the winner" does not say that
    "Norland's former prime minister" was."""
    verb = main_verb(question)
    if verb is None:
        return None
    asked = {w for t in parse(question) if t.lemma_.lower() == verb for c in t.children
             if c.dep_ in ("nsubj", "nsubjpass") for w in content_words(" ".join(x.text for x in c.subtree))}
    for token in parse(sentence):
        if token.lemma_.lower() != verb or token.pos_ not in ("VERB", "AUX"):
            continue
        for subject in (c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")):
            after = {w for c in subject.children if c.dep_ == "prep"
                     for w in content_words(" ".join(x.text for x in c.subtree))}
            if asked and asked <= after and subject.lower_ not in asked:
                return " ".join(x.text for x in subject.subtree)
    return None


NO_ONE = {"nobody", "none", "nothing", "noone", "neither"}


def denies_the_action(question: str, sentence: str) -> bool:
    """Whether the sentence says the question's own verb was not done, by whom the question names, or by no one:
    "Blinken did not meet Putin", "No one was killed" (to "Was anyone killed …?"). "Xi did not meet Putin" does
    not deny that Blinken did."""
    # "Was anyone killed …?" is parsed with "Was" as its root: its verb is then the first one after it
    verb = main_verb(question) or next((t.lemma_.lower() for t in parse(question)[1:] if t.pos_ == "VERB"), None)
    if verb is None:
        return False
    named = [name for name, _ in entities(question)]
    for token in parse(sentence):
        if token.lemma_.lower() != verb or token.pos_ not in ("VERB", "AUX"):
            continue
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        nobody = [c for c in subjects + [c for c in token.children if c.dep_ == "dobj"]
                  if c.lower_ in NO_ONE or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)]
        if nobody:
            return True
        if under_negation(token) and subjects and all(
                any(same_name(" ".join(w.text for w in c.subtree), name) for name in named) for c in subjects):
            return True
    return False


def states_all(question: str, sentence: str) -> bool:
    """Whether the sentence says what the yes/no question asks, as far as words tell: it holds every word of
    the question in some form ("met" for "meet"), negates nothing, and hedges with no modal verb ("may",
    "will") the question does not use. "Blinken arrived … Putin announced" does not state "Blinken met Putin"."""
    asked, said = parse(question), parse(sentence)

    def terms(doc) -> set[str]:
        return set(search_terms(doc.text)) | set(search_terms(" ".join(t.lemma_ for t in doc)))

    wanted = set(search_terms(" ".join(t.lemma_ for t in asked[1:])))  # past the opening "Did" / "Is"
    if not wanted or not wanted <= terms(said):
        return False
    if any(t.dep_ == "neg" for t in said) or DENYING_VERB_RE.search(sentence):
        return False
    modals = {t.lower_ for t in asked if t.tag_ == "MD"}
    return all(t.lower_ in modals for t in said if t.tag_ == "MD")


def asked_speaker(question: str) -> str | None:
    """X in "What did X say / How did X describe ...", when X is a name (not "the president")."""
    if not SPEECH_QUESTION_RE.search(question):
        return None
    named = speakers(question)  # the subject of the question's own "say" / "describe"
    return named[0] if named else None


def passage_order(claim: Claim, count: int) -> list[int]:
    """The passage numbers to try a claim on: the one it cites first, then the others in order."""
    order = [claim.passage] if 1 <= claim.passage <= count else []
    return order + [n for n in range(1, count + 1) if n not in order]


def unprefixed(claim: Claim, question: str, passages: list[Passage]) -> Claim:
    """The claim without the "Yes," or "No," a reply put before its words to a question no yes or no answers
    ("[1] Yes, Olaf Scholz" to "Which chancellor …?"), where no passage has the words with it ("Yes, we can")."""
    match = None if claim.polarity or is_yes_no(question) else POLARITY_RE.match(claim.words)
    if not match or not claim.words[match.end():].strip() or any(words_in(claim.words, p.text) for p in passages):
        return claim
    return Claim(claim.words[match.end():].strip(), claim.passage, None, claim.shown)


WHO_IS_RE = re.compile(r"^\W*who\s+(?:is|was)\s+([A-Z][^?]*?)\W*$", re.IGNORECASE)
TITLE_DEPS = {"compound", "amod", "nmod", "poss", "nummod"}  # "Norwegian Foreign Minister", "China's"


def asked_name(question: str) -> str | None:
    """X in "Who is X?" when X is a name ("Who is Wang Yi?"), not a description ("Who is the winner?")."""
    match = WHO_IS_RE.match(question.strip())
    if not match or not match.group(1)[:1].isupper():
        return None
    asked = content_words(match.group(1))  # the whole of it a name: not "Wang Yi's deputy"
    return match.group(1) if any(content_words(name) == asked for name, _ in entities(question)) else None


def describes_the_asked(words: str, question: str) -> bool:
    """Whether words say more of a name the question gives than the name: "Foreign Minister Wang Yi" to "Who is
    Wang Yi?", "Michelle Obama wears J.Crew" to "What does Michelle Obama wear?" (not a repeat of the question)."""
    name = asked_name(question) or next((n for n, label in entities(question) if label in NAME_LABELS
                                         and same_name(words, n)), None)
    if not name or not same_name(words, name):
        return False
    names = [text for text, _ in entities(words) if same_name(text, name)] or [name]
    described = words
    for text in names:  # a longer name ("Omar bin Laden" to "Who is Bin Laden?", "VBS.TV") says no more
        described = described.replace(text, " ")
    return bool(set(content_words(described)) - set(content_words(question)))


def with_title(claim: Claim, question: str, passages: list[Passage]) -> Claim:
    """To "Who is X?", a reply that only repeats X ("[1] Ingrid Dahlberg"), or says who X is in words no passage
    has ("Janet Yellen is a Treasury Secretary …"), as the passage writes X with the title or description it
    gives ("Norwegian Foreign Minister Ingrid Dahlberg"; "Chen Jining, Secretary of the Shanghai Municipal
    Committee …"), when the first passage (in the claim's order) naming X gives one."""
    name = asked_name(question)
    if not name or claim.polarity or not same_name(claim.words, name):
        return claim
    repeats = not set(content_words(claim.words)) - set(content_words(name)) - {"the"}
    if not repeats and any(words_in(claim.words, p.text) for p in passages):
        return claim  # its own words, checked as they are
    for n in passage_order(claim, len(passages)):
        text = passages[n - 1].text
        span = words_in(name, text) or words_in(claim.words, text)
        if span is None:
            continue
        for s, e in split_sentences(text) or [(0, len(text))]:
            if s <= span[0] and span[1] <= e:
                break
        doc = parse(text[s:e])
        tokens = [t for t in doc if span[0] <= s + t.idx < span[1]]
        heads = [t for t in tokens if t.head not in tokens or t.head.i == t.i]
        if not heads:
            continue
        head = heads[0]
        parts = tokens + [w for child in head.children if child.dep_ in TITLE_DEPS | {"appos"} and child not in tokens
                          for w in child.subtree]
        first = tokens[0].i
        before = doc[first - 2] if first >= 2 and doc[first - 1].text == "," else None
        title = head.head if head.dep_ == "appos" else before if before is not None and before.pos_ == "NOUN" else None
        if title is not None:  # "China's top diplomat, Wang Yi" (the parser does not always see the apposition)
            parts += [title] + [w for child in title.children if child.dep_ in TITLE_DEPS for w in child.subtree]
        start, end = min(t.idx for t in parts), max(t.idx + len(t) for t in parts)
        phrase = text[s + start:s + end].strip(" ,;:")
        if set(content_words(phrase)) - set(content_words(name)):
            return Claim(phrase, n, None, claim.shown)
        return claim
    return claim


def as_written(claim: Claim, passages: list[Passage], articles: dict[str, Article]) -> Claim:
    """The claim as a passage writes it, cited to that passage (the one it cited first), where no passage has
    its words: a date in the reply's own format ("2017-03-03") as the passage writes it ("March 3, 2017"), and
    shown as the reply wrote it where that is in words ("November 21, 1998" for "November 21 of 1998"); a
    full name ("Kevin Kuranyi") as the surname or given name the passage gives ("Kuranyi's early goal",
    "Haleigh went missing"), shown in full, when the passage's article names the person so and names no one
    else of that surname (given name); a name put for the sentence's opening "he" as the sentence writes it
    (pronoun_named). Else the claim as it is."""
    if any(words_in(claim.words, p.text) for p in passages):
        return claim
    written = claim.words.strip(" []()")
    order = passage_order(claim, len(passages))
    resolved = pronoun_named(written, claim, passages, articles, order)
    if resolved is not None:
        return resolved
    day = read_date(written) if DATE_RE.fullmatch(written) else None
    if day is not None:
        for n in order:
            for match in DATE_RE.finditer(passages[n - 1].text):
                if read_date(match.group(0)) == day:  # shown as the reply wrote it, unless in digits
                    shown = written if re.search(r"[^\W\d]", written) else None
                    return Claim(match.group(0), n, claim.polarity, shown=shown)
        return claim
    names = written.split()
    if not 2 <= len(names) <= 4 or not all(w[:1].isupper() for w in names):
        return claim
    for n in order:
        article = articles[passages[n - 1].doc_id]
        full = words_in(written, article.text)
        if full is None:
            continue
        for part, at in ((names[-1], -1), (names[0], 0)):  # "Nemcova survived…", "Haleigh went missing…"
            if words_in(part, passages[n - 1].text) is None:
                continue
            namesakes = {text for text, label in entities(article.text) if label == "PERSON"
                         and text.split()[at] == part and text not in (written, part)}
            if not namesakes:
                return Claim(part, n, claim.polarity, shown=article.text[full[0]:full[1]])
    return claim


OPENING_PRONOUN_RE = re.compile(r"\s*[\"“‘']?(he|she|they)\s", re.IGNORECASE)


def pronoun_named(written: str, claim: Claim, passages: list[Passage], articles: dict[str, Article],
                  order: list[int]) -> Claim | None:
    """The claim as its sentence writes it where the reply put a name for the he/she/they that opens the
    sentence and copied the rest ("Bush promised federal help …" for "He promised federal help …"), when the
    name is whom the pronoun refers to (nlp.last_person); None otherwise."""
    words = written.split()
    for n in order:
        passage = passages[n - 1]
        article = articles[passage.doc_id]
        for s, e in split_sentences(passage.text):
            opening = OPENING_PRONOUN_RE.match(passage.text[s:e])
            if not opening:
                continue
            for k in range(1, min(4, len(words) - 3) + 1):  # the name: up to 4 words; the rest: at least 3
                span = words_in(f"{opening.group(1)} {' '.join(words[k:])}", passage.text[s:e])
                if span is None or span[0] != opening.start(1):
                    continue
                person = last_person(article.text[max(0, passage.start + s - 600):passage.start + s])
                if person and same_name(" ".join(words[:k]), person):
                    return Claim(passage.text[s + span[0]:s + span[1]], n, claim.polarity)
    return None


def check(claims: list[Claim], question: str, passages: list[Passage], articles: dict[str, Article]) -> list[Checked]:
    """The claims that hold, each on the passage that holds it (a wrong [n] is moved to the right one)."""
    kept = []
    for claim in [with_title(as_written(unprefixed(c, question, passages), passages, articles), question, passages)
                  for c in claims]:
        order = passage_order(claim, len(passages))
        refuted = False  # copied from a sentence that says something else of those words
        for n in order:
            passage = passages[n - 1]
            article = articles[passage.doc_id]
            span, found = checked_span(claim, question, passage, article)
            if found:
                span = words_in(claim.words, passage.text)
                if span is None or claim.polarity:
                    continue
                start, end = passage.start + span[0], passage.start + span[1]
                if context_problems(question, passage, article, start) \
                        or not word_problems(question, article, start, end):
                    continue
                refuted = True  # the sentence may answer, but not with these words
                # "Argentina" to "Who won?" from "The Germans won ... since defeating Argentina": the Germans;
                # "nine" to "How many are ready?" from "two out of the nine stadiums are ready": two.
                doer = other_doer(question, article, start, end) or the_part(question, article, start, end)
                span, found = checked_span(Claim(doer, n), question, passage, article) if doer else (None, ["none"])
                if found:
                    continue
                claim = Claim(doer, n)
            start, end = passage.start + span[0], passage.start + span[1]
            s, e = sentence_around(article, start, end)
            start, end = whole_entity(article.text, s, e, start, end)
            polarity = decided_polarity(question, article.text[s:e], claim.polarity) if claim.polarity else None
            # A name shown fuller than its sentence gives it ("Roy Foster" for "Foster was recognized"): the
            # cited excerpt begins where the article names it so, when that is close enough to show.
            words, shown = article.text[start:end], ""
            if claim.shown and DATE_RE.fullmatch(claim.shown):
                shown = claim.shown  # the same day: shown as the reply wrote it, checked as the article does
            elif claim.shown:
                words = claim.shown
            window_start = named_before(article, s, claim.shown) if claim.shown and not shown else -1
            kept.append(Checked(words, n, polarity, s, e, article.text[s:e], window_start, shown))
            break
        else:
            # A sentence that holds the words but says something else of them is not quoted in their place.
            drawn = None if refuted else drawn_on(claim, question, passages, articles, order)
            if drawn is None and claim.polarity:
                drawn = denial_of(question, passages, articles, order)
            if drawn is not None:
                kept.append(drawn)
    return kept


NAME_REACH = 600  # characters before the answer's sentence in which a name shown in full is looked for


def referent_start(text: str, start: int, end: int) -> int:
    """Where the sentence before text[start:end] starts, when text[start:end] leans on it
    (passages.leans_on_before: "Skyward Racer 3 is a racing game. It was released on March 8, 2019"); else start."""
    if not leans_on_before(text[start:end]):
        return start
    reach = max(0, start - 2000)
    before = split_sentences(text[reach:start])
    return reach + before[-1][0] if before else start


def named_before(article: Article, sentence_start: int, name: str) -> int:
    """Where the nearest sentence before sentence_start (within NAME_REACH) that holds name starts, so a cited
    excerpt beginning there holds it too; -1 when none does."""
    for s, e in reversed(split_sentences(article.text[:sentence_start])):
        if s < sentence_start - NAME_REACH:
            break
        if words_in(name, article.text[s:e]):
            return s
    return -1


WHOLE_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "DATE",
                "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL"}


def whole_entity(text: str, sentence_start: int, sentence_end: int, start: int, end: int) -> tuple[int, int]:
    """The words widened to the name or date of the sentence they are part of, as written there:
    "Biden" in "Joe Biden won" -> "Joe Biden"; "2017" in "on July 21, 2017" -> "July 21, 2017"."""
    doc = parse(text[sentence_start:sentence_end])
    for ent in doc.ents:
        a, b = sentence_start + ent.start_char, sentence_start + ent.end_char
        if ent.text.count("(") > ent.text.count(")"):  # the tagger's "Egan Bernal (UAE Team Emirates": the name
            b = a + len(ent.text[:ent.text.index("(")].rstrip())
        if ent.label_ in WHOLE_LABELS and a <= start and end <= b and (a, b) != (start, end) and b - a <= 80:
            return a, b
    return start, end


DRAWN_ON = 0.7  # share of a reply's word weight one sentence must hold for the reply to be read as quoting it


def drawn_on(claim: Claim, question: str, passages: list[Passage], articles: dict[str, Article],
             order: list[int]) -> Checked | None:
    """The verbatim sentence a reply that is not a clean copy drew on, when one clearly holds its words
    (a paraphrase, or the question's own words pointing at a sentence): the answer becomes that sentence."""
    words = [w for w in re.findall(r"\w+", claim.words.lower()) if word_weight(w) > 2.5]
    if not words or (claim.polarity is None and names_the_asked(claim.words, question)):
        return None  # a reply that only repeats a name from the question points at no sentence
    total = sum(word_weight(w) for w in words)
    for n in order:
        passage = passages[n - 1]
        article = articles[passage.doc_id]
        for s, e in split_sentences(passage.text):
            if passage.start + e <= passage.focus_start and not asks_who(question):
                continue  # shown for context: "he" is named there, not the answer
            present = set(re.findall(r"\w+", passage.text[s:e].lower()))
            if sum(word_weight(w) for w in words if w in present) / total < DRAWN_ON:
                continue
            start = passage.start + s
            if context_problems(question, passage, article, start) or \
                    not names_a_doer(question, article, start, passage.start + e):
                continue
            polarity = decided_polarity(question, passage.text[s:e], claim.polarity) if claim.polarity else None
            return Checked("", n, polarity, start, passage.start + e, passage.text[s:e])
    return None


ASKED_SHARE = 0.5  # of the question's word weight a sentence must hold to decide it by a denial


def denial_of(question: str, passages: list[Passage], articles: dict[str, Article], order: list[int]) -> Checked | None:
    """For a yes/no question whose reply could not be checked: the sentence that denies what it asks
    ("partners rather than rivals" to "...should be rivals?"), which decides it as No."""
    # the names are checked in the passage's window (context_problems); here, what is asked of them
    named = set(content_words(" ".join(name for name, _ in entities(question))))
    words = [w for w in set(content_words(question)) if re.sub(r"['’]s$", "", w) not in named and word_weight(w) > 2.5]
    for n in order:
        passage = passages[n - 1]
        article = articles[passage.doc_id]
        for s, e in split_sentences(passage.text):
            sentence = passage.text[s:e]
            if stem_share(words, sentence) < ASKED_SHARE:  # "died" for "die"
                continue
            if decided_polarity(question, sentence, None) != "No":
                continue
            if context_problems(question, passage, article, passage.start + s):
                continue
            return Checked("", n, "No", passage.start + s, passage.start + e, sentence)
    return None


def pointed(n: int, question: str, passages: list[Passage], articles: dict[str, Article]) -> Checked | None:
    """The sentence of passage n, quoted whole, for a reader that pointed at it without copying words
    ("[3]"), when nothing rules it out: another speaker, place or year than the question's, or no
    words of the kind the question asks for (a number for "how many", a place for "where"), or none of the
    question's words at all."""
    if not 1 <= n <= len(passages):
        return None
    passage = passages[n - 1]
    article = articles[passage.doc_id]
    start, end = passage.focus_start, passage.focus_end
    if context_problems(question, passage, article, start) or missing_kind(question, article, start, end) \
            or not names_a_doer(question, article, start, end):
        return None
    asked = " ".join(w for w in content_words(question) if w.isalpha())  # its words, not its numbers
    if search_terms(asked) and not term_overlap(asked, passage.text):
        return None  # "Jan 2, 2020 ..." names nothing the question asks about
    return Checked("", n, None, start, end, article.text[start:end])


def value_ruled_out(claims: list[Claim], question: str, passages: list[Passage], articles: dict[str, Article],
                    n: int) -> str | None:
    """Why the words the reader drew from passage n's sentence are of another thing than the one asked about,
    where they stand there (the length of another meeting): that sentence is then no answer quoted whole
    either, since it would give the same value."""
    passage = passages[n - 1]
    article = articles[passage.doc_id]
    for claim in claims:
        span = words_in(claim.words, article.text[passage.focus_start:passage.focus_end]) \
            if claim.words and claim.polarity is None else None
        other = of_another_one(question, article, passage.focus_start + span[0], passage.focus_start + span[1]) \
            if span else None
        if other:
            return f"{claim.words} is of the {other}"
    return None


TIME_WORDS_RE = re.compile(r"\b(when|year|years|date|dates|day|days|month|months|time|times|age|old|long|decade|"
                           r"century|week|weeks|period|season|era|hour|hours|since|until|ago|anniversary)\b",
                           re.IGNORECASE)


DATELINE_LEAD_RE = re.compile(r"\s*([^.…\n]{6,30}?)\s*(?:\.\.\.|…)")


def dateline_end(sentence: str) -> int:
    """Where a date line that opens the sentence ends ("Sep 13, 2022 ... " heading a search snippet, the date
    the page was dated, not a date it reports); 0 when the sentence opens otherwise."""
    lead = DATELINE_LEAD_RE.match(sentence)
    return lead.end(1) if lead and read_date(lead.group(1)) else 0


def asks_time(question: str) -> bool:
    """Whether the question asks for a time or speaks of one ("when", "what year", "how long", "since")."""
    return bool(TIME_WORDS_RE.search(question))


def only_a_date(article: Article, start: int, end: int) -> bool:
    """Whether article.text[start:end] is nothing but a date or time ("23, 2019", "last week")."""
    s, e = sentence_around(article, start, end)
    return any(ent.label_ in ("DATE", "TIME") and s + ent.start_char <= start and end <= s + ent.end_char
               for ent in parse(article.text[s:e]).ents)


def first_problems(claims: list[Claim], question: str, passages: list[Passage],
                   articles: dict[str, Article]) -> list[str]:
    """Why the first claim failed: on the passage it cited, and on each other passage that holds its words,
    which check() tried too (for logs and `qa ask --explain`)."""
    if not claims:
        return ["no claim"]
    claim = as_written(claims[0], passages, articles)
    found = [] if 1 <= claim.passage <= len(passages) else ["cites no passage it was given"]
    for n in passage_order(claim, len(passages)):
        passage = passages[n - 1]
        if n == claim.passage or words_in(claim.words, passage.text):
            found += [f"on [{n}], {reason}" for reason in problems(claim, question, passage, articles[passage.doc_id])]
    return found


def trimmed(sentence: str, keep: str = "") -> str:
    """The sentence, cut to about MAX_QUOTE_WORDS words around keep with "…" where text was left out."""
    words = sentence.split()
    if len(words) <= MAX_QUOTE_WORDS:
        return sentence.strip()
    at = sentence.lower().find(keep.lower()) if keep else -1
    first = len(sentence[:at].split()) if at >= 0 else 0
    start = max(0, min(first - MAX_QUOTE_WORDS // 3, len(words) - MAX_QUOTE_WORDS))
    piece = " ".join(words[start:start + MAX_QUOTE_WORDS])
    return ("…" if start else "") + piece + ("…" if start + MAX_QUOTE_WORDS < len(words) else "")


def states_something(sentence: str) -> bool:
    """Whether the sentence has a verb: a heading or a label ("Highlights (Day 1 – Shanghai):") has none,
    and quoted whole it answers nothing (a name in a list may still be the answer)."""
    return any(t.pos_ in ("VERB", "AUX") for t in parse(sentence))


# Not "where": the tagger's places are wrong too often to show one the reader did not copy ("River of Grass").
SHARP_LABELS = {"when": {"DATE", "TIME"}, "how many": {"CARDINAL", "QUANTITY"},
                "how much": {"MONEY", "QUANTITY", "PERCENT"}, "how long": {"DATE", "TIME", "QUANTITY"},
                "how old": {"DATE", "CARDINAL"}, "what year": {"DATE"}, "which year": {"DATE"}, "what date": {"DATE"}}
PERSON_REACH = 12  # most words a title with the name it leads to may have ("Italian Minister for … Carfagna")


def sharpened(checked: Checked, question: str, passages: list[Passage], articles: dict[str, Article]) -> Checked:
    """A sentence quoted whole, given the words that answer: the one date, place or amount of the kind the
    question asks for that it holds ("December 20" for "When did Montazeri die?"), or for "Who …?" the name
    that a title the reader copied leads to ("Italian Minister" -> "Italian Minister for Equal Opportunities
    Maria Rosaria Carfagna"). Only words that pass the checks; else the answer stays as it was."""
    if checked.polarity:
        return checked
    passage = passages[checked.passage - 1]
    article = articles[passage.doc_id]
    s, e = checked.sentence_start, checked.sentence_end
    doc = parse(article.text[s:e])
    found: list[str] = []
    kind = asked_kind(question)
    if kind in SHARP_LABELS and quoted_whole(checked):
        dated = dateline_end(article.text[s:e])
        found = [ent.text for ent in doc.ents if ent.label_ in SHARP_LABELS[kind]
                 and ent.start_char >= dated and not set(content_words(ent.text)) & set(content_words(question))]
    elif asks_who(question) and checked.words and not quoted_whole(checked):
        at = article.text.find(checked.words, s, e)
        span = [t for t in doc if at >= 0 and at <= s + t.idx < at + len(checked.words)]
        heads = [t for t in span if t.head not in span]
        if len(heads) == 1 and not any(ent.label_ == "PERSON" for ent in doc.ents
                                       if span[0].i <= ent.start and ent.end <= span[-1].i + 1):
            tree = list(heads[0].subtree)
            if len(tree) <= PERSON_REACH and not any(t.pos_ in ("VERB", "AUX") for t in tree) and any(
                    ent.label_ == "PERSON" and tree[0].i <= ent.start and ent.end <= tree[-1].i + 1 for ent in doc.ents):
                while tree and tree[-1].is_punct:  # "…, Robert Boyle," ends at the name
                    tree.pop()
                found = [doc[tree[0].i:tree[-1].i + 1].text]
    if len(set(found)) != 1 or problems(Claim(found[0], checked.passage), question, passage, article):
        return checked
    return Checked(found[0], checked.passage, None, s, e, checked.sentence, checked.window_start)


MAX_SHOWN_WORDS = 20  # longer copied words are a stretch of the sentence, often cut off by the reply's length


def quoted_whole(checked: Checked) -> bool:
    """Whether the answer is the sentence alone, quoted: no yes or no, and no words (or words that are most of
    it, or too many to read as an answer before it)."""
    return not checked.polarity and (not checked.words or len(checked.words.split()) > MAX_SHOWN_WORDS
                                     or len(content_words(checked.words)) >= 0.6 * len(content_words(checked.sentence)))


def statement(checked: Checked, n: int) -> str:
    """The answer sentence for a checked claim: the words, then the verbatim sentence they come from, cited."""
    quote = trimmed(checked.sentence, checked.words).rstrip()
    if checked.polarity:
        return f"{checked.polarity}: “{quote}” [{n}]"
    if quoted_whole(checked):
        return f"“{quote}” [{n}]"
    return f"{checked.shown or checked.words} — “{quote}” [{n}]"
