"""The `qa` command line: build the index and search it."""

from __future__ import annotations

import json
import sys

import click

from .config import ANSWER_BACKENDS, DEFAULT_ARTICLES, DEFAULT_INDEX, DEFAULT_MODEL, ChunkSettings
from .retrieve import FUSIONS, MODES, Filters, SearchSettings
from .store import IndexFolderError


@click.group()
def main() -> None:
    """Question answering over news articles, with citations to the exact excerpt."""


@main.command("index")
@click.option("--articles", "articles_dir", default=DEFAULT_ARTICLES, show_default=True,
              type=click.Path(file_okay=False), help="Folder of articles (.txt .md .html .jsonl).")
@click.option("--index", "index_dir", default=DEFAULT_INDEX, show_default=True,
              type=click.Path(file_okay=False), help="Index folder to build or update.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="sentence-transformers model: the bundled default, a Hugging Face id or a local path; "
                   "add @onnx-int8 to run it int8-quantised in ONNX Runtime.")
@click.option("--chunk-tokens", default=ChunkSettings.chunk_tokens, show_default=True, help="Passage size in tokens.")
@click.option("--overlap-tokens", default=ChunkSettings.overlap_tokens, show_default=True,
              help="Tokens repeated between neighbouring passages.")
def index_command(articles_dir: str, index_dir: str, model: str, chunk_tokens: int, overlap_tokens: int) -> None:
    """Build or update the index: only new or changed text is embedded.

    Exits non-zero only when nothing usable could be indexed.
    """
    from .build import build_index

    try:
        report = build_index(articles_dir, index_dir, model=model,
                             settings=ChunkSettings(chunk_tokens, overlap_tokens), progress=True)
    except (FileNotFoundError, IndexFolderError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(report.summary())
    if report.chunks_total == 0:
        raise click.ClickException("nothing usable was indexed")


@main.command("search")
@click.argument("question")
@click.option("-k", default=5, show_default=True, help="How many excerpts.")
@click.option("--index", "index_dir", default=DEFAULT_INDEX, show_default=True, type=click.Path(file_okay=False))
@click.option("--mode", type=click.Choice(MODES), default="hybrid", show_default=True, help="Ranking to use.")
@click.option("--fusion", type=click.Choice(FUSIONS), default=SearchSettings.fusion, show_default=True,
              help="How hybrid mode merges the dense and BM25 rankings.")
@click.option("--from", "date_from", default=None, help="Only articles dated on or after YYYY-MM-DD.")
@click.option("--to", "date_to", default=None, help="Only articles dated on or before YYYY-MM-DD.")
@click.option("--source", "sources", multiple=True, help="Only articles whose source contains this (repeatable).")
@click.option("--reranker", default=None,
              help="A sentence-transformers CrossEncoder (HF id or path) to re-score the top candidates.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per excerpt.")
def search_command(question: str, k: int, index_dir: str, mode: str, fusion: str, date_from: str | None,
                   date_to: str | None, sources: tuple[str, ...], reranker: str | None, as_json: bool) -> None:
    """Print the excerpts that best match QUESTION, with their citations."""
    from .rerank import CrossEncoderReranker
    from .retrieve import Retriever

    try:
        retriever = Retriever.load(index_dir, settings=SearchSettings(mode=mode, fusion=fusion),
                                   reranker=CrossEncoderReranker(reranker) if reranker else None)
        excerpts = retriever.search(question, k=k, filters=Filters(date_from, date_to, sources))
    except (IndexFolderError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps([e.to_dict() for e in excerpts], ensure_ascii=False, indent=1))
        return
    if not excerpts:
        click.echo("No matching excerpts.", err=True)
    for e in excerpts:
        click.echo(f"[{e.rank}] {e.title} ({e.source}{', ' + e.date if e.date else ''})  "
                   f"score {e.score:.3f}  {e.doc_id}:{e.start}-{e.end}")
        click.echo("    " + e.text.replace("\n", "\n    "))
        click.echo()


@main.command("ask")
@click.argument("question")
@click.option("--index", "index_dir", default=DEFAULT_INDEX, show_default=True, type=click.Path(file_okay=False))
@click.option("--backend", type=click.Choice(ANSWER_BACKENDS), default=None,
              help="Answer model: llama (bundled GGUF, default), openai (QA_OPENAI_BASE_URL), extractive (no LLM).")
@click.option("--gguf", default=None, help="A local GGUF file for the llama backend.")
@click.option("--json", "as_json", is_flag=True, help="Print {answer, citations, refused} as JSON.")
def ask_command(question: str, index_dir: str, backend: str | None, gguf: str | None, as_json: bool) -> None:
    """Answer QUESTION from the articles, citing the excerpts each claim comes from."""
    from .answer import Answer, Answerer, Partial
    from .config import answer_model
    from .llm import ModelUnavailable
    from .retrieve import Retriever

    try:
        answerer = Answerer(Retriever.load(index_dir), answer_model(backend, gguf))
        shown = 0
        answer = None
        for event in answerer.stream(question):
            if isinstance(event, Partial) and not as_json:
                click.echo(event.text[shown:], nl=False)  # stream as the model writes
                shown = len(event.text)
            elif isinstance(event, Answer):
                answer = event
    except (IndexFolderError, ModelUnavailable, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False, indent=1))
        return
    click.echo("\r" + " " * shown + "\r" if shown else "", nl=False)
    click.echo(answer.answer)
    for c in answer.citations:
        click.echo(f"  [{c.n}] {c.title} ({c.source}{', ' + c.date if c.date else ''}) {c.doc_id}:{c.start}-{c.end}")
        click.echo(f"      “{c.text}”")


@main.command("chat")
@click.option("--articles", "articles_dir", default=DEFAULT_ARTICLES, show_default=True, type=click.Path(file_okay=False))
@click.option("--index", "index_dir", default=DEFAULT_INDEX, show_default=True, type=click.Path(file_okay=False))
@click.option("--backend", type=click.Choice(ANSWER_BACKENDS), default=None,
              help="Answer model (default: QA_ANSWER_BACKEND or llama).")
@click.option("--gguf", default=None, help="A local GGUF file for the llama backend.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=7860, show_default=True)
def chat_command(articles_dir: str, index_dir: str, backend: str | None, gguf: str | None, host: str, port: int) -> None:
    """Start the web chat (building the index first if needed) and print its URL."""
    from .app import serve
    from .config import answer_model
    from .service import ChatService

    serve(ChatService(articles_dir, index_dir, answer_model(backend, gguf)), host=host, port=port)


@main.command("eval")
@click.option("--questions", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Labelled questions, JSONL: {question, relevant: [doc_id...], answers?, kind?}.")
@click.option("--beir", type=click.Path(exists=True, file_okay=False), default=None,
              help="A BEIR folder (queries.jsonl, qrels/SPLIT.tsv) instead of --questions.")
@click.option("--split", default="train", show_default=True, help="The BEIR qrels split.")
@click.option("--index", "index_dir", default=DEFAULT_INDEX, show_default=True, type=click.Path(file_okay=False))
@click.option("--mode", "modes", type=click.Choice(MODES), multiple=True, help="Modes to compare (default: all).")
@click.option("--fusion", type=click.Choice(FUSIONS), default=SearchSettings.fusion, show_default=True)
def eval_command(questions: str | None, beir: str | None, split: str, index_dir: str, modes: tuple[str, ...],
                 fusion: str) -> None:
    """Score retrieval on labelled questions against the current index, per mode."""
    from .evaluate import evaluate, format_table, load_beir, load_questions
    from .retrieve import Retriever

    if bool(questions) == bool(beir):
        raise click.UsageError("give exactly one of --questions or --beir")
    labelled = load_questions(questions) if questions else load_beir(beir, split)
    try:
        retriever = Retriever.load(index_dir, settings=SearchSettings(fusion=fusion))
    except IndexFolderError as exc:
        raise click.ClickException(str(exc)) from None
    results = evaluate(retriever, labelled, list(modes or MODES), progress=True)
    answerable = sum(1 for q in labelled if q.relevant)
    click.echo(f"{answerable} questions with relevant articles ({len(labelled) - answerable} without, not scored)")
    click.echo(format_table(results))


if __name__ == "__main__":
    sys.exit(main())
