"""The records that flow through the pipeline: load -> clean -> chunk -> embed -> store -> retrieve -> answer."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field


def content_hash(*parts: str | None) -> str:
    """A short, stable hash of some text fields (None and "" hash differently)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(b"\x00" if part is None else b"\x01" + part.encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()[:32]


@dataclass
class RawArticle:
    """An article as read from disk, before cleaning."""

    doc_id: str
    text: str
    path: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    outlet: str | None = None


@dataclass
class Article:
    """A cleaned article: the story text, with its title, source, date, outlet and address."""

    doc_id: str
    title: str
    text: str
    source: str  # the named source, else the URL, else the file's path
    date: str | None = None  # YYYY-MM-DD, None when none was found (never guessed)
    path: str = ""
    url: str | None = None
    outlet: str | None = None  # who published it: a named outlet or the URL's host ("cnn.com")
    story: str | None = None  # the story it is a copy of (index/stories.py): the first copy's doc_id
    minhash: str | None = field(default=None, repr=False)  # its near-duplicate signature, base64

    @property
    def hash(self) -> str:
        return content_hash(self.title, self.text, self.source, self.date, self.url, self.outlet)

    @property
    def metadata(self) -> dict:
        """The fields beyond the text that a store keeps as they are."""
        return {"url": self.url, "outlet": self.outlet, "story": self.story, "minhash": self.minhash}

    def to_dict(self) -> dict:
        return asdict(self)


def embed_text(title: str, passage: str) -> str:
    """What the embedder sees for a passage: its article's title, then the passage. The chunk hash is
    taken over this, so every place that builds a Chunk must use this one recipe."""
    return f"{title}\n{passage}"


@dataclass
class Chunk:
    """A passage of an article; text == article.text[start:end]."""

    doc_id: str
    start: int
    end: int
    text: str
    embed_text: str  # what the embedder sees: the title, then the passage
    id: int = -1  # the FAISS id, set by the store

    @property
    def hash(self) -> str:
        return content_hash(self.embed_text)


@dataclass(frozen=True)
class Filters:
    """Which articles a search may return: plain data that each store translates into its own terms
    (FAISS: an id selector; Milvus: a filter expression). Dates are YYYY-MM-DD, inclusive."""

    date_from: str | None = None
    date_to: str | None = None
    sources: tuple[str, ...] = ()  # an article matches when its source or outlet contains one of these
    include_undated: bool = False  # whether articles with no known date pass a date range

    def __bool__(self) -> bool:
        return bool(self.date_from or self.date_to or self.sources)

    def narrowed(self, date_from: str | None, date_to: str | None, include_undated: bool) -> Filters:
        """These filters with a further date range (the later start, the earlier end)."""
        start = max(filter(None, (self.date_from, date_from)), default=None)
        end = min(filter(None, (self.date_to, date_to)), default=None)
        undated = include_undated and (self.include_undated or not (self.date_from or self.date_to))
        return Filters(start, end, self.sources, undated)


@dataclass
class Excerpt:
    """One ranked search result, with everything a citation needs."""

    rank: int
    score: float
    text: str
    doc_id: str
    title: str
    source: str
    date: str | None
    start: int
    end: int
    chunk_id: int
    dense_score: float | None = None  # cosine similarity, when the dense search found it
    keyword_score: float | None = None  # BM25 score, when the keyword search found it
    outlet: str | None = None
    url: str | None = None
    story: str | None = None  # the story this excerpt's article belongs to
    also_published: list[str] = field(default_factory=list)  # other outlets (or articles) with the same story
    copies: list[str] = field(default_factory=list)  # doc_ids of the story's other copies, not shown

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Passage(Excerpt):
    """A few sentences of an excerpt picked for the answer; focus_* mark the sentence that matters most."""

    focus_start: int = 0
    focus_end: int = 0

    @property
    def focus(self) -> str:
        """The sentence that matters most."""
        return self.text[self.focus_start - self.start:self.focus_end - self.start]


@dataclass
class ArticleRow:
    """One line of an article listing."""

    doc_id: str
    title: str
    date: str | None
    source: str
    chunks: int
    outlet: str | None = None
    story: str | None = None


NAMED_IDS = 1000  # an index report names at most this many articles of each kind; its counts are exact


@dataclass
class IndexReport:
    """What one run of build_index did."""

    added: list[str] = field(default_factory=list)  # doc_ids, the first NAMED_IDS (all are in `counts`)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"added": 0, "changed": 0, "removed": 0, "grouped": 0})
    unchanged: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    chunks_total: int = 0
    seconds: float = 0.0
    rebuilt_because: str | None = None
    errors: list[str] = field(default_factory=list)  # files or lines skipped, one line each
    warnings: list[str] = field(default_factory=list)  # indexed, but worth a look
    stories: int = 0  # distinct stories among the indexed articles
    copies: int = 0  # articles grouped as a copy of another article's story
    grouped: list[str] = field(default_factory=list)  # "copy -> story" for copies found in this run (the first NAMED_IDS)
    grouping_seconds: float = 0.0  # of `seconds`, spent finding near-duplicate copies

    def record(self, kind: str, name: str) -> None:
        """One article "added", "changed", "removed" or "grouped" (named while fewer than NAMED_IDS
        are, so a million-article build does not hold a million ids)."""
        self.counts[kind] += 1
        named = getattr(self, kind)
        if len(named) < NAMED_IDS:
            named.append(name)

    @property
    def chunks_per_second(self) -> float:
        return self.chunks_embedded / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        lines = []
        if self.rebuilt_because:
            lines.append(f"Full rebuild: {self.rebuilt_because}")
        lines.append(
            f"articles: {self.counts['added']} added, {self.counts['changed']} changed, "
            f"{self.counts['removed']} removed, {self.unchanged} unchanged"
        )
        lines.append(
            f"chunks: {self.chunks_embedded} embedded, {self.chunks_reused} reused, "
            f"{self.chunks_total} in index"
        )
        if self.copies:
            lines.append(f"stories: {self.stories} (near-duplicate copies grouped: {self.copies})")
        lines.append(f"time: {self.seconds:.1f}s ({self.chunks_per_second:.1f} chunks/s embedded)")
        if self.errors:
            lines.append(f"{len(self.errors)} file(s) or line(s) not indexed (listed above)")
        return "\n".join(lines)
