"""The Gradio chat: grounded answers streaming on the left, their sources on the right, an Articles tab."""

from __future__ import annotations

from pathlib import Path

from ..extras import require

gr = require("gradio")

from ..answer.answerer import Answer, Partial, Retrieved  # noqa: E402
from ..answer.models import ModelUnavailable  # noqa: E402
from ..ingest.dates import normalise_date  # noqa: E402
from ..ingest.load import MAX_FILE_BYTES, article_suffixes  # noqa: E402
from ..records import Filters  # noqa: E402
from ..stores import IndexFolderError  # noqa: E402
from .render import CSS, escape_markdown, final_markdown, provisional_markdown, sources_html  # noqa: E402
from .service import ChatService, UploadError  # noqa: E402

EXAMPLES = [
    "Which German chancellor visited Beijing before Blinken?",
    "Where did Wang Yi welcome Blinken?",
    "How long did Blinken's meeting with Wang Yi last?",
    "Where did Biden and Xi last meet in person?",
]
FEED_POLL_SECONDS = 900.0
READABLE_ERRORS = (ModelUnavailable, IndexFolderError, UploadError, ValueError, OSError)


def problem(exc: Exception) -> str:
    return f"⚠️ {escape_markdown(str(exc))}"


def chat_filters(date_from: str, date_to: str, outlets: list | None) -> Filters:
    """The chat's filter fields as Filters; a date that cannot be read is a readable error."""
    dates = []
    for label, value in (("From", date_from), ("To", date_to)):
        value = (value or "").strip()
        if value and normalise_date(value) is None:
            raise ValueError(f"{label} date {value!r}: expected a date such as 2024-04-26")
        dates.append(normalise_date(value) if value else None)
    return Filters(dates[0], dates[1], tuple(outlets or ()))


def build_app(service: ChatService) -> gr.Blocks:
    """The Blocks app around a ChatService."""

    def respond(question: str, messages: list, history: list, date_from: str = "", date_to: str = "",
                outlets: list | None = None):
        question = (question or "").strip()
        if not question:
            yield messages, gr.skip(), gr.skip(), history, ""
            return
        messages = messages + [{"role": "user", "content": escape_markdown(question)},
                               {"role": "assistant", "content": "…"}]
        yield messages, gr.skip(), "", history, ""
        try:
            filters = chat_filters(date_from, date_to, outlets)
            for event in service.answer(question, history, filters):
                if isinstance(event, Retrieved):
                    searched = f"Searched for: *{escape_markdown(event.standalone_question)}*"
                    if event.time_note:
                        searched += f" · {escape_markdown(event.time_note)}"
                    # The passages alone while the model reads (the whole articles come with the answer):
                    # a large page to lay out takes CPU from the model on two cores.
                    panel = sources_html(event.passages, {}, heading="Retrieved")
                    yield messages, panel, searched, history, ""
                elif isinstance(event, Partial):
                    messages[-1] = {"role": "assistant", "content": provisional_markdown(event.text)}
                    yield messages, gr.skip(), gr.skip(), history, ""
                elif isinstance(event, Answer):
                    messages[-1] = {"role": "assistant", "content": final_markdown(event)}
                    history = history + [(question, event.answer)]
                    panel = sources_html(event.citations, event.articles, also=event.also_retrieved)
                    yield messages, panel, gr.skip(), history, ""
        except READABLE_ERRORS as exc:
            messages[-1] = {"role": "assistant", "content": problem(exc)}
            yield messages, gr.skip(), gr.skip(), history, ""

    def article_table(clear_choice: bool = False):
        """The Articles table and the choices that follow it. A refresh keeps what the person has
        chosen to remove; only a change to the articles clears it."""
        try:
            rows = service.articles()
        except READABLE_ERRORS:
            rows = []
        table = [[r.date or "date unknown", r.outlet or r.source, r.title, r.chunks, r.doc_id] for r in rows]
        outlets = sorted({r.outlet for r in rows if r.outlet})
        choices = [r.doc_id for r in rows]
        chosen = gr.update(choices=choices, value=None) if clear_choice else gr.update(choices=choices)
        return table, chosen, gr.update(choices=outlets)

    def upload(files, progress=gr.Progress(track_tqdm=True)):
        if not files:
            return (*article_table(), "No file chosen.")
        try:
            report, problems = service.add_files([(Path(f).name, Path(f).read_bytes()) for f in files])
        except READABLE_ERRORS as exc:
            return (*article_table(), problem(exc))
        lines = [escape_markdown(report.summary().replace("\n", "; "))]
        lines += [f"⚠️ {escape_markdown(p)}" for p in problems]
        return (*article_table(), "\n\n".join(lines))

    def remove(doc_id, progress=gr.Progress(track_tqdm=True)):
        if not doc_id:
            return (*article_table(), "Choose an article to remove.")
        try:
            report = service.remove_article(doc_id)
        except READABLE_ERRORS as exc:
            return (*article_table(), problem(exc))
        return (*article_table(clear_choice=True), f"Removed {escape_markdown(doc_id)}; {escape_markdown(report.summary().splitlines()[1])}")

    def fetch(urls_text, keep_watching, progress=gr.Progress(track_tqdm=True)):
        urls = [u.strip() for u in (urls_text or "").split() if u.strip()]
        if not urls:
            service.stop_watching()
            return (*article_table(), "Give article or feed URLs, one per line.")
        try:
            fetched, built = service.fetch(urls)
        except READABLE_ERRORS as exc:
            return (*article_table(), problem(exc))
        lines = [escape_markdown(fetched.summary().replace("\n", "; "))]
        lines += [f"⚠️ {escape_markdown(e)}" for e in fetched.errors]
        if built is not None:
            lines.append(escape_markdown(built.summary().replace("\n", "; ")))
        if keep_watching:
            service.watch(urls, interval=FEED_POLL_SECONDS)
            lines.append(f"Polling these every {FEED_POLL_SECONDS // 60:.0f} minutes.")
        else:
            service.stop_watching()
        return (*article_table(), "\n\n".join(lines))

    suffixes = sorted(article_suffixes())
    with gr.Blocks(title="Ask the articles") as app:
        gr.Markdown("## Ask the articles\nAnswers come only from the indexed news articles; "
                    "each claim cites the excerpt it came from. Click a [n] to see its source.")
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(elem_id="chat", height=480, sanitize_html=True,
                                         placeholder="Ask a question about the articles.")
                    searched = gr.Markdown(elem_id="searched")
                    with gr.Row():
                        question = gr.Textbox(placeholder="Ask about the articles…", show_label=False, scale=5,
                                              elem_id="question", submit_btn=False)
                        ask = gr.Button("Ask", variant="primary", scale=1, elem_id="ask")
                    with gr.Accordion("Filters", open=False, elem_id="filters"):
                        with gr.Row():
                            date_from = gr.Textbox(label="From", placeholder="YYYY-MM-DD", elem_id="date-from")
                            date_to = gr.Textbox(label="To", placeholder="YYYY-MM-DD", elem_id="date-to")
                            outlets = gr.Dropdown(label="Outlets", choices=[], multiselect=True, elem_id="outlets")
                    gr.Examples(EXAMPLES, inputs=question, label="Try")
                with gr.Column(scale=2):
                    sources = gr.HTML(sources_html([], {}), elem_id="sources")
            history = gr.State([])
            outputs = [chatbot, sources, searched, history, question]
            inputs = [question, chatbot, history, date_from, date_to, outlets]
            # No spinner or timer over the chat while the model reads: on two cores, the browser's
            # animation takes CPU from the answer (measured in benchmarks/answer_latency.py).
            ask.click(respond, inputs, outputs, show_progress="hidden")
            question.submit(respond, inputs, outputs, show_progress="hidden")
        with gr.Tab("Articles") as articles_tab:
            table = gr.Dataframe(headers=["date", "outlet", "title", "chunks", "doc_id"], interactive=False,
                                 elem_id="articles", wrap=True)
            with gr.Row():
                files = gr.File(label=f"Add articles ({' '.join(suffixes)}, up to {MAX_FILE_BYTES // 2**20} MB each)",
                                file_count="multiple", file_types=suffixes, elem_id="upload")
                with gr.Column():
                    chosen = gr.Dropdown(label="Remove an article", choices=[], elem_id="remove-choice")
                    remove_button = gr.Button("Remove", variant="stop", elem_id="remove")
            with gr.Row():
                urls = gr.Textbox(label="Article or RSS/Atom feed URLs, one per line", lines=2, scale=4,
                                  elem_id="urls")
                with gr.Column(scale=1):
                    keep_watching = gr.Checkbox(label=f"Keep polling every {FEED_POLL_SECONDS // 60:.0f} min",
                                                elem_id="keep-watching")
                    fetch_button = gr.Button("Fetch", elem_id="fetch")
            status = gr.Markdown(elem_id="articles-status")
            fetch_button.click(fetch, [urls, keep_watching], [table, chosen, outlets, status])
            files.upload(upload, files, [table, chosen, outlets, status])
            remove_button.click(remove, chosen, [table, chosen, outlets, status])
            articles_tab.select(article_table, None, [table, chosen, outlets])
        app.load(article_table, None, [table, chosen, outlets])
    return app


def launch(app: gr.Blocks, host: str = "127.0.0.1", port: int | None = None, block: bool = True) -> gr.Blocks:
    """Start the app with the queue, limits and styling the chat is meant to run with."""
    app.queue(default_concurrency_limit=8)
    app.launch(server_name=host, server_port=port, css=CSS, prevent_thread_lock=not block,
               max_file_size=MAX_FILE_BYTES, show_error=False, quiet=not block, footer_links=[])
    return app


def serve(service: ChatService, host: str = "127.0.0.1", port: int | None = None, block: bool = True):
    """Build the index if needed, warm the models, and start the app; prints the local URL."""
    print("Updating the index…", flush=True)
    print(service.ensure_index().summary(), flush=True)
    try:
        service.warm()
    except ModelUnavailable as exc:  # the chat still starts and says so on each question
        print(f"warning: {exc}", flush=True)
    return launch(build_app(service), host, port, block)
