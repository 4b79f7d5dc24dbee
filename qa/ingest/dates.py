"""Publication dates and outlets found in article text: datelines, "Published ..." lines, metadata.

Candidate dates are found by pattern (a month name or an ISO date, with the day and the year: a
date missing either is not guessed) and read by dateparser. A wire dateline
("BEIJING, April 26, 2024 (Reuters) —") gives the date and the outlet.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
DATE_RE = re.compile(
    rf"\b(?:(?:{WEEKDAYS})\.?,?\s+)?(?:"
    rf"(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+|\s+of\s+)\d{{4}}"  # April 26, 2024; April 26 of 2024
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{MONTHS})\.?,?\s+\d{{4}}"  # 26 April 2024; 26th of April 2024
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"  # 2024-04-26T10:00Z
    r"|\d{4}/\d{2}/\d{2}"
    r")\b", re.IGNORECASE)
# "BEIJING, April 26 (Reuters) -", "WASHINGTON (CNN) —": a place in capitals, maybe a date, maybe an outlet.
DATELINE_RE = re.compile(r"^\s*([A-Z][A-Z .'-]{2,40})(?:,\s*([^()—–-]{3,40}?))?\s*(?:\(([^)]{2,40})\))?\s*(?:—|–|--|-)\s+")
PUBLISHED_RE = re.compile(r"^\s*(?:published|updated|posted|date|first published)\b[^:\n]{0,20}:?\s*(.{6,80})$",
                          re.IGNORECASE)
SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past", "DATE_ORDER": "MDY",
            "RETURN_AS_TIMEZONE_AWARE": False}


@lru_cache(maxsize=4096)
def read_date(text: str) -> date | None:
    """One date expression (day, month and year all given) as a date, or None."""
    import dateparser

    try:
        parsed = dateparser.parse(text.strip(" ,.;"), languages=["en"], settings=SETTINGS)
    except (ValueError, OverflowError):
        return None
    return parsed.date() if isinstance(parsed, datetime) and 1900 <= parsed.year <= 2100 else None


def find_date(text: str) -> str | None:
    """The first full date written in text, as YYYY-MM-DD; None when there is none."""
    for match in DATE_RE.finditer(text):
        found = read_date(match.group(0))
        if found:
            return found.isoformat()
    return None


def normalise_date(value: str | None) -> str | None:
    """A date given in metadata (ISO, RFC 2822, "April 26, 2024"...) as YYYY-MM-DD; None if unreadable."""
    if not value:
        return None
    value = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value if read_date(value) else None
    found = read_date(value)
    return found.isoformat() if found else find_date(value)


def dateline(line: str) -> tuple[str | None, str | None]:
    """(date, outlet) from a wire-style dateline at the start of a story's first line."""
    match = DATELINE_RE.match(line)
    if not match:
        return None, None
    when = find_date(match.group(2) or "") if match.group(2) else None
    outlet = match.group(3).strip() if match.group(3) else None
    return when, outlet


def published_line(line: str) -> str | None:
    """The date of a "Published 3:15 PM EDT, Fri April 26, 2024" kind of line, when the line is one."""
    match = PUBLISHED_RE.match(line)
    return find_date(match.group(1)) if match else None
