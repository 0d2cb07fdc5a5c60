"""The mock model server answers as the real OpenAI-compatible servers do: ``n`` choices, a batch
of prompts, interleaved streamed choices, base64 embeddings — with usage counting all of it."""

import base64
import json
import struct

import httpx
import pytest

from aipower.devtools.mockllm import EMBEDDING_DIMENSIONS, MockServer, Settings
from tests.gateway.conftest import free_port

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def mock():
    server = MockServer(port=free_port(), settings=Settings(latency_ms=0, tokens=4)).start()
    yield server
    server.stop()


def _events(response):
    return [
        line[len("data: ") :]
        for line in response.text.split("\n")
        if line.startswith("data: ") and line != "data: [DONE]"
    ]


def test_n_choices_are_answered_and_counted(mock):
    # "user" and "a b" are three words, and 3 tokens of template per message.
    body = {"model": "m", "messages": [{"role": "user", "content": "a b"}], "n": 3}

    answer = httpx.post(f"{mock.base_url}/chat/completions", json=body).json()

    assert [choice["index"] for choice in answer["choices"]] == [0, 1, 2]
    assert {choice["message"]["content"] for choice in answer["choices"]} == {"tok0 tok1 tok2 tok3"}
    assert answer["usage"] == {"prompt_tokens": 6, "completion_tokens": 12, "total_tokens": 18}


@pytest.mark.parametrize(
    ("prompt", "prompt_tokens", "prompts"),
    [(["a b", "c"], 3, 2), ([[1, 2, 3], [4]], 4, 2), ("a b c", 3, 1), ([7, 8], 2, 1)],
)
def test_a_batch_of_prompts_is_answered_prompt_by_prompt(mock, prompt, prompt_tokens, prompts):
    body = {"model": "m", "prompt": prompt, "n": 2, "max_tokens": 2}

    answer = httpx.post(f"{mock.base_url}/completions", json=body).json()

    assert [choice["index"] for choice in answer["choices"]] == list(range(prompts * 2))
    assert answer["usage"]["prompt_tokens"] == prompt_tokens
    assert answer["usage"]["completion_tokens"] == prompts * 2 * 2


def test_streamed_choices_interleave_and_the_usage_counts_them_all(mock):
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "a"}],
        "n": 2,
        "stream": True,
        "stream_options": {"include_usage": True},
    }

    events = [
        json.loads(event)
        for event in _events(httpx.post(f"{mock.base_url}/chat/completions", json=body))
    ]

    texts = {0: "", 1: ""}
    for event in events[:-1]:
        (choice,) = event["choices"]
        texts[choice["index"]] += choice["delta"].get("content", "")
    assert texts == {0: "tok0 tok1 tok2 tok3", 1: "tok0 tok1 tok2 tok3"}
    assert [e["choices"][0]["index"] for e in events[:4]] == [0, 1, 0, 1]
    assert events[-1]["choices"] == []
    assert events[-1]["usage"]["completion_tokens"] == 8


def test_continuous_usage_counts_the_tokens_streamed_so_far(mock):
    body = {
        "model": "m",
        "prompt": "a",
        "n": 2,
        "stream": True,
        "stream_options": {"include_usage": True, "continuous_usage_stats": True},
    }

    events = [
        json.loads(event)
        for event in _events(httpx.post(f"{mock.base_url}/completions", json=body))
    ]

    counts = [event["usage"]["completion_tokens"] for event in events if event["choices"]]
    assert counts[:8] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert counts[-1] == 8  # the finishing chunks carry no new token


def test_embeddings_in_base64_are_the_float_vectors(mock):
    floats = httpx.post(f"{mock.base_url}/embeddings", json={"model": "e", "input": ["a b", "c"]})
    packed = httpx.post(
        f"{mock.base_url}/embeddings",
        json={"model": "e", "input": ["a b", "c"], "encoding_format": "base64"},
    )

    for as_floats, as_base64 in zip(floats.json()["data"], packed.json()["data"], strict=True):
        raw = base64.b64decode(as_base64["embedding"])
        decoded = struct.unpack(f"<{EMBEDDING_DIMENSIONS}f", raw)
        assert decoded == pytest.approx(as_floats["embedding"])
    assert packed.json()["usage"] == floats.json()["usage"]


@pytest.mark.parametrize("how", ["model", "header"])
def test_error_event_on_demand_ends_the_stream_as_vllm_does(mock, how):
    body = {
        "model": "mock-error-event" if how == "model" else "m",
        "messages": [{"role": "user", "content": "a"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    headers = {"x-mock-fail": "error-event"} if how == "header" else {}

    response = httpx.post(f"{mock.base_url}/chat/completions", json=body, headers=headers)

    assert response.status_code == 200
    events = [json.loads(event) for event in _events(response)]
    assert [event["choices"][0]["delta"]["content"] for event in events[:-1]] == [
        "tok0",
        " tok1",
        " tok2",
    ]
    assert events[-1]["error"]["code"] == 500
    assert not any(event.get("usage") for event in events)
    assert response.text.endswith("data: [DONE]\n\n")
