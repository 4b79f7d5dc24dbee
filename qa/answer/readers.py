"""Readers draft an answer from the chosen passages; one registered back end per way of doing it.

``llama`` (the bundled GGUF, in-process), ``openai`` (any OpenAI-compatible server) and
``extractive`` (no model) are registered here exactly as a plugin would register its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from ..registry import Registry
from ..records import Passage
from .models import ChatModel, LlamaCppModel, OpenAICompatibleModel, Pick
from .conflicts import outlet_of
from .prompt import answer_messages

BACKENDS: Registry = Registry("answer back end")
DEFAULT_BACKEND = "llama"


class Reader:
    """Drafts an answer to a question from numbered passages: text with [n] markers, streamed in pieces."""

    name = "reader"
    model: ChatModel | None = None

    def draft(self, question: str, passages: list[Passage], max_tokens: int = 40,
              pick: Pick | None = None) -> Iterator[str]:
        """The reply, "[n] words"; pick lets the code choose n from the model's probabilities (models.Pick)."""
        raise NotImplementedError

    def warm(self) -> None:
        """Load whatever the reader needs before the first question."""


class ModelReader(Reader):
    """A chat model writes the draft from the prompt in prompt.py."""

    def __init__(self, model: ChatModel):
        self.model = model
        self.name = model.name

    def messages(self, question: str, passages: list[Passage]) -> list[dict]:
        """The prompt for these passages, each with its outlet where one is known."""
        return answer_messages(question, passages, [p.outlet or outlet_of(p.source) for p in passages])

    def draft(self, question: str, passages: list[Passage], max_tokens: int = 40,
              pick: Pick | None = None) -> Iterator[str]:
        # One claim is all the answer uses: the reply ends with its first line.
        yield from self.model.stream(self.messages(question, passages), max_tokens, stop=["\n"], pick=pick)

    def warm(self) -> None:
        """Load the model and read the fixed instructions once, so every question finds them cached."""
        self.model.complete(answer_messages("", []), max_tokens=1)


@BACKENDS.register("extractive")
class ExtractiveReader(Reader):
    """No model: the answer is the best-matching sentence, quoted, when it is strong enough."""

    name = "extractive"

    def __init__(self, **_):
        pass

    def draft(self, question: str, passages: list[Passage], max_tokens: int = 40,
              pick: Pick | None = None) -> Iterator[str]:
        return iter(())


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
