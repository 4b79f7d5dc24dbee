"""Clean a raw article: drop page boilerplate, find its title, source and date."""

from __future__ import annotations

import re

from .load import ArticleError
from ..records import Article, RawArticle
from ..text.sentences import split_sentences

# Whole lines that are page furniture, never story text.
BOILERPLATE_LINES = [
    r"leave a (reply|comment)",
    r"cancel reply",
    r"subscribe( now)?( to keep reading.*)?",
    r"continue reading.*",
    r"scroll to top",
    r"your email address will not be published\.?( required fields are marked \*)?",
    r"required fields are marked \*",
    r"source link",
    r"discover more from .{1,80}",
    r"share this:?",
    r"like this:?",
    r"(click to )?share on \w+.*",
    r"related( posts| articles)?:?",
    r"advertisement",
    r"read more:?",
    r"(post )?navigation",
    r"all rights reserved\.?",
    r"(©|copyright) .{0,80}",
]
BOILERPLATE_RE = re.compile(r"^\s*(?:" + "|".join(BOILERPLATE_LINES) + r")\s*$", re.IGNORECASE)
# A block of links to unrelated stories, from its heading to the end of the page.
TRAILING_BLOCK_RE = re.compile(r"^\s*(more stories|related stories|you may also like|recommended( for you)?)\s*$",
                               re.IGNORECASE)
REFERENCE_RE = re.compile(r"^\s*(?:references?|reference\(s\)|source)\s*:\s*(.*)$", re.IGNORECASE)
MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
MONTH_NUMBERS = {name[:3]: number for number, name in enumerate(MONTHS.split("|")[:12], start=1)}
DATE_PATTERNS = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "ymd"),
    (re.compile(rf"\b({MONTHS})\.? (\d{{1,2}}),? (\d{{4}})\b", re.IGNORECASE), "mdy"),
    (re.compile(rf"\b(\d{{1,2}}) ({MONTHS})\.? (\d{{4}})\b", re.IGNORECASE), "dmy"),
]
DATELINE_RE = re.compile(r"^\s*(published|updated|posted|date)\b[^:]{0,20}:?\s*(.{6,60})$", re.IGNORECASE)
MAX_TITLE_CHARS = 200


def normalize(text: str) -> str:
    """Unix newlines, no trailing spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def parse_date(text: str) -> str | None:
    """The first date in text as YYYY-MM-DD, or None."""
    for pattern, order in DATE_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        if order == "ymd":
            year, month, day = match.group(1), int(match.group(2)), int(match.group(3))
        else:
            month_name, day, year = ((match.group(1), match.group(2), match.group(3)) if order == "mdy"
                                     else (match.group(2), match.group(1), match.group(3)))
            month, day = MONTH_NUMBERS[month_name.lower()[:3]], int(day)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}"
    return None


def is_headline(line: str) -> bool:
    line = line.strip().lstrip("#").strip()
    return 0 < len(line) <= MAX_TITLE_CHARS and not line.endswith((".", ",", ":", ";")) and len(line.split()) >= 2


def first_sentence(text: str) -> str:
    start, end = split_sentences(text)[0]
    first = text[start:end]
    return first if len(first) <= MAX_TITLE_CHARS else first[:MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"


def clean_article(raw: RawArticle) -> Article:
    """Strip boilerplate and pull out title, source and date; raises ArticleError if no story is left."""
    lines = normalize(raw.text).split("\n")
    source = raw.url
    date = raw.date
    kept: list[str] = []
    skip_next_reference = False
    for index, line in enumerate(lines):
        if TRAILING_BLOCK_RE.match(line) and index >= len(lines) // 2:
            break
        if skip_next_reference:
            skip_next_reference = False
            if line.strip() and len(line.split()) == 1:
                source = source or line.strip()
                continue
        reference = REFERENCE_RE.match(line)
        if reference:
            named = reference.group(1).strip()
            if named:
                source = source or named
            else:
                skip_next_reference = True
            continue
        if BOILERPLATE_RE.match(line):
            continue
        dateline = DATELINE_RE.match(line)
        if dateline and parse_date(dateline.group(2)):
            date = date or parse_date(dateline.group(2))
            continue
        if index < 5 and len(line.strip()) <= 40 and parse_date(line) and not date:
            date = parse_date(line)
            continue
        kept.append(line)

    title = (raw.title or "").strip()
    body = kept
    while body and not body[0].strip():
        body.pop(0)
    if not title and body and is_headline(body[0]):
        title = body.pop(0).strip().lstrip("#").strip()
    # A headline repeated at the top of the story (pages often print it twice).
    while title and body and body[0].strip().lstrip("#").strip() in ("", title):
        body.pop(0)
    text = normalize("\n".join(body))
    if not text:
        raise ArticleError(raw.path, "no story text left after removing page boilerplate")
    if not title:
        title = first_sentence(text)
    return Article(doc_id=raw.doc_id, title=title, text=text, source=source or raw.path,
                   date=date, path=raw.path)
