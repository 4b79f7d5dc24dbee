"""The `qa` command line: build the index, search it, ask it, chat, evaluate."""

from __future__ import annotations

import functools
import json
import os
import shutil
import sys
from pathlib import Path

import click

from .config import DEFAULT_ARTICLES, DEFAULT_INDEX, DEFAULT_MODEL, ChunkSettings
from .records import Filters



def readable_errors(command):
    """Turn the project's errors (bad index, unreachable model, missing extra, bad input) into one line."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        from .answer.models import ModelUnavailable
        from .extras import MissingExtra
        from .registry import UnknownName
        from .stores import IndexFolderError

        try:
            return command(*args, **kwargs)
        except (IndexFolderError, ModelUnavailable, MissingExtra, UnknownName, FileNotFoundError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None

    return run


def store_option(command):
    """--index FOLDER and --store URI, passed on as one `store` address."""

    @functools.wraps(command)
    def run(*args, index: str, store: str | None, **kwargs):
        click.get_current_context().meta["index_folder"] = index
        return command(*args, store=store or os.environ.get("QA_STORE") or index, **kwargs)

    run = click.option("--store", default=None,
                       help="Where the index lives, if not in the index folder: milvus://host:port/collection "
                            "or a Milvus Lite .db file. [default: QA_STORE, or what the index folder records]")(run)
    return click.option("--index", default=DEFAULT_INDEX, show_default=True, type=click.Path(file_okay=False),
                        help="The index folder (it holds the index, or records the store that does).")(run)


def articles_option(command):
    return click.option("--articles", "articles_dir", default=DEFAULT_ARTICLES, show_default=True,
                        type=click.Path(file_okay=False), help="Folder of articles (.txt .md .html .jsonl).")(command)


def filter_options(command):
    for option in reversed([
        click.option("--from", "date_from", default=None, help="Only articles dated on or after YYYY-MM-DD."),
        click.option("--to", "date_to", default=None, help="Only articles dated on or before YYYY-MM-DD."),
        click.option("--source", "sources", multiple=True,
                     help="Only articles whose source contains this (repeatable)."),
    ]):
        command = option(command)
    return command


def reranker_option(command):
    return click.option("--reranker", default=None,
                        help="Re-score the top candidates: a sentence-transformers CrossEncoder (HF id or path), "
                             "or KIND:NAME for another registered reranker.")(command)


def answer_settings(min_confidence: float | None, **fields):
    """AnswerSettings with the given fields, and --min-confidence when it was given."""
    from .answer.answerer import AnswerSettings

    return AnswerSettings(**fields, **({} if min_confidence is None else {"min_confidence": min_confidence}))


def sentence_ranker_option(command):
    return click.option("--sentence-ranker", default="none", show_default=True,
                        help="Score the question with each candidate sentence, beside the fitted sentence score: "
                             "adapter:bundled (a cross-encoder trained on NewsQA; see benchmarks/README.md), "
                             "adapter:PATH (an adapter from benchmarks/train_sentence_ranker.py), KIND:NAME for "
                             "another registered reranker, or none.")(command)


def confidence_option(command):
    return click.option("--min-confidence", type=click.FloatRange(0.0, 1.0), default=None,
                        help="Refuse when the estimate that the picked sentence holds the answer is below this "
                             "(default 0.2; higher: fewer wrong answers and more refusals, benchmarks/README.md).")(command)


def backend_options(command):
    from .answer.readers import BACKENDS

    lines = "; ".join(f"{e.name}: {e.help}" for e in BACKENDS.entries())
    command = click.option("--gguf", default=None, help="A local GGUF file for the llama back end.")(command)
    return click.option("--backend", type=click.Choice(BACKENDS.names()), default=None,
                        help=f"Answer back end (default: QA_ANSWER_BACKEND or llama). {lines}")(command)


def format_citation(item) -> str:
    """One line naming where an excerpt or citation comes from."""
    where = ", ".join(x for x in (item.source, item.date) if x)
    return f"{item.title} ({where}) {item.doc_id}:{item.start}-{item.end}"


@click.group()
def main() -> None:
    """Question answering over news articles, with citations to the exact excerpt."""


@main.command("index")
@articles_option
@store_option
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Embedding model: the bundled default, a Hugging Face id or a local path, as NAME "
                   "(sentence-transformers) or NAME@BACKEND (e.g. @onnx-int8).")
@click.option("--chunk-tokens", default=ChunkSettings.chunk_tokens, show_default=True, help="Passage size in tokens.")
@click.option("--overlap-tokens", default=ChunkSettings.overlap_tokens, show_default=True,
              help="Tokens repeated between neighbouring passages.")
@readable_errors
def index_command(articles_dir: str, store: str, model: str, chunk_tokens: int, overlap_tokens: int) -> None:
    """Build or update the index: only new or changed text is embedded.

    With --store, the index folder records the store, so later commands and the chat follow it.
    Exits non-zero only when nothing usable could be indexed.
    """
    from .index.build import build_index

    from .stores.base import record_store

    report = build_index(articles_dir, store, model=model, settings=ChunkSettings(chunk_tokens, overlap_tokens),
                         progress=True)
    folder = click.get_current_context().meta["index_folder"]
    if store != folder:
        record_store(folder, store)
    click.echo(report.summary())
    if report.chunks_total == 0:
        raise click.ClickException("nothing usable was indexed")


@main.command("search")
@click.argument("question")
@click.option("-k", default=5, show_default=True, help="How many excerpts.")
@store_option
@click.option("--mode", type=click.Choice(["hybrid", "dense", "bm25"]), default="hybrid", show_default=True,
              help="Ranking to use.")
@click.option("--fusion", type=click.Choice(["rrf", "weighted"]), default="weighted", show_default=True,
              help="How hybrid mode merges the dense and BM25 rankings.")
@filter_options
@reranker_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per excerpt.")
@readable_errors
def search_command(question: str, k: int, store: str, mode: str, fusion: str, date_from: str | None,
                   date_to: str | None, sources: tuple[str, ...], reranker: str | None, as_json: bool) -> None:
    """Print the excerpts that best match QUESTION, with their citations."""
    from .retrieve.rerank import reranker_for
    from .retrieve.retriever import Retriever, SearchSettings

    retriever = Retriever.load(store, settings=SearchSettings(mode=mode, fusion=fusion), reranker=reranker_for(reranker))
    excerpts = retriever.search(question, k=k, filters=Filters(date_from, date_to, sources))
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in excerpts], ensure_ascii=False, indent=1))
        return
    if not excerpts:
        click.echo("No matching excerpts.", err=True)
    for e in excerpts:
        click.echo(f"[{e.rank}] {format_citation(e)}  score {e.score:.3f}")
        click.echo("    " + e.text.replace("\n", "\n    "))
        click.echo()


def ensure_index(articles_dir: str, store: str, model: str = DEFAULT_MODEL) -> None:
    """Build the index on first use, with a progress bar, as the chat does."""
    from .index.build import build_index
    from .stores import IndexFolderError, open_store

    try:
        open_store(store)
    except IndexFolderError as exc:
        if "no index here yet" not in str(exc):
            raise
        click.echo(f"No index yet: building it from {articles_dir}/ …", err=True)
        click.echo(build_index(articles_dir, store, model=model, progress=True, log=lambda m: click.echo(m, err=True))
                   .summary(), err=True)


@main.command("ask")
@click.argument("question")
@articles_option
@store_option
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Embedding model to build the index with, when there is none yet.")
@backend_options
@filter_options
@reranker_option
@sentence_ranker_option
@confidence_option
@click.option("--json", "as_json", is_flag=True, help="Print {answer, citations, refused, steps, ...} as JSON.")
@click.option("--explain", is_flag=True, help="Then tell how the answer was reached: the sentences shown, the "
              "model's probabilities, the pick and its confidence, what the model wrote, and which check it failed.")
@readable_errors
def ask_command(question: str, articles_dir: str, store: str, model: str, backend: str | None, gguf: str | None,
                date_from: str | None, date_to: str | None, sources: tuple[str, ...], reranker: str | None,
                sentence_ranker: str, min_confidence: float | None, as_json: bool, explain: bool) -> None:
    """Answer QUESTION from the articles, citing the excerpts each claim comes from.

    Builds the index from --articles first if there is none yet. On a terminal the answer streams
    as it is written; piped or redirected, the final answer is printed once.
    """
    from .answer.answerer import Answer, Answerer, Partial
    from .answer.readers import answer_backend
    from .retrieve.rerank import reranker_for
    from .retrieve.retriever import Retriever

    ensure_index(articles_dir, store, model)
    settings = answer_settings(min_confidence, sentence_ranker=sentence_ranker,
                               filters=Filters(date_from, date_to, sources))
    answerer = Answerer(Retriever.load(store, reranker=reranker_for(reranker)), answer_backend(backend, gguf), settings)
    live = sys.stdout.isatty() and not as_json
    width = shutil.get_terminal_size().columns
    shown = ""
    answer = None
    for event in answerer.stream(question):
        if isinstance(event, Partial) and live:
            tail = event.text.replace("\n", " ")[-(width - 1):]  # one line that fits: no wrap to rub out
            click.echo("\r" + tail + " " * max(0, len(shown) - len(tail)), nl=False)
            shown = tail
        elif isinstance(event, Answer):
            answer = event
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
        return
    if shown:
        click.echo("\r" + " " * len(shown) + "\r", nl=False)
    click.echo(answer.answer)
    for c in answer.citations:
        click.echo(f"  [{c.n}] {format_citation(c)}")
        click.echo(f"      “{c.text}”")
    if explain:
        click.echo("\nHow this answer was reached (sentence numbers as the reader saw them, not the answer's [n]):")
        for step in answer.steps:
            click.echo(f"      {step.strip()}" if step.startswith(" ") else f"  - {step}")


@main.command("chat")
@articles_option
@store_option
@backend_options
@reranker_option
@sentence_ranker_option
@confidence_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True)
@readable_errors
def chat_command(articles_dir: str, store: str, backend: str | None, gguf: str | None, reranker: str | None,
                 sentence_ranker: str, min_confidence: float | None, host: str, port: int) -> None:
    """Start the web chat (building the index first if needed) and print its URL."""
    from .answer.readers import answer_backend
    from .app.chat import serve
    from .app.service import ChatService

    service = ChatService(articles_dir, store, answer_backend(backend, gguf),
                          settings=answer_settings(min_confidence, reranker=reranker,
                                                  sentence_ranker=sentence_ranker))
    serve(service, host=host, port=port)


@main.command("eval")
@click.option("--questions", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labelled questions, JSONL: {question, relevant: [doc_id...], answers?, kind?}.")
@click.option("--beir", type=click.Path(exists=True, file_okay=False), default=None,
              help="A BEIR folder (queries.jsonl, qrels/SPLIT.tsv) instead of --questions.")
@click.option("--split", default="train", show_default=True, help="The BEIR qrels split.")
@store_option
@click.option("--mode", "modes", type=click.Choice(["hybrid", "dense", "bm25"]), multiple=True,
              help="Modes to compare (default: all).")
@click.option("--fusion", type=click.Choice(["rrf", "weighted"]), default="weighted", show_default=True)
@reranker_option
@readable_errors
def eval_command(questions: str | None, beir: str | None, split: str, store: str, modes: tuple[str, ...],
                 fusion: str, reranker: str | None) -> None:
    """Score retrieval on labelled questions against the current index, per mode."""
    from .evaluate.retrieval import evaluate, format_table, load_beir, load_questions
    from .retrieve.rerank import reranker_for
    from .retrieve.retriever import MODES, Retriever, SearchSettings

    if bool(questions) == bool(beir):
        raise click.UsageError("give exactly one of --questions or --beir")
    labelled = load_questions(questions) if questions else load_beir(beir, split)
    retriever = Retriever.load(store, settings=SearchSettings(fusion=fusion), reranker=reranker_for(reranker))
    results = evaluate(retriever, labelled, list(modes or MODES), progress=True)
    answerable = sum(1 for q in labelled if q.relevant)
    click.echo(f"{answerable} questions with relevant articles ({len(labelled) - answerable} without, not scored)")
    click.echo(format_table(results))


def fetch_options(command):
    """--model, --delay and --timeout, shared by `qa add` and `qa watch`."""
    from .ingest.fetch import DEFAULT_DELAY, DEFAULT_TIMEOUT

    for option in reversed([
        click.option("--model", default=DEFAULT_MODEL, show_default=True,
                     help="Embedding model of the index (as for `qa index`)."),
        click.option("--delay", default=DEFAULT_DELAY, show_default=True,
                     help="Seconds between two requests to the same site (robots.txt may ask for more)."),
        click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True,
                     help="Seconds to wait for a site to connect or send data before giving up on a page."),
    ]):
        command = option(command)
    return command


@main.command("add")
@click.argument("urls", nargs=-1, required=True)
@articles_option
@store_option
@fetch_options
@readable_errors
def add_command(urls: tuple[str, ...], articles_dir: str, store: str, model: str, delay: float,
                timeout: float) -> None:
    """Fetch article pages or RSS/Atom feeds (each entry's page) into ARTICLES/web/, then update the index.

    Politely: robots.txt is honoured, one site is asked at most once per --delay, and a page
    fetched before is asked for only if it changed. Each URL that fails is listed with why.
    Exits non-zero only when no URL could be fetched.
    """
    from .index.build import build_index
    from .ingest.fetch import add_urls
    from .stores.base import record_store

    fetched = add_urls(urls, articles_dir, delay=delay, timeout=timeout, progress=True)
    click.echo(fetched.summary())
    for error in fetched.errors:
        click.echo(f"  {error}")
    if not (fetched.added or fetched.changed or fetched.unchanged):
        raise click.ClickException("nothing could be fetched")
    report = build_index(articles_dir, store, model=model, progress=True)
    folder = click.get_current_context().meta["index_folder"]
    if store != folder:
        record_store(folder, store)
    click.echo(report.summary())


@main.command("watch")
@click.argument("feeds", nargs=-1)
@click.option("--every", "interval", default=900.0, show_default=True, help="Seconds between two polls.")
@click.option("--rounds", default=None, type=click.IntRange(min=1), help="Stop after this many polls "
              "(default: until Ctrl-C).")
@articles_option
@store_option
@fetch_options
@readable_errors
def watch_command(feeds: tuple[str, ...], interval: float, rounds: int | None, articles_dir: str, store: str,
                  model: str, delay: float, timeout: float) -> None:
    """Poll RSS/Atom FEEDs (default: those added before) and index new or changed articles as they appear.

    Prints one line per poll. Articles that leave a feed stay indexed. Ctrl-C stops.
    """
    from .ingest.fetch import watch

    try:
        watch(feeds, articles_dir, store, interval=interval, rounds=rounds, model=model, delay=delay,
              timeout=timeout, log=lambda message: click.echo(message))
    except KeyboardInterrupt:
        click.echo("stopped")


if __name__ == "__main__":
    sys.exit(main())
