"""Fetching from the web, against a real HTTP server on 127.0.0.1: feeds, pages, manners, errors, the index."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from qa import Retriever, build_index
from qa.cli import main
from qa.index.embed import EMBEDDERS
from qa.ingest import fetch as fetch_module
from qa.ingest.fetch import STATE_FILE, USER_AGENT, add_urls, watch, watched_feeds
from qa.ingest.load import load_articles
from tests.conftest import FakeEmbedder, free_port

EMBEDDERS.register("fake", lambda name: FakeEmbedder(name=name))
MODEL = "fake-web@fake"
TIMEOUT = 0.5  # the client's; the slow page takes three times as long
FAST = 0.02  # seconds between two requests to one host, where the rate limit is not under test


@dataclass
class Resource:
    body: bytes
    content_type: str
    etag: str
    last_modified: str
    delay: float = 0.0
    redirect: str | None = None


@dataclass
class Request:
    at: float
    path: str
    headers: dict
    status: int = 0


@dataclass
class Site:
    """What the test server serves, and every request it saw."""

    port: int
    resources: dict[str, Resource] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    version: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def put(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", **extra) -> None:
        body = body.encode() if isinstance(body, str) else body
        self.version += 1
        self.resources[path] = Resource(body, content_type, '"' + hashlib.sha1(body).hexdigest()[:16] + '"',
                                        formatdate(1_700_000_000 + 60 * self.version, usegmt=True), **extra)

    def seen(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        site: Site = self.server.site
        request = Request(time.monotonic(), self.path, dict(self.headers))
        site.requests.append(request)
        resource = site.resources.get(self.path)
        try:
            if resource is None:
                request.status = 404
                self.send_response(404)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<html><body><h1>Not found</h1></body></html>")
                return
            time.sleep(resource.delay)
            if resource.redirect:
                request.status = 301
                self.send_response(301)
                self.send_header("Location", resource.redirect)
                self.end_headers()
                return
            etag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if (etag == resource.etag) if etag else (since == resource.last_modified):
                request.status = 304
                self.send_response(304)
                self.send_header("ETag", resource.etag)
                self.end_headers()
                return
            request.status = 200
            self.send_response(200)
            self.send_header("Content-Type", resource.content_type)
            self.send_header("ETag", resource.etag)
            self.send_header("Last-Modified", resource.last_modified)
            self.send_header("Content-Length", str(len(resource.body)))
            self.end_headers()
            self.wfile.write(resource.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on the slow page

    def log_message(self, *args):
        pass


def article_html(title: str, paragraphs: list[str], site_name: str | None = "Coastal Courier",
                 published: str | None = None, canonical: str | None = None) -> str:
    meta = [f'<meta property="og:title" content="{title}">', '<meta property="og:type" content="article">']
    if site_name:
        meta.append(f'<meta property="og:site_name" content="{site_name}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{"".join(meta)}'
            f'</head><body><header><nav><a href="/">Home</a> | <a href="/sections">Sections</a></nav></header>'
            f'<main><article><h1>{title}</h1>{body}</article></main>'
            f'<footer>Copyright 2024. All rights reserved.</footer></body></html>')


HARBOUR = ["The harbour in Qingdao reopened on Monday after a repair that took most of the winter and cost "
           "the city more than it had planned.",
           "Fishermen said they were glad to be back at sea after months on shore. \"We lost a season,\" said one "
           "captain, who has fished these waters for thirty years.",
           "The port authority said the new breakwater should protect the boats from the storms that damaged the "
           "old one in October."]
BRIDGE = ["The old railway bridge over the Elbe closed on Tuesday so that engineers can check its steel girders.",
          "Commuters will take a shuttle bus for at least three weeks, the transport office said in a statement.",
          "The bridge was built in 1912 and last repaired in the nineteen-eighties, according to city records."]
SCHOOL = ["A new primary school opened in the northern district on Tuesday with places for four hundred pupils.",
          "Parents had waited six years for the building, which replaces two temporary classrooms near the park.",
          "The head teacher said the library and the sports hall would also be open to neighbours in the evening."]
LIBRARY = ["The city library will stay open until midnight during the exam season, the council decided on Monday.",
           "Students had collected more than two thousand signatures asking for longer hours in the reading rooms.",
           "The extra hours will cost about forty thousand euros, paid from the culture budget for this year."]
SECRET = ["This draft was never meant to be read by crawlers, and robots.txt says so in plain words for everyone.",
          "Its second paragraph is just as private as the first one, and it goes on for a while to look real."]
SLOW = ["The slow server finally answered, long after any patient reader would have given up on waiting for it.",
        "Nobody should see this story, because the client gives up on the page well before the server replies."]
MUSEUM = ["The maritime museum opened a new hall on Wednesday devoted to the fishing boats of the northern coast.",
          "Its curator said the collection had been kept in storage for decades before the donation of the building.",
          "Entry is free for children, and the museum is open every day except Monday, the curator said."]


def rss(site: Site, items: list[tuple[str, str, str]]) -> str:
    entries = "".join(f"<item><title>{t}</title><link>{site.url(p)}</link><pubDate>{d}</pubDate>"
                      f"<guid>{site.url(p)}</guid></item>" for p, t, d in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Coastal Courier</title>'
            f'<link>{site.url("/")}</link><description>News</description>{entries}</channel></rss>')


def atom(site: Site, items: list[tuple[str, str, str]]) -> str:
    entries = "".join(f'<entry><title>{t}</title><link rel="alternate" href="{p}"/><id>{site.url(p)}</id>'
                      f"<updated>{d}</updated></entry>" for p, t, d in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>Coastal Courier, city desk</title><id>{site.url("/city.atom")}</id>'
            f"<updated>2024-03-06T10:00:00Z</updated>{entries}</feed>")


RSS_ITEMS = [("/news/harbour", "Harbour reopens", "Mon, 04 Mar 2024 07:30:00 +0000"),
             ("/news/bridge", "Bridge closes (feed title)", "Tue, 05 Mar 2024 18:00:00 +0000"),
             ("/news/gone", "A story that was taken down", "Tue, 05 Mar 2024 19:00:00 +0000"),
             ("/sections", "All sections", "Tue, 05 Mar 2024 20:00:00 +0000"),
             ("/news/slow", "A slow story", "Tue, 05 Mar 2024 21:00:00 +0000"),
             ("/private/draft", "A private draft", "Tue, 05 Mar 2024 22:00:00 +0000")]
ATOM_ITEMS = [("/city/library", "Library hours", "2024-01-15T09:00:00+01:00"),
              ("/city/school", "School opens", "2024-02-20T09:00:00+01:00")]


@pytest.fixture
def site():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    server.site = site = Site(server.server_address[1])
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.put("/news/harbour", article_html("Harbour reopens after winter repairs", HARBOUR,
                                           published="2024-03-04T08:30:00+01:00", canonical=site.url("/news/harbour")))
    site.put("/news/bridge", article_html("Old bridge closes for safety checks", BRIDGE))
    site.put("/city/school", article_html("New school opens in the north", SCHOOL, site_name=None,
                                          published="2024-02-20T09:00:00+01:00"))
    site.put("/city/library", article_html("Library to stay open until midnight", LIBRARY,
                                           published="2024-01-15T09:00:00+01:00"))
    site.put("/private/draft", article_html("Private draft", SECRET))
    site.put("/news/slow", article_html("Slow story", SLOW), delay=3 * TIMEOUT)
    site.put("/sections", '<!doctype html><html><head><title>Sections</title></head><body><ul>'
                          '<li><a href="/news/harbour">Harbour</a></li><li><a href="/news/bridge">Bridge</a></li>'
                          '<li><a href="/city/school">School</a></li><li><a href="/world">World</a></li></ul>'
                          '</body></html>')
    site.put("/news.rss", rss(site, RSS_ITEMS), "application/rss+xml")
    site.put("/city.atom", atom(site, ATOM_ITEMS), "application/xml")  # a generic type: feedparser tells
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


def fetch(urls, folder, delay=FAST):
    return add_urls(urls, folder, delay=delay, timeout=TIMEOUT)


def stored(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "web" / "127.0.0.1.jsonl").read_text().splitlines()]


def test_first_fetch_stores_each_feed_entry_as_a_line_with_url_date_and_outlet(site, articles):
    report = fetch([site.url("/news.rss"), site.url("/city.atom")], articles)
    harbour, bridge, library, school = (site.url(p) for p in ("/news/harbour", "/news/bridge", "/city/library",
                                                              "/city/school"))
    assert report.added == [harbour, bridge, library, school] and report.feeds == 2
    assert [p.name for p in (articles / "web").iterdir()] == ["127.0.0.1.jsonl"]
    lines = {r["id"]: r for r in stored(articles)}
    assert list(lines) == [harbour, bridge, library, school]
    assert lines[harbour] == {"id": harbour, "title": "Harbour reopens after winter repairs",
                              "text": lines[harbour]["text"], "date": "2024-03-04", "url": harbour,
                              "outlet": "Coastal Courier"}
    assert "new breakwater should protect the boats" in lines[harbour]["text"]
    assert "Home" not in lines[harbour]["text"] and "All rights reserved" not in lines[harbour]["text"]
    assert lines[bridge]["date"] == "2024-03-05"  # the page has none: the feed's pubDate
    assert lines[school]["outlet"] == "127.0.0.1" and lines[school]["date"] == "2024-02-20"  # no site name: host
    assert lines[library]["date"] == "2024-01-15"
    # The loader reads them as articles and ignores the state file beside them.
    loaded, errors = load_articles(articles)
    assert errors == [] and sorted(a.doc_id for a in loaded) == sorted(lines)
    assert {a.outlet for a in loaded} == {"Coastal Courier", "127.0.0.1"}
    assert json.loads((articles / STATE_FILE).read_text())["feeds"].keys() == {site.url("/news.rss"),
                                                                                site.url("/city.atom")}
    assert all(r.headers["User-Agent"] == USER_AGENT and "qa-news" in USER_AGENT for r in site.requests)


def test_each_bad_item_gives_one_clear_error_and_the_rest_still_succeeds(site, articles):
    site.put("/report.pdf", b"%PDF-1.7 ...", "application/pdf")
    started = time.perf_counter()
    report = fetch([site.url("/news.rss"), site.url("/report.pdf"), "ftp://127.0.0.1/file"], articles)
    assert sorted(report.errors) == sorted([
        f"{site.url('/news/gone')}: HTTP 404",
        f"{site.url('/sections')}: not an article page (no article text found)",
        f"{site.url('/news/slow')}: timed out after 0.5s",
        f"{site.url('/private/draft')}: blocked by robots.txt",
        f"{site.url('/report.pdf')}: not HTML or a feed (content type application/pdf)",
        "ftp://127.0.0.1/file: not an http(s) URL",
    ])
    assert time.perf_counter() - started < 3 * TIMEOUT + 2  # the slow page was given up on, not waited out
    assert report.added == [site.url("/news/harbour"), site.url("/news/bridge")]
    assert site.seen("/private/draft") == [] and len(site.seen("/robots.txt")) == 1
    assert "6 failed" in report.summary() and "6 URL(s) not added" in report.summary()


def test_a_second_fetch_asks_conditionally_and_rewrites_nothing(site, articles, monkeypatch):
    feed, page = site.url("/city.atom"), site.url("/news/harbour")
    first = fetch([feed, page], articles)
    assert len(first.added) == 3
    web = articles / "web" / "127.0.0.1.jsonl"
    before = (web.read_bytes(), web.stat().st_mtime_ns, web.stat().st_ino)
    site.requests.clear()
    monkeypatch.setattr(fetch_module, "extract_article", lambda *a: pytest.fail("a 304 page was re-extracted"))
    again = fetch([feed, page], articles)
    assert again.added == again.changed == again.errors == [] and again.unchanged == 3
    for path in ("/city.atom", "/news/harbour"):
        [request] = site.seen(path)
        assert request.headers["If-None-Match"] == site.resources[path].etag
        assert request.headers["If-Modified-Since"] == site.resources[path].last_modified
        assert request.status == 304
    assert site.seen("/city/library") == site.seen("/city/school") == []  # the feed had not changed
    assert (web.read_bytes(), web.stat().st_mtime_ns, web.stat().st_ino) == before


def test_a_changed_item_replaces_its_line_in_place(site, articles):
    feed = site.url("/news.rss")
    fetch([feed, site.url("/city.atom")], articles)
    old = stored(articles)
    site.put("/news/bridge", article_html("Old bridge closes for safety checks", BRIDGE + [
        "Update: engineers found cracks in two girders, and the bridge will stay closed until the summer."]))
    site.put("/news.rss", rss(site, RSS_ITEMS[:2]), "application/rss+xml")  # the feed changed too
    harbour = site.resources["/news/harbour"]  # new bytes, new ETag, the same story: unchanged
    site.put("/news/harbour", harbour.body.replace(b"Sections</a>", b"Sections</a> | <a href='/live'>Live</a>"))
    report = fetch([feed], articles)
    assert report.changed == [site.url("/news/bridge")] and report.added == [] and report.unchanged == 1
    for path in ("/news/bridge", "/news/harbour"):
        request = site.seen(path)[-1]
        assert request.status == 200 and "If-None-Match" in request.headers
    new = stored(articles)
    assert [r["id"] for r in new] == [r["id"] for r in old]  # same lines, same order
    assert new[0] == old[0] and new[2:] == old[2:]
    assert "cracks in two girders" in new[1]["text"] and "cracks" not in old[1]["text"]


def test_an_item_that_leaves_its_feed_stays_stored_and_indexed(site, articles, tmp_path, fake_embedder):
    feed, school = site.url("/city.atom"), site.url("/city/school")
    fetch([feed], articles)
    index = tmp_path / "index"
    build_index(articles, index, model=fake_embedder, log=lambda message: None)
    site.put("/city.atom", atom(site, ATOM_ITEMS[:1]), "application/xml")
    report = fetch([feed], articles)
    assert report.left_feed == [school] and report.unchanged == 1
    assert "1 article(s) no longer in their feed: kept, and still indexed" in report.summary()
    assert school in [r["id"] for r in stored(articles)]
    rebuilt = build_index(articles, index, model=fake_embedder, log=lambda message: None)
    assert rebuilt.removed == [] and rebuilt.unchanged == 2


def test_requests_to_one_host_are_spaced_by_the_delay(site, articles):
    site.put("/old/harbour", b"", redirect="/news/harbour")  # a redirect is one more request, spaced too
    report = fetch([site.url("/city.atom"), site.url("/old/harbour")], articles, delay=0.2)
    assert report.added == [site.url("/city/library"), site.url("/city/school"), site.url("/news/harbour")]
    times = [r.at for r in site.requests]
    assert [r.path for r in site.requests] == ["/robots.txt", "/city.atom", "/city/library", "/city/school",
                                               "/old/harbour", "/news/harbour"]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= 0.2, gaps


def test_a_missing_robots_txt_allows_everything(site, articles):
    del site.resources["/robots.txt"]
    report = fetch([site.url("/private/draft")], articles)
    assert report.errors == [] and report.added == [site.url("/private/draft")]
    assert site.seen("/robots.txt")[0].status == 404


def test_qa_add_fetches_and_indexes_what_it_fetched(site, articles, tmp_path):
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["add", site.url("/news.rss"), "--articles", str(articles), "--index",
                                       str(index), "--model", MODEL, "--delay", str(FAST), "--timeout", str(TIMEOUT)])
    assert result.exit_code == 0, result.output
    assert "articles: 2 added, 0 changed, 0 unchanged, 4 failed (from 1 feed(s))" in result.output
    assert f"  {site.url('/news/gone')}: HTTP 404" in result.output
    assert "articles: 2 added, 0 changed, 0 removed, 0 unchanged" in result.output  # the index's summary
    retriever = Retriever.load(index, embedder=FakeEmbedder(name=MODEL))
    [best] = retriever.search("Qingdao harbour breakwater fishermen", k=1)
    assert best.doc_id == best.url == site.url("/news/harbour") and best.outlet == "Coastal Courier"
    assert best.date == "2024-03-04"

    failed = CliRunner().invoke(main, ["add", site.url("/news/gone"), "--articles", str(articles), "--index",
                                       str(index), "--model", MODEL, "--delay", str(FAST)])
    assert failed.exit_code == 1 and "Error: nothing could be fetched" in failed.output


def test_watch_picks_up_an_item_added_between_rounds_and_indexes_only_it(site, articles, tmp_path):
    embedder = FakeEmbedder(name=MODEL)
    lines: list[str] = []

    def log(message: str) -> None:
        lines.append(message)
        if " round 1:" in message:  # between the rounds, the site publishes a story
            site.put("/city/museum", article_html("Maritime museum opens a new hall", MUSEUM,
                                                  published="2024-03-06T11:00:00+01:00"))
            site.put("/city.atom", atom(site, [("/city/museum", "Museum", "2024-03-06T11:00:00+01:00")]
                                        + ATOM_ITEMS), "application/xml")

    index = tmp_path / "index"
    rounds = watch([site.url("/city.atom")], articles, index, interval=0.05, rounds=2, model=embedder,
                   delay=FAST, timeout=TIMEOUT, log=log)
    (first, first_index), (second, second_index) = rounds
    museum = site.url("/city/museum")
    assert len(first.added) == 2 and first_index.added == first.added
    assert second.added == [museum] and second.unchanged == 2
    assert second_index.added == [museum] and second_index.unchanged == 2
    assert second_index.chunks_embedded > 0 and embedder.embedded[-second_index.chunks_embedded:] == [
        t for t in embedder.embedded if t.startswith("Maritime museum opens a new hall")]
    assert len([line for line in lines if " round " in line]) == 2
    [best] = Retriever.load(index, embedder=embedder).search("maritime museum fishing boats hall", k=1)
    assert best.doc_id == museum
    assert watched_feeds(articles) == [site.url("/city.atom")]
