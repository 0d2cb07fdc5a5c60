"""Request rate limits as token buckets: the inference API's per key (``gateway.core
.rate_limiter``) and the cluster API's per cluster (``grants.api``), both shared by every process
through the database.

A bucket holds ``per_minute`` requests: a client may use its whole minute's allowance at once,
then one more request every ``60 / per_minute`` seconds; unlike a fixed window, a burst cannot
straddle a window boundary to get twice the limit. ``RateLimiter`` is that bucket in this
process's memory (the model the others are tested against). ``SharedRateLimiter`` keeps each
bucket in one row of ``core.Throttle``, under a row lock: exact across processes, one short
transaction a request — for the cluster API, a few requests a minute. ``LeasedRateLimiter``
is the same shared bucket for the inference API's hot path: each process takes a second's
worth of requests from the row at a time and spends them from memory, so that a key gets no
more than its limit however many workers serve it, and the database is asked once per block,
not once per request."""

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
        return self.lease(key, per_minute, 1, now)[1]

    def lease(
        self, key, per_minute: int, wanted: int, now: float | None = None
    ) -> tuple[int, RateState]:
        """Up to ``wanted`` requests taken from ``key``'s bucket at once (as many as it holds):
        how many, and the bucket's state after them (``retry_after`` when it held none)."""
        from .throttle import locked_row

        now = time.time() if now is None else now
        interval = 60.0 / per_minute
        with transaction.atomic():
            # The bucket's row locked (made full when there is none), as the sign-in counters'.
            row, _created = locked_row(self._key(key), now, now)
            full_at = max(row.window_ends, now)
            # (plus a hair, so that float noise does not cost a request)
            room = int((per_minute * interval - (full_at - now)) / interval + 1e-9)
            taken = max(0, min(wanted, room))
            if taken:
                full_at += taken * interval
                row.window_ends = row.wait_until = full_at
                row.save(update_fields=["window_ends", "wait_until"])
                wait = 0
            else:
                # (less a hair, so that float noise does not add a second)
                wait = max(1, math.ceil(full_at - now - (per_minute - 1) * interval - 1e-9))
        ahead = full_at - now
        tokens = per_minute - ahead / interval
        return taken, RateState(per_minute, max(0, int(tokens + 1e-9)), ahead, wait)

    def allow(self, key, per_minute: int, now: float | None = None) -> int:
        """0 when allowed, else the whole seconds to wait for the next request."""
        return self.take(key, per_minute, now).retry_after


@dataclasses.dataclass
class _Lease:
    """What this process holds of one key's shared bucket."""

    per_minute: int
    tokens: int = 0  # requests taken from the shared bucket, not yet spent here
    full_at: float = 0.0  # when the shared bucket was to be full again, as last seen
    free_at: float = 0.0  # when it holds a request again, after it had none

    def state(self, now: float, retry_after: int = 0) -> RateState:
        """The key's bucket as this process knows it: the shared one as last seen, plus the
        requests leased here and not yet spent."""
        interval = 60.0 / self.per_minute
        ahead = max(0.0, self.full_at - now - self.tokens * interval)
        remaining = 0 if retry_after else int(self.per_minute - ahead / interval + 1e-9)
        return RateState(self.per_minute, max(0, remaining), ahead, retry_after)


class LeasedRateLimiter:
    """``SharedRateLimiter``'s buckets, taken from the database a block at a time.

    A request spends one of the requests this process leased for its key; when there are none
    left, ``take`` leases up to a second's worth (``per_minute / 60``, at least one) from the
    shared row in one short transaction. Leasing moves the shared bucket on at once, so the
    processes together never allow more than the bucket holds: a key gets its limit, not the
    limit times the number of workers. The price is the other way: requests a process leased
    and did not spend (its clients went quiet, or went to another worker) are unavailable to
    the other processes until the shared bucket refills — at most a second's worth per
    process. After the shared bucket refused, this process refuses the key without asking the
    database again until the bucket holds a request (``free_at``), so a client beyond its
    limit costs no database work. ``take_here`` is the part that needs no database (None when
    it would), for callers on an event loop, which lease in a worker thread.
    """

    def __init__(self, scope: str):
        self.shared = SharedRateLimiter(scope)
        self._lock = threading.Lock()
        self._leases: dict[object, _Lease] = {}

    @staticmethod
    def block(per_minute: int) -> int:
        """How many requests one lease takes: a second's worth, at least one."""
        return max(1, per_minute // 60)

    def take_here(self, key, per_minute: int, now: float | None = None) -> RateState | None:
        """``take`` when this process can answer alone: a leased request left, or the shared
        bucket known to be empty. None when the database must be asked."""
        now = time.time() if now is None else now
        with self._lock:
            lease = self._leases.get(key)
            if lease is None or lease.per_minute != per_minute:
                return None
            if lease.tokens >= 1:
                lease.tokens -= 1
                return lease.state(now)
            if now < lease.free_at:
                return lease.state(now, max(1, math.ceil(lease.free_at - now - 1e-9)))
        return None

    def take(self, key, per_minute: int, now: float | None = None) -> RateState:
        """One request of ``key``: allowed when this process or the shared bucket has room."""
        now = time.time() if now is None else now
        state = self.take_here(key, per_minute, now)
        if state is not None:
            return state
        taken, shared = self.shared.lease(key, per_minute, self.block(per_minute), now)
        with self._lock:
            lease = self._leases.get(key)
            if lease is None or lease.per_minute != per_minute:
                # A new key here, or its limit changed: what was leased at the old rate goes.
                lease = self._leases[key] = _Lease(per_minute)
            lease.full_at = now + shared.reset
            if not taken:
                # The moment the shared bucket holds one request again.
                lease.free_at = lease.full_at - (per_minute - 1) * 60.0 / per_minute
                return lease.state(now, shared.retry_after)
            lease.tokens += taken - 1
            return lease.state(now)

    def allow(self, key, per_minute: int, now: float | None = None) -> int:
        """0 when allowed, else the whole seconds to wait for the next request."""
        return self.take(key, per_minute, now).retry_after

    def has_room(self, key, now: float | None = None) -> bool:
        """Whether ``take`` could allow a request now, as far as this process knows without
        asking the database (a key not seen here may have room)."""
        now = time.time() if now is None else now
        with self._lock:
            lease = self._leases.get(key)
            return lease is None or lease.tokens >= 1 or now >= lease.free_at

    def reset(self):
        """Forget what this process holds (the shared rows stay)."""
        with self._lock:
            self._leases.clear()
