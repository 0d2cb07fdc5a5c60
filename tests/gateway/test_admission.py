"""Refusals in OpenAI's error shape, upstream failures and client disconnects."""

import datetime
import time

import httpx
import openai
import pytest
from django.db import OperationalError
from django.utils import timezone

from aipower.gateway.models import ApiKey, MeteredRequest, RegionRefusal
from aipower.grants.models import Allowance, Reservation

from .conftest import allowance_of

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hello there"}]
# The mock counts the words of every string ("user hello there") plus 3 per message.
PROMPT_TOKENS = 3 + 3


def error_of(excinfo):
    return excinfo.value.body if isinstance(excinfo.value.body, dict) else {}


def assert_nothing_charged(award):
    allowance = allowance_of(award)
    assert (allowance.used_units, allowance.exact_units, allowance.reserved_units) == (0, 0, 0)
    assert not Reservation.objects.filter(settled_at__isnull=True).exists()


def test_error_shape_for_a_wrong_key(gateway_url, award, model_id):
    response = httpx.post(
        f"{gateway_url}/chat/completions",
        headers={"Authorization": "Bearer sk-aipower-wrong"},
        json={"model": model_id, "messages": MESSAGES},
    )

    assert response.status_code == 401
    assert set(response.json()["error"]) == {"message", "type", "param", "code"}
    assert response.json()["error"]["code"] == "invalid_api_key"


def test_revoked_key_is_refused_with_401(client, model_id):
    from aipower.gateway.services import revoke_key

    revoke_key(ApiKey.objects.get())

    with pytest.raises(openai.AuthenticationError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert excinfo.value.status_code == 401
    assert error_of(excinfo)["code"] == "invalid_api_key"


def test_model_not_in_the_award_is_404(client, inference_models):
    from aipower.gateway.core import public_model_id

    with pytest.raises(openai.NotFoundError) as excinfo:
        client.chat.completions.create(
            model=public_model_id(inference_models[1]), messages=MESSAGES
        )

    assert error_of(excinfo)["code"] == "model_not_found"
    assert error_of(excinfo)["param"] == "model"


def test_prohibited_model_is_404_even_when_awarded(client, model_id, inference_models):
    type(inference_models[0]).objects.filter(pk=inference_models[0].pk).update(
        prohibited=True, enabled=False
    )

    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model=model_id, messages=MESSAGES)


@pytest.mark.parametrize("address", ["1.2.4.8", "202.45.84.58", "60.246.0.1"])
def test_mainland_hong_kong_macau_address_is_403(settings, gateway_url, api_key, model_id, address):
    import iptocc

    assert iptocc.country_code(address) in {"CN", "HK", "MO"}
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    blocked = openai.OpenAI(
        base_url=gateway_url,
        api_key=api_key,
        max_retries=0,
        default_headers={"X-Forwarded-For": f"168.95.1.1, {address}"},
    )

    with pytest.raises(openai.PermissionDeniedError) as excinfo:
        blocked.chat.completions.create(model=model_id, messages=MESSAGES)

    assert excinfo.value.status_code == 403
    assert error_of(excinfo)["code"] == "unsupported_country_region_territory"
    # The operator's evidence for 使用規範第2點: the key, its country, the address, once.
    refusal = RegionRefusal.objects.get()
    assert (refusal.api_key, refusal.country, refusal.count, refusal.last_address) == (
        ApiKey.objects.get(),
        iptocc.country_code(address),
        1,
        address,
    )
    assert refusal.day == timezone.localdate()


def test_refusals_from_a_region_are_counted_per_key_and_day(
    settings, gateway_url, api_key, model_id, award
):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    blocked = openai.OpenAI(
        base_url=gateway_url,
        api_key=api_key,
        max_retries=0,
        default_headers={"X-Forwarded-For": "1.2.4.8"},
    )

    for _ in range(2):
        with pytest.raises(openai.PermissionDeniedError):
            blocked.chat.completions.create(model=model_id, messages=MESSAGES)
    with pytest.raises(openai.PermissionDeniedError):
        blocked.models.list()

    refusal = RegionRefusal.objects.get()
    assert (refusal.award, refusal.count) == (award, 3)
    assert refusal.first_at <= refusal.last_at
    assert_nothing_charged(award)


def test_refusals_for_other_reasons_are_not_counted_as_regional(settings, gateway_url, model_id):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    stranger = openai.OpenAI(
        base_url=gateway_url,
        api_key="sk-aipower-wrong",
        max_retries=0,
        default_headers={"X-Forwarded-For": "1.2.4.8"},
    )

    with pytest.raises(openai.AuthenticationError):
        stranger.chat.completions.create(model=model_id, messages=MESSAGES)

    assert not RegionRefusal.objects.exists()


def test_forwarded_address_from_an_untrusted_peer_is_ignored(
    settings, gateway_url, api_key, model_id
):
    settings.TRUSTED_PROXIES = []
    spoofed = openai.OpenAI(
        base_url=gateway_url,
        api_key=api_key,
        max_retries=0,
        default_headers={"X-Forwarded-For": "1.2.4.8"},
    )

    response = spoofed.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=2)

    assert response.usage.completion_tokens == 2


def test_points_used_up_is_429_insufficient_quota(client, model_id, award):
    Allowance.objects.filter(award=award).update(used_units=100_000_000, state="exhausted")

    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert error_of(excinfo)["code"] == "insufficient_quota"


def test_too_little_left_for_the_prompt_is_429_insufficient_quota(client, model_id, award):
    Allowance.objects.filter(award=award).update(granted_units=10)

    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert error_of(excinfo)["code"] == "insufficient_quota"
    assert_nothing_charged(award)


def test_period_over_is_429_insufficient_quota(client, model_id, award):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Allowance.objects.filter(award=award).update(ends_on=yesterday)

    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert error_of(excinfo)["code"] == "insufficient_quota"


def test_key_rate_limit_is_429_rate_limit_exceeded(client, model_id):
    ApiKey.objects.update(rate_limit=2)
    for _ in range(2):
        client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=1)

    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=1)

    assert error_of(excinfo)["code"] == "rate_limit_exceeded"
    assert int(excinfo.value.response.headers["retry-after"]) >= 1


def test_key_rate_limit_holds_across_workers(client, model_id, award):
    # Another worker process holds nothing of what this one leased: forgetting this process's
    # share of the bucket is what a request landing on a second worker sees. Per process, the
    # third request would have been allowed there.
    from aipower.gateway.core import rate_limiter

    ApiKey.objects.update(rate_limit=2)
    for _ in range(2):
        client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=1)
    rate_limiter.reset()

    with pytest.raises(openai.RateLimitError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=1)

    assert error_of(excinfo)["code"] == "rate_limit_exceeded"
    # Refused before anything was held for it.
    assert_nothing_reserved = not Reservation.objects.filter(settled_at__isnull=True).exists()
    assert assert_nothing_reserved
    assert MeteredRequest.objects.count() == 2


def test_key_rate_limit_counts_the_model_listing_too(client, model_id):
    ApiKey.objects.update(rate_limit=2)
    client.models.list()
    client.chat.completions.create(model=model_id, messages=MESSAGES, max_tokens=1)

    with pytest.raises(openai.RateLimitError) as excinfo:
        client.models.list()

    assert error_of(excinfo)["code"] == "rate_limit_exceeded"


def test_upstream_down_is_502_and_nothing_charged(client, model_id, award, upstream):
    from .conftest import free_port

    type(upstream).objects.filter(pk=upstream.pk).update(
        base_url=f"http://127.0.0.1:{free_port()}/v1"
    )

    with pytest.raises(openai.APIStatusError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert excinfo.value.status_code == 502
    assert error_of(excinfo)["code"] == "upstream_error"
    assert_nothing_charged(award)
    assert MeteredRequest.objects.get().outcome == "upstream_error"


@pytest.mark.parametrize("stream", [False, True])
def test_upstream_500_is_502_and_nothing_charged(client, model_id, award, stream):
    from aipower.gateway.models import ModelRoute

    ModelRoute.objects.update(upstream_model="mock-error-500")

    with pytest.raises(openai.APIStatusError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES, stream=stream)

    assert excinfo.value.status_code == 502
    assert_nothing_charged(award)


def test_upstream_timeout_is_504_and_nothing_charged(client, model_id, award, upstream):
    from aipower.gateway.models import ModelRoute

    type(upstream).objects.filter(pk=upstream.pk).update(timeout=0.3)
    ModelRoute.objects.update(upstream_model="mock-timeout")

    with pytest.raises(openai.APIStatusError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert excinfo.value.status_code == 504
    assert error_of(excinfo)["code"] == "upstream_timeout"
    assert_nothing_charged(award)


def test_upstream_failing_mid_stream_charges_nothing(client, model_id, award):
    from aipower.gateway.models import ModelRoute

    ModelRoute.objects.update(upstream_model="mock-midstream")

    with pytest.raises(openai.APIError):
        list(client.chat.completions.create(model=model_id, messages=MESSAGES, stream=True))

    assert_nothing_charged(award)
    assert MeteredRequest.objects.get().outcome == "upstream_error"


@pytest.mark.parametrize("continuous_usage", [False, True])
def test_upstream_error_event_mid_stream_reaches_the_client_and_charges_nothing(
    client, model_id, award, upstream, continuous_usage
):
    """vLLM ends a failed generation inside its 200 stream with ``data: {"error": …}`` (and
    ``[DONE]``): the gateway charged the chunks relayed (with vLLM's per-chunk usage, those
    tokens) and recorded the request as a success."""
    from aipower.gateway.models import ModelRoute

    type(upstream).objects.filter(pk=upstream.pk).update(continuous_usage=continuous_usage)
    ModelRoute.objects.update(upstream_model="mock-error-event")
    received = []

    with pytest.raises(openai.APIError) as excinfo:
        stream = client.chat.completions.create(model=model_id, messages=MESSAGES, stream=True)
        for chunk in stream:
            received.append(chunk.choices[0].delta.content)

    assert received == ["tok0", " tok1", " tok2"]
    assert excinfo.value.message == "mock error during generation"  # the upstream's own
    # The SDK stops reading at the error event; the gateway settles when the upstream's stream
    # ends (the record is written with the release, in one transaction).
    record = wait_for_record()
    assert_nothing_charged(award)
    assert (record.outcome, record.prompt_tokens, record.completion_tokens) == (
        "upstream_error",
        0,
        0,
    )


def test_upstream_error_event_is_passed_on_once_and_the_stream_ends_as_the_upstreams(
    gateway_url, api_key, model_id, award
):
    from aipower.gateway.models import ModelRoute

    ModelRoute.objects.update(upstream_model="mock-error-event")

    response = httpx.post(
        f"{gateway_url}/chat/completions",
        headers={"Authorization": f"Bearer {api_key}"},
        json={"model": model_id, "messages": MESSAGES, "stream": True},
    )

    assert response.status_code == 200
    events = [line for line in response.text.split("\n") if line.startswith("data:")]
    assert [line for line in events if '"error"' in line] == [events[-2]]
    assert events[-2].startswith('data: {"error": {"message": "mock error during generation"')
    assert events[-1] == "data: [DONE]"
    assert_nothing_charged(award)


def wait_for_record(timeout=30.0):
    """The request's metering record, once the gateway has settled it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            record = MeteredRequest.objects.first()
        except OperationalError:  # the in-memory test database's table lock: try again
            record = None
        if record is not None:
            return record
        time.sleep(0.02)
    raise AssertionError("the request was never settled")


def read_some_then_disconnect(gateway_url, api_key, model_id, events=5):
    with (
        httpx.Client(timeout=10) as http,
        http.stream(
            "POST",
            f"{gateway_url}/chat/completions",
            headers={"Authorization": f"Bearer {api_key}"},
            json={"model": model_id, "messages": MESSAGES, "stream": True},
        ) as response,
    ):
        assert response.status_code == 200
        received = 0
        for line in response.iter_lines():
            if line.startswith("data:"):
                received += 1
            if received == events:
                break
    return received


def test_client_disconnect_charges_what_the_upstream_generated(
    gateway_url, api_key, model_id, award, token_delay
):
    token_delay(20)
    read_some_then_disconnect(gateway_url, api_key, model_id)

    record = wait_for_record()

    # The upstream reports usage only at the end: the gateway read on and charged it exactly.
    assert record.outcome == "disconnected"
    assert (record.prompt_tokens, record.completion_tokens) == (PROMPT_TOKENS, 64)
    allowance = allowance_of(award)
    assert allowance.exact_units == PROMPT_TOKENS + 64
    assert allowance.reserved_units == 0


def test_client_disconnect_with_continuous_usage_charges_the_tokens_so_far(
    gateway_url, api_key, model_id, award, upstream, token_delay
):
    token_delay(20)
    type(upstream).objects.filter(pk=upstream.pk).update(continuous_usage=True)

    received = read_some_then_disconnect(gateway_url, api_key, model_id)

    record = wait_for_record()
    assert record.outcome == "disconnected"
    assert record.prompt_tokens == PROMPT_TOKENS
    assert received <= record.completion_tokens < 64
    assert allowance_of(award).exact_units == record.prompt_tokens + record.completion_tokens


@pytest.fixture
def slow_answer(mock_llm):
    mock_llm.settings.latency_ms = 500
    yield
    mock_llm.settings.latency_ms = 0


def test_client_gone_before_a_plain_answer_is_charged_what_was_generated(
    gateway_url, api_key, model_id, award, slow_answer
):
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{gateway_url}/chat/completions",
            headers={"Authorization": f"Bearer {api_key}"},
            json={"model": model_id, "messages": MESSAGES, "max_tokens": 9},
            timeout=httpx.Timeout(10, read=0.1),
        )

    record = wait_for_record()
    assert (record.prompt_tokens, record.completion_tokens) == (PROMPT_TOKENS, 9)
    assert allowance_of(award).reserved_units == 0


def test_unknown_path_answers_in_the_error_shape():
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from aipower.gateway.asgi_app import app

    async def get():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
            return await http.get("/v1/nothing-here"), await http.get("/v1/chat/completions")

    # In a thread of its own: a browser test may have left an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        missing, wrong_method = pool.submit(asyncio.run, get()).result()

    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "unknown_url"
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_expired_key_is_refused_with_401(client, model_id):
    ApiKey.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    with pytest.raises(openai.AuthenticationError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert error_of(excinfo)["code"] == "invalid_api_key"


def test_body_over_the_limit_is_413_on_the_lean_app(
    request, settings, gateway_url, api_key, model_id
):
    settings.GATEWAY_MAX_BODY_BYTES = 1000
    big = [{"role": "user", "content": "x" * 2000}]

    response = httpx.post(
        f"{gateway_url}/chat/completions",
        headers={"Authorization": f"Bearer {api_key}"},
        json={"model": model_id, "messages": big, "max_tokens": 1},
    )

    if request.node.callspec.params["gateway_url"] == "lean":
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "request_too_large"
    else:  # Django's own limit applies there (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB)
        assert response.status_code == 200
