"""``make run`` serves /v1 with runserver (WSGI): the same views answer there too."""

import openai
import pytest

from aipower.gateway.models import MeteredRequest

from .conftest import allowance_of

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.fixture
def wsgi_client(live_server, api_key):
    with openai.OpenAI(
        base_url=f"{live_server.url}/v1", api_key=api_key, max_retries=0, timeout=10
    ) as client:
        yield client


def test_wsgi_chat_plain_and_streamed_record_usage(wsgi_client, model_id, award):
    plain = wsgi_client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=4)
    chunks = list(
        wsgi_client.chat.completions.create(
            model=model_id, messages=MESSAGES, max_tokens=6, stream=True
        )
    )

    assert plain.usage.completion_tokens == 4
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == " ".join(
        f"tok{i}" for i in range(6)
    )
    assert sorted(MeteredRequest.objects.values_list("completion_tokens", flat=True)) == [4, 6]
    assert allowance_of(award).exact_units == (2 + 3 + 4) + (2 + 3 + 6)


def test_wsgi_wrong_key_is_401(live_server, award, model_id):
    client = openai.OpenAI(base_url=f"{live_server.url}/v1", api_key="sk-aipower-x", max_retries=0)

    with pytest.raises(openai.AuthenticationError):
        client.models.list()
