"""Slowing down repeated failures from one address (logins), and bounding how often one address
may ask for something that writes (a login challenge).

Failures are counted per (scope, address) in the cache. After ``LOGIN_THROTTLE_FREE`` failures
within the window, the next attempt is refused until a delay has passed; the delay doubles with
each further failure up to ``LOGIN_THROTTLE_MAX_DELAY``. Refusing, rather than sleeping, keeps
workers free. A refused address is written to the audit log once per wait (``log_once``), not
once per request, so a flood does not grow the log.
"""

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
