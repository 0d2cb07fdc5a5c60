"""Spec 05: no prompt or completion content is stored or logged, and an API key's secret never
appears in a log. Every log record of every logger (at DEBUG) and every text column of every
table are searched after real requests through the gateway."""

import logging
import threading

import openai
import pytest
from django.apps import apps
from django.db import models

pytestmark = pytest.mark.integration

MARKER = "機密提示詞QX7Z"
WRONG_KEY = "sk-aipower-QX7Zwrong00000000000"


def stored_text_containing(needle):
    """(model, field) of every text value in the database that contains ``needle``."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)):
                lookup = {f"{field.attname}__contains": needle}
            elif isinstance(field, models.JSONField):
                lookup = {f"{field.attname}__icontains": needle}
            else:
                continue
            if model._default_manager.filter(**lookup).exists():
                found.append((model._meta.label, field.name))
    return found


def test_prompts_completions_and_keys_are_neither_logged_nor_stored(
    client, gateway_url, api_key, model_id, caplog
):
    caplog.set_level(logging.DEBUG)
    messages = [{"role": "user", "content": f"{MARKER} 請介紹台灣"}]

    answer = client.chat.completions.create(model=model_id, messages=messages, max_tokens=5)
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in client.chat.completions.create(
            model=model_id, messages=messages, max_tokens=5, stream=True
        )
        if chunk.choices
    )
    client.completions.create(model=model_id, prompt=MARKER, max_tokens=3)
    client.embeddings.create(model=model_id, input=MARKER)
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model="no-such-model", messages=messages)
    wrong = openai.OpenAI(base_url=client.base_url, api_key=WRONG_KEY, max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.chat.completions.create(model=model_id, messages=messages)

    completion = answer.choices[0].message.content
    assert completion and streamed == completion
    # The servers' records: the gateway's thread (its own loggers, Django's, uvicorn's, httpx's
    # for the upstream calls), not this test's client nor the mock model server.
    server_records = [
        record
        for record in caplog.records
        if record.thread != threading.main_thread().ident
        and not record.name.startswith("aipower.devtools")
    ]
    assert server_records, "the gateway logged nothing: the search would prove nothing"
    logged = "\n".join(record.getMessage() for record in server_records)
    assert MARKER not in logged
    assert completion not in logged
    assert api_key not in logged
    assert api_key[-12:] not in logged
    assert WRONG_KEY not in logged
    assert stored_text_containing(MARKER) == []
    assert stored_text_containing(completion) == []
    assert stored_text_containing(api_key) == []
    assert stored_text_containing(WRONG_KEY) == []
