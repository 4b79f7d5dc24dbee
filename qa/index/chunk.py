"""Cut a cleaned article into overlapping, sentence-aligned passages that fit the embedder."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..config import ChunkSettings
from ..records import Article, Chunk, embed_text
from ..text.sentences import split_sentences, strip_span
from ..text.tiktoken_offline import encoding

WORD_RE = re.compile(r"\S+\s*")
UNBROKEN_WARNING_CHARS = 5000  # a "sentence" this long is a page without punctuation, worth a warning


def split_long(text: str, start: int, end: int, max_tokens: int, count: Callable[[str], int]) -> list[tuple[int, int]]:
    """Cut an over-long span at word boundaries (or anywhere, for text without spaces)."""
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for match in WORD_RE.finditer(text, start, end):
        if match.start() > piece_start and count(text[piece_start:match.end()]) > max_tokens:
            pieces.append((piece_start, match.start()))
            piece_start = match.start()
    pieces.append((piece_start, end))
    result: list[tuple[int, int]] = []
    for s, e in pieces:  # a single "word" can still be too long: cut it by characters
        if e - s > max_tokens and count(text[s:e]) > max_tokens:
            result.extend((i, min(i + max_tokens, e)) for i in range(s, e, max_tokens))
        else:
            result.append((s, e))
    return [strip_span(text, s, e) for s, e in result if text[s:e].strip()]


def pack(sentences: list[tuple[int, int]], sizes: list[int], budget: int, overlap: int) -> list[tuple[int, int]]:
    """Group consecutive sentences into windows of at most budget tokens, repeating up to overlap tokens."""
    windows: list[tuple[int, int]] = []
    first = 0
    while first < len(sentences):
        last, used = first, sizes[first]
        while last + 1 < len(sentences) and used + sizes[last + 1] <= budget:
            last += 1
            used += sizes[last]
        windows.append((sentences[first][0], sentences[last][1]))
        if last + 1 >= len(sentences):
            break
        # Start the next window with the tail sentences that fit in the overlap, always moving forward.
        next_first, carried = last + 1, 0
        while next_first - 1 > first and carried + sizes[next_first - 1] <= overlap:
            next_first -= 1
            carried += sizes[next_first]
        first = next_first
    return windows


def chunk_article(
    article: Article,
    settings: ChunkSettings = ChunkSettings(),
    fits: Callable[[list[str]], list[bool]] | None = None,
    warn: Callable[[str], None] | None = None,
) -> list[Chunk]:
    """Passages of the article; fits(embed_texts) says which ones the embedder takes whole.

    warn(message) hears about text with no sentence breaks, which is cut at word boundaries instead.
    """
    enc = encoding(settings.encoding)

    def count(text: str) -> int:
        return len(enc.encode_ordinary(text))

    def cut(spans: list[tuple[int, int]], budget: int) -> list[tuple[int, int]]:
        sentences: list[tuple[int, int]] = []
        for s, e in spans:
            sentences.extend(split_long(article.text, s, e, budget, count) if count(article.text[s:e]) > budget
                             else [(s, e)])
        # +1 per sentence for the space or line break that joins it to the next.
        return pack(sentences, [count(article.text[s:e]) + 1 for s, e in sentences], budget,
                    min(settings.overlap_tokens, budget // 2))

    def make(span: tuple[int, int]) -> Chunk:
        text = article.text[span[0]:span[1]]
        return Chunk(doc_id=article.doc_id, start=span[0], end=span[1], text=text,
                     embed_text=embed_text(article.title, text))

    sentences = split_sentences(article.text)
    longest = max((e - s for s, e in sentences), default=0)
    if warn and longest > UNBROKEN_WARNING_CHARS:
        warn(f"{article.path}: {longest:,} characters with no sentence break; cut at word boundaries")
    windows = cut(sentences, settings.chunk_tokens)
    chunks = [make(w) for w in windows]
    if fits is None:
        return chunks
    # Re-cut any window the embedder would truncate, with a smaller budget, until all fit.
    result: list[Chunk] = []
    for window, chunk, ok in zip(windows, chunks, fits([c.embed_text for c in chunks])):
        budget = settings.chunk_tokens
        pending = [chunk]
        while not ok:
            budget //= 2
            if budget < 4:
                raise ValueError(f"{article.path}: title too long for the embedder's input limit")
            pieces = [make(w) for w in cut(split_sentences_in(article.text, window), budget)]
            verdicts = fits([p.embed_text for p in pieces])
            ok = all(verdicts)
            pending = pieces
        result.extend(pending)
    return result


def split_sentences_in(text: str, window: tuple[int, int]) -> list[tuple[int, int]]:
    """Sentence spans of text that lie within window, as offsets into text."""
    return [(window[0] + s, window[0] + e) for s, e in split_sentences(text[window[0]:window[1]])]
