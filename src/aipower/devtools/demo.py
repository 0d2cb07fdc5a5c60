"""The demo data set that ``make run`` loads: the year-115 call opened for applications now,
the demo companies' registry rows and cards, and the demo staff. Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

DEMO_YEAR = 115
# How long the shifted demo call stays open from the day the demo is loaded.
DEMO_OPEN_DAYS = 60


def shift_call_to_now(call, now=None, open_days=DEMO_OPEN_DAYS):
    """Move every date of the call by one offset so the call accepts applications now.

    The seeded real dates stay as data (the seed keeps them); the demo only moves them, keeping
    the schedule's shape: batches keep their spacing relative to the deadline.
    """
    now = now or timezone.now()
    target_close = timezone.localtime(now).date() + datetime.timedelta(days=open_days)
    offset = target_close - timezone.localtime(call.closes_at).date()
    if offset == datetime.timedelta(0):
        return offset
    call.opens_at = min(call.opens_at + offset, now - datetime.timedelta(days=1))
    call.closes_at += offset
    call.is_suspended = False
    call.save(update_fields=["opens_at", "closes_at", "is_suspended"])
    for category in call.categories.all():
        for batch in category.batches.all():
            batch.review_date += offset
            batch.cutoff_at += offset
            batch.save(update_fields=["review_date", "cutoff_at"])
    return offset


@transaction.atomic
def load_demo_call(now=None):
    from aipower.calls.seed import seed_call

    call = seed_call(DEMO_YEAR)
    shift_call_to_now(call, now=now)
    return call
