"""The inference API's rate limit (``core.ratelimit.LeasedRateLimiter``): the shared bucket of
``SharedRateLimiter``, taken by each process a second's worth at a time."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aipower.core.models import Throttle
from aipower.core.ratelimit import LeasedRateLimiter, RateLimiter, RateState
from tests.concurrency import at_once

pytestmark = pytest.mark.integration

T0 = 1_800_000_000.0


def queries_of(function):
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return result, len(queries)


def test_two_processes_together_get_the_limit_not_twice_it(db):
    # Each worker has its own limiter object; with the buckets in each process's memory the
    # two would have allowed 120 each.
    first, second = LeasedRateLimiter("test"), LeasedRateLimiter("test")

    answers = [(first if i % 2 else second).allow("k", 120, now=T0) for i in range(150)]

    assert answers.count(0) == 120
    assert answers[:120] == [0] * 120
    assert all(answer >= 1 for answer in answers[120:])


def test_a_second_s_worth_is_leased_at_once(db):
    limiter = LeasedRateLimiter("test")

    first, leasing = queries_of(lambda: limiter.take("k", 600, now=T0))
    spent = [queries_of(lambda: limiter.take("k", 600, now=T0)) for _ in range(9)]
    eleventh, leasing_again = queries_of(lambda: limiter.take("k", 600, now=T0))

    assert leasing > 0
    assert [count for _state, count in spent] == [0] * 9
    assert leasing_again > 0
    assert [first.retry_after, eleventh.retry_after] == [0, 0]
    assert all(state.retry_after == 0 for state, _count in spent)


def test_it_reports_the_bucket_counting_what_this_process_leased(db):
    limiter = LeasedRateLimiter("test")

    first = limiter.take("k", 600, now=T0)
    second = limiter.take("k", 600, now=T0)

    assert first == RateState(limit=600, remaining=599, reset=pytest.approx(0.1), retry_after=0)
    assert (second.remaining, second.reset) == (598, pytest.approx(0.2))


@pytest.mark.parametrize(
    "times",
    [
        [0.0, 0.0, 0.0, 0.0],
        [0.0, 6.0, 7.0, 30.0, 30.0, 30.0, 31.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 11.9, 12.0, 100.0, 100.0],
    ],
)
def test_alone_it_answers_as_the_bucket_in_memory_does(db, times):
    leased, local = LeasedRateLimiter("test"), RateLimiter()

    answers = [leased.take(1, 5, now=T0 + at) for at in times]
    expected = [local.take(1, 5, now=at) for at in times]

    assert [(a.remaining, a.retry_after) for a in answers] == [
        (e.remaining, e.retry_after) for e in expected
    ]
    assert [a.reset for a in answers] == pytest.approx([e.reset for e in expected])


def test_a_refused_key_is_refused_without_the_database_until_it_has_room(db):
    limiter = LeasedRateLimiter("test")
    limiter.take("k", 1, now=T0)
    refused = limiter.take("k", 1, now=T0)

    later, asked = queries_of(lambda: limiter.take("k", 1, now=T0 + 30.0))

    assert refused.retry_after == 60
    assert (later.retry_after, later.remaining, asked) == (30, 0, 0)
    assert not limiter.has_room("k", now=T0 + 59.0)
    assert limiter.has_room("k", now=T0 + 60.0)
    assert limiter.take("k", 1, now=T0 + 60.0).retry_after == 0


def test_a_key_not_seen_here_may_have_room(db):
    limiter = LeasedRateLimiter("test")

    assert limiter.has_room("new", now=T0)
    assert limiter.take_here("new", 60, now=T0) is None


def test_what_a_process_leased_and_did_not_spend_is_at_most_a_second_s_worth(db):
    quiet, busy = LeasedRateLimiter("test"), LeasedRateLimiter("test")
    quiet.take("k", 600, now=T0)  # leases 10, spends 1

    answers = [busy.allow("k", 600, now=T0) for _ in range(600)]

    assert answers.count(0) == 590


def test_a_changed_limit_drops_what_was_leased_at_the_old_one(db):
    limiter = LeasedRateLimiter("test")
    limiter.take("k", 600, now=T0)

    state = limiter.take("k", 60, now=T0)

    # The shared bucket moved on by the 10 leased at 600 a minute (1 s), then by 1 s more.
    assert (state.limit, state.retry_after) == (60, 0)
    assert Throttle.objects.get(key="rate:test:k").window_ends == pytest.approx(T0 + 2.0)


@pytest.mark.django_db(transaction=True)
def test_workers_asking_at_once_are_all_counted():
    now = time.time()

    answers = at_once(8, lambda: LeasedRateLimiter("test").allow("k", 5, now=now))

    assert answers.count(0) == 5
    assert all(answer >= 1 for answer in answers if answer)
