"""Fetch news from the web: article pages and RSS/Atom feeds, stored as articles_dir/web/<host>.jsonl.

Politely: a User-Agent naming the project, robots.txt honoured (and its Crawl-delay), a minimum
interval between two requests to one host, timeouts, and conditional requests (ETag /
Last-Modified), so a page that has not changed costs a 304 and nothing is re-extracted or re-written.
What was learnt per URL lives in articles_dir/.fetch-state.json (a dot-file: the loader skips it).

Each article is one JSON line {"id", "title", "text", "date"?, "url", "outlet"} that the JSONL
reader indexes like any other; its id is the page's canonical URL, so a page reached by two
addresses is stored once. Articles that drop out of a feed stay: the index keeps what it has read.
"""

from __future__ import annotations

import itertools
import json
import re
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from ..config import DEFAULT_MODEL
from ..extras import require
from ..files import atomic_write, progress_bar
from ..records import IndexReport, content_hash
from .clean import host_of

try:
    _VERSION = metadata.version("qa-news")
except metadata.PackageNotFoundError:
    _VERSION = "dev"
USER_AGENT = f"qa-news/{_VERSION} (news question answering; fetches articles and feeds it is given)"
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5")
DEFAULT_DELAY = 1.0  # seconds between two requests to the same host
DEFAULT_TIMEOUT = 20.0  # seconds to connect, and between bytes of a response
DEFAULT_WATCH_INTERVAL = 900.0  # seconds between two polls of the watched feeds
MAX_CRAWL_DELAY = 60.0  # a robots.txt Crawl-delay is honoured up to this
MAX_REDIRECTS = 10
MAX_PAGE_BYTES = 10 * 1024 * 1024
MIN_STORY_WORDS = 30  # words in sentence-like lines: a page of links and menus has none
STATE_FILE = ".fetch-state.json"
WEB_FOLDER = "web"

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
XML_TYPES = {"application/xml", "text/xml"}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
TRACKING_PARAMS = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…\"'”’)]$")
YMD = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class FetchError(Exception):
    """One URL that could not be fetched or read as an article; the message names it and says why."""

    def __init__(self, url: str, problem: str):
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem


@dataclass
class Page:
    """A fetched response body, with what is needed to read it and to ask for it again."""

    url: str  # after redirects
    content_type: str  # "text/html", lower case, without parameters
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    def html(self) -> str | bytes:
        """The body as text when the server named its charset, else bytes for trafilatura to sniff."""
        if self.charset:
            try:
                return self.body.decode(self.charset, errors="replace")
            except LookupError:
                pass
        return self.body


class Fetcher:
    """GET with the manners above. One Fetcher remembers robots.txt and request times per host."""

    def __init__(self, delay: float = DEFAULT_DELAY, timeout: float = DEFAULT_TIMEOUT, user_agent: str = USER_AGENT):
        import httpx  # here, not at the top: `qa --help` need not load it

        self.delay = delay
        self.timeout = timeout
        self.user_agent = user_agent
        self.client = httpx.Client(headers={"User-Agent": user_agent, "Accept": ACCEPT}, timeout=timeout)
        self._last: dict[str, float] = {}  # host -> when its last response ended
        self._delays: dict[str, float] = {}  # host -> its Crawl-delay, when longer than ours
        self._robots: dict[str, RobotFileParser | None] = {}  # scheme://host -> rules (None: all allowed)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Page | None:
        """The page at url, following redirects; None when the server says it has not changed (304).
        Raises FetchError for robots.txt, HTTP errors, timeouts and unreachable hosts."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        target = url
        for _ in range(MAX_REDIRECTS + 1):
            if not self.allowed(target):
                where = "" if target == url else f" (redirected to {target})"
                raise FetchError(url, f"blocked by robots.txt{where}")
            response, body = self._send(url, target, headers)
            location = response.headers.get("location")
            if not (response.is_redirect and location):
                break
            target = urljoin(target, location)
        else:
            raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")
        if response.status_code == 304:
            return None
        if not 200 <= response.status_code < 300:
            raise FetchError(url, f"HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "")
        return Page(url=target, content_type=content_type.split(";")[0].strip().lower(),
                    charset=response.charset_encoding, body=body, etag=response.headers.get("etag"),
                    last_modified=response.headers.get("last-modified"))

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this User-Agent fetch url (read once per host; none, or unreachable: yes)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(self.user_agent, url)

    def _read_robots(self, origin: str) -> RobotFileParser | None:
        try:
            response, body = self._send(origin + "/robots.txt", origin + "/robots.txt", {}, follow_redirects=True)
        except FetchError:
            return None
        if response.status_code != 200:  # no robots.txt (4xx), or the server failing (5xx): no rules
            return None
        rules = RobotFileParser(origin + "/robots.txt")
        rules.parse(body.decode("utf-8", errors="replace").splitlines())
        crawl_delay = rules.crawl_delay(self.user_agent)
        if crawl_delay:
            self._delays[urlsplit(origin).netloc.lower()] = min(float(crawl_delay), MAX_CRAWL_DELAY)
        return rules

    def _send(self, url: str, target: str, headers: dict, follow_redirects: bool = False):
        """One request, after waiting out the host's interval; the whole body, size-capped."""
        import httpx

        host = urlsplit(target).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            pause = last + max(self.delay, self._delays.get(host, 0.0)) - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        try:
            with self.client.stream("GET", target, headers=headers, follow_redirects=follow_redirects) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_PAGE_BYTES:
                        raise FetchError(url, f"larger than {MAX_PAGE_BYTES // 2**20} MB")
                    chunks.append(chunk)
                return response, b"".join(chunks)
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {self.timeout:g}s") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"request failed ({exc or type(exc).__name__})") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"not a valid URL ({exc})") from None
        finally:
            self._last[host] = time.monotonic()


# --- reading what was fetched ---------------------------------------------------------------

@dataclass
class Entry:
    """One item of a feed: the page it links to, and its title and date to fall back on."""

    link: str
    title: str | None = None
    date: str | None = None


def read_feed(page: Page) -> list[Entry] | None:
    """The entries of an RSS or Atom feed, or None when the page is not a feed."""
    start = page.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    looks_like_xml = start.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf"))
    if page.content_type not in FEED_TYPES | XML_TYPES and not looks_like_xml:
        return None
    feedparser = require("feedparser", "news")
    parsed = feedparser.parse(page.body, response_headers={"content-location": page.url,
                                                           "content-type": page.content_type or "application/xml"})
    if not (parsed.version or parsed.entries):
        if page.content_type in FEED_TYPES:
            raise FetchError(page.url, f"not a readable feed ({parsed.get('bozo_exception', 'no entries')})")
        return None
    entries = []
    for item in parsed.entries:
        link = item.get("link") or (item.get("id") if str(item.get("id", "")).startswith("http") else None)
        if link:
            entries.append(Entry(urljoin(page.url, link), (item.get("title") or "").strip() or None,
                                 entry_date(item)))
    return entries


def entry_date(item) -> str | None:
    """A feed item's published (else updated) date as YYYY-MM-DD, in the feed's own time zone."""
    for key in ("published", "updated"):
        raw = (item.get(key) or "").strip()
        if not raw:
            continue
        for parse in (lambda s: datetime.fromisoformat(s.replace("Z", "+00:00")), parsedate_to_datetime):
            try:
                return parse(raw).date().isoformat()
            except (ValueError, TypeError, IndexError):
                continue
        parsed = item.get(f"{key}_parsed")  # feedparser's reading of a rarer format, in UTC
        if parsed:
            return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def is_html(page: Page) -> bool:
    if page.content_type in HTML_TYPES:
        return True
    start = page.body[:1024].lstrip().lower()
    return page.content_type in {"", "text/plain"} | XML_TYPES and start.startswith((b"<!doctype html", b"<html"))


def has_story(text: str) -> bool:
    """Whether text has sentences, not only menu and link labels."""
    words = 0
    for line in text.splitlines():
        line = line.strip()
        if len(line.split()) >= 6 and SENTENCE_END.search(line):
            words += len(line.split())
    return words >= MIN_STORY_WORDS


def extract_article(page: Page, fallback: Entry | None = None) -> dict:
    """The page's article as a JSONL record; raises FetchError when the page has no story text."""
    import trafilatura

    doc = trafilatura.bare_extraction(page.html(), url=page.url, with_metadata=True, include_comments=False,
                                      date_extraction_params={"extensive_search": False, "original_date": True})
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not has_story(text):
        raise FetchError(page.url, "not an article page (no article text found)")
    url = canonical_url(page.url, doc.url)
    date = doc.date if doc.date and YMD.match(doc.date) else (fallback.date if fallback else None)
    record = {"id": url, "title": doc.title or (fallback.title if fallback else None) or "", "text": text}
    if date:
        record["date"] = date
    record["url"] = url
    record["outlet"] = outlet_name(doc.sitename, url)
    return record


def outlet_name(sitename: str | None, url: str) -> str | None:
    """The site's own name, else its host as the rest of the project writes it ("cnn.com")."""
    sitename = (sitename or "").strip()
    host = host_of(url)
    if not sitename or sitename.lower().removeprefix("www.") in (urlsplit(url).netloc.lower().removeprefix("www."),
                                                                   host):
        return host  # trafilatura's own fallback is the host, port and all
    return sitename


def canonical_url(page_url: str, declared: str | None) -> str:
    """The page's declared canonical address (unless it points at a site's home page), without a
    fragment or tracking parameters."""
    url = page_url
    if declared:
        declared = urljoin(page_url, declared)
        parts = urlsplit(declared)
        if parts.scheme in ("http", "https") and parts.netloc and (
                parts.path.strip("/") or parts.query or not urlsplit(page_url).path.strip("/")):
            url = declared
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not TRACKING_PARAMS.match(k)])
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path or "/", query, ""))


# --- where it is kept -------------------------------------------------------------------------

class WebArticles:
    """The folder articles_dir/web/: one JSONL file per host, one line per article, in the order
    they were first stored; a changed article replaces its line."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._files: dict[str, dict[str, str]] = {}  # host -> {id: line}; lines it cannot read are kept as they are
        self._dirty: set[str] = set()

    def path(self, host: str) -> Path:
        return self.folder / (re.sub(r"[^a-z0-9.-]+", "_", host.lower()).strip("._") + ".jsonl")

    def _lines(self, host: str) -> dict[str, str]:
        if host not in self._files:
            lines: dict[str, str] = {}
            path = self.path(host)
            if path.exists():
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
                    if not line.strip():
                        continue
                    try:
                        key = str(json.loads(line)["id"])
                    except (ValueError, KeyError, TypeError):
                        key = f"\x00{number}"  # not ours to judge: kept as it is
                    lines[key] = line
            self._files[host] = lines
        return self._files[host]

    def has(self, doc_id: str) -> bool:
        return doc_id in self._lines(host_of(doc_id) or "unknown")

    def put(self, record: dict) -> str:
        """Store record; "added", "changed" or "unchanged"."""
        host = host_of(record["id"]) or "unknown"
        lines = self._lines(host)
        line = json.dumps(record, ensure_ascii=False)
        old = lines.get(record["id"])
        if old is not None and json.loads(old) == record:
            return "unchanged"
        lines[record["id"]] = line
        self._dirty.add(host)
        return "added" if old is None else "changed"

    def save(self) -> None:
        for host in sorted(self._dirty):
            atomic_write(self.path(host), "".join(line + "\n" for line in self._files[host].values()))
        self._dirty.clear()


class FetchState:
    """What was learnt per URL (validators; for a page, its article's id and the hash of what was stored)
    and per feed (its entries, to retry the ones that failed while the feed itself answers 304)."""

    def __init__(self, path: Path):
        self.path = path
        data: dict = {}
        if path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (ValueError, OSError):
                data = {}  # lost validators only cost full downloads; the articles are in web/
        self.urls: dict[str, dict] = data.get("urls", {}) if isinstance(data, dict) else {}
        self.feeds: dict[str, dict] = data.get("feeds", {}) if isinstance(data, dict) else {}

    def remember(self, url: str, page: Page, doc_id: str | None = None, record: dict | None = None) -> None:
        entry = {"etag": page.etag, "last_modified": page.last_modified}
        if doc_id:
            entry.update(id=doc_id, hash=content_hash(json.dumps(record, sort_keys=True, ensure_ascii=False)))
        self.urls[url] = {k: v for k, v in entry.items() if v}

    def save(self) -> None:
        atomic_write(self.path, json.dumps({"version": 1, "urls": self.urls, "feeds": self.feeds},
                                           ensure_ascii=False, indent=1, sort_keys=True) + "\n")


# --- adding URLs ------------------------------------------------------------------------------

@dataclass
class FetchReport:
    """What one add_urls did. Articles are counted by canonical URL; errors are "URL: problem"."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0  # the server said 304, or the article read the same as stored
    errors: list[str] = field(default_factory=list)
    left_feed: list[str] = field(default_factory=list)  # no longer listed in their feed: kept, still indexed
    feeds: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [f"articles: {len(self.added)} added, {len(self.changed)} changed, {self.unchanged} unchanged, "
                 f"{len(self.errors)} failed" + (f" (from {self.feeds} feed(s))" if self.feeds else "")]
        if self.left_feed:
            lines.append(f"{len(self.left_feed)} article(s) no longer in their feed: kept, and still indexed")
        lines.append(f"time: {self.seconds:.1f}s")
        if self.errors:
            lines.append(f"{len(self.errors)} URL(s) not added (listed below)")
        return "\n".join(lines)


class _Run:
    """One add_urls: the fetcher, the stored articles, the state and the report it fills in."""

    def __init__(self, articles_dir: Path, fetcher: Fetcher, progress: bool):
        self.fetcher = fetcher
        self.state = FetchState(articles_dir / STATE_FILE)
        self.store = WebArticles(articles_dir / WEB_FOLDER)
        self.report = FetchReport()
        self.bar = progress_bar(progress, "Fetching", "page")

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """The conditional headers to send: only when what they vouch for is still stored."""
        known = self.state.urls.get(url, {})
        if url in self.state.feeds or ("id" in known and self.store.has(known["id"])):
            return known.get("etag"), known.get("last_modified")
        return None, None

    def add(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(url, "not an http(s) URL")
        page = self.fetcher.get(url, *self.validators(url))
        self.bar.update()
        if page is None:
            if url in self.state.feeds:
                self.feed_unchanged(url)
            else:
                self.report.unchanged += 1
            return
        entries = read_feed(page)
        if entries is not None:
            self.feed(url, page, entries)
        elif is_html(page):
            self.article(url, page)
        else:
            raise FetchError(url, f"not HTML or a feed (content type {page.content_type or 'not given'})")

    def feed(self, url: str, page: Page, entries: list[Entry]) -> None:
        self.report.feeds += 1
        before = [e["link"] for e in self.state.feeds.get(url, {}).get("entries", [])]
        now = {e.link for e in entries}
        self.report.left_feed += [link for link in before if link not in now]
        self.state.feeds[url] = {"entries": [{k: v for k, v in vars(e).items() if v} for e in entries]}
        self.state.remember(url, page)
        for entry in entries:
            self.entry(entry)

    def feed_unchanged(self, url: str) -> None:
        """A feed that has not changed: only its entries not stored yet (they failed before) are tried."""
        self.report.feeds += 1
        for item in self.state.feeds[url].get("entries", []):
            entry = Entry(**item)
            if self.stored(entry.link):
                self.report.unchanged += 1
            else:
                self.entry(entry)

    def stored(self, url: str) -> bool:
        doc_id = self.state.urls.get(url, {}).get("id")
        return bool(doc_id) and self.store.has(doc_id)

    def entry(self, entry: Entry) -> None:
        try:
            page = self.fetcher.get(entry.link, *self.validators(entry.link))
            self.bar.update()
            if page is None:
                self.report.unchanged += 1
            elif not is_html(page):
                raise FetchError(entry.link, f"not an HTML page (content type {page.content_type or 'not given'})")
            else:
                self.article(entry.link, page, entry)
        except FetchError as exc:
            self.report.errors.append(f"{entry.link}: {exc.problem}")

    def article(self, url: str, page: Page, fallback: Entry | None = None) -> None:
        try:
            record = extract_article(page, fallback)
        except FetchError as exc:
            raise FetchError(url, exc.problem) from None
        outcome = self.store.put(record)
        if outcome == "added":
            self.report.added.append(record["id"])
        elif outcome == "changed":
            self.report.changed.append(record["id"])
        else:
            self.report.unchanged += 1
        self.state.remember(url, page, record["id"], record)

    def close(self) -> None:
        """Write what was fetched, even after an interruption: the articles first, then the state."""
        self.bar.close()
        self.store.save()
        self.state.save()


def add_urls(urls: Iterable[str], articles_dir: str | Path, delay: float = DEFAULT_DELAY,
             timeout: float = DEFAULT_TIMEOUT, fetcher: Fetcher | None = None, progress: bool = False) -> FetchReport:
    """Fetch each URL (an article page, or an RSS/Atom feed whose every entry is fetched as one) into
    articles_dir/web/<host>.jsonl. The index is not touched: run build_index after."""
    started = time.perf_counter()
    urls = [urls] if isinstance(urls, str) else urls
    articles_dir = Path(articles_dir)
    if not articles_dir.is_dir():
        raise FileNotFoundError(f"{articles_dir}: articles folder not found")
    with nullcontext(fetcher) if fetcher is not None else Fetcher(delay, timeout) as client:
        run = _Run(articles_dir, client, progress)
        try:
            for url in dict.fromkeys(u.strip() for u in urls):
                try:
                    run.add(url)
                except FetchError as exc:
                    run.report.errors.append(str(exc))
        finally:
            run.close()
    run.report.seconds = time.perf_counter() - started
    return run.report


def watched_feeds(articles_dir: str | Path) -> list[str]:
    """The feeds fetched into articles_dir before, in the order they were first added."""
    return list(FetchState(Path(articles_dir) / STATE_FILE).feeds)


def watch(feeds: Iterable[str], articles_dir: str | Path, index: str | Path | None = None,
          interval: float = DEFAULT_WATCH_INTERVAL, rounds: int | None = None, model=DEFAULT_MODEL,
          delay: float = DEFAULT_DELAY, timeout: float = DEFAULT_TIMEOUT,
          log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
          ) -> list[tuple[FetchReport, IndexReport | None]]:
    """Poll the feeds every `interval` seconds (no feeds: the ones fetched before); after a round that
    added or changed an article (and after the first), update the index, embedding only new text.
    Logs one line per round, plus each error the round before did not have. Stops after `rounds`."""
    from ..index.build import build_index
    from ..index.embed import embedder_for

    feeds = list(feeds) or watched_feeds(articles_dir)
    if not feeds:
        raise ValueError(f"no feeds to watch in {articles_dir}: give feed URLs")
    embedder = embedder_for(model) if isinstance(model, str) else model
    results: list[tuple[FetchReport, IndexReport | None]] = []
    index_behind = True  # an earlier run may have stored articles it did not get to index
    last_errors: set[str] = set()
    with Fetcher(delay, timeout) as fetcher:
        for number in itertools.count(1):
            started = time.monotonic()
            fetched = add_urls(feeds, articles_dir, fetcher=fetcher)
            built = None
            if index_behind or fetched.added or fetched.changed:
                built = build_index(articles_dir, index, model=embedder, log=log)
                index_behind = False
            log(round_line(number, fetched, built))
            for error in fetched.errors:
                if error not in last_errors:
                    log(f"  {error}")
            last_errors = set(fetched.errors)
            results.append((fetched, built))
            if rounds is not None and number >= rounds:
                return results
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
    return results


def round_line(number: int, fetched: FetchReport, built: IndexReport | None) -> str:
    line = (f"{time.strftime('%H:%M:%S')} round {number}: {len(fetched.added)} added, {len(fetched.changed)} "
            f"changed, {fetched.unchanged} unchanged, {len(fetched.errors)} failed")
    if fetched.left_feed:
        line += f", {len(fetched.left_feed)} left their feed (kept)"
    if built is None:
        return line + "; index up to date"
    return line + (f"; index: {built.counts['added']} added, {built.counts['changed']} changed, "
                   f"{built.chunks_embedded} chunks embedded, {built.chunks_total} in index")
