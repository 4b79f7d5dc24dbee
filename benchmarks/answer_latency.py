"""Answer latency where people feel it: the real chat in headless Chromium, and in-process beside it.

    .venv/bin/python benchmarks/answer_latency.py [--backend llama] [--skip-browser] [--skip-in-process]

Starts the app on the bundled articles with the configured back end in a process of its own (warm,
as `make chat` leaves it; the browser's driver must not share the app's interpreter), then asks 12
first questions, each followed by a follow-up in the same conversation, and records per question: time to the sources panel, to the first answer text on screen (the provisional quoted
extract, when one is shown), and to the complete, checked answer. Then the same questions
in-process (Answerer.stream), with the prompt tokens read and how many the model's cache held.
Prints medians for first questions and follow-ups separately, against the targets.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONVERSATIONS = [
    ("Which German chancellor visited Beijing shortly before Blinken?", "What did he discuss there?"),
    ("Where did Wang Yi welcome Blinken?", "How long did they meet?"),
    ("How many sanctions already exist on Chinese individuals and entities?", "Who imposed them?"),
    ("Who did Blinken meet in Shanghai?", "What did he say about relations?"),
    ("Who is Chen Jining?", "What did he say about relations?"),
    ("Did Xi Jinping say the US and China should be rivals?", "What did he call the relationship?"),
    ("Why does the US government want to ban TikTok?", "Which company owns it?"),
    ("Where did Xi Jinping meet Blinken during the June 2023 visit?", "What did he emphasize there?"),
    ("What did Blinken say about Chinese support for Russia?", "What did China provide to it?"),
    ("Who announced he would visit China in May?", "When did he plan to go?"),
    ("How long did Treasury Secretary Janet Yellen spend in China in early April?", "What did she discuss?"),
    ("Which Commerce Secretary might visit China after Blinken's 2023 trip?", "When might she go?"),
]
TARGETS = {"sources": 1.0, "first_text": 1.0, "final": 6.0}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

# Installed in the page before each question: records when the sources panel changes, when answer
# text first shows in the newest bot bubble, and when that bubble holds the final (not provisional) answer.
WATCH = """(before) => {
  window.__t = {start: performance.now()};
  const sources = document.querySelector('#sources');
  const firstCard = () => (sources.querySelector('.source') || {}).innerText || '';
  const initialCard = firstCard();
  const check = () => {
    const now = performance.now();
    const heading = (sources.querySelector('h3') || {}).innerText || '';
    if (!window.__t.sources && firstCard() && (heading === 'Retrieved' || firstCard() !== initialCard)) window.__t.sources = now;
    const bots = document.querySelectorAll('#chat [data-testid=bot]');
    if (bots.length > before) {
      const last = bots[bots.length - 1];
      const text = last.innerText.trim();
      if (!window.__t.first_text && text.length > 1 && text !== '…') window.__t.first_text = now;
      if (!window.__t.final && text.length > 1 && text !== '…' && !last.querySelector('.provisional')) window.__t.final = now;
    }
  };
  // Polled every 25 ms rather than on every change: reading the page on each of the chat's many
  // small updates would itself take CPU from the model being timed.
  window.__poll && clearInterval(window.__poll);
  window.__poll = setInterval(() => { check(); if (window.__t.final) clearInterval(window.__poll); }, 25);
}"""


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(label: str, rows: list[dict], keys=("sources", "first_text", "final")) -> None:
    figures = "  ".join(f"{k} {median([r[k] for r in rows]):.2f}s" for k in keys)
    print(f"{label:32} median over {len(rows)}: {figures}")


def serve(articles: Path, index: Path, port: int, log: Path, backend: str | None) -> None:
    """The app in its own process (as `qa chat` runs it), logging each answer's time and model figures."""
    import json

    from qa.answer.readers import answer_backend
    from qa.app.chat import build_app, launch
    from qa.app.service import ChatService

    service = ChatService(articles, index, answer_backend(backend))
    service.ensure_index(progress=False)
    service.warm()
    answer = service.answer

    def timed(*args, **kwargs):
        started = time.perf_counter()
        yield from answer(*args, **kwargs)
        stats = getattr(service.reader.model, "last_stats", {}) if service.reader.model else {}
        with open(log, "a") as out:
            out.write(json.dumps({"server": time.perf_counter() - started, **stats}) + "\n")

    service.answer = timed
    launch(build_app(service), port=port, block=True)


def browser_run(work: Path, backend: str | None, questions) -> tuple[list[dict], list[dict]]:
    """Drive the app, started in a process of its own, from headless Chromium."""
    import json
    import subprocess

    import httpx
    from playwright.sync_api import sync_playwright

    from tests.conftest import free_port

    port = free_port()
    log = work / "answers.log"
    command = [sys.executable, __file__, "--serve", str(port), "--work", str(work)] + (
        ["--backend", backend] if backend else [])
    app = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    firsts, follows = [], []
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                        args=CHROMIUM_ARGS)
            for first, follow in questions:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(f"http://127.0.0.1:{port}")
                page.wait_for_selector("#question textarea")
                for question, rows in ((first, firsts), (follow, follows)):
                    before = page.locator("#chat [data-testid=bot]").count()
                    page.evaluate(WATCH, before)
                    page.fill("#question textarea", question)
                    page.click("#ask")
                    page.wait_for_function("() => window.__t && window.__t.final", timeout=120000, polling=250)
                    t = page.evaluate("() => window.__t")
                    row = {k: (t.get(k, t["final"]) - t["start"]) / 1000 for k in ("sources", "first_text", "final")}
                    row["question"] = question
                    time.sleep(0.3)  # the app writes its line once the last event is out
                    logged = json.loads(log.read_text().splitlines()[-1]) if log.exists() else {}
                    row.update({f"model_{k}": v for k, v in logged.items()})
                    rows.append(row)
                    print(f"  browser  sources {row['sources']:5.2f}s  first text {row['first_text']:5.2f}s  "
                          f"final {row['final']:5.2f}s  (in the app {logged.get('server', float('nan')):5.2f}s; "
                          f"model: {logged.get('prompt_tokens', 0) - logged.get('cached_tokens', 0)} prompt tokens "
                          f"read in {logged.get('prompt_ms', 0):.0f} ms, {logged.get('generated_tokens', 0)} "
                          f"generated in {logged.get('generate_ms', 0):.0f} ms)  {question}", flush=True)
                page.close()
            browser.close()
    finally:
        app.terminate()
        app.wait(30)
    return firsts, follows


def in_process_run(service, questions) -> tuple[list[dict], list[dict]]:
    from qa.answer.answerer import Answer, Partial, Retrieved

    firsts, follows = [], []
    for first, follow in questions:
        history: list[tuple[str, str]] = []
        for question, rows in ((first, firsts), (follow, follows)):
            started = time.perf_counter()
            row = {"question": question}
            for event in service.answer(question, history):
                now = time.perf_counter() - started
                if isinstance(event, Retrieved):
                    row["sources"] = now
                elif isinstance(event, Partial):
                    row.setdefault("first_text", now)
                elif isinstance(event, Answer):
                    row["final"] = now
                    row.setdefault("first_text", now)
                    history = history + [(question, event.answer)]
                    row["kind"] = event.kind
            stats = getattr(service.reader.model, "last_stats", {}) if service.reader.model else {}
            row.update(stats)
            rows.append(row)
            cache = (f"  prompt {stats['prompt_tokens']} tokens, {stats['cached_tokens']} cached, "
                     f"{stats['generated_tokens']} generated" if stats else "")
            print(f"  in-process sources {row['sources']:5.2f}s  first text {row['first_text']:5.2f}s  "
                  f"final {row['final']:5.2f}s  {row['kind']:8}{cache}  {question}", flush=True)
    return firsts, follows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=None)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-in-process", action="store_true")
    parser.add_argument("--sentence-ranker", default="none",
                        help="in-process run only: AnswerSettings.sentence_ranker (adapter:bundled), or none")
    parser.add_argument("--conversations", type=int, default=len(CONVERSATIONS), help="how many of the 12 to ask")
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--work", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        work = Path(args.work)
        serve(work / "articles", work / "index", args.serve, work / "answers.log", args.backend)
        return

    from qa.answer.answerer import AnswerSettings
    from qa.answer.readers import answer_backend
    from qa.app.service import ChatService

    work = Path(tempfile.mkdtemp(prefix="latency-"))
    shutil.copytree(ROOT / "seeds", work / "articles")
    results = {}
    conversations = CONVERSATIONS[:args.conversations]
    if not args.skip_browser:  # the app in its own process, as a person's browser would find it
        results["browser"] = browser_run(work, args.backend, conversations)
    if not args.skip_in_process:
        service = ChatService(work / "articles", work / "index", answer_backend(args.backend),
                              settings=AnswerSettings(sentence_ranker=args.sentence_ranker))
        service.ensure_index(progress=False)
        started = time.perf_counter()
        service.warm()
        print(f"reader {service.reader.name}; warm-up {time.perf_counter() - started:.1f}s")
        results["in-process"] = in_process_run(service, conversations)
    print()
    for where, (firsts, follows) in results.items():
        report(f"{where}, first questions", firsts)
        report(f"{where}, follow-ups", follows)
    if "browser" in results:
        firsts, follows = results["browser"]
        checks = [("sources on screen ≤ 1 s", median([r["sources"] for r in firsts]), 1.0),
                  ("first answer text ≤ 1 s", median([r["first_text"] for r in firsts]), 1.0),
                  ("final answer ≤ 3 s (first words) / ≤ 6 s (complete)", median([r["final"] for r in firsts]), 3.0),
                  ("follow-ups within +1 s", median([r["final"] for r in follows]) - median([r["final"] for r in firsts]), 1.0)]
        for name, value, target in checks:
            print(f"{'met' if value <= target else 'NOT met':8} {name}: {value:.2f}s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
