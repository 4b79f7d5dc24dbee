"""HTML for the chat: every piece of article or model text is escaped; only our own tags are markup."""

from __future__ import annotations

import html
import re

from ..answer.answerer import Answer, Citation
from ..records import Article, Passage

# Markdown's special characters, and ":" so that no URL is auto-linked, become numeric entities.
MARKDOWN_SPECIALS_RE = re.compile(r"[&<>\\`*_{}\[\]()#+\-.!|~:=]")
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
CITATION_RE = re.compile(r"&#91;(\d{1,3})&#93;")  # a [n] marker after escaping


def escape_markdown(text: str) -> str:
    """Plain text that markdown renders as itself: no links, images, emphasis, URLs or raw HTML."""
    return MARKDOWN_SPECIALS_RE.sub(lambda m: ENTITIES.get(m.group(), f"&#{ord(m.group())};"), text)


def answer_markdown(text: str) -> str:
    """The answer for the chat bubble: escaped, with each [n] a link to its source card."""
    return CITATION_RE.sub(lambda m: f'<a class="cite" href="#src-{m.group(1)}">[{m.group(1)}]</a>',
                           escape_markdown(text))


def highlighted(text: str, start: int, end: int, offset: int = 0) -> str:
    """text (starting at offset in the article) with start..end marked, all escaped."""
    a, b = max(0, start - offset), max(0, end - offset)
    return (html.escape(text[:a]) + "<mark>" + html.escape(text[a:b]) + "</mark>" + html.escape(text[b:]))


def source_card(n: int | str, item: Citation | Passage, article: Article | None, cited: bool = True) -> str:
    outlet = item.outlet or item.source
    when = html.escape(item.date) if item.date else '<span class="undated">date unknown</span>'
    meta = f"{html.escape(outlet)} · {when}"
    if item.also_published:
        meta += " · also published by " + html.escape(", ".join(item.also_published))
    doc = f" · <code>{html.escape(item.doc_id)}</code>" if item.doc_id != outlet else ""
    whole = ""
    if article is not None:
        whole = ('<details class="whole"><summary>Read the whole article</summary><div class="article">'
                 + highlighted(article.text, item.start, item.end) + "</div></details>")
    return (f'<div class="source{"" if cited else " uncited"}" id="src-{n}">'
            f'<div class="head"><span class="n">[{n}]</span> <b>{html.escape(item.title)}</b></div>'
            f'<div class="meta">{meta} · score {item.score:.2f}{doc}</div>'
            f'<blockquote>{highlighted(item.text, item.focus_start, item.focus_end, item.start)}</blockquote>'
            f"{whole}</div>")


def sources_html(items: list[Citation] | list[Passage], articles: dict[str, Article],
                 also: list[Passage] = (), heading: str = "Sources") -> str:
    if not items and not also:
        return '<div class="sources empty">No sources yet: ask a question.</div>'
    cards = [source_card(getattr(item, "n", i), item, articles.get(item.doc_id)) for i, item in enumerate(items, 1)]
    if also:
        cards.append('<div class="also">Also retrieved</div>')
        cards += [source_card(f"r{i}", item, articles.get(item.doc_id), cited=False) for i, item in enumerate(also, 1)]
    return f'<div class="sources"><h3>{html.escape(heading)}</h3>' + "".join(cards) + "</div>"


def provisional_markdown(text: str) -> str:
    """A quoted extract shown while the reader is still checking: marked as provisional."""
    return '<span class="provisional">Checking the answer… meanwhile, the best passage:</span> ' + answer_markdown(text)


def final_markdown(answer: Answer) -> str:
    if answer.refused:
        return escape_markdown(answer.answer)
    return answer_markdown(answer.answer)


CSS = """
/* No animations: in a browser without a GPU (a headless one, or a small laptop) the pending-answer
   pulse took up to 1.8 cores from the model on two (benchmarks/README.md). */
*, *::before, *::after { animation: none !important; transition: none !important; }
.sources .source { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 10px; margin: 8px 0; }
.sources .source.uncited { opacity: 0.8; }
.sources .source:target { outline: 3px solid var(--color-accent); }
.sources .meta { font-size: 0.85em; color: var(--body-text-color-subdued); }
.sources blockquote { margin: 6px 0; white-space: pre-wrap; }
.sources mark { background: #fde68a; color: inherit; }
.sources .article { white-space: pre-wrap; max-height: 320px; overflow: auto; font-size: 0.9em; }
.sources .also { margin-top: 12px; font-weight: bold; }
a.cite { text-decoration: none; font-weight: bold; }
.provisional { color: var(--body-text-color-subdued); font-style: italic; }
"""
