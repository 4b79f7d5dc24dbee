"""Time in questions: "last week", "in April 2024", "since March", "before the summit", "the latest".

A question's time words become a date range (the search filters) or a preference for the newest
reports, resolved against a reference date: the newest indexed article's by default, since a news
archive's "last week" is the week before its latest news, not before today. Dates are read by
dateparser; the range each phrase means is decided here.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
           "eight": 8, "nine": 9, "ten": 10, "few": 3, "several": 3, "couple of": 2}
UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
RECENT_RE = re.compile(r"\b(latest|most recent(ly)?|newest|recent(ly)?|currently|right now|so far|up to date|"
                       r"update on|the news on)\b", re.IGNORECASE)
DATE_WORDS = rf"(?:(?:{MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?|\d{{4}}(?:-\d{{2}}(?:-\d{{2}})?)?|" \
             rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?(?:,?\s+\d{{4}})?)"
PATTERNS = [
    ("between", re.compile(rf"\bbetween\s+({DATE_WORDS})\s+and\s+({DATE_WORDS})\b", re.IGNORECASE)),
    ("relative", re.compile(r"\b(last|past|previous|this)\s+((?:few|several|couple of|\d+|one|two|three|four|five|six|"
                            r"seven|eight|nine|ten)\s+)?(day|week|month|year)s?\b", re.IGNORECASE)),
    ("ago", re.compile(r"\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|\d+)\s+(day|week|month|year)s?\s+ago\b",
                       re.IGNORECASE)),
    ("today", re.compile(r"\b(today|yesterday)\b", re.IGNORECASE)),
    ("since", re.compile(rf"\b(since|after|from)\s+({DATE_WORDS})\b", re.IGNORECASE)),
    ("before", re.compile(rf"\b(before|until|till|prior to|by)\s+({DATE_WORDS})\b", re.IGNORECASE)),
    ("in", re.compile(rf"\b(in|on|during|of)\s+({DATE_WORDS})\b", re.IGNORECASE)),
    ("event", re.compile(r"\b(before|after|since|ahead of|following)\s+(the\s+[\w' -]{3,40}?)(?=[?,.;]|$)", re.IGNORECASE)),
]


@dataclass(frozen=True)
class TimeFrame:
    """What a question's time words ask for: a date range, a preference for the newest, or both."""

    date_from: str | None = None
    date_to: str | None = None
    prefer_recent: bool = False
    phrase: str = ""  # the words that said so

    def describe(self) -> str:
        """What the chat shows: "Searched articles from 2024-04-20 to 2024-04-27"."""
        parts = []
        if self.date_from and self.date_to:
            parts.append(f"Searched articles from {self.date_from} to {self.date_to}"
                         if self.date_from != self.date_to else f"Searched articles of {self.date_from}")
        elif self.date_from:
            parts.append(f"Searched articles from {self.date_from} on")
        elif self.date_to:
            parts.append(f"Searched articles up to {self.date_to}")
        if self.prefer_recent:
            parts.append("newest reports first")
        return "; ".join(parts) + (f" (“{self.phrase}”)" if parts and self.phrase else "")


def read_expression(text: str, reference: date) -> tuple[date, date] | None:
    """The first and last day an expression names: "April 2024" -> April 1-30; "2023" -> the year;
    "April 26" -> that day in the reference's year (or the year before, if that is still to come)."""
    import dateparser

    text = text.strip().rstrip(".,")
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return date(year, 1, 1), date(year, 12, 31)
    settings = {"RELATIVE_BASE": _at(reference), "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False}
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return None
    has_day = bool(re.search(r"\b\d{1,2}(st|nd|rd|th)?\b(?!\d)", re.sub(r"\d{4}", "", text)) or re.search(r"\d{4}-\d{2}-\d{2}", text))
    day = parsed.date()
    if has_day:
        return day, day
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def _at(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day, 12, 0)


def count_of(word: str | None) -> int:
    if not word:
        return 1
    word = word.strip().lower()
    return int(word) if word.isdigit() else NUMBERS.get(word, 1)


def time_frame(question: str, reference: date | None,
               anchor: Callable[[str], date | None] | None = None) -> TimeFrame:
    """The question's time frame against the reference date; anchor(phrase) dates an event ("the summit")."""
    recent = bool(RECENT_RE.search(question))
    if reference is None:
        return TimeFrame(prefer_recent=recent, phrase=RECENT_RE.search(question).group(0) if recent else "")
    for kind, pattern in PATTERNS:
        match = pattern.search(question)
        if not match:
            continue
        found = frame_of(kind, match, reference, anchor)
        if found is not None:
            start, end = found
            return TimeFrame(start.isoformat() if start else None, end.isoformat() if end else None, recent,
                             match.group(0))
    return TimeFrame(prefer_recent=recent, phrase=RECENT_RE.search(question).group(0) if recent else "")


def frame_of(kind: str, match: re.Match, reference: date,
             anchor: Callable[[str], date | None] | None) -> tuple[date | None, date | None] | None:
    if kind == "between":
        first, second = read_expression(match.group(1), reference), read_expression(match.group(2), reference)
        return (first[0], second[1]) if first and second else None
    if kind == "relative":
        which, amount, unit = match.group(1).lower(), match.group(2), match.group(3).lower()
        if which == "this":
            if unit == "week":
                return reference - timedelta(days=reference.weekday()), reference
            if unit == "month":
                return reference.replace(day=1), reference
            if unit == "year":
                return reference.replace(month=1, day=1), reference
            return reference, reference
        span = UNIT_DAYS[unit] * count_of(amount)
        return reference - timedelta(days=span), reference
    if kind == "ago":
        span = UNIT_DAYS[match.group(2).lower()] * count_of(match.group(1))
        centre = reference - timedelta(days=span)
        slack = max(1, span // 4)
        return centre - timedelta(days=slack), centre + timedelta(days=slack)
    if kind == "today":
        day = reference if match.group(1).lower() == "today" else reference - timedelta(days=1)
        return day, day
    if kind in ("since", "before", "in"):
        found = read_expression(match.group(2), reference)
        if found is None:
            return None
        if kind == "since":
            start = found[1] + timedelta(days=1) if match.group(1).lower() == "after" else found[0]
            return start, reference
        if kind == "before":
            return None, found[0] - timedelta(days=1) if match.group(1).lower() != "by" else found[1]
        return found
    if kind == "event" and anchor is not None:
        when = anchor(match.group(2))
        if when is None:
            return None
        if match.group(1).lower() in ("before", "ahead of"):
            return None, when - timedelta(days=1)
        return when + timedelta(days=1) if match.group(1).lower() != "since" else when, reference
    return None
