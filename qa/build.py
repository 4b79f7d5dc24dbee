"""Build or update the index: load -> clean -> chunk -> embed -> store, re-embedding only what changed."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .chunk import chunk_article
from .clean import clean_article
from .config import DEFAULT_ARTICLES, DEFAULT_INDEX, DEFAULT_MODEL, FORMAT_VERSION, ChunkSettings
from .embed import Embedder, embedder_for
from .keyword import keyword_tokens
from .load import ArticleError, load_articles
from .records import Article, Chunk, IndexReport, content_hash
from .store import IndexData, IndexFolderError, locked, read_index, vectors_of, write_index


def settings_manifest(embedder: Embedder, settings: ChunkSettings) -> dict:
    """The parts of the manifest that, when they change, make every stored vector invalid."""
    return {"format_version": FORMAT_VERSION, "model": embedder.name, "chunking": settings.to_dict()}


def rebuild_reason(old: dict, new: dict) -> str | None:
    if old.get("model") != new["model"]:
        return f"embedding model changed ({old.get('model')} -> {new['model']})"
    if old.get("chunking") != new["chunking"]:
        return f"chunking settings changed ({old.get('chunking')} -> {new['chunking']})"
    return None


class DuplicateArticle(ArticleError):
    """An article already present under another name or id; skipped, not failed."""


def load_clean_articles(articles_dir: str | Path, errors: list[ArticleError]) -> dict[str, Article]:
    """Cleaned articles by doc_id; files that fail, and duplicate ids, are added to errors."""
    raws, load_errors = load_articles(articles_dir)
    errors.extend(load_errors)
    articles: dict[str, Article] = {}
    first_with_text: dict[str, str] = {}
    for raw in raws:
        try:
            article = clean_article(raw)
        except ArticleError as exc:
            errors.append(exc)
            continue
        if article.doc_id in articles:
            errors.append(DuplicateArticle(raw.path, f"duplicate id {article.doc_id!r} (first in "
                                                 f"{articles[article.doc_id].path}), skipped"))
            continue
        text_hash = content_hash(article.text)
        if text_hash in first_with_text:
            errors.append(DuplicateArticle(raw.path, f"same text as {first_with_text[text_hash]}, skipped"))
            continue
        first_with_text[text_hash] = article.path
        articles[article.doc_id] = article
    return articles


def file_of(path: str) -> str:
    """The file part of an article's path ("archive.jsonl:12" -> "archive.jsonl")."""
    return path.rsplit(":", 1)[0] if path.rsplit(":", 1)[-1].isdigit() else path


def build_index(
    articles_dir: str | Path = DEFAULT_ARTICLES,
    index_dir: str | Path = DEFAULT_INDEX,
    model: str | Embedder = DEFAULT_MODEL,
    settings: ChunkSettings = ChunkSettings(),
    progress: bool = False,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> IndexReport:
    """Bring the index in index_dir up to date with the articles in articles_dir; returns what it did."""
    started = time.perf_counter()
    embedder = embedder_for(model) if isinstance(model, str) else model
    report = IndexReport()
    errors: list[ArticleError] = []
    with locked(index_dir, on_wait=log):
        articles = load_clean_articles(articles_dir, errors)
        for error in errors:
            log(f"skipped {error}")
        report.errors = [str(e) for e in errors]

        wanted = settings_manifest(embedder, settings)
        old: IndexData | None = None
        try:
            old = read_index(index_dir)
            report.rebuilt_because = rebuild_reason(old.manifest, wanted)
        except IndexFolderError as exc:
            if "no index here yet" not in str(exc):
                report.rebuilt_because = f"the existing index cannot be used ({exc})"
        if report.rebuilt_because:
            log(f"Full rebuild: {report.rebuilt_because}")
            old = None

        # Keep what failed to load this time as it was: bad input never loses indexed articles.
        failed_files = {file_of(e.path) for e in errors if not isinstance(e, DuplicateArticle)}
        if old:
            for doc_id, article in old.articles.items():
                if doc_id not in articles and file_of(article.path) in failed_files:
                    articles[doc_id] = article

        old_articles = old.articles if old else {}
        for doc_id, article in articles.items():
            if doc_id not in old_articles:
                report.added.append(doc_id)
            elif old_articles[doc_id].hash != article.hash:
                report.changed.append(doc_id)
            else:
                report.unchanged += 1
        report.removed = [d for d in old_articles if d not in articles]
        if old and not (report.added or report.changed or report.removed):
            report.chunks_total = report.chunks_reused = len(old.chunks)
            report.seconds = time.perf_counter() - started
            return report

        data = old or IndexData.empty(dict(wanted, dim=embedder.dim, next_id=0), embedder.dim)
        update(data, articles, report.added + report.changed, embedder, settings, progress, report)
        data.manifest.update(wanted)
        for warning in report.warnings:
            log(f"warning {warning}")
        write_index(index_dir, data)
        report.chunks_total = len(data.chunks)
        report.seconds = time.perf_counter() - started
        return report


def update(data: IndexData, articles: dict[str, Article], to_chunk: list[str], embedder: Embedder,
           settings: ChunkSettings, progress: bool, report: IndexReport) -> None:
    """Apply the new set of articles to data in place, embedding only chunks never seen before."""
    fresh: list[Chunk] = []
    for doc_id in _progress(to_chunk, progress, "chunking"):
        fresh.extend(chunk_article(articles[doc_id], settings, fits=embedder.fits, warn=report.warnings.append))

    # Chunks of articles that are gone or re-chunked leave the index; their vectors stay
    # available by content hash, so text that merely moved is not embedded again.
    rechunked = set(to_chunk)
    leaving = {i for i, c in data.chunks.items() if c.doc_id not in articles or c.doc_id in rechunked}
    by_hash = {data.chunks[i].hash: i for i in leaving}
    reuse = [by_hash.get(c.hash) for c in fresh]
    reused_vectors = vectors_of(data.vectors, [i for i in reuse if i is not None])
    to_embed = [c for c, i in zip(fresh, reuse) if i is None]
    if to_embed:
        embedded = embedder.embed([c.embed_text for c in to_embed], progress=progress)
    else:
        embedded = np.zeros((0, data.vectors.d), dtype=np.float32)
    # Identical new chunks (the same text in two articles) are embedded once each; that is rare.
    vectors = np.empty((len(fresh), data.vectors.d), dtype=np.float32)
    reused_rows = iter(reused_vectors)
    embedded_rows = iter(embedded)
    for row, source in enumerate(reuse):
        vectors[row] = next(reused_rows) if source is not None else next(embedded_rows)

    if leaving:
        data.vectors.remove_ids(np.fromiter(leaving, dtype=np.int64))
        for i in leaving:
            del data.chunks[i]
            del data.tokens[i]
    for doc_id in [d for d in data.articles if d not in articles]:
        del data.articles[doc_id]
    for doc_id in to_chunk:
        data.articles[doc_id] = articles[doc_id]
    next_id = int(data.manifest.get("next_id", 0))
    ids = np.arange(next_id, next_id + len(fresh), dtype=np.int64)
    for chunk, chunk_id in zip(fresh, ids):
        chunk.id = int(chunk_id)
        data.chunks[chunk.id] = chunk
        data.tokens[chunk.id] = keyword_tokens(chunk.embed_text)
    if len(fresh):
        data.vectors.add_with_ids(vectors, ids)
    data.manifest["next_id"] = next_id + len(fresh)
    report.chunks_embedded = len(to_embed)
    report.chunks_reused = len(data.chunks) - len(to_embed)


def _progress(items: list, enabled: bool, label: str):
    if not enabled or len(items) < 200:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=label, unit="article")
