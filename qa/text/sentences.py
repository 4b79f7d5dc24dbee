"""Sentence boundaries with character offsets (abbreviation-aware, no model needed)."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "no", "gen", "sen", "rep", "gov",
    "inc", "corp", "co", "ltd", "lt", "col", "sgt", "capt", "fig", "al", "approx", "dept", "est",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e",
}
# A candidate boundary: end punctuation, optional closing quote/bracket, then space.
BOUNDARY_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
NEXT_START_RE = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9]")


def is_abbreviation(text: str, dot: int) -> bool:
    """Whether the '.' at index dot ends an abbreviation (U.S., Mr., e.g.) rather than a sentence."""
    word = text[max(0, text.rfind(" ", 0, dot) + 1):dot].lstrip("(\"'“‘").lower()
    last = word.rsplit("-", 1)[-1]  # "then-Sen.", "Minneapolis-St." (no abbreviation holds a hyphen)
    return last in ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.)*[a-z]", last))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over text, without surrounding space; a line break ends a sentence."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line in text.split("\n"):
        start = 0
        for match in BOUNDARY_RE.finditer(line):
            if not NEXT_START_RE.match(line, match.end()):
                continue
            if match.group() == "." and is_abbreviation(line, match.start()):
                continue
            spans.append((line_start + start, line_start + match.end()))
            start = match.end()
        spans.append((line_start + start, line_start + len(line)))
        line_start += len(line) + 1
    return [strip_span(text, s, e) for s, e in spans if text[s:e].strip()]


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    piece = text[start:end]
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())
