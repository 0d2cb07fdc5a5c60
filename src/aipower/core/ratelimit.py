"""Request rate limits as token buckets: the inference API's per key, in this process
(``gateway.core.rate_limiter``), and the cluster API's per cluster, shared by every process in
the database (``grants.api``).

A bucket holds ``per_minute`` requests: a client may use its whole minute's allowance at once,
then one more request every ``60 / per_minute`` seconds; unlike a fixed window, a burst cannot
straddle a window boundary to get twice the limit. ``RateLimiter`` keeps its buckets in this
process: with N workers a key gets up to N × its limit, the price of not writing to the
database on the inference API's hot path. ``SharedRateLimiter`` keeps each bucket in one row of
``core.Throttle``, under a row lock: exact across processes, one short transaction a request —
for the cluster API, a few requests a minute."""

import dataclasses
import math
import threading
import time

from django.db import transaction


def duration(seconds: float) -> str:
    """A duration as OpenAI writes it in ``x-ratelimit-reset-*`` (Go's notation, to the
    millisecond, rounded up): ``"0s"``, ``"12ms"``, ``"1s"``, ``"8.64s"``, ``"6m0s"``,
    ``"1h0m0s"``."""
    millis = max(0, math.ceil(seconds * 1000 - 1e-6))
    if millis == 0:
        return "0s"
    if millis < 1000:
        return f"{millis}ms"
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    whole, fraction = divmod(millis, 1000)
    text = f"{whole}.{fraction:03d}".rstrip("0") if fraction else str(whole)
    if hours:
        return f"{hours}h{minutes}m{text}s"
    if minutes:
        return f"{minutes}m{text}s"
    return f"{text}s"


@dataclasses.dataclass(frozen=True)
class RateState:
    """A key's bucket as one request left it: what the ``x-ratelimit-*-requests`` headers say."""

    limit: int  # requests per minute
    remaining: int  # whole requests the key may make now
    reset: float  # seconds until the bucket is full again
    retry_after: int  # 0 when the request was allowed, else whole seconds to wait

    def headers(self) -> dict:
        return {
            "x-ratelimit-limit-requests": str(self.limit),
            "x-ratelimit-remaining-requests": str(self.remaining),
            "x-ratelimit-reset-requests": duration(self.reset),
        }


class RateLimiter:
    """``per_minute`` requests a minute per key, as a token bucket: a key may use its whole
    minute's allowance at once, then one more request every ``60 / per_minute`` seconds. Unlike
    a fixed window, a burst cannot straddle a window boundary to get twice the limit."""

    def __init__(self):
        self._lock = threading.Lock()
        # key → (tokens, last refill, requests per minute)
        self._buckets: dict[object, tuple[float, float, int]] = {}

    def take(self, key, per_minute: int, now: float | None = None) -> RateState:
        """One request of ``key``: taken from its bucket if there is room, and the bucket's
        state after it."""
        now = time.monotonic() if now is None else now
        rate = per_minute / 60.0
        with self._lock:
            tokens, last, _rate = self._buckets.get(key, (float(per_minute), now, per_minute))
            tokens = min(float(per_minute), tokens + (now - last) * rate)
            if tokens < 1.0:
                # (less a hair, so that float noise does not add a second)
                wait = max(1, math.ceil((1.0 - tokens) / rate - 1e-9))
            else:
                wait, tokens = 0, tokens - 1.0
            self._buckets[key] = (tokens, now, per_minute)
        return RateState(per_minute, int(tokens), (per_minute - tokens) / rate, wait)

    def allow(self, key, per_minute: int, now: float | None = None) -> int:
        """0 when allowed, else the whole seconds to wait for the next request."""
        return self.take(key, per_minute, now).retry_after

    def has_room(self, key, now: float | None = None) -> bool:
        """Whether ``allow`` could pass now, without touching the bucket (a key never seen
        has room)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(key)
        if bucket is None:
            return True
        tokens, last, per_minute = bucket
        return tokens + (now - last) * per_minute / 60.0 >= 1.0

    def reset(self):
        with self._lock:
            self._buckets.clear()


class SharedRateLimiter:
    """``RateLimiter``'s buckets in the database, shared by every process (``core.Throttle``).

    A bucket is one number, the moment it will be full again (the generic cell rate algorithm:
    each request pushes it ``60 / per_minute`` seconds later; a request that would push it more
    than a minute's allowance past now is refused) — the same token bucket in one column. The
    row's ``window_ends`` is that moment too: past it the bucket is full and the row may go.
    ``now`` is wall-clock time (``time.time()``), the same in every process."""

    def __init__(self, scope: str):
        self.scope = scope

    def _key(self, key) -> str:
        return f"rate:{self.scope}:{key}"

    def take(self, key, per_minute: int, now: float | None = None) -> RateState:
        from .throttle import locked_row

        now = time.time() if now is None else now
        interval = 60.0 / per_minute
        with transaction.atomic():
            # The bucket's row locked (made full when there is none), as the sign-in counters'.
            row, _created = locked_row(self._key(key), now, now)
            full_at = max(row.window_ends, now)
            if full_at + interval - now > per_minute * interval + 1e-9:
                ahead = full_at - now
                # (less a hair, so that float noise does not add a second)
                wait = max(1, math.ceil(ahead - (per_minute - 1) * interval - 1e-9))
            else:
                ahead, wait = full_at + interval - now, 0
                row.window_ends = row.wait_until = now + ahead
                row.save(update_fields=["window_ends", "wait_until"])
        tokens = per_minute - ahead / interval
        return RateState(per_minute, max(0, int(tokens + 1e-9)), ahead, wait)

    def allow(self, key, per_minute: int, now: float | None = None) -> int:
        """0 when allowed, else the whole seconds to wait for the next request."""
        return self.take(key, per_minute, now).retry_after
