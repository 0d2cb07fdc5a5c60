"""The per-key token bucket of the gateway (``core.RateLimiter``)."""

import pytest

from aipower.gateway.core import RateLimiter

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
