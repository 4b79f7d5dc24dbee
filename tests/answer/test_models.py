"""The chat models' own logic: the OpenAI-compatible streaming parser, the bundled model's parts."""

import json

import httpx
import pytest

from qa.answer.models import ModelUnavailable, OpenAICompatibleModel


def sse(*events) -> bytes:
    """Server-sent events: dicts as JSON data lines, ":..." as comment lines, other strings as raw data."""
    lines = [e if isinstance(e, str) and e.startswith(":") else f"data: {e if isinstance(e, str) else json.dumps(e)}"
             for e in events]
    return "".join(line + "\n\n" for line in lines).encode()


def test_streamed_pieces_are_joined_and_the_request_is_what_the_server_expects():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["url"] = str(request.url)
        seen["auth"] = request.headers.get("authorization")
        seen["body"] = json.loads(request.content)
        body = sse({"choices": [{"delta": {"role": "assistant"}}]}, {"choices": [{"delta": {"content": "Olaf "}}]},
                   ": keep-alive", {"choices": [{"delta": {"content": "Scholz [1]"}}]}, {"choices": []}, "[DONE]",
                   {"choices": [{"delta": {"content": "after done"}}]})
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    model = OpenAICompatibleModel("http://llm.example/v1/", "qwen", api_key="secret",
                                  transport=httpx.MockTransport(handler))
    assert list(model.stream([{"role": "user", "content": "Who?"}], max_tokens=12)) == ["Olaf ", "Scholz [1]"]
    assert seen["url"] == "http://llm.example/v1/chat/completions" and seen["auth"] == "Bearer secret"
    assert seen["body"]["stream"] is True and seen["body"]["max_tokens"] == 12 and seen["body"]["model"] == "qwen"


def test_server_errors_and_unreachable_servers_are_readable():
    refusing = httpx.MockTransport(lambda request: httpx.Response(503, text="model loading"))
    with pytest.raises(ModelUnavailable, match=r"http://llm.example/v1: HTTP 503 model loading"):
        list(OpenAICompatibleModel("http://llm.example/v1", transport=refusing).stream([]))

    def unreachable(request):
        raise httpx.ConnectError("connection refused")

    with pytest.raises(ModelUnavailable, match="cannot reach the answer server"):
        list(OpenAICompatibleModel("http://llm.example/v1", transport=httpx.MockTransport(unreachable)).stream([]))


def test_no_endpoint_configured_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("QA_OPENAI_BASE_URL", raising=False)
    with pytest.raises(ModelUnavailable, match="set QA_OPENAI_BASE_URL"):
        OpenAICompatibleModel()
