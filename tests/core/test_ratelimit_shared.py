"""The token buckets kept in the database (``core.ratelimit.SharedRateLimiter``): the same
bucket as ``RateLimiter``'s, shared by every process."""

import time

import pytest

from aipower.core.models import Throttle
from aipower.core.ratelimit import RateLimiter, RateState, SharedRateLimiter
from tests.concurrency import at_once

pytestmark = pytest.mark.integration

T0 = 1_800_000_000.0


def test_the_minute_allowance_at_once_then_a_refusal(db):
    limiter = SharedRateLimiter("test")

    allowed = [limiter.allow(1, 3, now=T0) for _ in range(3)]
    refused = limiter.allow(1, 3, now=T0)

    assert allowed == [0, 0, 0]
    assert refused == 20  # one request every 60 / 3 seconds


def test_one_request_refills_per_interval(db):
    limiter = SharedRateLimiter("test")
    for _ in range(3):
        limiter.allow(1, 3, now=T0)

    assert limiter.allow(1, 3, now=T0 + 19.0) == 1
    assert limiter.allow(1, 3, now=T0 + 20.5) == 0
    assert limiter.allow(1, 3, now=T0 + 21.0) == 19


@pytest.mark.parametrize(
    "times",
    [
        [0.0, 0.0, 0.0, 0.0],
        [0.0, 6.0, 7.0, 30.0, 30.0, 30.0, 31.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 11.9, 12.0, 100.0, 100.0],
    ],
)
def test_it_answers_as_the_bucket_in_this_process_does(db, times):
    shared, local = SharedRateLimiter("test"), RateLimiter()

    answers = [shared.take(1, 5, now=T0 + at) for at in times]
    expected = [local.take(1, 5, now=at) for at in times]

    assert [(a.remaining, a.retry_after) for a in answers] == [
        (e.remaining, e.retry_after) for e in expected
    ]
    assert [a.reset for a in answers] == pytest.approx([e.reset for e in expected])


def test_take_reports_the_bucket_after_the_request(db):
    limiter = SharedRateLimiter("test")

    first = limiter.take(1, 5, now=T0)

    assert first == RateState(limit=5, remaining=4, reset=12.0, retry_after=0)


def test_two_processes_share_one_bucket(db):
    # Two workers each with their own limiter object: the second sees the first's requests
    # (with the in-process buckets each would have allowed 2).
    first, second = SharedRateLimiter("test"), SharedRateLimiter("test")

    answers = [first.allow(1, 2, now=T0), second.allow(1, 2, now=T0), first.allow(1, 2, now=T0)]

    assert answers == [0, 0, 30]


def test_buckets_are_per_key_and_per_scope(db):
    SharedRateLimiter("test").allow(1, 1, now=T0)

    assert SharedRateLimiter("test").allow(1, 1, now=T0) == 60
    assert SharedRateLimiter("test").allow(2, 1, now=T0) == 0
    assert SharedRateLimiter("other").allow(1, 1, now=T0) == 0


def test_a_full_bucket_leaves_no_row_behind(db):
    limiter = SharedRateLimiter("test")
    limiter.allow(1, 60, now=T0)
    limiter.allow(2, 60, now=T0 + 0.5)

    # Keys 1 and 2 were full again 1 s after their requests; a new bucket clears them away.
    limiter.allow(3, 60, now=T0 + 10.0)

    assert list(Throttle.objects.values_list("key", flat=True)) == ["rate:test:3"]


@pytest.mark.django_db(transaction=True)
def test_requests_sent_at_once_are_all_counted():
    limiter = SharedRateLimiter("test")
    now = time.time()

    answers = at_once(8, lambda: limiter.allow("cluster", 5, now=now))

    assert answers.count(0) == 5
    assert all(answer >= 1 for answer in answers if answer)
