"""Slowing down repeated failures from one address (logins).

Failures are counted per (scope, address) in the cache. After ``LOGIN_THROTTLE_FREE`` failures
within the window, the next attempt is refused until a delay has passed; the delay doubles with
each further failure up to ``LOGIN_THROTTLE_MAX_DELAY``. Refusing, rather than sleeping, keeps
workers free.
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
