"""The usage chart's days and the staff's months (``core.localdates``): the same local day and
month as Python's time-zone conversion on either database, around midnights, month ends and a
zone's changes of offset; and on SQLite without a call into Python for each ledger entry (that
call took 0.3–0.9 s at 40,000–74,000 entries)."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.backends.sqlite3 import _functions

from aipower.calls.enums import CategoryKind
from aipower.core.localdates import LocalDate, LocalMonth, fixed_offset_spans
from aipower.grants import services
from aipower.grants.models import USED_AT, LedgerEntry
from aipower.grants.staff_views import _months
from aipower.grants.views import daily_usage

from .conftest import make_award

pytestmark = pytest.mark.integration

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")  # summer time from 29 March 2026 01:00 UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


# Each side of Taipei's midnights and month ends, Berlin's changes of offset, and times
# outside the years whose offsets are worked out (Django's function counts them).
MOMENTS = [
    utc(2026, 10, 31, 15, 59, 59, 999999),  # Taipei 31 Oct 23:59:59.999999
    utc(2026, 10, 31, 16, 0),  # Taipei 1 Nov 00:00
    utc(2026, 12, 31, 16, 0, 1),  # Taipei 1 Jan 2027
    utc(2026, 3, 28, 22, 59, 59),  # Berlin 28 Mar 23:59:59 (+01:00)
    utc(2026, 3, 28, 23, 0),  # Berlin 29 Mar 00:00
    utc(2026, 3, 29, 21, 59, 59),  # Berlin 29 Mar 23:59:59 (+02:00)
    utc(2026, 3, 29, 22, 0),  # Berlin 30 Mar 00:00
    utc(2026, 10, 24, 22, 0),  # Berlin 25 Oct 00:00 (+02:00)
    utc(2026, 10, 25, 23, 0),  # Berlin 26 Oct 00:00 (+01:00)
    utc(2026, 4, 30, 22, 0),  # Berlin 1 May 00:00
    utc(1999, 12, 31, 16, 30),  # Taipei 1 Jan 2000, before the years worked out
    utc(2100, 1, 1, 0, 30),  # after them
]


@pytest.fixture
def allowance(call_115):
    return services.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))


def add_entries(allowance, moments, **fields):
    LedgerEntry.objects.bulk_create(
        LedgerEntry(
            allowance=allowance,
            kind=LedgerEntry.Kind.USAGE,
            units=-1000 * (number + 1),
            exact_units=1000 * (number + 1),
            source=f"gw:local-days-{number}-{moment.isoformat()}",
            created_at=moment,
            **fields,
        )
        for number, moment in enumerate(moments)
    )


def first_of_month(moment, zone):
    local = moment.astimezone(zone)
    return datetime.datetime(local.year, local.month, 1, tzinfo=zone)


@pytest.mark.parametrize("zone", [TAIPEI, BERLIN], ids=str)
def test_local_days_and_months_are_pythons(allowance, zone):
    add_entries(allowance, MOMENTS)

    rows = LedgerEntry.objects.filter(allowance=allowance, kind="usage").annotate(
        day=LocalDate("created_at", tzinfo=zone), month=LocalMonth("created_at", tzinfo=zone)
    )
    found = sorted((row.created_at, row.day, row.month) for row in rows)

    assert found == sorted(
        (moment, moment.astimezone(zone).date(), first_of_month(moment, zone)) for moment in MOMENTS
    )


def test_the_used_time_is_grouped_where_an_entry_has_one(allowance):
    # Written after midnight, used the day before (a GPU job reported by the nightly import).
    add_entries(allowance, [utc(2026, 10, 31, 17, 0)], used_at=utc(2026, 10, 31, 15, 0))

    [row] = LedgerEntry.objects.filter(allowance=allowance, kind="usage").annotate(
        day=LocalDate(USED_AT, tzinfo=TAIPEI), month=LocalMonth(USED_AT, tzinfo=TAIPEI)
    )

    assert (row.day, row.month) == (
        datetime.date(2026, 10, 31),
        datetime.datetime(2026, 10, 1, tzinfo=TAIPEI),
    )


def test_a_zones_changes_of_offset_are_found_to_the_second():
    spans = fixed_offset_spans("Europe/Berlin")
    summer_2026 = next(span for span in spans if span[0].startswith("2026-03"))

    assert summer_2026 == ("2026-03-29 01:00:00", "2026-10-25 01:00:00", 7200)
    assert fixed_offset_spans("Asia/Taipei") == [
        ("2000-01-01 00:00:00", "2100-01-01 00:00:00", 28800)
    ]


@pytest.fixture
def python_calls():
    """How often SQLite calls Django's Python functions for a day or a month of a time."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's functions")
    calls = []
    functions = {
        "django_datetime_cast_date": (3, _functions._sqlite_datetime_cast_date),
        "django_datetime_trunc": (4, _functions._sqlite_datetime_trunc),
    }
    connection.ensure_connection()

    def counted(function):
        def call(*args):
            calls.append(args)
            return function(*args)

        return call

    for name, (arity, function) in functions.items():
        connection.connection.create_function(name, arity, counted(function))
    yield calls
    for name, (arity, function) in functions.items():
        connection.connection.create_function(name, arity, function, deterministic=True)


def test_sqlite_groups_the_chart_and_the_months_without_python(allowance, python_calls):
    start = datetime.datetime.combine(allowance.starts_on, datetime.time(9), tzinfo=TAIPEI)
    add_entries(allowance, [start + datetime.timedelta(hours=7 * n) for n in range(40)])

    days = dict(daily_usage(allowance, today=allowance.starts_on + datetime.timedelta(days=20)))
    months = _months(allowance.award.category.call, [CategoryKind.INFERENCE])

    assert sum(days.values()) == sum(1000 * n for n in range(1, 41))
    assert [month for month, _points in months] == sorted(
        {(start + datetime.timedelta(hours=7 * n)).date().replace(day=1) for n in range(40)}
    )
    assert python_calls == []
