"""Clean a raw article: drop page boilerplate, find its title, source, outlet and date."""

from __future__ import annotations

import re

from .load import ArticleError
from ..records import Article, RawArticle
from .dates import dateline, find_date, normalise_date, published_line
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
MAX_TITLE_CHARS = 200


def normalize(text: str) -> str:
    """Unix newlines, no trailing spaces, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def parse_date(text: str) -> str | None:
    """The first full date in text as YYYY-MM-DD, or None (kept for callers; see dates.find_date)."""
    return find_date(text)


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
    date = normalise_date(raw.date)
    outlet = raw.outlet
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
        published = published_line(line) if index < 8 else None
        if published:
            date = date or published
            continue
        if index < 5 and len(line.strip()) <= 40 and find_date(line) and not date:
            date = find_date(line)
            continue
        if len(kept) < 4 and line.strip():  # the story's first line may open with a wire dateline
            when, wire = dateline(line)
            date, outlet = date or when, outlet or wire
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
    named = source if source and source != raw.url else None
    return Article(doc_id=raw.doc_id, title=title, text=text, source=source or raw.path,
                   date=date, path=raw.path, url=raw.url, outlet=outlet or named or host_of(raw.url))


def host_of(url: str | None) -> str | None:
    """"https://www.cnn.com/2024/..." -> "cnn.com"."""
    if not url or "://" not in url:
        return None
    host = url.split("://", 1)[1].split("/", 1)[0].split("@")[-1].split(":")[0].lower()
    return host.removeprefix("www.") or None
