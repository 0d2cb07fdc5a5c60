"""The prompt's own field — a chat's ``messages``, a completion's ``prompt``, an embedding's
``input`` — of a shape no server takes is refused by the gateway as OpenAI refuses it: 400
naming the field, nothing reserved, the upstream not asked."""

import openai
import pytest

from aipower.grants.models import Reservation

from .conftest import allowance_of

pytestmark = pytest.mark.integration


def assert_refused_naming(excinfo, param, award, mock_llm, requests_before):
    assert excinfo.value.status_code == 400
    assert excinfo.value.param == param
    assert excinfo.value.type == "invalid_request_error"
    assert excinfo.value.response.headers["x-request-id"]
    assert mock_llm.settings.requests == requests_before
    assert not Reservation.objects.filter(settled_at__isnull=True).exists()
    allowance = allowance_of(award)
    assert (allowance.used_units, allowance.reserved_units) == (0, 0)


@pytest.mark.parametrize(
    ("messages", "param"),
    [
        (openai.omit, "messages"),  # forwarded and charged; vLLM refuses it
        (5, "messages"),  # a server error (500, not in OpenAI's shape)
        (True, "messages"),
        ("hello", "messages"),
        ({"role": "user", "content": "hello"}, "messages"),
        ([], "messages"),
        ([{"role": "user", "content": "hello"}, "hello"], "messages[1]"),
    ],
)
def test_chat_messages_must_be_a_list_of_messages(
    client, model_id, award, mock_llm, messages, param
):
    before = mock_llm.settings.requests

    with pytest.raises(openai.BadRequestError) as excinfo:
        client.chat.completions.create(model=model_id, messages=messages, max_tokens=2)

    assert_refused_naming(excinfo, param, award, mock_llm, before)


@pytest.mark.parametrize("value", [5, True, {"text": "hello"}])
def test_a_prompt_or_an_input_must_be_a_string_or_a_list(client, model_id, award, mock_llm, value):
    before = mock_llm.settings.requests

    with pytest.raises(openai.BadRequestError) as completion:
        client.completions.create(model=model_id, prompt=value, max_tokens=2)
    assert_refused_naming(completion, "prompt", award, mock_llm, before)

    with pytest.raises(openai.BadRequestError) as embedding:
        client.embeddings.create(model=model_id, input=value)
    assert_refused_naming(embedding, "input", award, mock_llm, before)


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (openai.omit, "model is required"),
        ("", "model is required"),
        (5, "model must be a string"),  # was told "model is required" though it sent one
        (["a", "b"], "model must be a string"),
    ],
)
def test_a_model_that_is_not_a_name_is_told_what_is_wrong(client, award, model, message):
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])

    assert (excinfo.value.param, excinfo.value.body["message"]) == ("model", message)
