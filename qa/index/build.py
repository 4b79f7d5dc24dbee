"""Build or update the index: load -> clean -> chunk -> embed -> store, re-embedding only what changed.

Articles stream through in batches, and what the run must remember of every article (ids and texts
met, the index's stamps, near-duplicate bands) is kept on disk in a ledger (index/ledger.py), so an
archive larger than memory can be indexed (the folder store still holds its index in memory; Milvus
does not). Nothing is visible to readers until the store publishes the whole update at once.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from ..config import DEFAULT_ARTICLES, DEFAULT_MODEL, FORMAT_VERSION, ChunkSettings, default_store
from ..files import progress_bar
from ..ingest.clean import clean_article
from ..ingest.load import ArticleError, count_articles, iter_articles
from ..records import Article, Chunk, IndexReport, content_hash
from ..stores import StoreWriter, store_writer
from .chunk import chunk_article
from .embed import Embedder, embedder_for
from .ledger import Ledger
from .stories import StoryIndex, signature

BATCH_ARTICLES = 256  # articles chunked, embedded and handed to the store together


def settings_manifest(embedder: Embedder, settings: ChunkSettings) -> dict:
    """The parts of the manifest that, when they change, make every stored vector invalid."""
    return {"format_version": FORMAT_VERSION, "model": embedder.name, "chunking": settings.to_dict(),
            "dim": embedder.dim}


def rebuild_reason(old: dict, new: dict) -> str | None:
    if old.get("model") != new["model"]:
        return f"embedding model changed ({old.get('model')} -> {new['model']})"
    if old.get("chunking") != new["chunking"]:
        return f"chunking settings changed ({old.get('chunking')} -> {new['chunking']})"
    return None


class DuplicateArticle(ArticleError):
    """An article already present under another name or id; skipped, not failed."""


def clean_articles(articles_dir: str | Path, errors: list[ArticleError], ledger: Ledger) -> Iterator[Article]:
    """Cleaned articles, one at a time; files that fail and duplicates (by id or text) go to errors."""
    for raw in iter_articles(articles_dir, errors):
        try:
            article = clean_article(raw)
        except ArticleError as exc:
            errors.append(exc)
            continue
        first = ledger.first_with_id(article.doc_id, article.path)
        if first is not None:
            errors.append(DuplicateArticle(raw.path, f"duplicate id {article.doc_id!r} (first in {first}), skipped"))
            continue
        # The same text twice is a copied file, unless another outlet published it (then it is syndication,
        # indexed and grouped with the first copy as one story).
        first = ledger.first_with_text(content_hash(article.text, article.outlet, article.url), article.path)
        if first is not None:
            errors.append(DuplicateArticle(raw.path, f"same text as {first}, skipped"))
            continue
        yield article


def file_of(path: str) -> str:
    """The file part of an article's path ("archive.jsonl:12" -> "archive.jsonl")."""
    return path.rsplit(":", 1)[0] if path.rsplit(":", 1)[-1].isdigit() else path


class Indexer:
    """Chunks and embeds batches of articles into a store writer, reusing vectors of known text."""

    def __init__(self, writer: StoreWriter, embedder: Embedder, settings: ChunkSettings, report: IndexReport,
                 progress: bool, stories: StoryIndex):
        self.writer = writer
        self.embedder = embedder
        self.settings = settings
        self.report = report
        self.progress = progress
        self.stories = stories
        self.pending: list[Article] = []
        self.replaced: list[str] = []

    def put(self, article: Article, replaces: bool) -> None:
        """Queue the article; `replaces` when the index holds an earlier version of it."""
        self.pending.append(article)
        if replaces:
            self.replaced.append(article.doc_id)
        if len(self.pending) >= BATCH_ARTICLES:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        articles, self.pending = self.pending, []
        replaced, self.replaced = self.replaced, []
        for article in articles:
            self.group(article)
        chunks: list[Chunk] = []
        for article in articles:
            chunks.extend(chunk_article(article, self.settings, fits=self.embedder.fits,
                                        warn=self.report.warnings.append))
        known = self.writer.vectors_by_hash([c.hash for c in chunks])
        to_embed = [c for c in chunks if c.hash not in known]
        embedded = iter(self.embedder.embed([c.embed_text for c in to_embed], progress=False))
        vectors = np.empty((len(chunks), self.embedder.dim), dtype=np.float32)
        for row, chunk in enumerate(chunks):
            vectors[row] = known[chunk.hash] if chunk.hash in known else next(embedded)
        self.writer.remove(replaced)
        self.writer.add(articles, chunks, vectors)
        self.report.chunks_embedded += len(to_embed)

    def group(self, article: Article) -> None:
        """Give the article its near-duplicate signature and the story it belongs to."""
        started = time.perf_counter()
        article.minhash = signature(article.text)
        article.story = self.stories.story_for(article.doc_id, article.minhash)
        self.stories.add(article.doc_id, article.minhash, article.story)
        if article.story != article.doc_id:
            self.report.record("grouped", f"{article.doc_id} -> {article.story}")
        self.report.grouping_seconds += time.perf_counter() - started


def build_index(
    articles_dir: str | Path = DEFAULT_ARTICLES,
    index: str | Path | None = None,
    model: str | Embedder = DEFAULT_MODEL,
    settings: ChunkSettings = ChunkSettings(),
    progress: bool = False,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> IndexReport:
    """Bring the index at `index` (a folder or store URI) up to date with the articles in articles_dir."""
    started = time.perf_counter()
    index = default_store() if index is None else index
    embedder = embedder_for(model) if isinstance(model, str) else model
    report = IndexReport()
    errors: list[ArticleError] = []
    with store_writer(index, on_wait=log) as writer, Ledger() as ledger:
        wanted = settings_manifest(embedder, settings)
        if writer.unusable:
            report.rebuilt_because = f"the existing index cannot be used ({writer.unusable})"
        elif writer.manifest is not None:
            report.rebuilt_because = rebuild_reason(writer.manifest, wanted)
        if report.rebuilt_because:
            log(f"Full rebuild: {report.rebuilt_because}")
        writer.start(wanted, rebuild=bool(report.rebuilt_because) or writer.manifest is None)
        ledger.load(writer.stamps())
        indexer = Indexer(writer, embedder, settings, report, progress, ledger.stories)
        total = count_articles(articles_dir) if progress else 0
        bar = progress_bar(total >= 50, "Indexing", "article", total=total)
        logged = 0
        try:
            for article in clean_articles(articles_dir, errors, ledger):
                for error in errors[logged:]:
                    log(f"skipped {error}")
                logged = len(errors)
                stamp = ledger.stamp(article.doc_id)
                if stamp is None:
                    report.record("added", article.doc_id)
                elif stamp.hash != article.hash:
                    report.record("changed", article.doc_id)
                else:
                    report.unchanged += 1
                    bar.update()
                    continue
                indexer.put(article, replaces=stamp is not None)
                bar.update()
            indexer.flush()
        finally:
            bar.close()
        for error in errors[logged:]:
            log(f"skipped {error}")
        report.errors = [str(e) for e in errors]

        # What failed to load this time keeps its indexed version: bad input never loses articles.
        failed_files = {file_of(e.path) for e in errors if not isinstance(e, DuplicateArticle)}
        gone: list[str] = []

        def drop() -> None:  # removed from the store and forgotten by the ledger, a batch at a time
            writer.remove(gone)
            for done in gone:
                ledger.forget(done)
            gone.clear()

        for doc_id, path in ledger.not_met():
            if file_of(path) not in failed_files:
                report.record("removed", doc_id)
                gone.append(doc_id)
            if len(gone) >= BATCH_ARTICLES:
                drop()
        drop()
        report.stories, report.copies = ledger.stories.counts()
        for line in report.grouped:
            log(f"grouped {line.replace(' -> ', ' as a copy of the story of ')}")
        if report.counts["grouped"] > len(report.grouped):
            log(f"grouped {report.counts['grouped'] - len(report.grouped)} more copies")
        report.chunks_total = writer.chunk_count()
        report.chunks_reused = report.chunks_total - report.chunks_embedded
        for warning in report.warnings:
            log(f"warning {warning}")
        if report.added or report.changed or report.removed or report.rebuilt_because or writer.manifest is None:
            writer.publish(wanted)
        report.seconds = time.perf_counter() - started
        return report
