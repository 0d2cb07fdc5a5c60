"""What the openai SDK reads from OpenAI's own responses, sent by the gateway too: the request id
(``x-request-id``, the metering record's) and the key's rate limit (``x-ratelimit-*-requests``)
on answers, streams and errors."""

import re

import httpx
import openai
import pytest

from aipower.gateway.models import ApiKey, MeteredRequest
from aipower.grants.models import Allowance, Reservation

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hello there"}]
REQUEST_ID = re.compile(r"^req-[0-9a-f]{32}$")
RATE_HEADERS = {
    "x-ratelimit-limit-requests",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-reset-requests",
}


@pytest.fixture
def limit_of_five(api_key):
    ApiKey.objects.update(rate_limit=5)


def rate_headers(response):
    return {name: response.headers.get(name) for name in sorted(RATE_HEADERS)}


def test_answer_request_id_is_the_metering_records(client, model_id):
    completion = client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=2)

    assert REQUEST_ID.match(completion._request_id)
    assert completion._request_id == MeteredRequest.objects.get().request_id


def test_stream_request_id_is_the_metering_records(client, model_id):
    stream = client.chat.completions.create(model=model_id, messages=MESSAGES, stream=True)
    list(stream)

    request_id = stream.response.headers["x-request-id"]
    assert REQUEST_ID.match(request_id)
    assert request_id == MeteredRequest.objects.get().request_id
    assert Reservation.objects.get().request_id == request_id


def test_embeddings_and_completions_carry_their_records_ids(client, model_id):
    embedding = client.embeddings.create(model=model_id, input="a b c")
    completion = client.completions.create(model=model_id, prompt="one", max_tokens=1)

    assert set(MeteredRequest.objects.values_list("request_id", flat=True)) == {
        embedding._request_id,
        completion._request_id,
    }


def test_answer_rate_limit_headers_count_down(client, model_id, limit_of_five):
    first = client.chat.completions.with_raw_response.create(
        model=model_id, messages=MESSAGES, max_tokens=1
    )
    second = client.chat.completions.with_raw_response.create(
        model=model_id, messages=MESSAGES, max_tokens=1
    )

    # Five a minute: one request comes back every 12 seconds.
    assert rate_headers(first) == {
        "x-ratelimit-limit-requests": "5",
        "x-ratelimit-remaining-requests": "4",
        "x-ratelimit-reset-requests": "12s",
    }
    assert second.headers["x-ratelimit-limit-requests"] == "5"
    assert second.headers["x-ratelimit-remaining-requests"] == "3"
    reset = second.headers["x-ratelimit-reset-requests"]
    assert re.fullmatch(r"2[34](\.\d{1,3})?s", reset)
    assert 23.0 < float(reset[:-1]) <= 24.0


def test_stream_has_rate_limit_headers(client, model_id, limit_of_five):
    with client.chat.completions.with_streaming_response.create(
        model=model_id, messages=MESSAGES, stream=True
    ) as response:
        headers = rate_headers(response)
        request_id = response.headers["x-request-id"]
        list(response.iter_lines())

    assert headers == {
        "x-ratelimit-limit-requests": "5",
        "x-ratelimit-remaining-requests": "4",
        "x-ratelimit-reset-requests": "12s",
    }
    assert request_id == MeteredRequest.objects.get().request_id


def test_models_list_has_a_request_id(client):
    response = client.models.with_raw_response.list()

    assert REQUEST_ID.match(response.headers["x-request-id"])
    assert not RATE_HEADERS & set(response.headers)


def test_rate_limited_has_remaining_zero_and_retry_after(client, model_id):
    ApiKey.objects.update(rate_limit=1)
    client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=1)

    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=1)

    response = excinfo.value.response
    assert excinfo.value.code == "rate_limit_exceeded"
    assert REQUEST_ID.match(excinfo.value.request_id)
    assert response.headers["x-ratelimit-limit-requests"] == "1"
    assert response.headers["x-ratelimit-remaining-requests"] == "0"
    assert re.fullmatch(r"(59(\.\d{1,3})?s|1m0s)", response.headers["x-ratelimit-reset-requests"])
    assert response.headers["retry-after"] in {"59", "60"}
    # Refused before admission: the id names no record.
    assert not MeteredRequest.objects.filter(request_id=excinfo.value.request_id).exists()


def test_points_used_up_has_request_id_and_rate_limit_headers(client, model_id, award):
    Allowance.objects.filter(award=award).update(granted_units=10)

    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert excinfo.value.code == "insufficient_quota"
    assert REQUEST_ID.match(excinfo.value.request_id)
    assert excinfo.value.response.headers["x-ratelimit-remaining-requests"] == "599"


@pytest.mark.parametrize(
    ("change", "error", "code"),
    [
        ("wrong_key", openai.AuthenticationError, "invalid_api_key"),
        ("other_model", openai.NotFoundError, "model_not_found"),
        ("suspended", openai.PermissionDeniedError, "service_suspended"),
        ("period_over", openai.RateLimitError, "insufficient_quota"),
    ],
)
def test_refusal_before_the_rate_limit_has_a_fresh_request_id_only(
    gateway_url, api_key, award, inference_models, model_id, change, error, code
):
    from aipower.gateway.core import public_model_id

    model, key = model_id, api_key
    if change == "wrong_key":
        key = "sk-aipower-wrong"
    elif change == "other_model":
        model = public_model_id(inference_models[1])
    elif change == "suspended":
        Allowance.objects.filter(award=award).update(state="suspended")
    else:
        Allowance.objects.filter(award=award).update(state="expired")
    client = openai.OpenAI(base_url=gateway_url, api_key=key, max_retries=0)

    with pytest.raises(error) as excinfo:
        client.chat.completions.create(model=model, messages=MESSAGES)

    assert excinfo.value.code == code
    assert REQUEST_ID.match(excinfo.value.request_id)
    assert not RATE_HEADERS & set(excinfo.value.response.headers)
    assert not MeteredRequest.objects.exists()


def test_bad_body_has_a_request_id(gateway_url, api_key, award):
    response = httpx.post(
        f"{gateway_url}/chat/completions",
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
        content=b"[1, 2]",
    )

    assert response.status_code == 400
    assert REQUEST_ID.match(response.headers["x-request-id"])


@pytest.mark.parametrize("field", ["max_tokens", "n", "stream_options"])
def test_a_bad_field_has_the_rate_limit_headers_it_counted_against(
    client, model_id, limit_of_five, field
):
    """The request's own form is checked after the rate limit and counts against it: its 400
    says so, as an answer does (it had the request id only)."""
    with pytest.raises(openai.BadRequestError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES, extra_body={field: 0})

    assert excinfo.value.param == field
    assert rate_headers(excinfo.value.response)["x-ratelimit-remaining-requests"] == "4"
    assert rate_headers(excinfo.value.response)["x-ratelimit-limit-requests"] == "5"


@pytest.mark.parametrize("stream", [False, True])
def test_upstream_failure_has_the_records_id_and_rate_limit_headers(
    client, model_id, stream, limit_of_five
):
    from aipower.gateway.models import ModelRoute

    ModelRoute.objects.update(upstream_model="mock-error-500")

    with pytest.raises(openai.APIStatusError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES, stream=stream)

    assert excinfo.value.status_code == 502
    assert excinfo.value.request_id == MeteredRequest.objects.get().request_id
    assert excinfo.value.response.headers["x-ratelimit-remaining-requests"] == "4"


def test_upstream_timeout_has_the_records_id(client, model_id, upstream):
    from aipower.gateway.models import ModelRoute

    type(upstream).objects.filter(pk=upstream.pk).update(timeout=0.3)
    ModelRoute.objects.update(upstream_model="mock-timeout")

    with pytest.raises(openai.APIStatusError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert excinfo.value.status_code == 504
    assert excinfo.value.request_id == MeteredRequest.objects.get().request_id


def lean_app_answers(*requests):
    """The lean app's answers to ``(method, path, body)`` requests, in a thread of its own (a
    browser test may have left an event loop in this one)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from aipower.gateway.asgi_app import app

    async def send():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
            return [
                await http.request(method, path, content=body) for method, path, body in requests
            ]

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, send()).result()


def test_lean_app_refusals_have_request_ids(settings):
    settings.GATEWAY_MAX_BODY_BYTES = 10

    missing, wrong_method, too_large = lean_app_answers(
        ("GET", "/v1/nothing-here", b""),
        ("GET", "/v1/chat/completions", b""),
        ("POST", "/v1/chat/completions", b"x" * 100),
    )

    assert [missing.status_code, wrong_method.status_code, too_large.status_code] == [404, 405, 413]
    ids = [answer.headers["x-request-id"] for answer in (missing, wrong_method, too_large)]
    assert all(REQUEST_ID.match(request_id) for request_id in ids)
    assert len(set(ids)) == 3


def test_a_stream_sends_each_of_its_headers_once(gateway_url, api_key, model_id):
    """A proxy reading ``cache-control: no-cache`` twice (or ``x-accel-buffering``) may take
    it for a malformed response; both paths send each header once."""
    with httpx.stream(
        "POST",
        f"{gateway_url}/chat/completions",
        headers={"Authorization": f"Bearer {api_key}"},
        json={"model": model_id, "messages": MESSAGES, "stream": True},
    ) as response:
        names = [name.lower() for name, _value in response.headers.multi_items()]
        list(response.iter_lines())

    assert response.status_code == 200
    for name in ("content-type", "cache-control", "x-accel-buffering"):
        assert names.count(name) == 1, name
    assert response.headers["x-accel-buffering"] == "no"
