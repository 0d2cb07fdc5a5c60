"""The staff's view of the compute in use (/staff/usage/): every award's points granted, used and
left with its service state, the totals per category, the points used month by month, and the
list as CSV. For the operator who runs the programme and the organiser who answers for it."""

import datetime
import zoneinfo
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import OuterRef, Subquery, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aipower.accounts import rules
from aipower.accounts.decorators import staff_required
from aipower.calls.enums import CategoryKind
from aipower.calls.models import Call
from aipower.core import audit
from aipower.core.csvcells import csv_stream, safe_cell
from aipower.core.localdates import LocalMonth

from . import presenters, services
from .models import USED_AT, Allowance, LedgerEntry, ServiceState


def _call(request):
    calls = list(Call.objects.order_by("-year"))
    chosen = request.GET.get("call", "")
    call = next((c for c in calls if str(c.pk) == chosen), None)
    return call or Call.current(), calls


def _allowances(call, kind):
    allowances = (
        Allowance.objects.filter(award__category__call=call)
        .select_related("company", "award__category", "award__application", "award__tier")
        # The newest usage entry through the (allowance, kind, created_at) index: one look-up
        # per award, not a pass over its whole ledger.
        .annotate(
            last_used_at=Subquery(
                LedgerEntry.objects.filter(allowance=OuterRef("pk"), kind=LedgerEntry.Kind.USAGE)
                .order_by("-created_at")
                .values("created_at")[:1]
            )
        )
        .order_by("kind", "award__application__number", "pk")
    )
    if kind:
        allowances = allowances.filter(kind=kind)
    return allowances


def _row(allowance, today):
    upp = allowance.award.category.units_per_point
    left = max(0, allowance.granted_units - allowance.used_units)
    return {
        "allowance": allowance,
        "state": services.service_state(allowance, today),
        "granted": presenters.points(allowance.granted_units, upp),
        "used": presenters.points_up(allowance.used_units, upp),
        "left": presenters.points(left, upp),
        "percent": allowance.used_percent,
        "percent_text": allowance.used_percent_text,
        "days_left": services.days_left(allowance, today),
        "natural_used": presenters.gpu_hours_up(allowance.used_units)
        if allowance.kind == CategoryKind.TRAINING
        else allowance.exact_units,
    }


def _rows(call, kind, state, today):
    rows = [_row(a, today) for a in _allowances(call, kind)]
    if state in ServiceState.values:
        rows = [r for r in rows if r["state"] == state]
    return rows


def _totals(rows):
    """Per category kind: awards, points granted / used / left, the natural units used."""
    totals = {}
    for row in rows:
        kind = row["allowance"].kind
        total = totals.setdefault(
            kind,
            {
                "kind": CategoryKind(kind).label,
                "training": kind == CategoryKind.TRAINING,
                "awards": 0,
                "in_use": 0,
                "granted": Decimal(0),
                "used": Decimal(0),
                "left": Decimal(0),
                "natural_used": 0,
            },
        )
        total["awards"] += 1
        total["in_use"] += row["state"] == ServiceState.ACTIVE
        for name in ("granted", "used", "left", "natural_used"):
            total[name] += row[name]
    for total in totals.values():
        total["percent"] = int(total["used"] * 100 / total["granted"]) if total["granted"] else 0
        total["percent_text"] = presenters.percent_text(total["percent"], total["used"])
    return [_shown(totals[k]) for k in CategoryKind.values if k in totals]


def _shown(figures):
    """The figures as the usage pages write them: ``1,234.5``, ``2,000``."""
    for name in ("granted", "used", "left", "natural_used"):
        figures[f"{name}_text"] = presenters.display(Decimal(figures[name]))
    return figures


def _months(call, kinds):
    """(month, [points used that month in each of ``kinds``]) for the call, in Asia/Taipei
    months of when the units were used (a GPU job's charge reported after midnight on the 1st
    counts in the month before)."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    # Corrections (GPU time given back) net against the month's charges.
    entries = LedgerEntry.objects.filter(
        kind__in=(LedgerEntry.Kind.USAGE, LedgerEntry.Kind.CORRECTION),
        allowance__award__category__call=call,
    )
    if len(kinds) == 1:
        entries = entries.filter(allowance__kind=kinds[0])
    sums = (
        entries.annotate(month=LocalMonth(USED_AT, tzinfo=tz))
        .order_by()
        .values("month", "allowance__kind", "allowance__award__category__units_per_point")
        .annotate(units=Sum("units"))
    )
    by_month = defaultdict(lambda: defaultdict(Decimal))
    for s in sums:
        month = s["month"].date() if isinstance(s["month"], datetime.datetime) else s["month"]
        points = Decimal(-s["units"]) / s["allowance__award__category__units_per_point"]
        by_month[month][s["allowance__kind"]] += points
    return [
        (
            month,
            [presenters.display(by_month[month][k].quantize(presenters.HUNDREDTH)) for k in kinds],
        )
        for month in sorted(by_month)
    ]


@require_GET
@staff_required(*rules.USAGE_VIEWERS)
def usage(request):
    today = timezone.localdate()
    call, calls = _call(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in CategoryKind.values else ""  # anything else: every category
    kinds = [k for k in CategoryKind if kind in ("", k.value)]
    state = request.GET.get("state", "")
    rows = _rows(call, kind, state, today) if call else []
    if request.GET.get("format") == "csv" and call is not None:
        return _csv(request, call, rows)
    totals = _totals(rows)
    rows = [_shown(row) for row in rows]
    return render(
        request,
        "grants/staff/usage.html",
        {
            "call": call,
            "calls": calls,
            "kind": kind,
            "state": state,
            "kinds": CategoryKind.choices,
            "states": ServiceState.choices,
            "rows": rows,
            "totals": totals,
            "month_kinds": [k.label for k in kinds],
            "months": _months(call, [k.value for k in kinds]) if call else [],
            "today": today,
        },
    )


def _csv(request, call, rows):
    audit.record(
        "grants.usage_exported",
        request=request,
        obj=call,
        rows=len(rows),
        kind=request.GET.get("kind", ""),
        state=request.GET.get("state", ""),
    )

    def lines():
        yield [
            _("申請編號"),
            _("統一編號"),
            _("企業名稱"),
            _("申請類別"),
            _("級距"),
            _("使用期間起"),
            _("使用期間迄"),
            _("服務狀態"),
            _("核發點數"),
            _("已使用點數"),
            _("剩餘點數"),
            _("使用率（%）"),
            _("實際用量（Token 或 GPU 小時）"),
            _("最近使用"),
        ]
        for row in rows:
            a = row["allowance"]
            yield [
                a.award.application.number,
                a.company.ubn,
                safe_cell(a.company.name),
                CategoryKind(a.kind).label,
                a.award.tier.code if a.award.tier else "",
                a.starts_on.isoformat(),
                a.ends_on.isoformat(),
                ServiceState(row["state"]).label,
                row["granted"],
                row["used"],
                row["left"],
                row["percent"],
                row["natural_used"],
                timezone.localtime(a.last_used_at).strftime("%Y-%m-%d %H:%M")
                if a.last_used_at
                else "",
            ]

    stamp = timezone.localdate().strftime("%Y%m%d")
    return csv_stream(f"usage-{call.year}-{stamp}.csv", lines())
