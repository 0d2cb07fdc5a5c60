"""Slowing down repeated login failures from one address."""

import contextlib

import pytest
from django.core.cache import cache

from aipower.core import throttle

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def _clean_cache(settings):
    settings.LOGIN_THROTTLE_FREE = 3
    settings.LOGIN_THROTTLE_MAX_DELAY = 60
    cache.clear()
    yield
    cache.clear()


def test_throttle_allows_the_free_failures():
    for _ in range(2):
        throttle.register_failure("login", "10.0.0.1")
    assert throttle.retry_after("login", "10.0.0.1") == 0


def test_throttle_delays_after_the_free_failures_and_doubles():
    for _ in range(3):
        throttle.register_failure("login", "10.0.0.1")
    first = throttle.retry_after("login", "10.0.0.1")
    throttle.register_failure("login", "10.0.0.1")
    second = throttle.retry_after("login", "10.0.0.1")
    assert first == 1
    assert second == 2


def test_throttle_is_per_address_and_scope():
    for _ in range(5):
        throttle.register_failure("login", "10.0.0.1")
    assert throttle.retry_after("login", "10.0.0.2") == 0
    assert throttle.retry_after("staff", "10.0.0.1") == 0


def test_throttle_delay_is_capped():
    for _ in range(20):
        throttle.register_failure("login", "10.0.0.1")
    assert throttle.retry_after("login", "10.0.0.1") == 60


def test_throttle_reset_clears_the_address():
    for _ in range(5):
        throttle.register_failure("login", "10.0.0.1")
    throttle.reset("login", "10.0.0.1")
    assert throttle.retry_after("login", "10.0.0.1") == 0


def test_attempt_slots_bound_the_attempts_checked_at_once():
    with contextlib.ExitStack() as held:
        admitted = [held.enter_context(throttle.attempt("login", "10.0.0.1")) for _ in range(4)]
        elsewhere = held.enter_context(throttle.attempt("login", "10.0.0.2"))

    with throttle.attempt("login", "10.0.0.1") as after:
        pass

    assert admitted == [True, True, True, False]  # LOGIN_THROTTLE_FREE = 3
    assert elsewhere is True
    assert after is True  # the slots are given back when the attempts end
