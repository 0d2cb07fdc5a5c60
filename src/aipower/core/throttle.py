"""Slowing down repeated sign-in attempts from one address, and bounding how often one address
may ask for something that writes (a login challenge).

Attempts are counted per (scope, address) in the database (``core.models.Throttle``), each
under a lock on the address's row, so attempts sent at the same moment are all counted: there is
no read-then-write window between the check and the count.

``admit`` counts an attempt *before* it is checked, as if it were going to fail, and refuses it
(without counting it) while the address must wait. After ``LOGIN_THROTTLE_FREE`` counted
attempts within the window, the next one must wait a delay that doubles with each further
attempt, up to ``LOGIN_THROTTLE_MAX_DELAY``. A success calls ``reset``, which forgets the
address; a failure needs nothing more (it was counted on admission). So a burst of N guesses
sent at once gets at most ``LOGIN_THROTTLE_FREE`` of them checked, and afterwards one guess per
wait. Refusing, rather than sleeping, keeps workers free. A refused address is written to the
audit log once per wait (``log_once``), not once per request, so a flood does not grow the log.

The window slides: it ends ``LOGIN_THROTTLE_WINDOW`` seconds after the last counted attempt.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .models import Throttle

MAX_DOUBLINGS = 30  # 2**30 s is far beyond any sensible LOGIN_THROTTLE_MAX_DELAY


def _key(scope, ip):
    return f"throttle:{scope}:{ip}"


def _seconds(until, now):
    return max(0, int(until - now + 0.999))


def retry_after(scope, ip):
    """Seconds the address must still wait before trying again (0 when it may try now)."""
    now = time.time()
    row = Throttle.objects.filter(key=_key(scope, ip), window_ends__gt=now).first()
    return _seconds(row.wait_until, now) if row else 0


def locked_row(key, window_ends, now):
    """The counter ``key`` locked for this transaction (created with ``window_ends`` when the
    key has none: the moment to forget the stale rows too); whether it was created."""
    row, created = Throttle.objects.select_for_update().get_or_create(
        key=key, defaults={"window_ends": window_ends}
    )
    if created:
        Throttle.objects.filter(window_ends__lt=now).delete()
    return row, created


def admit(scope, ip):
    """Count one attempt of the address before it is checked: 0 when it may be checked now,
    otherwise the seconds it must wait (the attempt is refused and not counted)."""
    now = time.time()
    with transaction.atomic():
        row, created = locked_row(_key(scope, ip), now + settings.LOGIN_THROTTLE_WINDOW, now)
        if not created and row.window_ends <= now:
            row.attempts, row.wait_until = 0, 0
        wait = _seconds(row.wait_until, now)
        if wait:
            return wait
        row.attempts += 1
        excess = row.attempts - settings.LOGIN_THROTTLE_FREE
        if excess >= 0:
            delay = min(settings.LOGIN_THROTTLE_MAX_DELAY, 2 ** min(excess, MAX_DOUBLINGS))
            row.wait_until = now + delay
        row.window_ends = now + settings.LOGIN_THROTTLE_WINDOW
        row.save(update_fields=["attempts", "wait_until", "window_ends"])
    return 0


def reset(scope, ip):
    """Forget the address's attempts (after a success)."""
    Throttle.objects.filter(key=_key(scope, ip)).delete()


def log_once(scope, ip, seconds):
    """Whether this wait is to be written to the audit log: the first refusal of the wait."""
    return cache.add(f"throttle-logged:{scope}:{ip}", True, max(1, int(seconds)))


def over_rate(scope, ip, limit, per_seconds=60):
    """Count one request of the address: seconds to wait when it has asked more than ``limit``
    times in this window of ``per_seconds`` (0 while it has not)."""
    now = time.time()
    window = int(now // per_seconds)
    ends = (window + 1) * per_seconds
    with transaction.atomic():
        row, _created = locked_row(f"rate:{scope}:{ip}:{window}", ends, now)
        row.attempts += 1
        row.save(update_fields=["attempts"])
    if row.attempts <= limit:
        return 0
    return max(1, _seconds(ends, now))
