"""The inference API through the gateway to the mock model server, with the openai SDK."""

import httpx
import openai
import pytest

from aipower.gateway.models import MeteredRequest

from .conftest import allowance_of

pytestmark = pytest.mark.integration

PROMPT = [{"role": "user", "content": "請 用 三 句 話 介紹 台灣"}]
# The mock counts words, plus 3 per chat message.
PROMPT_TOKENS = 8 + 3


def test_models_lists_only_the_awards_models(client, model_id):
    models = client.models.list()

    assert [model.id for model in models.data] == [model_id]


def test_a_model_of_the_award_is_retrieved_as_the_listing_shows_it(client, model_id):
    listed = client.models.list().data[0]

    model = client.models.retrieve(model_id)

    assert "/" in model_id or " " in model_id  # the id travels in the path as it is
    assert model.model_dump() == listed.model_dump()


def test_a_model_outside_the_award_is_not_found(client):
    import openai

    with pytest.raises(openai.NotFoundError) as raised:
        client.models.retrieve("other/not-awarded")

    assert raised.value.code == "model_not_found"
    assert raised.value.response.headers["x-request-id"]


def test_retrieving_a_model_needs_a_valid_key(gateway_url, model_id):
    import openai

    with (
        openai.OpenAI(base_url=gateway_url, api_key="sk-aipower-wrong", max_retries=0) as other,
        pytest.raises(openai.AuthenticationError),
    ):
        other.models.retrieve(model_id)


def test_chat_completion_records_usage_exactly(client, model_id, award):
    response = client.chat.completions.create(model=model_id, messages=PROMPT, max_tokens=10)

    assert response.choices[0].message.content == " ".join(f"tok{i}" for i in range(10))
    assert response.usage.prompt_tokens == PROMPT_TOKENS
    assert response.usage.completion_tokens == 10
    assert response.model == model_id
    record = MeteredRequest.objects.get()
    assert (record.prompt_tokens, record.completion_tokens, record.outcome) == (
        PROMPT_TOKENS,
        10,
        "ok",
    )
    allowance = allowance_of(award)
    assert allowance.exact_units == PROMPT_TOKENS + 10
    assert allowance.used_units == 1000
    assert allowance.reserved_units == 0


def test_chat_stream_without_usage_option_strips_the_usage_chunk(client, model_id, award, mock_llm):
    stream = client.chat.completions.create(model=model_id, messages=PROMPT, stream=True)

    chunks = list(stream)

    assert all(chunk.choices for chunk in chunks)
    assert all(chunk.usage is None for chunk in chunks)
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert text == " ".join(f"tok{i}" for i in range(64))
    assert mock_llm.settings.last_payload["stream_options"] == {"include_usage": True}
    assert allowance_of(award).exact_units == PROMPT_TOKENS + 64


def test_chat_stream_paced_token_by_token_arrives_whole_and_is_charged_exactly(
    client, model_id, award, token_delay
):
    token_delay(1)  # each token written on its own: most upstream reads are one event
    stream = client.chat.completions.create(
        model=model_id, messages=PROMPT, stream=True, max_tokens=20
    )

    chunks = list(stream)

    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert text == " ".join(f"tok{i}" for i in range(20))
    assert all(chunk.usage is None for chunk in chunks)
    assert chunks[-1].choices[0].finish_reason == "length"
    record = MeteredRequest.objects.get()
    assert (record.prompt_tokens, record.completion_tokens) == (PROMPT_TOKENS, 20)
    assert allowance_of(award).exact_units == PROMPT_TOKENS + 20


def test_chat_stream_with_usage_option_passes_the_usage_chunk(client, model_id, award):
    stream = client.chat.completions.create(
        model=model_id, messages=PROMPT, stream=True, stream_options={"include_usage": True}
    )

    chunks = list(stream)

    assert chunks[-1].choices == []
    assert chunks[-1].usage.prompt_tokens == PROMPT_TOKENS
    assert chunks[-1].usage.completion_tokens == 64
    record = MeteredRequest.objects.get()
    assert (record.prompt_tokens, record.completion_tokens, record.stream) == (
        PROMPT_TOKENS,
        64,
        True,
    )


def test_completions_stream_and_not_record_usage(client, model_id, award):
    plain = client.completions.create(model=model_id, prompt="one two three", max_tokens=5)
    streamed = list(
        client.completions.create(model=model_id, prompt="one two", max_tokens=7, stream=True)
    )

    assert plain.choices[0].text == "tok0 tok1 tok2 tok3 tok4"
    assert plain.usage.total_tokens == 3 + 5
    assert "".join(chunk.choices[0].text for chunk in streamed) == " ".join(
        f"tok{i}" for i in range(7)
    )
    assert allowance_of(award).exact_units == (3 + 5) + (2 + 7)


def test_embeddings_record_usage(client, model_id, award):
    response = client.embeddings.create(model=model_id, input=["a b c", "d e"])

    assert len(response.data) == 2
    assert response.usage.prompt_tokens == 5
    assert allowance_of(award).exact_units == 5


def test_max_tokens_is_capped_by_what_is_left(client, model_id, award, mock_llm):
    from aipower.grants.models import Allowance

    Allowance.objects.filter(award=award).update(granted_units=200)

    response = client.chat.completions.create(model=model_id, messages=PROMPT, max_tokens=1000)

    sent = mock_llm.settings.last_payload["max_tokens"]
    assert sent < 200
    assert response.usage.completion_tokens == min(sent, 64)


def test_n_choices_of_a_batch_of_prompts_are_charged_as_the_upstream_counts_them(
    client, model_id, award
):
    response = client.completions.create(model=model_id, prompt=["a b", "c"], n=2, max_tokens=5)

    assert sorted(choice.index for choice in response.choices) == [0, 1, 2, 3]
    assert (response.usage.prompt_tokens, response.usage.completion_tokens) == (3, 4 * 5)
    assert allowance_of(award).exact_units == 3 + 4 * 5


def test_streamed_choices_are_relayed_and_charged_in_full(client, model_id, award):
    stream = client.chat.completions.create(
        model=model_id, messages=PROMPT, n=2, max_tokens=10, stream=True
    )

    texts = {0: "", 1: ""}
    for chunk in stream:
        for choice in chunk.choices:
            texts[choice.index] += choice.delta.content or ""

    assert texts == {index: " ".join(f"tok{i}" for i in range(10)) for index in (0, 1)}
    assert allowance_of(award).exact_units == PROMPT_TOKENS + 2 * 10


def test_reservation_covers_every_choice(client, model_id, award, mock_llm):
    from aipower.grants.models import Allowance

    Allowance.objects.filter(award=award).update(granted_units=300)

    client.chat.completions.create(model=model_id, messages=PROMPT, n=4, max_tokens=1000)

    # The prompt bound is its UTF-8 bytes plus the template's tokens.
    bound = len(b"user") + len(PROMPT[0]["content"].encode()) + 8 + 16
    assert mock_llm.settings.last_payload["max_tokens"] == (300 - bound) // 4


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("functions", [{"name": "lookup", "description": "查詢" * 10}]),
        ("documents", [{"title": "t", "text": "文件" * 10}]),
        ("chat_template", "{{ messages }}" + "x" * 60),
    ],
)
def test_what_else_the_template_renders_counts_in_the_prompt_bound(
    client, model_id, award, mock_llm, field, value
):
    """Legacy functions, vLLM's documents and a request's own chat template become prompt
    tokens: the bound left them out, so max_tokens could take their room."""
    from aipower.gateway.core import _text_bytes
    from aipower.grants.models import Allowance

    Allowance.objects.filter(award=award).update(granted_units=300)

    client.chat.completions.create(
        model=model_id, messages=PROMPT, max_tokens=1000, extra_body={field: value}
    )

    bound = len(b"user") + len(PROMPT[0]["content"].encode()) + 8 + 16 + _text_bytes(value)
    assert _text_bytes(value) >= 60
    assert mock_llm.settings.last_payload["max_tokens"] == 300 - bound


def test_max_completion_tokens_is_capped_by_what_is_left(client, model_id, award, mock_llm):
    from aipower.grants.models import Allowance

    Allowance.objects.filter(award=award).update(granted_units=200)

    client.chat.completions.create(model=model_id, messages=PROMPT, max_completion_tokens=1000)

    bound = len(b"user") + len(PROMPT[0]["content"].encode()) + 8 + 16
    assert mock_llm.settings.last_payload["max_completion_tokens"] == 200 - bound
    assert "max_tokens" not in mock_llm.settings.last_payload


def test_max_tokens_sent_beside_max_completion_tokens_is_capped_too(
    client, model_id, award, mock_llm
):
    """An upstream that reads only max_tokens generated up to the client's 100,000 while the
    reservation held what was left for max_completion_tokens."""
    from aipower.grants.models import Allowance

    Allowance.objects.filter(award=award).update(granted_units=200)

    client.chat.completions.create(
        model=model_id, messages=PROMPT, max_completion_tokens=1000, max_tokens=100_000
    )

    bound = len(b"user") + len(PROMPT[0]["content"].encode()) + 8 + 16
    sent = mock_llm.settings.last_payload
    assert (sent["max_completion_tokens"], sent["max_tokens"]) == (200 - bound, 200 - bound)


def test_a_batch_of_prompts_reserves_for_each_of_them(client, model_id, award, mock_llm):
    """A completion request with a list of prompts is answered per prompt: the reservation held
    max_tokens once, for a batch that could generate it three times."""
    from aipower.grants.models import Allowance

    Allowance.objects.filter(award=award).update(granted_units=300)

    client.completions.create(model=model_id, prompt=["a b", "c d", "e"], max_tokens=1000)

    bound = len(b"a b") + len(b"c d") + len(b"e") + 3 * 4  # and each prompt's special tokens
    assert mock_llm.settings.last_payload["max_tokens"] == (300 - bound) // 3
    assert MeteredRequest.objects.get().reserved_tokens == bound + (300 - bound) // 3 * 3


@pytest.mark.parametrize(
    ("endpoint", "field", "batch"),
    [
        ("completions", "prompt", ["a"] * 10),
        ("completions", "prompt", [[1]] * 10),
        ("embeddings", "input", ["a"] * 10),
        ("embeddings", "input", [[1]] * 10),
    ],
)
def test_the_prompt_bound_covers_each_prompts_special_tokens(
    gateway_url, api_key, model_id, endpoint, field, batch
):
    """Ten one-token prompts are at least twenty tokens for a tokenizer that adds BOS/EOS or
    CLS/SEP to each (vLLM counts them): the bound held ten."""
    body = {"model": model_id, field: batch}
    if endpoint == "completions":
        body["max_tokens"] = 1
    response = httpx.post(
        f"{gateway_url}/{endpoint}", json=body, headers={"authorization": f"Bearer {api_key}"}
    )

    assert response.status_code == 200
    reserved = MeteredRequest.objects.get().reserved_tokens
    prompts_and_answers = 10 * (1 + 4) + (10 if endpoint == "completions" else 0)
    assert reserved == prompts_and_answers


@pytest.mark.parametrize(
    ("field", "value"), [("stream_options", "include_usage"), ("stream", "yes")]
)
def test_stream_fields_of_the_wrong_type_are_400_and_hold_nothing(
    client, model_id, award, field, value
):
    """``stream_options`` that is not an object was a server error (500, not in OpenAI's
    shape) after the reservation, which then held its points until the sweeper; a ``stream``
    that is not a boolean was taken by its truth ("false" streamed here), while the upstream
    may read it otherwise."""
    from aipower.grants.models import Reservation

    with pytest.raises(openai.BadRequestError) as excinfo:
        client.chat.completions.create(
            model=model_id, messages=PROMPT, stream=True, extra_body={field: value}
        )

    assert (excinfo.value.status_code, excinfo.value.param) == (400, field)
    assert excinfo.value.code == "invalid_request"
    assert not Reservation.objects.filter(settled_at__isnull=True).exists()
    assert allowance_of(award).reserved_units == 0


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_a_huge_max_tokens_is_capped_like_any_other(client, model_id, award, mock_llm, field):
    """Beyond PostgreSQL's bigint the one-statement admission failed: a server error."""
    client.chat.completions.create(model=model_id, messages=PROMPT, extra_body={field: 10**20})

    bound = len(b"user") + len(PROMPT[0]["content"].encode()) + 8 + 16
    left = allowance_of(award).granted_units
    assert mock_llm.settings.last_payload[field] == left - bound


# The route's context length: the upstream refuses prompt + max_tokens beyond it (vLLM's 400).
CHAT_BOUND = len(b"user") + len(PROMPT[0]["content"].encode()) + 8 + 16


def set_context_length(tokens):
    from aipower.gateway.models import ModelRoute

    ModelRoute.objects.update(context_length=tokens)


def test_the_default_max_tokens_fits_the_models_context(client, model_id, award, mock_llm):
    """Without max_tokens the gateway sent 4,096, which a 2,048-token model refuses, and held
    4,096 tokens' points for it."""
    set_context_length(2048)

    client.chat.completions.create(model=model_id, messages=PROMPT)

    assert mock_llm.settings.last_payload["max_tokens"] == 2048 - CHAT_BOUND
    assert MeteredRequest.objects.get().reserved_tokens == 2048


def test_the_listing_gives_a_models_context_length_as_vllm_does(client, model_id):
    """A client that sizes its prompts by the context (vLLM's ``max_model_len``) reads it from
    the listing; a route without one lists OpenAI's four fields only."""
    without = client.models.list().data[0].model_dump()
    set_context_length(2048)

    listed = client.models.list().data[0].model_dump()

    assert "max_model_len" not in without
    assert listed["max_model_len"] == 2048
    assert client.models.retrieve(model_id).model_dump() == listed


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_a_max_tokens_beyond_the_context_is_capped_to_it(client, model_id, award, mock_llm, field):
    set_context_length(1000)

    client.chat.completions.create(model=model_id, messages=PROMPT, extra_body={field: 5000})

    assert mock_llm.settings.last_payload[field] == 1000 - CHAT_BOUND
    assert MeteredRequest.objects.get().reserved_tokens == 1000


def test_a_max_tokens_within_the_context_is_sent_as_asked(client, model_id, award, mock_llm):
    set_context_length(1000)

    client.chat.completions.create(model=model_id, messages=PROMPT, max_tokens=20)

    assert mock_llm.settings.last_payload["max_tokens"] == 20


def test_each_prompt_of_a_batch_fits_the_context_with_max_tokens(client, model_id, award, mock_llm):
    """Each prompt is answered on its own: the longest must fit, not the batch's sum."""
    set_context_length(100)

    client.completions.create(model=model_id, prompt=["a b", "c d e f g"], max_tokens=1000)

    longest = len(b"c d e f g") + 4
    assert mock_llm.settings.last_payload["max_tokens"] == 100 - longest


def test_a_prompt_bound_that_fills_the_context_leaves_the_upstream_to_judge(
    client, model_id, award, mock_llm
):
    """The bound counts bytes, not tokens: a prompt whose bound reaches the context may still
    fit it, and only the upstream can tell (it answers 400 if not)."""
    set_context_length(CHAT_BOUND)

    client.chat.completions.create(model=model_id, messages=PROMPT, max_tokens=30)

    assert mock_llm.settings.last_payload["max_tokens"] == 30


def _image_message(url):
    return [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "describe"},
                {"type": "image_url", "image_url": {"url": url}},
            ],
        }
    ]


@pytest.mark.unit
def test_an_image_counts_the_image_tokens_not_the_bytes_of_its_url(settings):
    """A 1 MB base64 image counted a million prompt tokens (more than an L1 award; the request
    refused for points) and a link to one a few dozen (less than the model spends)."""
    from aipower.gateway.core import prompt_bound

    settings.GATEWAY_IMAGE_TOKENS = 300
    data_url = "data:image/png;base64," + "A" * 1_000_000
    link = "https://example.com/cat.png"
    text_only = prompt_bound("chat", {"messages": [{"role": "user", "content": "describe"}]})

    for url in (data_url, link):
        bound = prompt_bound("chat", {"messages": _image_message(url)})
        # The text part's own bytes and "text"/"type" keys' values, plus one image.
        assert bound == text_only + len(b"text") + 300


def test_a_large_image_is_admitted_on_a_small_award(gateway_url, api_key, model_id, award):
    from aipower.grants.models import Allowance

    Allowance.objects.filter(award=award).update(granted_units=10_000)
    body = {
        "model": model_id,
        "messages": _image_message("data:image/png;base64," + "A" * 200_000),
        "max_tokens": 10,
    }

    response = httpx.post(
        f"{gateway_url}/chat/completions",
        json=body,
        headers={"authorization": f"Bearer {api_key}"},
    )

    assert response.status_code == 200, response.text
    assert MeteredRequest.objects.get().reserved_tokens < 10_000
