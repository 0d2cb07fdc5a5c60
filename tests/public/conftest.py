"""Fixtures of the public-site tests: the seeded call moved around the server clock, so the
tests hold whatever day they run on."""

import datetime

import pytest
from django.utils import timezone

from aipower.calls.models import default_cutoff

# Review dates relative to today (days): some batches behind us, the rest ahead.
TRAINING_OFFSETS = [-10, 20, 60]
INFERENCE_OFFSETS = [-40, -20, -5, 10, 30, 70]


def roc(day):
    """An independent spelling of the ROC date the pages must show: ``115年07月01日``."""
    return f"{day.year - 1911}年{day.month:02d}月{day.day:02d}日"


def shift_batches(category, offsets, today):
    for batch, offset in zip(category.batches.order_by("number"), offsets, strict=True):
        batch.review_date = today + datetime.timedelta(days=offset)
        batch.cutoff_at = default_cutoff(batch.review_date)
        batch.save()


@pytest.fixture
def open_call(call_115):
    """The year-115 call, open now: opened 30 days ago, closes in 100 days at 23:59:59."""
    now = timezone.now()
    today = timezone.localdate(now)
    closing_day = today + datetime.timedelta(days=100)
    call_115.opens_at = now - datetime.timedelta(days=30)
    call_115.closes_at = datetime.datetime.combine(
        closing_day, datetime.time(23, 59, 59), tzinfo=timezone.get_default_timezone()
    )
    call_115.is_suspended = False
    call_115.save()
    shift_batches(call_115.categories.get(kind="training"), TRAINING_OFFSETS, today)
    shift_batches(call_115.categories.get(kind="inference"), INFERENCE_OFFSETS, today)
    return call_115


PROGRAMME_PROCESSOR = "aipower.public.context_processors.programme"


@pytest.fixture(autouse=True)
def programme_context(settings):
    """Make sure the footer's context processor is on, whether or not settings list it yet."""
    templates = [dict(engine, OPTIONS=dict(engine["OPTIONS"])) for engine in settings.TEMPLATES]
    processors = templates[0]["OPTIONS"]["context_processors"]
    if PROGRAMME_PROCESSOR not in processors:
        templates[0]["OPTIONS"]["context_processors"] = [*processors, PROGRAMME_PROCESSOR]
        settings.TEMPLATES = templates
