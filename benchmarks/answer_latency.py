"""Time to first token and to the full answer, median over ten questions about the bundled articles.

    .venv/bin/python benchmarks/answer_latency.py [--backend llama|openai|extractive] [--index index]

Builds the index from seeds/ if needed, warms the model once (as the app does), then asks each
question one at a time and prints per-question and median figures.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "Which German chancellor visited Beijing shortly before Blinken?",
    "At which state guesthouse did Wang Yi welcome Blinken?",
    "How many sanctions already exist on Chinese individuals and entities?",
    "How long did Blinken's meeting with Wang Yi last?",
    "Who is Chen Jining?",
    "What did Xi Jinping say about the relationship between China and the US?",
    "Why does the US government want to ban TikTok?",
    "Where did Xi and Blinken meet during the June 2023 visit?",
    "What did Blinken say about Chinese support for Russia?",
    "Who announced he would visit China in May?",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=None)
    parser.add_argument("--index", default=str(ROOT / "index"))
    args = parser.parse_args()

    from qa import Retriever, build_index
    from qa.answer import Answer, Answerer, Partial, Retrieved
    from qa.config import answer_model

    build_index(ROOT / "seeds", args.index, log=lambda message: None)
    model = answer_model(args.backend)
    started = time.perf_counter()
    if model is not None:
        model.warm()
    print(f"model warm-up: {time.perf_counter() - started:.1f}s")
    answerer = Answerer(Retriever.load(args.index), model)
    answerer.retriever.search("warm up", k=1)
    sources, firsts, totals = [], [], []
    for question in QUESTIONS:
        started = time.perf_counter()
        first = None
        for event in answerer.stream(question):
            now = time.perf_counter() - started
            if isinstance(event, Retrieved):
                sources.append(now)
            elif isinstance(event, Partial) and first is None:
                first = now
            elif isinstance(event, Answer):
                total = now
                answer = event
        firsts.append(first if first is not None else total)
        totals.append(total)
        print(f"sources {sources[-1]*1000:5.0f} ms  first token {firsts[-1]:5.1f}s  full {total:5.1f}s  "
              f"{'refused' if answer.refused else 'answered'}: {question}")
    print(f"median: sources {statistics.median(sources)*1000:.0f} ms, first token {statistics.median(firsts):.1f}s, "
          f"full answer {statistics.median(totals):.1f}s")


if __name__ == "__main__":
    main()
