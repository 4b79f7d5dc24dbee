"""Readers draft an answer from the chosen passages; one registered back end per way of doing it.

``llama`` (the bundled GGUF, in-process), ``openai`` (any OpenAI-compatible server) and
``extractive`` (no model) are registered here exactly as a plugin would register its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..registry import Registry
from ..records import Passage
from .models import ChatModel, LlamaCppModel, OpenAICompatibleModel
from .prompt import answer_messages

BACKENDS: Registry = Registry("answer back end")
DEFAULT_BACKEND = "llama"


class Reader:
    """Drafts an answer to a question from numbered passages: text with [n] markers, streamed in pieces."""

    name = "reader"
    model: ChatModel | None = None

    def draft(self, question: str, passages: list[Passage], max_tokens: int = 160) -> Iterator[str]:
        raise NotImplementedError

    def warm(self) -> None:
        """Load whatever the reader needs before the first question."""


class ModelReader(Reader):
    """A chat model writes the draft from the prompt in prompt.py."""

    def __init__(self, model: ChatModel):
        self.model = model
        self.name = model.name

    def draft(self, question: str, passages: list[Passage], max_tokens: int = 160) -> Iterator[str]:
        yield from self.model.stream(answer_messages(question, passages), max_tokens)

    def warm(self) -> None:
        self.model.warm()


@BACKENDS.register("extractive")
class ExtractiveReader(Reader):
    """No model: the best passage's key sentence, and the best from another article when it is close."""

    name = "extractive"

    def __init__(self, **_):
        pass

    def draft(self, question: str, passages: list[Passage], max_tokens: int = 160) -> Iterator[str]:
        if not passages:
            return
        picks = [passages[0]]
        others = [p for p in passages[1:] if p.doc_id != passages[0].doc_id and p.score >= passages[0].score - 0.1]
        picks += others[:1]
        yield " ".join(f"{p.focus.strip()} [{passages.index(p) + 1}]" for p in picks)


@BACKENDS.register("llama")
def llama_reader(gguf: str | None = None, **_) -> Reader:
    """The bundled Qwen2.5-Coder-1.5B (or QA_GGUF / --gguf), in-process with llama-cpp-python."""
    return ModelReader(LlamaCppModel(gguf or os.environ.get("QA_GGUF") or None))


@BACKENDS.register("openai")
def openai_reader(**_) -> Reader:
    """Any OpenAI-compatible chat server: QA_OPENAI_BASE_URL, QA_OPENAI_MODEL, QA_OPENAI_API_KEY."""
    return ModelReader(OpenAICompatibleModel())


def answer_backend(name: str | None = None, gguf: str | None = None) -> Reader:
    """The configured reader: name, else QA_ANSWER_BACKEND, else llama."""
    return BACKENDS.create(name or os.environ.get("QA_ANSWER_BACKEND") or DEFAULT_BACKEND, gguf=gguf)
