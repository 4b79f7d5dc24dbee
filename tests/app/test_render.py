"""The chat's HTML: article and model text is always escaped; only our own tags are markup."""

from qa.app.render import answer_markdown, escape_markdown, highlighted, source_card, sources_html
from qa.records import Article, Passage


def passage(text="Olaf Scholz visited <b>Beijing</b>.", **kw):
    fields = dict(rank=1, score=1.5, text=text, doc_id="d.txt", title="Talks & <i>news</i>", source="cnn.com",
                  date="2024-04-26", start=10, end=10 + len(text), chunk_id=1, focus_start=10, focus_end=22)
    fields.update(kw)
    return Passage(**fields)


def test_markdown_specials_and_urls_are_entities():
    text = escape_markdown("[x](javascript:alert(1)) ![t](http://evil.example/p.png) *bold* <script>")
    assert "[" not in text and "(" not in text and "<" not in text and ":" not in text and "*" not in text
    assert "&#91;x&#93;" in text and "&lt;script&gt;" in text


def test_citation_markers_become_links_and_nothing_else_does():
    rendered = answer_markdown("Olaf Scholz [1] said <img src=x onerror=alert(1)> [2]")
    assert '<a class="cite" href="#src-1">[1]</a>' in rendered and '<a class="cite" href="#src-2">[2]</a>' in rendered
    assert "<img" not in rendered and "&lt;img" in rendered


def test_source_cards_escape_titles_and_highlight_the_sentence():
    article = Article("d.txt", "Talks", "x" * 10 + "Olaf Scholz visited <b>Beijing</b>.", "cnn.com", "2024-04-26")
    card = source_card(1, passage(), article)
    assert "Talks &amp; &lt;i&gt;news&lt;/i&gt;" in card and "<b>Beijing" not in card
    assert "<mark>Olaf Scholz " in card and 'id="src-1"' in card and "cnn.com · 2024-04-26" in card
    assert highlighted("a<b>c", 1, 4) == "a<mark>&lt;b&gt;</mark>c"


def test_an_empty_panel_says_so():
    assert "No sources yet" in sources_html([], {})
