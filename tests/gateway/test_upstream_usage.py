"""Usage an upstream reports that is not a count of tokens — a negative number, text — is
charged as no tokens rather than breaking the settlement: the answer reached the client as a
500 after the upstream had answered, and the reservation held its points until the sweeper."""

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from aipower.gateway.models import MeteredRequest
from aipower.grants.models import Reservation

from .conftest import ThreadedServer, allowance_of

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hello there"}]


@pytest.fixture
def odd_usage():
    """An upstream that answers every chat request with the usage the test sets."""
    usage = {}

    async def chat(request):
        return JSONResponse(
            {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "created": 0,
                "model": "odd",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": "hi"},
                        "finish_reason": "stop",
                    }
                ],
                "usage": usage,
            }
        )

    server = ThreadedServer(
        Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])
    ).start()
    yield usage, f"http://127.0.0.1:{server.port}/v1"
    server.stop()


@pytest.mark.parametrize(
    ("reported", "charged"),
    [
        ({"prompt_tokens": -500, "completion_tokens": 7}, (0, 7)),
        ({"prompt_tokens": "many", "completion_tokens": 7}, (0, 7)),
        ({"prompt_tokens": 4, "completion_tokens": None}, (4, 0)),
    ],
)
def test_a_usage_that_is_not_a_count_is_charged_as_none(
    client, model_id, award, upstream, odd_usage, reported, charged
):
    usage, base_url = odd_usage
    usage.update(reported)
    type(upstream).objects.filter(pk=upstream.pk).update(base_url=base_url)

    response = client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=5)

    assert response.choices[0].message.content == "hi"
    record = MeteredRequest.objects.get()
    assert (record.prompt_tokens, record.completion_tokens, record.outcome) == (*charged, "ok")
    allowance = allowance_of(award)
    assert (allowance.exact_units, allowance.reserved_units) == (sum(charged), 0)
    assert allowance.used_units >= 0
    assert not Reservation.objects.filter(settled_at__isnull=True).exists()
