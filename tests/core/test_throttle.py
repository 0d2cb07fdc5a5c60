"""Slowing down repeated sign-in attempts from one address, counted in the database."""

import pytest

from aipower.core import throttle
from aipower.core.models import Throttle
from tests.concurrency import at_once

pytestmark = pytest.mark.integration


class Clock:
    """Stands in for the ``time`` module inside ``core.throttle`` only."""

    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(throttle, "time", fake)
    return fake


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.LOGIN_THROTTLE_FREE = 3
    settings.LOGIN_THROTTLE_MAX_DELAY = 60
    settings.LOGIN_THROTTLE_WINDOW = 900


@pytest.mark.django_db
def test_admit_lets_the_free_attempts_through(clock):
    answers = [throttle.admit("login", "10.0.0.1") for _ in range(2)]

    assert answers == [0, 0]
    assert throttle.retry_after("login", "10.0.0.1") == 0


@pytest.mark.django_db
def test_admit_refuses_after_the_free_attempts_and_the_wait_doubles(clock):
    counted = [throttle.admit("login", "10.0.0.1") for _ in range(3)]
    first = throttle.retry_after("login", "10.0.0.1")
    refused = throttle.admit("login", "10.0.0.1")
    clock.now += 1
    fourth = throttle.admit("login", "10.0.0.1")
    second = throttle.retry_after("login", "10.0.0.1")

    assert counted == [0, 0, 0]
    assert (first, refused) == (1, 1)
    assert fourth == 0
    assert second == 2


@pytest.mark.django_db
def test_refused_attempts_are_not_counted(clock):
    for _ in range(3):
        throttle.admit("login", "10.0.0.1")
    refused = [throttle.admit("login", "10.0.0.1") for _ in range(10)]
    clock.now += 1

    assert refused == [1] * 10
    assert throttle.admit("login", "10.0.0.1") == 0
    assert throttle.retry_after("login", "10.0.0.1") == 2  # the 4th attempt, not the 14th


@pytest.mark.django_db
def test_throttle_is_per_address_and_scope(clock):
    for _ in range(5):
        throttle.admit("login", "10.0.0.1")

    assert throttle.retry_after("login", "10.0.0.1") == 1
    assert throttle.retry_after("login", "10.0.0.2") == 0
    assert throttle.retry_after("staff", "10.0.0.1") == 0


@pytest.mark.django_db
def test_throttle_delay_is_capped(clock):
    for _ in range(20):
        assert throttle.admit("login", "10.0.0.1") == 0
        clock.now += throttle.retry_after("login", "10.0.0.1")

    throttle.admit("login", "10.0.0.1")

    assert throttle.retry_after("login", "10.0.0.1") == 60


@pytest.mark.django_db
def test_reset_clears_the_address(clock):
    for _ in range(3):
        throttle.admit("login", "10.0.0.1")

    throttle.reset("login", "10.0.0.1")

    assert throttle.retry_after("login", "10.0.0.1") == 0
    assert throttle.admit("login", "10.0.0.1") == 0


@pytest.mark.django_db
def test_attempts_are_forgotten_when_the_window_ends(clock):
    for _ in range(3):
        throttle.admit("login", "10.0.0.1")
    clock.now += 901

    assert throttle.retry_after("login", "10.0.0.1") == 0
    assert [throttle.admit("login", "10.0.0.1") for _ in range(3)] == [0, 0, 0]
    assert throttle.retry_after("login", "10.0.0.1") == 1  # counted from one again


@pytest.mark.django_db
def test_stale_rows_are_removed_when_a_new_address_starts(clock):
    throttle.admit("login", "10.0.0.1")
    clock.now += 901

    throttle.admit("login", "10.0.0.2")

    assert list(Throttle.objects.values_list("key", flat=True)) == ["throttle:login:10.0.0.2"]


@pytest.mark.django_db
def test_over_rate_counts_requests_within_the_minute(clock):
    clock.now = 1_800_000_000.0 - 1_800_000_000.0 % 60 + 15  # 15 s into a minute

    answers = [throttle.over_rate("challenge", "10.0.0.1", 3) for _ in range(4)]
    clock.now += 45
    next_minute = throttle.over_rate("challenge", "10.0.0.1", 3)

    assert answers == [0, 0, 0, 45]
    assert next_minute == 0


@pytest.mark.django_db(transaction=True)
def test_attempts_sent_at_once_are_all_counted(clock):
    # The old read-then-write counter let a burst pass the check before the first failure
    # counted: every one of these would have been checked.
    answers = at_once(8, lambda: throttle.admit("login", "10.0.0.1"))

    assert answers.count(0) == 3  # LOGIN_THROTTLE_FREE
    assert all(answer >= 1 for answer in answers if answer)
    assert Throttle.objects.get(key="throttle:login:10.0.0.1").attempts == 3


@pytest.mark.django_db(transaction=True)
def test_requests_sent_at_once_are_all_counted_by_over_rate(clock):
    answers = at_once(8, lambda: throttle.over_rate("challenge", "10.0.0.1", 5))

    assert answers.count(0) == 5
    assert Throttle.objects.get().attempts == 8
