"""The token buckets of the rate limits (``core.ratelimit``) and the headers they give."""

import pytest

from aipower.core.ratelimit import RateLimiter, RateState, duration

pytestmark = pytest.mark.unit


def test_rate_limit_allows_the_minute_allowance_at_once_then_refuses():
    limiter = RateLimiter()

    allowed = [limiter.allow(1, 3, now=100.0) for _ in range(3)]
    refused = limiter.allow(1, 3, now=100.0)

    assert allowed == [0, 0, 0]
    assert refused == 20  # one request every 60 / 3 seconds


def test_rate_limit_refills_one_request_per_interval():
    limiter = RateLimiter()
    for _ in range(3):
        limiter.allow(1, 3, now=100.0)

    assert limiter.allow(1, 3, now=119.0) == 1
    assert limiter.allow(1, 3, now=120.5) == 0
    assert limiter.allow(1, 3, now=121.0) == 19


def test_rate_limit_burst_cannot_straddle_a_minute_boundary():
    limiter = RateLimiter()

    before = [limiter.allow(1, 2, now=59.9) for _ in range(2)]
    after = limiter.allow(1, 2, now=60.1)

    assert before == [0, 0]
    assert after > 0


def test_rate_limit_is_per_key():
    limiter = RateLimiter()
    limiter.allow(1, 1, now=0.0)

    assert limiter.allow(1, 1, now=0.0) == 60
    assert limiter.allow(2, 1, now=0.0) == 0


def test_take_reports_the_bucket_after_the_request():
    limiter = RateLimiter()

    first = limiter.take(1, 5, now=0.0)
    second = limiter.take(1, 5, now=6.0)

    assert first == RateState(limit=5, remaining=4, reset=12.0, retry_after=0)
    # 6 s refilled half a request: 3.5 left, full again in 1.5 × 12 s.
    assert second == RateState(limit=5, remaining=3, reset=18.0, retry_after=0)


def test_take_refused_leaves_the_bucket_and_reports_zero_remaining():
    limiter = RateLimiter()
    limiter.take(1, 1, now=0.0)

    refused = limiter.take(1, 1, now=15.0)

    assert refused == RateState(limit=1, remaining=0, reset=45.0, retry_after=45)
    assert limiter.take(1, 1, now=60.0).retry_after == 0


def test_rate_state_headers_are_openais():
    state = RateState(limit=600, remaining=598, reset=0.2, retry_after=0)

    assert state.headers() == {
        "x-ratelimit-limit-requests": "600",
        "x-ratelimit-remaining-requests": "598",
        "x-ratelimit-reset-requests": "200ms",
    }


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0s"),
        (-1.0, "0s"),
        (0.012, "12ms"),
        (0.0001, "1ms"),
        (0.5, "500ms"),
        (1, "1s"),
        (8.64, "8.64s"),
        (12.0000000001, "12s"),
        (59.9999, "1m0s"),
        (60, "1m0s"),
        (90.5, "1m30.5s"),
        (360, "6m0s"),
        (3600, "1h0m0s"),
        (3725.25, "1h2m5.25s"),
    ],
)
def test_duration_is_written_as_openai_does(seconds, expected):
    assert duration(seconds) == expected
