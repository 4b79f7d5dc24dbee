"""Citation markers in an answer: find them, drop the ones that point nowhere, renumber by first use."""

from __future__ import annotations

import re

# [1], [1, 3], [1][2], and the near-misses small models write: [Passage 2], (Source 1), 【2】.
MARKER_RE = re.compile(
    r"\s?(?:\[|【|\()\s*(?:(?:passage|source|excerpt|ref)\.?\s*)?(\d{1,3}(?:\s*[,;]\s*(?:(?:passage|source)\s*)?\d{1,3})*)"
    r"\s*(?:\]|】|\))", re.IGNORECASE)


def cited_numbers(text: str) -> list[int]:
    """Every passage number the text cites, in order, repeats included."""
    return [int(n) for match in MARKER_RE.finditer(text) for n in re.findall(r"\d+", match.group(1))]


def renumber(text: str, passage_count: int) -> tuple[str, list[int]]:
    """Rewrite markers as [n] numbered 1.. by first use; drop numbers outside 1..passage_count.

    Returns the new text and, for each new number, the (1-based) passage it stands for.
    """
    order: list[int] = []

    def replace(match: re.Match) -> str:
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= passage_count]
        if not valid:
            # "(2024)" or "(3)" in prose is not a citation unless it is in brackets.
            return match.group(0) if match.group(0).strip().startswith("(") else ""
        for n in valid:
            if n not in order:
                order.append(n)
        return " " + "".join(f"[{order.index(n) + 1}]" for n in valid)

    rewritten = MARKER_RE.sub(replace, text)
    rewritten = re.sub(r"[ \t]+([.,;:!?])", r"\1", rewritten)  # no space before punctuation left by a drop
    rewritten = re.sub(r"([.!?])\s*((?:\[\d+\])+)", r" \2\1", rewritten)  # "fact. [1]" -> "fact [1]."
    rewritten = re.sub(r"\]\s+\[", "][", rewritten)
    rewritten = re.sub(r"[ \t]{2,}", " ", rewritten).strip()
    return rewritten, order
