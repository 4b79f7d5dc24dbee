"""Read articles from a folder: one registered reader per file suffix (text, Markdown, HTML, JSON Lines)."""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..records import RawArticle
from ..registry import Registry

# suffix -> reader(path, rel, errors) yielding RawArticles; raising ArticleError for the whole file
# or appending one to errors per bad record. Register more with READERS.register(".ext", reader).
Reader = Callable[[Path, str, list], Iterable[RawArticle]]
READERS: Registry[Iterable[RawArticle]] = Registry("article reader")
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


def article_suffixes() -> set[str]:
    """The file suffixes some reader takes (".txt", ".jsonl", ...)."""
    return set(READERS.names())


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
        suffixes = article_suffixes()
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and path.suffix.lower() in suffixes:
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


def read_text_file(path: Path, rel: str) -> str:
    """A whole file as text, size-checked; an empty one is an error."""
    text = decode(read_bytes(path, rel, MAX_FILE_BYTES), rel)
    if not text.strip():
        raise ArticleError(rel, "empty file")
    return text


@READERS.register(".txt")
@READERS.register(".md")
@READERS.register(".markdown")
def read_plain(path: Path, rel: str, errors: list[ArticleError]) -> Iterator[RawArticle]:
    """Plain text or Markdown: a headline line, then the story."""
    yield RawArticle(doc_id=rel, text=read_text_file(path, rel), path=rel)


@READERS.register(".html")
@READERS.register(".htm")
def read_html(path: Path, rel: str, errors: list[ArticleError]) -> Iterator[RawArticle]:
    """A web page: the main text and its metadata extracted by trafilatura."""
    yield html_article(read_text_file(path, rel), rel)


def html_article(html: str, rel: str, url: str | None = None) -> RawArticle:
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise ArticleError(rel, "no article text found in the HTML")
    return RawArticle(doc_id=rel, text=text, path=rel, title=doc.title or None,
                      date=doc.date or None, url=doc.url or url)


@READERS.register(".jsonl")
def read_jsonl(path: Path, rel: str, errors: list[ArticleError]) -> Iterator[RawArticle]:
    """One article per line: {"id", "title", "text", "date"?, "url"?, "outlet"?} (BEIR's "_id" works too)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ArticleError(rel, f"cannot read ({exc.strerror or exc})") from None
    if size > MAX_JSONL_BYTES:
        raise ArticleError(rel, f"file too large ({size / 2**20:.0f} MB, limit {MAX_JSONL_BYTES / 2**20:.0f} MB)")
    try:
        handle = open(path, "rb")
    except PermissionError:
        raise ArticleError(rel, "permission denied") from None
    with handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # rare: decode it whole
            handle.seek(0)
            lines: Iterable = (line.encode() for line in decode(handle.read(), rel).splitlines())
        else:  # line by line, so an archive larger than memory streams through
            handle.seek(0)
            lines = handle
        for number, raw_line in enumerate(lines, start=1):
            line = decode(raw_line, rel)
            if not line.strip():
                continue
            record = jsonl_record(line, f"{rel}:{number}", errors)
            if record is not None:
                yield record


def jsonl_record(line: str, where: str, errors: list[ArticleError]) -> RawArticle | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        errors.append(ArticleError(where, f"invalid JSON ({exc.msg})"))
        return None
    if not isinstance(record, dict):
        errors.append(ArticleError(where, "expected a JSON object"))
        return None
    doc_id = record.get("id", record.get("_id"))
    text = record.get("text")
    if doc_id is None or str(doc_id).strip() == "":
        errors.append(ArticleError(where, 'missing "id"'))
        return None
    if not isinstance(text, str) or not text.strip():
        errors.append(ArticleError(where, 'missing "text"'))
        return None
    if len(text) > MAX_FILE_BYTES:
        errors.append(ArticleError(where, f"article too large ({len(text) / 2**20:.0f} MB of text, "
                                          f"limit {MAX_FILE_BYTES / 2**20:.0f} MB)"))
        return None
    return RawArticle(doc_id=str(doc_id), text=text, path=where, title=record.get("title") or None,
                      date=record.get("date") or None, url=record.get("url") or None,
                      outlet=record.get("outlet") or record.get("source") or None)


def iter_articles(folder: str | Path, errors: list[ArticleError]) -> Iterator[RawArticle]:
    """Every article under folder, one at a time; each file or line that cannot be read goes to errors."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: articles folder not found")
    for path in article_files(folder, errors):
        rel = path.relative_to(folder).as_posix()
        reader = READERS.get(path.suffix.lower())
        try:
            yield from reader(path, rel, errors)
        except ArticleError as exc:
            errors.append(exc)


def load_articles(folder: str | Path) -> tuple[list[RawArticle], list[ArticleError]]:
    """Every article under folder, and an error for each file or line that could not be read."""
    errors: list[ArticleError] = []
    return list(iter_articles(folder, errors)), errors


def count_articles(folder: str | Path) -> int:
    """About how many articles iter_articles will yield (files, plus lines of JSONL files): for progress bars."""
    total = 0
    for path in article_files(Path(folder), []):
        if path.suffix.lower() == ".jsonl":
            try:
                with open(path, "rb") as handle:
                    total += sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) + 1
            except OSError:
                total += 1
        else:
            total += 1
    return total
