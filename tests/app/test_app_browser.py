"""The real Gradio app driven in headless Chromium (Debian's chromium, Playwright's Python API)."""

from __future__ import annotations

import html
import shutil

import pytest

from tests.conftest import SEEDS, free_port

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
XSS_ARTICLE = """Zorbl festival opens in Quuxville

The Zorbl lantern festival opened in Quuxville on Saturday with four thousand paper lanterns.
<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">
Organisers said [a link](javascript:window.__xss=3) and ![tracker](http://evil.example/pixel.png) were part of the programme.
"""


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, real_embedder):
    from qa.app.chat import build_app, launch
    from qa.app.service import ChatService

    folder = tmp_path_factory.mktemp("app")
    shutil.copytree(SEEDS, folder / "articles")
    service = ChatService(folder / "articles", folder / "index", embedder=real_embedder)
    service.ensure_index(progress=False)
    port = free_port()
    app = launch(build_app(service), port=port, block=False)
    yield f"http://127.0.0.1:{port}", folder
    app.close()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium") and not __import__("os").path.exists(CHROMIUM):
        pytest.fail("Debian chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.outside_requests = []
    page.on("request", lambda r: None if r.url.startswith(app_url[0]) or r.url.startswith("data:")
            else page.outside_requests.append(r.url))
    page.goto(app_url[0])
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def ask(page, question: str) -> None:
    before = page.locator("#chat [data-testid=bot]").count()
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function(
        "n => { const b = document.querySelectorAll('#chat [data-testid=bot]'); "
        "return b.length > n && !b[b.length - 1].innerText.includes('…') && b[b.length - 1].innerText.trim().length > 1; }",
        arg=before, timeout=60000)


def test_question_gets_an_answer_with_citation_and_sources(page):
    ask(page, "Which German chancellor visited Beijing?")
    answer = page.locator("#chat [data-testid=bot]").last
    assert "Scholz" in answer.inner_text()
    cite = answer.locator("a.cite").first
    assert cite.inner_text() == "[1]"
    card = page.locator("#sources #src-1")
    assert "Scholz" in card.inner_text() and "Olaf Scholz" in card.locator("mark").first.inner_text()
    assert "Searched for" in page.locator("#searched").inner_text()
    cite.click()
    assert page.evaluate("location.hash") == "#src-1"
    card.locator("summary").click()  # the whole article, with the excerpt highlighted
    assert "Diaoyutai" in card.locator(".article").inner_text()


def test_example_questions_are_on_the_start_screen(page):
    from qa.app.chat import EXAMPLES

    for example in EXAMPLES:
        page.get_by_text(example).first.wait_for(timeout=10000)  # fails if an example is not shown


def test_unrelated_question_is_refused(page):
    ask(page, "How do I bake sourdough bread at home?")
    assert "The articles don't cover this." in page.locator("#chat [data-testid=bot]").last.inner_text()


def test_upload_then_answer_and_markup_stays_text(page, app_url, tmp_path):
    path = tmp_path / "zorbl.txt"
    path.write_text(XSS_ARTICLE)
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    page.wait_for_function("() => document.querySelector('#articles-status')?.innerText.includes('1 added')",
                           timeout=60000)
    assert "zorbl.txt" in page.locator("#articles").inner_text()
    assert (app_url[1] / "articles" / "zorbl.txt").exists()
    page.get_by_role("tab", name="Chat").click()
    ask(page, "How many lanterns were there at the Zorbl festival in Quuxville?")
    answer = page.locator("#chat [data-testid=bot]").last
    assert "four thousand" in answer.inner_text()
    sources = page.locator("#sources")
    sources.locator("summary").first.click()
    text = sources.inner_text()
    assert "<script>window.__xss = 1</script>" in text and "Organisers said [a link](javascript:" in text
    hostile = ('<img src=x onerror="window.__xss=4"> [click](javascript:window.__xss=5) '
               '![t](http://evil.example/q.png) What did organisers say about the Zorbl programme?')
    ask(page, hostile)
    assert hostile in page.locator("#chat [data-testid=user]").last.inner_text()
    page.locator("#chat a.cite").last.click()  # open the cited source card too
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert page.locator("[onerror], [onclick], a[href^='javascript'], img[src='x'], img[src*='evil']").count() == 0
    assert page.outside_requests == []


def test_upload_of_another_file_type_is_refused(page, app_url, tmp_path):
    path = tmp_path / "payload.exe"
    path.write_bytes(b"MZ\x90\x00 not an article")
    page.get_by_role("tab", name="Articles").click()
    page.locator("#upload input[type=file]").set_input_files(str(path))
    # Gradio itself refuses a file outside file_types with an error toast; our own check (the same
    # message in the status line) covers anything that gets past it.
    page.wait_for_function("() => document.querySelector('#articles-status')?.innerText.includes('payload.exe')"
                           " || document.body.innerText.includes('Invalid file type')", timeout=30000)
    status = page.locator("#articles-status").inner_text()
    shown = page.locator("body").inner_text()
    assert "payload.exe: not an article file" in status or "Invalid file type" in shown, status
    assert not (app_url[1] / "articles" / "payload.exe").exists()
    assert "payload.exe" not in page.locator("#articles").inner_text()


def test_removing_an_article_updates_the_list(page, app_url):
    doc = "003_0c700c34483d6032.txt"
    page.get_by_role("tab", name="Articles").click()
    page.wait_for_function(f"() => document.querySelector('#articles')?.innerText.includes('{doc}')")
    page.locator("#remove-choice input").click()
    page.locator("#remove-choice").get_by_role("option", name=doc).click()
    # The list refreshes when the tab opens; that refresh must not undo the choice.
    page.wait_for_timeout(1000)
    assert page.locator("#remove-choice input").input_value() == doc
    page.click("#remove")
    page.wait_for_function("() => document.querySelector('#articles-status')?.innerText.includes('Removed')",
                           timeout=60000)
    assert doc not in page.locator("#articles").inner_text()
    assert not (app_url[1] / "articles" / doc).exists()


def test_a_broken_answer_model_shows_a_readable_message(browser, tmp_path, real_embedder):
    from qa.app.chat import build_app, launch
    from qa.answer.models import OpenAICompatibleModel
    from qa.answer.readers import ModelReader
    from qa.app.service import ChatService

    shutil.copytree(SEEDS, tmp_path / "articles")
    unreachable = ModelReader(OpenAICompatibleModel(f"http://127.0.0.1:{free_port()}/v1", "none"))
    service = ChatService(tmp_path / "articles", tmp_path / "index", unreachable, embedder=real_embedder)
    service.ensure_index(progress=False)
    port = free_port()
    app = launch(build_app(service), port=port, block=False)
    try:
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{port}")
        page.wait_for_selector("#question textarea")
        ask(page, "Which German chancellor visited Beijing?")
        message = page.locator("#chat [data-testid=bot]").last.inner_text()
        assert "cannot reach the answer server" in message and "Traceback" not in message
    finally:
        app.close()


def test_twenty_concurrent_chat_requests_all_get_answers(app_url):
    """Through Gradio's own API (gradio_client), the way a second tab or a script would call the chat."""
    from gradio_client import Client

    from qa.app.chat import EXAMPLES

    client = Client(app_url[0], verbose=False)
    questions = [EXAMPLES[n % len(EXAMPLES)] for n in range(20)]
    jobs = [client.submit(question, [], "", "", [], api_name="/respond") for question in questions]
    results = [job.result(timeout=600) for job in jobs]

    def text(message: dict) -> str:  # Gradio 6 sends content as a list of typed parts, markdown-escaped
        return html.unescape("".join(part.get("text", "") for part in message["content"]))

    replies: dict[str, set[str]] = {}
    for question, job, (messages, sources, searched, box) in zip(questions, jobs, results):
        assert [m["role"] for m in messages] == ["user", "assistant"]
        searches = [o[2] for o in job.outputs() if isinstance(o[2], str) and o[2]]
        assert text(messages[0]) == question and question[:-1] in searches[0]  # its own answer, no cross-talk
        reply = text(messages[1])
        assert box == "" and ('class="cite"' not in reply or 'id="src-1"' in sources)
        replies.setdefault(question, set()).add(reply)
    assert all(len(texts) == 1 for texts in replies.values()), replies  # the same answer under load as alone
    assert sum('class="cite"' in next(iter(texts)) for texts in replies.values()) >= 2, replies


@pytest.fixture(scope="module")
def news_url(tmp_path_factory, real_embedder):
    """The app on dated articles from two outlets, and one with no date."""
    import json

    from qa.app.chat import build_app, launch
    from qa.app.service import ChatService
    from tests.test_news import BRIDGE

    folder = tmp_path_factory.mktemp("news-app")
    (folder / "articles").mkdir()
    rows = BRIDGE + [{"id": "undated", "title": "Ferry timetable", "text": "The harbour ferry keeps its winter "
                      "timetable until the bridge reopens. Tickets cost two euros."}]
    (folder / "articles" / "news.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    service = ChatService(folder / "articles", folder / "index", embedder=real_embedder)
    service.ensure_index(progress=False)
    port = free_port()
    app = launch(build_app(service), port=port, block=False)
    yield f"http://127.0.0.1:{port}"
    app.close()


@pytest.fixture
def news_page(browser, news_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(news_url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def test_cards_show_outlet_and_date_or_say_the_date_is_unknown(news_page):
    ask(news_page, "When will the harbour bridge reopen after repairs?")
    sources = news_page.locator("#sources").inner_text()
    assert "citywire.example · 2024-04-22" in sources and "harbour-gazette.example · 2024-03-02" in sources
    ask(news_page, "How much does a harbour ferry ticket cost?")
    assert "date unknown" in news_page.locator("#sources").inner_text()


def test_time_words_are_shown_with_the_range_searched(news_page):
    ask(news_page, "What did the city say about the harbour bridge last week?")
    searched = news_page.locator("#searched").inner_text()
    assert "Searched articles from 2024-04-18 to 2024-04-25" in searched, searched
    cards = news_page.locator("#sources").inner_text()
    assert "2024-03-02" not in cards  # the March report is outside last week


def test_date_and_outlet_filters_narrow_the_sources(news_page):
    news_page.locator("#filters").get_by_text("Filters").click()
    news_page.fill("#date-from input, #date-from textarea", "2024-04-01")
    ask(news_page, "When will the harbour bridge reopen after repairs?")
    cards = news_page.locator("#sources").inner_text()
    assert "2024-04-22" in cards and "2024-03-02" not in cards
    news_page.fill("#date-from input, #date-from textarea", "April 31, 2024")
    ask(news_page, "When will the harbour bridge reopen after repairs?")
    assert "From date" in news_page.locator("#chat [data-testid=bot]").last.inner_text()


def test_articles_tab_lists_newest_first_with_outlet_and_date(news_page):
    news_page.get_by_role("tab", name="Articles").click()
    news_page.wait_for_function("() => document.querySelector('#articles')?.innerText.includes('2024-04-25')")
    table = news_page.locator("#articles").inner_text()
    assert table.index("2024-04-25") < table.index("2024-04-22") < table.index("2024-03-02") < table.index("date unknown")
    assert "citywire.example" in table and "harbour-gazette.example" in table
