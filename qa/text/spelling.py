"""A question's misspellings put right against the articles it retrieved: "Blinkin" -> "Blinken".

The claim checks compare the question's names with the passages word for word, so a misspelled name
would rule out every passage. A word is respelled only when the retrieved articles never use it, it is
rare in English (wordfreq), and exactly one word of the articles is spelled almost like it (difflib's
ratio): a name the articles use as written ("Chen Jining" beside "Xi Jinping") is never touched.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

SIMILARITY = 0.85  # "Blinkin" ~ "Blinken" (0.86), "Shanhai" ~ "Shanghai" (0.93); not "Osama" ~ "Obama" (0.80)
RARE = 3.0  # Zipf frequency below which a word may be a misspelling ("goverment"), not an English word to keep
LETTER = r"[^\W\d_]"  # a letter of any alphabet: "Schrödinger" is one word, not "Schr" and "dinger"
WORD_RE = re.compile(rf"{LETTER}(?:(?:{LETTER}|['’-])*{LETTER})?")


def close_spelling(a: str, b: str) -> bool:
    """Whether two (lower-case) words differ by about one slip: same first letter, length within two."""
    if min(len(a), len(b)) < 5 or a[0] != b[0] or abs(len(a) - len(b)) > 2:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= SIMILARITY


def respelled(question: str, texts: Iterable[str]) -> str:
    """The question with each misspelled word replaced by the articles' spelling of it ("Tik Tok" ->
    "TikTok", "Wang Yee welcome Blinkin" -> "Wang Yee welcome Blinken")."""
    from wordfreq import zipf_frequency

    spelled: dict[str, str] = {}  # lower case -> as the articles write it
    for text in texts:
        for word in WORD_RE.findall(text):
            for form in (word, re.split(r"['’]", word)[0]):  # "government's" also as "government"
                spelled.setdefault(form.lower(), form)

    def unknown(word: str) -> bool:
        return word.lower() not in spelled and zipf_frequency(word.lower(), "en") < RARE

    def joined(text: str) -> str:  # two words the articles write as one ("Tik Tok")
        words = list(re.finditer(rf"{LETTER}+", text))
        for a, b in zip(words, words[1:]):
            together = (a.group() + b.group()).lower()
            if text[a.end():b.start()] == " " and together in spelled and unknown(a.group()) and unknown(b.group()):
                return joined(text[:a.start()] + spelled[together] + text[b.end():])
        return text

    def single(match: re.Match) -> str:
        word = match.group(0)
        if len(word) < 5 or not unknown(word):
            return word
        close = [w for w in spelled if close_spelling(word.lower(), w)]
        if len(close) != 1:
            return word
        fixed = spelled[close[0]]  # the first letter's case is the asker's: "chancelor" -> "chancellor", "Peple" -> "People"
        return (fixed[0].upper() if word[0].isupper() else fixed[0].lower()) + fixed[1:]

    return WORD_RE.sub(single, joined(question))
