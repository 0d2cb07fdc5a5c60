"""The demo loader opens the year-115 call now, keeping the schedule's shape."""

import datetime

import pytest
from django.utils import timezone

from aipower.calls.models import Batch, Call
from aipower.devtools.demo import DEMO_OPEN_DAYS, load_demo_call

pytestmark = pytest.mark.integration

NOW = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)


def test_load_demo_call_opens_the_call_now(db):
    call = load_demo_call(now=NOW)

    assert call.is_open(NOW)
    deadline = timezone.localtime(call.closes_at).date()
    assert deadline == timezone.localtime(NOW).date() + datetime.timedelta(days=DEMO_OPEN_DAYS)


def test_load_demo_call_keeps_batches_spaced_as_seeded(db):
    from aipower.calls.seed import seed_call

    seeded = seed_call(115)
    seeded_gaps = {
        b.pk: timezone.localtime(seeded.closes_at).date() - b.review_date
        for b in Batch.objects.filter(category__call=seeded)
    }

    call = load_demo_call(now=NOW)

    shifted_gaps = {
        b.pk: timezone.localtime(call.closes_at).date() - b.review_date
        for b in Batch.objects.filter(category__call=call)
    }
    assert shifted_gaps == seeded_gaps
    assert all(
        b.cutoff_at.date() < b.review_date for b in Batch.objects.filter(category__call=call)
    )


def test_load_demo_call_is_idempotent(db):
    first = load_demo_call(now=NOW)
    second = load_demo_call(now=NOW)

    assert Call.objects.count() == 1
    assert (first.opens_at, first.closes_at) == (second.opens_at, second.closes_at)
    assert Batch.objects.count() == 9
