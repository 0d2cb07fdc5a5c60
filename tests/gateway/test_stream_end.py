"""A stream the gateway relays ends with ``data: [DONE]``, as OpenAI's always do, also when the
upstream (an OpenAI-compatible server other than vLLM) ends its stream without one: clients
that read until ``[DONE]`` (many SSE loops, and tools written against OpenAI) waited for it."""

import json

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import StreamingResponse
from starlette.routing import Route

from aipower.gateway.models import MeteredRequest

from .conftest import ThreadedServer, allowance_of

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hello there"}]


def chunk(**fields):
    body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": "m"}
    return f"data: {json.dumps({**body, **fields})}\n\n"


@pytest.fixture
def upstream_without_done(upstream):
    """An upstream whose stream ends after its usage chunk, without ``[DONE]``."""

    async def chat(request):
        async def events():
            yield chunk(choices=[{"index": 0, "delta": {"content": "hi"}, "finish_reason": None}])
            yield chunk(choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}])
            usage = {"prompt_tokens": 6, "completion_tokens": 1, "total_tokens": 7}
            yield chunk(choices=[], usage=usage)

        return StreamingResponse(events(), media_type="text/event-stream")

    server = ThreadedServer(
        Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])
    ).start()
    base_url = f"http://127.0.0.1:{server.port}/v1"
    type(upstream).objects.filter(pk=upstream.pk).update(base_url=base_url)
    yield
    server.stop()


def test_a_stream_ends_with_done_when_the_upstreams_did_not(
    gateway_url, api_key, model_id, award, upstream_without_done
):
    response = httpx.post(
        f"{gateway_url}/chat/completions",
        headers={"Authorization": f"Bearer {api_key}"},
        json={"model": model_id, "messages": MESSAGES, "stream": True},
        timeout=10,
    )

    events = [line for line in response.text.split("\n") if line.startswith("data:")]
    assert response.status_code == 200
    assert events[-1] == "data: [DONE]"
    assert events.count("data: [DONE]") == 1
    assert json.loads(events[0][5:])["choices"][0]["delta"]["content"] == "hi"
    assert len(events) == 3  # the usage chunk the client did not ask for is not sent
    record = MeteredRequest.objects.get()
    assert (record.prompt_tokens, record.completion_tokens, record.outcome) == (6, 1, "ok")
    assert allowance_of(award).exact_units == 7
