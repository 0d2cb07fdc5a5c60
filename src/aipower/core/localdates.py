"""Rows grouped by the local day or month of a time, in the database: ``LocalDate`` and
``LocalMonth``, Django's ``TruncDate`` and ``TruncMonth`` made fast on SQLite.

With a time zone, Django's functions call on SQLite a Python function once per row
(``django_datetime_cast_date``, ``django_datetime_trunc``: a time-zone conversion each), which
took 0.3–0.9 s for the usage chart's and the staff's months' 40,000–74,000 ledger entries.
Where the zone's offset from UTC stays the same — Asia/Taipei's has been +08:00 since 1979 —
SQLite's own ``strftime()`` with that offset gives the same day, in C and without a call into
Python. The times inside such a span of the years worked out (``FIRST_YEAR``–``LAST_YEAR``) are
grouped that way; any other time goes through Django's function as before. PostgreSQL keeps
Django's SQL (``AT TIME ZONE``), which is already fast there.
"""

import datetime
import functools
import zoneinfo

from django.db.models.functions import TruncDate, TruncMonth

# The years whose offsets are worked out, once per zone and process (about 20 ms).
FIRST_YEAR, LAST_YEAR = 2000, 2100
# How often the zone's offset is sampled: no zone changes it and back within a week.
STEP = 7 * 86400


def _offset(timestamp, zone):
    return int(datetime.datetime.fromtimestamp(timestamp, zone).utcoffset().total_seconds())


@functools.cache
def fixed_offset_spans(zone_name):
    """The UTC spans [start, end) of FIRST_YEAR–LAST_YEAR over which ``zone_name``'s offset stays
    the same, with that offset in seconds: ``[(start, end, offset), ...]``, the bounds as SQLite
    holds Django's times ('YYYY-MM-DD HH:MM:SS', UTC). The zone is sampled every ``STEP`` and
    each change found to the second."""
    zone = zoneinfo.ZoneInfo(zone_name)
    first = int(datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.UTC).timestamp())
    last = int(datetime.datetime(LAST_YEAR, 1, 1, tzinfo=datetime.UTC).timestamp())
    changes, current = [], _offset(first, zone)
    for at in range(first, last, STEP):
        step_end = min(at + STEP, last)
        if _offset(step_end, zone) == current:
            continue
        before, after = at, step_end  # the change is in (before, after]
        while after - before > 1:
            middle = (before + after) // 2
            if _offset(middle, zone) == current:
                before = middle
            else:
                after = middle
        changes.append((after, current))
        current = _offset(after, zone)
    spans, start = [], first
    for change, offset in changes:
        spans.append((start, change, offset))
        start = change
    spans.append((start, last, current))

    def shown(timestamp):
        return datetime.datetime.fromtimestamp(timestamp, datetime.UTC).strftime(
            "%Y-%m-%d %H:%M:%S"
        )

    return [(shown(start), shown(end), offset) for start, end, offset in spans]


class _FixedOffsetOnSQLite:
    # strftime() format of the result, as Django's SQLite function returns it.
    sqlite_format = None

    def as_sqlite(self, compiler, connection, **extra_context):
        fallback, fallback_params = self.as_sql(compiler, connection, **extra_context)
        time, time_params = compiler.compile(self.lhs)
        whens, params = [], []
        for start, end, offset in fixed_offset_spans(self.get_tzname()):
            # The fraction of a second left out: SQLite keeps milliseconds and would round
            # 23:59:59.9999 up into the next day.
            whens.append(
                f"WHEN {time} >= %s AND {time} < %s THEN strftime(%s, substr({time}, 1, 19), %s)"
            )
            params += [*time_params, start, *time_params, end, self.sqlite_format]
            params += [*time_params, f"{offset:+d} seconds"]
        sql = f"CASE {' '.join(whens)} ELSE {fallback} END"
        return sql, (*params, *fallback_params)


class LocalDate(_FixedOffsetOnSQLite, TruncDate):
    """``TruncDate(time, tzinfo=zone)``: the day in ``zone``."""

    sqlite_format = "%Y-%m-%d"


class LocalMonth(_FixedOffsetOnSQLite, TruncMonth):
    """``TruncMonth(time, tzinfo=zone)``: the first moment of the month in ``zone``."""

    sqlite_format = "%Y-%m-01 00:00:00"
