"""Read articles from a folder: plain text, Markdown, HTML and JSON Lines files."""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterator
from pathlib import Path

from .records import RawArticle

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
MAX_FILE_BYTES = 10 * 1024 * 1024  # one article (a whole book is ~1 MB); a JSONL archive may be larger
MAX_JSONL_BYTES = 4 * 1024 * 1024 * 1024


class ArticleError(Exception):
    """A file (or one line of it) that cannot be read as an article."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def decode(data: bytes, path: str) -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ArticleError(path, f"invalid UTF-16 text ({exc.reason})") from None
    if b"\x00" in data[:8192]:
        raise ArticleError(path, "binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if sum(not (c.isprintable() or c.isspace()) for c in text[:8192]) > 0.05 * min(len(text), 8192):
        raise ArticleError(path, "binary file, not text")
    return text


def article_files(folder: Path, errors: list[ArticleError]) -> Iterator[Path]:
    """Article files under folder, sorted; loops and unreadable folders become errors."""
    seen_dirs: set[str] = set()
    for root, dirs, files in os.walk(folder, followlinks=True, onerror=lambda e: errors.append(
            ArticleError(str(Path(e.filename).relative_to(folder)) if e.filename else str(folder),
                         f"cannot read folder ({e.strerror})"))):
        real = os.path.realpath(root)
        if real in seen_dirs:
            errors.append(ArticleError(str(Path(root).relative_to(folder)), "symlink loop, skipped"))
            dirs[:] = []
            continue
        seen_dirs.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and path.suffix.lower() in ARTICLE_SUFFIXES:
                yield path


def read_bytes(path: Path, rel: str, limit: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise ArticleError(rel, f"file too large ({size / 2**20:.0f} MB, limit {limit / 2**20:.0f} MB)")
        return path.read_bytes()
    except PermissionError:
        raise ArticleError(rel, "permission denied") from None
    except OSError as exc:
        raise ArticleError(rel, f"cannot read ({exc.strerror or exc})") from None


def read_html(html: str, rel: str) -> RawArticle:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise ArticleError(rel, "no article text found in the HTML")
    return RawArticle(doc_id=rel, text=text, path=rel, title=doc.title or None,
                      date=doc.date or None, url=doc.url or None)


def read_jsonl(path: Path, rel: str, errors: list[ArticleError]) -> Iterator[RawArticle]:
    """One article per line: {"id", "title", "text", "date"?, "url"?} (BEIR's "_id" works too)."""
    data = decode(read_bytes(path, rel, MAX_JSONL_BYTES), rel)
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{rel}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(ArticleError(where, f"invalid JSON ({exc.msg})"))
            continue
        if not isinstance(record, dict):
            errors.append(ArticleError(where, "expected a JSON object"))
            continue
        doc_id = record.get("id", record.get("_id"))
        text = record.get("text")
        if doc_id is None or str(doc_id).strip() == "":
            errors.append(ArticleError(where, 'missing "id"'))
            continue
        if not isinstance(text, str) or not text.strip():
            errors.append(ArticleError(where, 'missing "text"'))
            continue
        if len(text) > MAX_FILE_BYTES:
            errors.append(ArticleError(where, f"article too large ({len(text) / 2**20:.0f} MB of text, "
                                              f"limit {MAX_FILE_BYTES / 2**20:.0f} MB)"))
            continue
        yield RawArticle(doc_id=str(doc_id), text=text, path=where, title=record.get("title") or None,
                         date=record.get("date") or None, url=record.get("url") or None)


def load_articles(folder: str | Path) -> tuple[list[RawArticle], list[ArticleError]]:
    """Every article under folder, and an error for each file or line that could not be read."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: articles folder not found")
    errors: list[ArticleError] = []
    articles: list[RawArticle] = []
    for path in article_files(folder, errors):
        rel = path.relative_to(folder).as_posix()
        try:
            suffix = path.suffix.lower()
            if suffix in JSONL_SUFFIXES:
                articles.extend(read_jsonl(path, rel, errors))
                continue
            text = decode(read_bytes(path, rel, MAX_FILE_BYTES), rel)
            if not text.strip():
                raise ArticleError(rel, "empty file")
            if suffix in HTML_SUFFIXES:
                articles.append(read_html(text, rel))
            else:
                articles.append(RawArticle(doc_id=rel, text=text, path=rel))
        except ArticleError as exc:
            errors.append(exc)
    return articles, errors
