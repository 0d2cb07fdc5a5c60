"""Slowing down repeated failures from one address (logins), and bounding how often one address
may ask for something that writes (a login challenge).

Failures are counted per (scope, address) in the cache. After ``LOGIN_THROTTLE_FREE`` failures
within the window, the next attempt is refused until a delay has passed; the delay doubles with
each further failure up to ``LOGIN_THROTTLE_MAX_DELAY``. Refusing, rather than sleeping, keeps
workers free. A refused address is written to the audit log once per wait (``log_once``), not
once per request, so a flood does not grow the log.

Failures are counted after each attempt, so attempts sent at the same moment would all pass the
check before the first failure counts. ``attempt`` bounds them: at most
``LOGIN_THROTTLE_FREE`` attempts of one address are checked at once (each holds a slot taken
with ``cache.add``, which every cache backend does atomically); the others are refused as
throttled.
"""

import contextlib
import time

from django.conf import settings
from django.core.cache import cache


def _key(scope, ip):
    return f"throttle:{scope}:{ip}"


def retry_after(scope, ip):
    """Seconds the address must still wait before trying again (0 when it may try now)."""
    state = cache.get(_key(scope, ip))
    if not state:
        return 0
    remaining = state["until"] - time.time()
    return max(0, int(remaining + 0.999))


def register_failure(scope, ip):
    key = _key(scope, ip)
    state = cache.get(key) or {"count": 0, "until": 0}
    state["count"] += 1
    excess = state["count"] - settings.LOGIN_THROTTLE_FREE
    if excess >= 0:
        delay = min(settings.LOGIN_THROTTLE_MAX_DELAY, 2**excess)
        state["until"] = time.time() + delay
    cache.set(key, state, settings.LOGIN_THROTTLE_WINDOW)
    return state["count"]


def reset(scope, ip):
    cache.delete(_key(scope, ip))


IN_FLIGHT_SECONDS = 60  # a slot a crashed worker never gave back frees itself after this


@contextlib.contextmanager
def attempt(scope, ip):
    """A slot for one attempt of the address while it is being checked: yields True, or False
    when ``LOGIN_THROTTLE_FREE`` of its attempts are being checked already (refuse it)."""
    slot = None
    for number in range(max(1, settings.LOGIN_THROTTLE_FREE)):
        key = f"throttle-slot:{scope}:{ip}:{number}"
        if cache.add(key, True, IN_FLIGHT_SECONDS):
            slot = key
            break
    try:
        yield slot is not None
    finally:
        if slot is not None:
            cache.delete(slot)


def log_once(scope, ip, seconds):
    """Whether this wait is to be written to the audit log: the first refusal of the wait."""
    return cache.add(f"throttle-logged:{scope}:{ip}", True, max(1, int(seconds)))


def over_rate(scope, ip, limit, per_seconds=60):
    """Seconds to wait when the address has asked more than ``limit`` times in this window of
    ``per_seconds`` (0 while it has not)."""
    window = int(time.time() // per_seconds)
    key = f"rate:{scope}:{ip}:{window}"
    cache.add(key, 0, per_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, per_seconds)
        count = 1
    if count <= limit:
        return 0
    return max(1, int((window + 1) * per_seconds - time.time() + 0.999))
