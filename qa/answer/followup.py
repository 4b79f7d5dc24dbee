"""Follow-up questions made to stand alone, in code: "What did he say?" after "Who did Blinken meet?"
becomes "What did Blinken say?". No model call: the pronoun takes the person (or, for "it"/"there",
the thing or place) the previous question was about, or else its answer's, looking back up to three
turns, each read as it was rewritten in its turn. A definite noun the previous question spoke of ("How
long did the meeting last?" after "Where did Xi meet Blinken?") takes the names that question gave it;
a fragment ("And in 2023?", "What about employees?") swaps its part into the previous question; any
other follow-up that leans on the conversation is searched beside the previous question."""

from __future__ import annotations

import re

from ..text.nlp import entities, parse, same_name
from ..text.terms import search_terms
from .claims import is_yes_no

PERSON_PRONOUN_RE = re.compile(r"\b(he|she|him|his|her|hers)\b", re.IGNORECASE)
OTHER_PRONOUN_RE = re.compile(r"\b(it|its|they|them|their|there)\b", re.IGNORECASE)
LEANS_RE = re.compile(r"\b(he|she|him|his|her|hers|they|them|their|it|its|that|this|those|these|there|"
                      r"the same|then)\b", re.IGNORECASE)
PREPOSITIONS = ("in", "at", "on", "for", "to", "from", "during", "with", "by", "of", "before", "after", "since", "until")
OPENING_PREPOSITION = rf"\W*(?:{'|'.join(PREPOSITIONS)})\s+"
# A question asked with its own question word, maybe after a preposition ("In how many states?").
OWN_QUESTION_RE = re.compile(rf"(?:{OPENING_PREPOSITION})?\W*(?:who|whom|whose|what(?!\s+about)|when|where|why|which|"
                             r"how(?!\s+about))\b", re.IGNORECASE)
# "And how many were infected?", "So what did he say?": a question that goes on from the last one.
GOES_ON_RE = re.compile(r"^\W*(?:and|but|so|also)\s+", re.IGNORECASE)
# "And in 2023?", "What about employees?": the last question again, with one of its parts swapped for this one.
FRAGMENT_RE = re.compile(r"^\W*(?:and\s+)?(?:and|what about|how about)\s+(.+?)[\s?.!]*$", re.IGNORECASE)
LOOK_BACK = 3  # turns searched for a pronoun's referent, the last first
PEOPLE = {"PERSON"}
THINGS = {"ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
PLACES = {"GPE", "LOC", "FAC"}


def leans_on_history(question: str) -> bool:
    """Whether the question needs the conversation: a pronoun, three words or fewer, an opening "And", or a
    question word after a preposition with little else ("In how many states?")."""
    return bool(LEANS_RE.search(question) or GOES_ON_RE.match(question)) or len(question.split()) <= 3 \
        or (bool(re.match(OPENING_PREPOSITION, question, re.IGNORECASE) and OWN_QUESTION_RE.match(question))
            and len(question.split()) <= 5)


def referent(kinds: set[str], history: list[tuple[str, str]]) -> str | None:
    """The first entity of these kinds in the last question, else in its answer; the answer first when
    the last question asked for exactly this kind ("Where ...?" then "there"). When the last turn names
    none ("How many executives did he speak to?"), the turn before it, and so back to LOOK_BACK turns."""
    for question, answer in reversed(history[-LOOK_BACK:]):
        asked_for = PLACES if re.match(r"\s*where\b", question, re.I) else set()
        texts = (re_markers(answer), question) if kinds == asked_for else (question, re_markers(answer))
        for text in texts:
            found = [t for t, label in entities(text) if label in kinds]
            if found:
                return re.sub(r"['’]s?$", "", found[0])  # "Larry King's first guest" names Larry King
    return None


def re_markers(answer: str) -> str:
    return re.sub(r"\[\d+\]", "", answer)


def replace_first(pattern: re.Pattern, question: str, name: str) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(1).lower()
        if word in ("his", "hers", "its", "their"):
            return f"{name}'s"
        if word == "there":
            return f"in {name}" if not re.search(r"\b(in|at|to|from)\s+$", question[:match.start()]) else name
        return name

    return pattern.sub(swap, question, count=1)


def proper_names(text: str) -> tuple[list[str], list[str]]:
    """The people and things the text names, in order, and apart from them the places it puts something in
    or at: its named entities of those kinds, and runs of proper nouns the tagger left out ("Xi Jinping" in
    "Where did Xi Jinping meet Blinken?")."""
    doc = parse(text)
    spans = [doc[e.start:e.end] for e in doc.ents if e.label_ in PEOPLE | THINGS]
    covered = {i for e in doc.ents for i in range(e.start, e.end)}
    run: list[int] = []
    for token in list(doc) + [None]:
        if token is not None and token.pos_ == "PROPN" and token.i not in covered:
            run.append(token.i)
            continue
        if run:
            spans.append(doc[run[0]:run[-1] + 1])
            run = []
    spans.sort(key=lambda span: span.start)
    located = [span for span in spans if span.root.head.lower_ in ("in", "at")]
    return [span.text for span in spans if span not in located], [span.text for span in located]


def the_named(question: str, history: list[tuple[str, str]]) -> str | None:
    """The question with its definite noun given the names the conversation gave it, when the question names
    no one the conversation did not: the last question's names where it spoke of that noun in some form ("the
    meeting" after "Where did Xi meet Blinken?": "the meeting of Xi and Blinken"; after "Who did Blinken meet
    in Shanghai?": "the meeting of Blinken in Shanghai"); else, for a question that names no one, those of the
    latest question that named someone ("Who has been charged in the attack?" after questions on Michael
    Brewer: "the attack of Michael Brewer"), so that it is not answered from another story. None otherwise."""
    own = [name for name, label in entities(question) if label in PEOPLE | THINGS]
    names, places = proper_names(history[-1][0])
    if any(not any(same_name(name, given) for given in names + places) for name in own):
        return None  # a question that names people or things of its own stands alone
    named = given_names(question, names, places, own, set(search_terms(history[-1][0])))
    if named or own:
        return named
    latest = next((found for found in (proper_names(asked) for asked, _ in reversed(history)) if found[0] or found[1]),
                  ([], []))
    return given_names(question, *latest, own, None)


def given_names(question: str, names: list[str], places: list[str], own: list[str], spoken_of: set[str] | None) -> str | None:
    """The question with its first definite noun (of those spoken_of, when given) followed by the names it
    does not give itself: "the meeting" -> "the meeting of Xi Jinping and Blinken in Beijing"."""
    names = [name for name in names if not any(same_name(name, given) for given in own)]
    places = [place for place in places if not any(same_name(place, given) for given in own)]
    if not names and not places:
        return None
    for token in parse(question):
        if token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children) \
                and (spoken_of is None or set(search_terms(token.text)) & spoken_of):
            at = token.idx + len(token.text)
            named = (f" of {' and '.join(names)}" if names else "") + (f" in {' and '.join(places)}" if places else "")
            return f"{question[:at]}{named}{question[at:]}"
    return None


def standalone(question: str, history: list[tuple[str, str]]) -> str:
    """The question rewritten to stand alone when it leans on the conversation; unchanged otherwise. The
    earlier questions are read as they were rewritten in their turn: "What did she discuss?" after "When did
    she visit China?" after "Who is Janet Yellen?" asks what Janet Yellen discussed."""
    if not history:
        return question
    past: list[tuple[str, str]] = []
    for asked, answer in history[-LOOK_BACK:]:
        past.append((rewritten(asked, past) or (beside(asked, past[-1][0]) if past else asked), answer))
    return rewritten(question, past) or beside(question, past[-1][0])


def swapped(question: str, last: str) -> str | None:
    """For a fragment ("And in 2023?", "What about employees?", "And Wang Yi?", "And why?"): the last question
    with the part of it that the fragment replaces swapped for it: its question word, the phrase after the same
    preposition ("in 2022"), a name of the same kind, or else its first common noun's phrase ("trucks" in "How
    many trucks does he own?"). None when the question is no such fragment or nothing in the last one matches."""
    match = FRAGMENT_RE.match(question) or re.fullmatch(r"\W*(why|when|where|how|who)[\s?.!]*", question, re.IGNORECASE)
    if not match:
        return None
    part = match.group(1)
    doc = parse(last)
    head = part.split()[0].lower()
    if OWN_QUESTION_RE.fullmatch(part):  # "And why?" after "When did Blinken visit Beijing?"
        asked = re.match(r"\s*(?:who|what|when|where|why|how)(?=\s+(?:did|does|do|is|was|are|were|will|has|have|had)\b)",
                         last, re.IGNORECASE)
        return f"{part.strip().capitalize()}{last[asked.end():]}" if asked else None
    if head in PREPOSITIONS:
        old = next((doc[t.i:t.right_edge.i + 1] for t in doc if t.lower_ == head and t.dep_ == "prep"), None)
    elif any(len(name) >= len(part) - 1 for name, _ in entities(part)):
        kind = next(label for name, label in entities(part) if len(name) >= len(part) - 1)
        # the tagger may call a lone surname a place ("And Blinken?"): then it stands for the one who did it
        old = next((e for e in doc.ents if e.label_ == kind), None) or next(
            (e for e in doc.ents if e.label_ in PEOPLE | {"ORG"} and all(w[:1].isupper() for w in part.split())), None)
        if old is not None and old.start > 0 and doc[old.start - 1].lower_ == "the" and head != "the":
            old = doc[old.start - 1:old.end]  # "the US" -> "China"
    elif parse(part)[-1].pos_ == "NOUN":
        noun = next((t for t in doc if t.pos_ == "NOUN"), None)
        words = [w for w in doc[noun.left_edge.i:noun.i + 1] if w.lower_ not in ("how", "many", "much")
                 and w.tag_ not in ("WDT", "WP", "WRB")] if noun is not None else []
        old = doc[words[0].i:noun.i + 1] if words else None
    else:
        old = None
    if old is None:
        return None
    return last[:old.start_char] + part + last[old.end_char:]


def rewritten(question: str, history: list[tuple[str, str]]) -> str | None:
    """The question with its pronouns, or its definite noun, given what they refer to in the conversation;
    the question itself when it does not lean on it, None when it does and nothing there resolves it."""
    fragment = swapped(question, history[-1][0]) if history else None
    if fragment:
        return fragment
    if not history or not leans_on_history(question):
        return (the_named(question, history) if history else None) or question
    rewritten = question
    if PERSON_PRONOUN_RE.search(rewritten):
        name = referent(PEOPLE, history)
        if name:
            rewritten = replace_first(PERSON_PRONOUN_RE, rewritten, name)
    match = OTHER_PRONOUN_RE.search(rewritten)  # both: "Who did he meet there?" -> "Who did Blinken meet in Shanghai?"
    if match:
        word = match.group(1).lower()
        # "they" after "Who did Blinken meet in Shanghai?" is people, not Shanghai: Blinken and whom he met.
        plural = word in ("they", "them", "their")
        name = people(history) if plural else None
        if not name and word != "there" and not any(label in THINGS for _, label in entities(history[-1][0])):
            name = the_thing(history[-1][0], plural)  # "the portrait of Michael Jackson", "the ministers"
            if not name and word in ("it", "its"):  # no one is "it": a name tagged a person is a thing here ("Adidas")
                name = next(iter(proper_names(history[-1][0])[0]), None)
        name = name or referent(PLACES if word == "there" else THINGS, history)
        if name:
            rewritten = replace_first(OTHER_PRONOUN_RE, rewritten, name)
    return rewritten if rewritten != question else None


def the_thing(question: str, plural: bool) -> str | None:
    """The first thing the question names with "the", for "it" (one) or "they" (several): "the portrait of
    Michael Jackson" in "Who painted the portrait of Michael Jackson?", "the ministers" in "Where did the
    ministers meet?"."""
    for chunk in parse(question).noun_chunks:
        root = chunk.root
        if chunk[0].lower_ == "the" and root.pos_ == "NOUN" and (root.tag_ == "NNS") == plural:
            of = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            end = of.right_edge.i + 1 if of is not None else chunk.end
            return chunk.doc[chunk.start:end].text
    return None


def beside(question: str, last: str) -> str:
    """The question with the last one beside it, for what it leaves out. One that asks with its own question
    word goes first, so that what it asks is what the answer is checked for ("Who played her in the movie?
    How long did she spend on the book?" is not answered "eight years"); a fragment ("And in 2023?") after."""
    own = GOES_ON_RE.sub("", question)  # "And how many were infected?" asks its own question
    if OWN_QUESTION_RE.match(own) or is_yes_no(own):
        return f"{own[:1].upper()}{own[1:]} {last}"
    return f"{last} {question}"


def people(history: list[tuple[str, str]]) -> str | None:
    """The people the last turn was about, for "they": the two its question names ("Wang Yi and Blinken"),
    or the one it names and the one its answer names ("Blinken and Chen Jining"); None when its question
    names no one."""
    question, answer = history[-1]
    named: list[str] = []
    for text in (question, re_markers(answer)):
        for name, label in entities(text):
            if label in PEOPLE and not any(same_name(name, n) for n in named) and (named or text == question):
                named.append(name)
    return " and ".join(named[:2]) or None
