"""A fault of the gateway itself is answered in OpenAI's error shape (500 ``server_error``) with
the request's ``x-request-id``, which the company quotes to support: it was uvicorn's plain-text
「Internal Server Error」 (Django's HTML page on its path), without an id, which the SDK shows as
a bare status code."""

import re

import openai
import pytest

from aipower.gateway import core

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hello there"}]


def test_a_fault_of_the_gateway_is_an_openai_shaped_500_with_a_request_id(
    client, model_id, award, monkeypatch
):
    async def broken(endpoint, admission, payload):
        raise RuntimeError("a bug")

    monkeypatch.setattr(core, "forward", broken)

    with pytest.raises(openai.InternalServerError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert excinfo.value.status_code == 500
    assert excinfo.value.body["type"] == "server_error"
    assert excinfo.value.body["code"] == "server_error"
    assert "x-request-id" in excinfo.value.body["message"]
    assert re.fullmatch(r"req-[0-9a-f]{32}", excinfo.value.request_id or "")


def test_a_fault_while_listing_the_models_is_an_openai_shaped_500_too(
    client, model_id, award, monkeypatch
):
    async def broken(authorization, address):
        raise RuntimeError("a bug")

    monkeypatch.setattr(core, "models_async", broken)

    for call in (client.models.list, lambda: client.models.retrieve(model_id)):
        with pytest.raises(openai.InternalServerError) as excinfo:
            call()
        assert excinfo.value.body["code"] == "server_error"
        assert re.fullmatch(r"req-[0-9a-f]{32}", excinfo.value.request_id or "")
