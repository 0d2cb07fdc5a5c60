"""Used one-time form tokens (``core.FormUse``) are deleted once older than
``FORM_USE_RETENTION_DAYS`` by the daily ``prune_form_uses``: old rows go, recent ones stay, and
a form sent again within the retention is still recognised as sent before."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from aipower.core import once
from aipower.core.models import FormUse
from aipower.core.tasks import prune_form_uses

pytestmark = pytest.mark.integration

NOW = datetime.datetime(2026, 11, 29, 1, 0, tzinfo=datetime.UTC)


def _used(token, days_ago, action="privacy.request"):
    use = once.claim(token, action)
    FormUse.objects.filter(pk=use.pk).update(used_at=NOW - datetime.timedelta(days=days_ago))
    return use


def test_rows_older_than_the_retention_go_and_recent_ones_stay(db, settings):
    settings.FORM_USE_RETENTION_DAYS = 45
    _used("o" * 24, days_ago=46)
    _used("p" * 24, days_ago=45, action="applications.resend")
    _used("r" * 24, days_ago=44)
    _used("s" * 24, days_ago=0)

    deleted = once.prune(now=NOW + datetime.timedelta(minutes=1))

    assert deleted == 2
    assert set(FormUse.objects.values_list("token", flat=True)) == {"r" * 24, "s" * 24}


def test_a_form_sent_again_within_the_retention_is_still_recognised(db, settings):
    settings.FORM_USE_RETENTION_DAYS = 45
    token = "t" * 24
    _used(token, days_ago=44)

    once.prune(now=NOW)

    assert once.claim(token, "privacy.request") is None


def test_a_form_sent_again_after_the_retention_is_a_first_sending(db, settings):
    settings.FORM_USE_RETENTION_DAYS = 45
    token = "u" * 24
    _used(token, days_ago=46)

    once.prune(now=NOW)

    assert once.claim(token, "privacy.request") is not None


def test_the_retention_outlasts_a_form_kept_for_after_the_next_sign_in():
    """A page sent after its sign-in ended is kept while the browser's remember cookie names who
    typed it, and handled after a sign-in within ``RESUME_SECONDS``: its token's first use must
    still be on record by then."""
    from django.conf import settings

    from aipower.accounts.resume import REMEMBER_SECONDS, RESUME_SECONDS

    retention = datetime.timedelta(days=settings.FORM_USE_RETENTION_DAYS)
    assert retention > datetime.timedelta(seconds=REMEMBER_SECONDS + RESUME_SECONDS)


def test_the_daily_command_and_its_task_prune(db, settings):
    settings.FORM_USE_RETENTION_DAYS = 45
    old = timezone.now() - datetime.timedelta(days=46)
    FormUse.objects.create(token="v" * 24, action="privacy.request", used_at=old)
    FormUse.objects.create(token="w" * 24, action="privacy.request", used_at=old)
    out = io.StringIO()

    call_command("prune_form_uses", stdout=out)
    FormUse.objects.create(token="x" * 24, action="privacy.request", used_at=old)
    result = prune_form_uses.enqueue()

    assert out.getvalue() == "2 used form tokens older than 45 days deleted\n"
    assert result.return_value == 1
    assert not FormUse.objects.exists()


def test_the_prune_deletes_by_an_index_on_the_time_of_use(db, settings):
    """The daily prune is a range on ``used_at``: with an index it reads only the old rows
    instead of every token kept (``FormUse.used_at``, migration core 0015)."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, FormUse._meta.db_table)
        if connection.vendor == "postgresql":  # a few rows: make the planner show what it can use
            cursor.execute("SET LOCAL enable_seqscan = off")
    indexes = [n for n, c in constraints.items() if c["index"] and c["columns"] == ["used_at"]]

    plan = FormUse.objects.filter(used_at__lt=NOW).explain()

    assert len(indexes) == 1
    assert indexes[0] in plan


def test_the_prune_with_the_index_deletes_exactly_the_old_rows(db, settings):
    settings.FORM_USE_RETENTION_DAYS = 45
    for n in range(30):
        _used(f"{n:02d}" * 12, days_ago=n * 3)  # 0, 3, …, 87 days ago
    kept = {f"{n:02d}" * 12 for n in range(30) if n * 3 <= 45}

    deleted = once.prune(now=NOW)

    assert deleted == 30 - len(kept)
    assert set(FormUse.objects.values_list("token", flat=True)) == kept
