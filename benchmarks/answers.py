"""The answer benchmark: seeds, RGB (noise, conflict, rejection) and NewsQA, asked end to end.

    .venv/bin/python benchmarks/answers.py                       # all sets, bundled model
    .venv/bin/python benchmarks/answers.py --sets rgb --backend extractive
    .venv/bin/python benchmarks/answers.py --sets newsqa --newsqa-sample 100
    .venv/bin/python benchmarks/answers.py --rgb OTHER.jsonl --newsqa-questions OTHER.jsonl   # other halves

Prints, per set (and per RGB use): right (the answer contains an expected answer and cites a
passage that holds it), named but uncited, refused, answered wrong (the worst outcome), refusals of
unanswerable questions, for RGB conflicts whether both values are named (and flagged) or only the
false one, and the median seconds per answer. Each answer is written to
benchmarks/.work/answers-SET.jsonl for reading, with the steps that reached it (as `qa ask --explain` tells them). Data sets are read from ../shared, never copied.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "benchmarks"
WORK = ROOT / "benchmarks" / ".work"


class CachedReader:
    """A model reader's drafts kept in a file, keyed by the prompt's inputs: a later run that changes only the
    checks replays them instead of running the model (the model is greedy, so a replay is exact). For each
    prompt it keeps the model's probabilities for the passage numbers and the reply that followed each number
    the code chose, so a change to how the code chooses (confidence.py) replays too, as long as it chooses a
    number the model has gone on from before."""

    def __init__(self, reader, path: Path):
        self.reader, self.path = reader, path
        self.name, self.model = reader.name, reader.model
        self.drafts = json.loads(path.read_text()) if path.exists() else {}
        self.replayed = 0

    def key(self, question, passages, max_tokens) -> str:
        raw = json.dumps([self.name, max_tokens, self.reader.messages(question, passages)], ensure_ascii=False)
        return hashlib.sha1(raw.encode()).hexdigest()

    def draft(self, question, passages, max_tokens=40, pick=None):
        from qa.answer.models import Pick

        entry = self.drafts.setdefault(self.key(question, passages, max_tokens), {"probabilities": None, "replies": {}})
        probabilities = entry["probabilities"]
        if pick is not None and probabilities is not None:
            chosen = str(pick.decide(probabilities))
            if chosen == "0":  # the code's "none": a refusal whatever the model would write after it
                self.replayed += 1
                yield "[0] none"
                return
            if chosen in entry["replies"]:
                self.replayed += 1
                yield entry["replies"][chosen]
                return
        elif "own" in entry["replies"]:  # a model that showed no probabilities: its own reply
            self.replayed += 1
            yield entry["replies"]["own"]
            return
        seen = {}

        def recording(found):
            seen["probabilities"] = found
            seen["chosen"] = str(pick.decide(found))
            return int(seen["chosen"])

        reply = "".join(self.reader.draft(question, passages, max_tokens, Pick(pick.options, recording) if pick else None))
        entry["probabilities"] = seen.get("probabilities", probabilities)
        entry["replies"][seen.get("chosen", "own")] = reply
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.drafts, ensure_ascii=False))
        yield reply

    def warm(self):
        self.reader.warm()


def index_of(articles: Path, index: Path, embedder) -> Path:
    from qa.index.build import build_index

    build_index(articles, index, model=embedder, log=lambda message: None)
    return index


def jsonl_folder(rows: list[dict], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n")
    return folder


def save(name: str, outcomes) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    with open(WORK / f"answers-{name}.jsonl", "w") as out:
        for o in outcomes:
            out.write(json.dumps({"id": o.case.id, "question": o.case.question, "answer": o.answer,
                                  "refused": o.refused, "right": o.right, "wrong": o.wrong, "kind": o.kind,
                                  "best_score": round(o.best_score, 3), "answer_rank": o.answer_rank,
                                  "answer_score": round(o.answer_score, 3), "disagree": o.said_disagree,
                                  "confidence": o.confidence,
                                  "expected": o.case.parts, "false": o.case.false_parts,
                                  "seconds": round(o.seconds, 2), "steps": o.steps}, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="seeds,rgb,newsqa", help="comma-separated: seeds, rgb, newsqa")
    parser.add_argument("--backend", default=None, help="answer back end (default: QA_ANSWER_BACKEND or llama)")
    parser.add_argument("--gguf", default=None, help="another GGUF for the llama back end")
    parser.add_argument("--seeds-questions", default=str(ROOT / "eval" / "seeds.jsonl"))
    parser.add_argument("--rgb", default=str(SHARED / "rgb" / "dev.jsonl"), help="RGB items (JSONL)")
    parser.add_argument("--rgb-uses", default="noise,conflict,rejection")
    parser.add_argument("--rgb-scope", choices=("item", "corpus"), default="item",
                        help="index each item's snippets alone (as RGB gives them), or all items' together")
    parser.add_argument("--rgb-limit", type=int, default=None)
    parser.add_argument("--newsqa-articles", default=str(SHARED / "newsqa" / "articles.jsonl"))
    parser.add_argument("--newsqa-questions", default=str(SHARED / "newsqa" / "questions.dev.jsonl"))
    parser.add_argument("--newsqa-sample", type=int, default=100, help="fixed random sample size (seed 0)")
    parser.add_argument("--newsqa-offset", type=int, default=0, help="skip this many of the sample")
    parser.add_argument("--draft-cache", default=None,
                        help="a JSON file of the reader's drafts: replayed when the prompt is the same, else made "
                             "and added (for measuring changes to the checks without the model's time)")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        help="an AnswerSettings field, NAME=VALUE (e.g. --set quote_relevance=inf)")
    args = parser.parse_args()

    from qa import Retriever
    from qa.answer.answerer import Answerer, AnswerSettings
    from qa.answer.readers import answer_backend
    from qa.config import DEFAULT_MODEL
    from qa.evaluate import answers as bench
    from qa.index.embed import embedder_for

    embedder = embedder_for(DEFAULT_MODEL)
    reader = answer_backend(args.backend, args.gguf)
    if args.draft_cache and reader.model is not None:  # a reader without a model has no drafts to keep
        reader = CachedReader(reader, Path(args.draft_cache))
    reader.warm()
    print(f"reader: {reader.name}")
    sets = args.sets.split(",")

    def typed(name: str, value: str):  # as the field's default: --set k=6, --set second_look=true
        default = getattr(AnswerSettings(), name)
        if isinstance(default, bool):
            return value.lower() in ("1", "true", "yes", "on")
        if isinstance(default, (int, float)):
            return int(value) if isinstance(default, int) else float(value)
        return value  # a spec, as given: --set sentence_ranker=adapter:bundled, or none

    settings = AnswerSettings(**{k: typed(k, v) for k, v in (o.split("=", 1) for o in args.overrides)})
    print(f"settings: {settings}")

    def answerer(index: Path) -> Answerer:
        return Answerer(Retriever.load(index, embedder=embedder), reader, settings)

    if "seeds" in sets:
        index = index_of(ROOT / "seeds", WORK / "seeds" / "index", embedder)
        outcomes = bench.run_cases(bench.seeds_cases(args.seeds_questions), answerer(index).ask, label="seeds")
        save("seeds", outcomes)
        print(bench.format_figures("seeds", bench.summarise(outcomes)), flush=True)

    if "rgb" in sets:
        items = bench.rgb_items(args.rgb)[: args.rgb_limit]
        for use in args.rgb_uses.split(","):
            outcomes = []
            with tempfile.TemporaryDirectory(dir=WORK) as scratch:
                if args.rgb_scope == "corpus":
                    rows = [row for item in items for row in bench.rgb_articles(item, use)]
                    index = index_of(jsonl_folder(rows, Path(scratch) / "articles"), Path(scratch) / "index", embedder)
                    outcomes = bench.run_cases([bench.rgb_case(i, use) for i in items], answerer(index).ask,
                                               label=f"rgb {use}")
                else:
                    for item in items:
                        folder = Path(scratch) / str(item["id"])
                        index = index_of(jsonl_folder(bench.rgb_articles(item, use), folder / "articles"),
                                         folder / "index", embedder)
                        outcomes += bench.run_cases([bench.rgb_case(item, use)], answerer(index).ask, progress=False)
            save(f"rgb-{use}", outcomes)
            print(bench.format_figures(f"rgb {use}", bench.summarise(outcomes)), flush=True)

    if "newsqa" in sets:
        folder = WORK / "newsqa"
        articles = folder / "articles"
        articles.mkdir(parents=True, exist_ok=True)
        link = articles / "articles.jsonl"
        if not link.exists():
            link.symlink_to(Path(args.newsqa_articles).resolve())
        index = index_of(articles, folder / "index", embedder)
        cases = bench.newsqa_cases(args.newsqa_questions, args.newsqa_sample)[args.newsqa_offset:]
        outcomes = bench.run_cases(cases, answerer(index).ask, label="newsqa")
        save("newsqa", outcomes)
        print(bench.format_figures("newsqa", bench.summarise(outcomes)), flush=True)
    if isinstance(reader, CachedReader):
        print(f"drafts replayed from {args.draft_cache}: {reader.replayed} (their seconds are not the model's)")


if __name__ == "__main__":
    main()
