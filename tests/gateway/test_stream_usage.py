"""A stream's usage as OpenAI sends it: with ``stream_options.include_usage`` the chunks carry
``usage: null`` and one last chunk without choices carries the whole usage. The gateway asks
vLLM (an upstream marked for it) for usage with every chunk, to charge a disconnected stream
exactly: that per-chunk usage — running totals — reached a client that had asked for the final
usage only, and a client that adds up the usage of the chunks it gets (LangChain's streamed
``usage_metadata``) counted the prompt once per chunk."""

import pytest

from aipower.gateway.models import MeteredRequest

from .conftest import allowance_of

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hello there"}]
PROMPT_TOKENS = 3 + 3  # the mock's words of "user hello there" and 3 per message


@pytest.fixture
def continuous(upstream):
    type(upstream).objects.filter(pk=upstream.pk).update(continuous_usage=True)


def test_the_usage_comes_once_at_the_end_as_openai_sends_it(
    client, model_id, award, mock_llm, continuous
):
    stream = client.chat.completions.create(
        model=model_id,
        messages=MESSAGES,
        max_tokens=5,
        stream=True,
        stream_options={"include_usage": True},
    )

    chunks = list(stream)

    assert mock_llm.settings.last_payload["stream_options"]["continuous_usage_stats"] is True
    assert [chunk.usage for chunk in chunks if chunk.choices] == [None] * 6  # 5 tokens, the end
    assert chunks[-1].choices == []
    assert (chunks[-1].usage.prompt_tokens, chunks[-1].usage.completion_tokens) == (
        PROMPT_TOKENS,
        5,
    )
    record = MeteredRequest.objects.get()
    assert (record.prompt_tokens, record.completion_tokens) == (PROMPT_TOKENS, 5)
    assert allowance_of(award).exact_units == PROMPT_TOKENS + 5


def test_a_client_that_asks_for_usage_with_every_chunk_gets_it(client, model_id, award, mock_llm):
    """vLLM's own option, asked by the client, is passed on (it was dropped when the upstream
    was not marked for it) and its answer kept."""
    stream = client.chat.completions.create(
        model=model_id,
        messages=MESSAGES,
        max_tokens=3,
        stream=True,
        stream_options={"include_usage": True, "continuous_usage_stats": True},
    )

    chunks = list(stream)

    assert mock_llm.settings.last_payload["stream_options"]["continuous_usage_stats"] is True
    assert [chunk.usage.completion_tokens for chunk in chunks if chunk.choices] == [1, 2, 3, 3]
    assert chunks[-1].usage.completion_tokens == 3
    assert allowance_of(award).exact_units == PROMPT_TOKENS + 3
