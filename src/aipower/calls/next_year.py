"""Next year's call from this year's: the operator's starting point, so a new programme year is
data the operator edits, not a seed module someone has to write.

``copy_to_next_year(call)`` creates programme year ``call.year + 1`` with everything the call
configures — categories with their batches and review criteria, tiers, the model catalogue,
texts and form notes — and every date one year later. Announcements are not copied (they are
news of their year). The copy starts suspended (暫停收件): the operator checks the dates, the
eligible industries' start-up date and the texts, then lifts the suspension.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import (
    Batch,
    Call,
    CatalogueModel,
    Category,
    Criterion,
    FormNote,
    Text,
    Tier,
    default_cutoff,
)

ROC_OFFSET = 1911


class NextYearExists(ValueError):
    """Programme year ``call.year + 1`` is configured already."""


def a_year_later(value):
    """The same day (and time) one year later; 29 February becomes 28 February. A moment is
    moved on its Asia/Taipei day: the database hands it back in UTC, where 116/03/01 00:00 is
    still 28 February and a year later would land on 29 February, a day early."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    try:
        return value.replace(year=value.year + 1)
    except ValueError:
        return value.replace(year=value.year + 1, day=28)


def _fields(obj, *, skip=()):
    """The concrete field values of ``obj`` (not its key, nor the parent it hangs from)."""
    return {
        field.attname: getattr(obj, field.attname)
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.attname not in skip
    }


def _next_title(text, year):
    """「115年度 …」 → 「116年度 …」, "2026 …" → "2027 …"."""
    return text.replace(f"{year}年", f"{year + 1}年").replace(
        str(year + ROC_OFFSET), str(year + 1 + ROC_OFFSET)
    )


@transaction.atomic
def copy_to_next_year(call: Call) -> Call:
    """Create and return next year's call from ``call``; ``NextYearExists`` if there is one."""
    year = call.year + 1
    if Call.objects.filter(year=year).exists():
        raise NextYearExists(year)
    values = _fields(call, skip=("year",))
    values.update(
        year=year,
        title_zh=_next_title(call.title_zh, call.year),
        title_en=_next_title(call.title_en, call.year),
        opens_at=a_year_later(call.opens_at),
        closes_at=a_year_later(call.closes_at),
        startup_founded_on_or_after=a_year_later(call.startup_founded_on_or_after),
        is_suspended=True,
    )
    new = Call.objects.create(**values)
    for category in Category.objects.filter(call=call).order_by("order"):
        new_category = Category.objects.create(call=new, **_fields(category, skip=("call_id",)))
        for batch in Batch.objects.filter(category=category).order_by("number"):
            # A default cut-off stays the day before the review date (None: saving sets it); a
            # year later of it is a day off around 29 February, or on the review day itself.
            default = batch.cutoff_at == default_cutoff(batch.review_date)
            Batch.objects.create(
                category=new_category,
                number=batch.number,
                review_date=a_year_later(batch.review_date),
                cutoff_at=None if default else a_year_later(batch.cutoff_at),
            )
        Criterion.objects.bulk_create(
            Criterion(category=new_category, **_fields(criterion, skip=("category_id",)))
            for criterion in Criterion.objects.filter(category=category)
        )
    for model in (Tier, CatalogueModel, Text, FormNote):
        model.objects.bulk_create(
            model(call=new, **_fields(row, skip=("call_id",)))
            for row in model.objects.filter(call=call)
        )
    return new
