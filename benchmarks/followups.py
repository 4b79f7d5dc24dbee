"""Follow-ups: NewsQA questions asked after an earlier question on the same article, the person named by a
pronoun only ("Who defeated him?" after "Who defeated Froch?"), against the same questions naming them.

    .venv/bin/python benchmarks/followups.py                       # 50 conversations, bundled model
    .venv/bin/python benchmarks/followups.py --sample 110 --draft-cache benchmarks/.work/drafts-followups.json

Prints how often the follow-up, made to stand alone in code (answer/followup.py), names the person again,
and right / refused / wrong for the follow-ups and for the questions as they were asked, scored as
benchmarks/answers.py scores NewsQA. All 638 NewsQA articles are indexed (benchmarks/.work/newsqa, as the
answer benchmark builds it). Data is read from ../shared, never copied.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
SHARED = ROOT.parent / "shared" / "benchmarks"
WORK = ROOT / "benchmarks" / ".work"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=50, help="conversations (a fixed random sample, seed 0)")
    parser.add_argument("--backend", default=None, help="answer back end (default: QA_ANSWER_BACKEND or llama)")
    parser.add_argument("--newsqa-articles", default=str(SHARED / "newsqa" / "articles.jsonl"))
    parser.add_argument("--newsqa-questions", default=str(SHARED / "newsqa" / "questions.dev.jsonl"))
    parser.add_argument("--draft-cache", default=None, help="keep and replay the reader's drafts (see answers.py)")
    args = parser.parse_args()

    from answers import CachedReader, index_of

    from qa import Retriever
    from qa.answer.answerer import Answerer
    from qa.answer.readers import answer_backend
    from qa.config import DEFAULT_MODEL
    from qa.evaluate import answers as bench
    from qa.files import progress
    from qa.index.embed import embedder_for
    from qa.text.nlp import same_name

    embedder = embedder_for(DEFAULT_MODEL)
    reader = answer_backend(args.backend)
    if args.draft_cache and reader.model is not None:
        reader = CachedReader(reader, Path(args.draft_cache))
    reader.warm()
    articles = WORK / "newsqa" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    if not (articles / "articles.jsonl").exists():
        (articles / "articles.jsonl").symlink_to(Path(args.newsqa_articles).resolve())
    answerer = Answerer(Retriever.load(index_of(articles, WORK / "newsqa" / "index", embedder), embedder=embedder), reader)

    conversations = bench.followup_cases(args.newsqa_questions, args.sample)
    followed, named, rows = [], [], []
    for talk in progress(conversations, True, "conversations", "c"):
        first = answerer.ask(talk.first)
        asked = {}

        def follow_up(question: str, history=[(talk.first, first.answer)]):
            asked["answer"] = answerer.ask(question, history=history)
            return asked["answer"]

        [outcome] = bench.run_cases([talk.case], follow_up, progress=False)
        standalone = asked["answer"].standalone_question
        followed.append(outcome)
        named += bench.run_cases([bench.Case(talk.named, talk.case.parts, gold_doc=talk.case.gold_doc)],
                                 answerer.ask, progress=False)
        rows.append({"first": talk.first, "followup": talk.case.question, "standalone": standalone,
                     "person": talk.person, "recovered": same_name(talk.person, standalone),
                     "answer": outcome.answer, "right": outcome.right, "wrong": outcome.wrong,
                     "named_answer": named[-1].answer, "named_right": named[-1].right})
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "followups.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))

    def tally(outcomes) -> str:
        n = len(outcomes)
        right, wrong = sum(o.right for o in outcomes), sum(o.wrong for o in outcomes)
        refused = sum(o.refused for o in outcomes)
        return f"right {right} ({right / n:.0%})  refused {refused}  wrong {wrong} ({wrong / n:.0%})"

    print(f"conversations: {len(rows)}  the person named again when made to stand alone: "
          f"{sum(r['recovered'] for r in rows)} ({sum(r['recovered'] for r in rows) / len(rows):.0%})")
    print(f"follow-ups (the person as a pronoun):  {tally(followed)}  "
          f"median {statistics.median(o.seconds for o in followed):.1f}s/answer")
    print(f"the same questions naming the person:  {tally(named)}")
    if isinstance(reader, CachedReader):
        print(f"drafts replayed from {args.draft_cache}: {reader.replayed} (their seconds are not the model's)")


if __name__ == "__main__":
    main()
