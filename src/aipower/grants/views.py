"""The company's usage pages: points granted / used / left, days left, daily use as an SVG chart
(drawn on the server: no script), use per model or per job, and a CSV download.

A company sees only its own allowances; anyone else's is a 404.
"""

import datetime
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from aipower.accounts.decorators import company_required
from aipower.calls.enums import CategoryKind, TokenRounding
from aipower.core.csvcells import csv_stream, safe_cell
from aipower.core.localdates import LocalDate

from . import presenters, services
from .models import USED_AT, Allowance, LedgerEntry

CHART_WIDTH = 720
CHART_HEIGHT = 200
CHART_TOP = 10
CHART_BOTTOM = 24
USED_KINDS = (LedgerEntry.Kind.USAGE, LedgerEntry.Kind.CORRECTION)

# The CSV's points: a GPU-second is 1/1,800 of a point, so most charges have no finite decimal
# (5,782 GPU-seconds printed as 3.212222222222222222222222222); six places keep each second
# apart, and the exact units are in the columns before.
CSV_POINTS = Decimal("0.000001")


def _company_allowances(request):
    # award__application: the printed usage statement names the application's number.
    return Allowance.objects.filter(company_id=request.user.company_id).select_related(
        "award__category__call", "award__application", "company"
    )


def metering(allowance):
    """How the allowance is charged, as the company reads it: GPU-seconds of its jobs, or the
    exact tokens rounded up to the metering unit by the call's policy (per request, or the
    running total)."""
    category = allowance.award.category
    if allowance.kind == CategoryKind.TRAINING:
        return _("依作業之 GPU 數 × 執行時間（秒）計量扣點。")
    unit = f"{category.metering_unit:,}"
    if category.call.token_rounding == TokenRounding.PER_REQUEST:
        return _("依實際 Token 數計量，每次請求無條件進位至 %(unit)s 個 Token 扣點。") % {
            "unit": unit
        }
    return _("依實際 Token 數計量，累計用量無條件進位至 %(unit)s 個 Token 扣點。") % {"unit": unit}


def summary(allowance, today=None):
    """The figures every usage view shows, in points and natural units."""
    today = today or timezone.localdate()
    category = allowance.award.category
    upp = category.units_per_point
    left_units = max(0, allowance.granted_units - allowance.used_units)
    training = allowance.kind == CategoryKind.TRAINING
    return {
        "allowance": allowance,
        "category": category,
        "training": training,
        "granted": presenters.display(presenters.points(allowance.granted_units, upp)),
        "used": presenters.display(presenters.points_up(allowance.used_units, upp)),
        "left": presenters.display(presenters.points(left_units, upp)),
        "used_percent": allowance.used_percent,
        "used_percent_text": allowance.used_percent_text,
        "days_left": services.days_left(allowance, today),
        "service_state": services.service_state(allowance, today),
        "metering": metering(allowance),
        "used_natural": presenters.display(presenters.gpu_hours_up(allowance.used_units))
        if training
        else f"{allowance.exact_units:,}",
        "left_natural": presenters.display(presenters.gpu_hours(left_units))
        if training
        else f"{left_units:,}",
    }


def daily_usage(allowance, today=None):
    """(date, charged units) for each day of the period up to today, zero days included."""
    today = today or timezone.localdate()
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    # A correction (GPU time given back) counts on its day, against that day's charges. The
    # day the units were used (a GPU job's end), not the night the cluster reported them.
    rows = (
        LedgerEntry.objects.filter(allowance=allowance, kind__in=USED_KINDS)
        .annotate(day=LocalDate(USED_AT, tzinfo=tz))
        .order_by()
        .values("day")
        .annotate(units=Sum("units"))
    )
    by_day = {row["day"]: -row["units"] for row in rows}
    last = min(today, allowance.ends_on)
    days = []
    day = allowance.starts_on
    while day <= last:
        days.append((day, by_day.get(day, 0)))
        day += datetime.timedelta(days=1)
    return days


def chart(days, units_per_point):
    """Bars of an inline SVG (coordinates only; colours come from the stylesheet)."""
    if not days:
        return None
    peak = max(units for _, units in days)
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = CHART_WIDTH / len(days)
    bar_width = max(1.0, step * 0.8)
    bars = []
    for index, (day, units) in enumerate(days):
        # A day whose corrections outweigh its charges gave back: no bar (not a negative one).
        height = round(plot_height * units / peak, 1) if peak > 0 and units > 0 else 0
        bars.append(
            {
                "x": round(index * step + (step - bar_width) / 2, 1),
                "y": round(CHART_TOP + plot_height - height, 1),
                "width": round(bar_width, 1),
                "height": height,
                "day": day,
                "points": presenters.display(presenters.points_up(units, units_per_point)),
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_HEIGHT - 6,
        "bars": bars,
        "first": days[0][0],
        "last": days[-1][0],
        "peak": presenters.display(presenters.points_up(peak, units_per_point)),
        "has_usage": peak > 0,
    }


def per_model(allowance):
    upp = allowance.award.category.units_per_point
    rows = (
        LedgerEntry.objects.filter(allowance=allowance, kind=LedgerEntry.Kind.USAGE)
        .order_by()
        .values("model__display_name")
        .annotate(requests=Count("id"), exact=Sum("exact_units"), units=Sum("units"))
        .order_by("model__display_name")
    )
    return [
        {
            "model": row["model__display_name"] or "—",
            "requests": row["requests"],
            "tokens": f"{row['exact']:,}",
            "points": presenters.display(presenters.points_up(-row["units"], upp)),
        }
        for row in rows
    ]


def per_job(allowance):
    upp = allowance.award.category.units_per_point
    return [
        {
            "job": job,
            "hours": presenters.display(presenters.gpu_hours(job.gpu_seconds)),
            "points": presenters.display(presenters.points_up(job.taken_seconds, upp)),
        }
        for job in allowance.gpu_jobs.order_by("-started_at", "-id")[:200]
    ]


@company_required
def overview(request):
    today = timezone.localdate()
    allowances = list(_company_allowances(request))
    summaries = [summary(a, today) for a in allowances]
    # ``allowances``: the compliance notes of all of them are read at once.
    return render(
        request, "grants/overview.html", {"summaries": summaries, "allowances": allowances}
    )


@company_required
def detail(request, pk):
    allowance = get_object_or_404(_company_allowances(request), pk=pk)
    today = timezone.localdate()
    upp = allowance.award.category.units_per_point
    days = daily_usage(allowance, today)
    figures = summary(allowance, today)
    context = {
        **figures,
        "summary": figures,
        "chart": chart(days, upp),
        "days": [
            (day, presenters.display(presenters.points_up(units, upp)))
            for day, units in days
            if units
        ],
    }
    if allowance.kind == CategoryKind.TRAINING:
        context["jobs"] = per_job(allowance)
    else:
        context["models"] = per_model(allowance)
    return render(request, "grants/detail.html", context)


@company_required
def usage_csv(request, pk):
    allowance = get_object_or_404(_company_allowances(request), pk=pk)
    upp = Decimal(allowance.award.category.units_per_point)
    filename = f"usage-{allowance.company.ubn}-{allowance.pk}.csv"
    natural = _("GPU 秒數") if allowance.kind == CategoryKind.TRAINING else _("Token 數")
    entries = (
        allowance.entries.exclude(kind=LedgerEntry.Kind.RELEASE)
        .select_related("model")
        .order_by("created_at", "id")
    )

    def rows():
        yield [
            _("時間"),
            _("類型"),
            _("來源"),
            _("模型"),
            _("實際用量（%(unit)s）") % {"unit": natural},
            _("計量單位數（%(unit)s）") % {"unit": natural},
            _("點數"),
            _("使用時間"),
        ]
        # Read once: ``get_kind_display()`` translates every kind again for each row.
        kinds = {value: str(label) for value, label in LedgerEntry.Kind.choices}
        for entry in entries.iterator():
            yield [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                kinds[entry.kind],
                safe_cell(entry.source or ""),
                safe_cell(entry.model.display_name if entry.model else ""),
                entry.exact_units,
                entry.units,
                format((Decimal(entry.units) / upp).quantize(CSV_POINTS).normalize(), "f"),
                # When the units were used, by which the chart counts them: a GPU job's
                # charge reported after midnight was used the day before.
                timezone.localtime(entry.used_at or entry.created_at).strftime("%Y-%m-%d %H:%M:%S")
                if entry.kind in USED_KINDS
                else "",
            ]

    return csv_stream(filename, rows())
