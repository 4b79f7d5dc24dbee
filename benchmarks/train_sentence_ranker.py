"""Train the sentence ranker's adapter (qa/answer/sentence_ranker.safetensors) on NewsQA dev questions.

    .venv/bin/python benchmarks/train_sentence_ranker.py --check   # train on 2/3 of the articles, report on the rest
    .venv/bin/python benchmarks/train_sentence_ranker.py           # train on all, write the adapter

The rows are fit_sentence_scorer.py's (the answerer's retrieval for each dev question, every sentence
of its excerpts, labelled by whether it holds the answer span). Questions on the articles of the
answer benchmark's fixed sample (benchmarks/answers.py --newsqa-sample 100) are left out, so that
the benchmark's NewsQA figure is on articles the ranker never saw. The bundled embedder
(all-MiniLM-L6-v2) reads question and sentence together; low-rank adapters on its linear maps, its
biases and layer norms, and a one-number head on the mean of its last layer are trained with a
listwise loss: the answering sentences against the best-scored others. --check prints how often the
answering sentence is ranked first and among the first four by the landed scorer, the ranker, and
their sum at several weights. About 10 minutes on two cores.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fit_sentence_scorer import NEWSQA, collect, split_by_article  # noqa: E402

RANK = 16
SCALE = 2.0
EPOCHS = 2
NEGATIVES = 11  # the best-scored sentences without the answer, per question
POSITIVES = 2


def benchmark_articles() -> set[str]:
    from qa.evaluate.answers import newsqa_cases

    return {case.gold_doc for case in newsqa_cases(NEWSQA / "questions.dev.jsonl")}


class LowRank(torch.nn.Module):
    """A Linear's output plus scale * B(A(x)); B starts at zero, so training starts from the base model."""

    def __init__(self, linear: torch.nn.Linear, rank: int, scale: float):
        super().__init__()
        self.linear, self.scale = linear, scale
        bound = linear.in_features ** -0.5
        self.lora_a = torch.nn.Parameter(torch.empty(rank, linear.in_features).uniform_(-bound, bound))
        self.lora_b = torch.nn.Parameter(torch.zeros(linear.out_features, rank))

    def forward(self, x):
        return self.linear(x) + (x @ self.lora_a.T @ self.lora_b.T) * self.scale


def build(seed: int = 0):
    """The base model with adapters in place, its tokenizer, the head, and the trainable parameters."""
    from transformers import AutoModel, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    from qa.answer.sentence_ranker import ADAPTED
    from qa.config import BUNDLED_MODEL
    from qa.index.embed import resolve_model

    transformers_logging.disable_progress_bar()
    torch.manual_seed(seed)
    path = resolve_model(BUNDLED_MODEL)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path)
    for p in model.parameters():
        p.requires_grad = False
    adapters = {}
    for number, layer in enumerate(model.encoder.layer):
        for name in ADAPTED:
            parent_name, _, attribute = name.rpartition(".")
            parent = layer.get_submodule(parent_name)
            adapted = LowRank(getattr(parent, attribute), RANK, SCALE)
            setattr(parent, attribute, adapted)
            adapters[f"encoder.layer.{number}.{name}"] = adapted
    # Besides the adapters: biases, layer norms, and the embedding of the sentence's segment (the base
    # model embedded single texts, never pairs).
    tuned = {n: p for n, p in model.named_parameters()
             if ("LayerNorm" in n or n.endswith(".bias") or n == "embeddings.token_type_embeddings.weight")
             and not n.startswith("pooler.") and "lora" not in n}
    for p in tuned.values():
        p.requires_grad = True
    head = torch.nn.Linear(model.config.hidden_size, 1)
    return model, tokenizer, head, adapters, tuned


def scores(model, tokenizer, head, question: str, texts: list[str]):
    from qa.answer.sentence_ranker import MAX_TOKENS

    batch = tokenizer([question] * len(texts), texts, truncation=True, max_length=MAX_TOKENS, padding=True,
                      return_tensors="pt")
    hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    return head((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)


def train(rows: list[dict], epochs: int = EPOCHS):
    from qa.answer.passages import WEIGHTS

    torch.set_num_threads(2)
    model, tokenizer, head, adapters, tuned = build()
    usable = [r for r in rows if r["labels"].any()]
    optimiser = torch.optim.AdamW([
        {"params": [p for a in adapters.values() for p in (a.lora_a, a.lora_b)], "lr": 5e-4},
        {"params": list(tuned.values()), "lr": 1e-4},
        {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    steps = epochs * len(usable)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / 50) * max(0.0, 1 - s / steps))
    started, step, total = time.time(), 0, 0.0
    model.train()
    for epoch in range(epochs):
        random.Random(epoch).shuffle(usable)
        for row in usable:
            order = np.argsort(-(row["features"] @ WEIGHTS), kind="stable")
            positive = [i for i in order if row["labels"][i]][:POSITIVES]
            negative = [i for i in order if not row["labels"][i]][:NEGATIVES]
            logits = scores(model, tokenizer, head, row["question"], [row["texts"][i] for i in positive + negative])
            loss = -torch.logsumexp(torch.log_softmax(logits, 0)[: len(positive)], 0)
            loss.backward()
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step, total = step + 1, total + loss.item()
            if step % 100 == 0:
                print(f"step {step}/{steps}  loss {total / 100:.3f}  {time.time() - started:.0f} s", flush=True)
                total = 0.0
    model.eval()
    return model, tokenizer, head, adapters, tuned


def recall_at(rows: list[dict], ranked: list[np.ndarray]) -> tuple[float, float]:
    first = np.mean([r["labels"][np.argmax(s)] for r, s in zip(rows, ranked)])
    four = np.mean([r["labels"][np.argsort(-s, kind="stable")[:4]].any() for r, s in zip(rows, ranked)])
    return round(float(first), 3), round(float(four), 3)


def check(train_rows: list[dict], test_rows: list[dict]) -> None:
    from qa.answer.passages import WEIGHTS

    model, tokenizer, head, *_ = train(train_rows)
    with torch.no_grad():
        ranker = [np.array(scores(model, tokenizer, head, r["question"], r["texts"]).tolist()) for r in test_rows]
    landed = [r["features"] @ WEIGHTS for r in test_rows]
    print("answering sentence (first, among four), on the check articles:")
    print("  landed scorer           ", recall_at(test_rows, landed))
    print("  ranker alone            ", recall_at(test_rows, ranker))
    for weight in (0.25, 0.5, 1.0, 2.0):
        print(f"  landed + {weight} x ranker", recall_at(test_rows, [a + weight * b for a, b in zip(landed, ranker)]))


def save(model, head, adapters, tuned, questions: int, path: Path) -> None:
    from safetensors.torch import save_file

    tensors = {}
    for name, adapted in adapters.items():
        tensors[f"{name}.lora_a"] = adapted.lora_a.detach().half()
        tensors[f"{name}.lora_b"] = adapted.lora_b.detach().half()
    for name, parameter in tuned.items():  # named as in the base model's own weights file
        tensors[name.replace(".linear.", ".")] = parameter.detach().float()
    tensors["head.weight"] = head.weight.detach().float()
    tensors["head.bias"] = head.bias.detach().float()
    metadata = {"rank": str(RANK), "scale": str(SCALE), "epochs": str(EPOCHS),
                "trained_on": json.dumps(f"NewsQA dev, {questions} questions outside the answer benchmark's sample")}
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(path), metadata=metadata)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


def compare(model, tokenizer, head, rows: list[dict], path: Path) -> None:
    """How far the shipped form (merged, int8 ONNX) scores from the trained model, on a few rows."""
    from qa.answer.sentence_ranker import AdapterRanker

    shipped = AdapterRanker(str(path))
    gaps, same = [], 0
    for row in rows:
        with torch.no_grad():
            trained = np.array(scores(model, tokenizer, head, row["question"], row["texts"]).tolist())
        served = np.array(shipped.score(row["question"], row["texts"]))
        gaps.append(float(np.abs(trained - served).max()))
        same += int(np.argmax(trained) == np.argmax(served))
    print(f"shipped vs trained on {len(rows)} questions: largest score gap {max(gaps):.3f}, "
          f"same first sentence {same}/{len(rows)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="train on two thirds of the articles, report on the rest")
    parser.add_argument("--out", default=None, help="where to write the adapter (default: the bundled one)")
    args = parser.parse_args()
    from qa.answer.sentence_ranker import BUNDLED_ADAPTER

    held_out = benchmark_articles()
    rows = [r for r in collect(None) if len(r["labels"]) and r["doc"] not in held_out]
    if args.check:
        check(*split_by_article(rows))
        return
    model, tokenizer, head, adapters, tuned = train(rows)
    path = Path(args.out or BUNDLED_ADAPTER)
    save(model, head, adapters, tuned, sum(bool(r["labels"].any()) for r in rows), path)
    compare(model, tokenizer, head, rows[:20], path)


if __name__ == "__main__":
    main()
