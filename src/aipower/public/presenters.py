"""What the public pages say about a call, derived from its configuration.

Everything here reads the call's rows (categories, batches, tiers, criteria, texts) and turns them
into what a visitor reads: whether applications are open and why not, the next review batch per
category, what a point is worth and the points table. Nothing about a particular year is written
here, so next year's call needs no code change.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aipower.calls.enums import CategoryKind
from aipower.calls.models import effective_cutoff, to_the_second
from aipower.core.i18n import batch_number, localized
from aipower.core.templatetags.roc import roc_datetime

SECONDS_PER_HOUR = 3600


def batch_label(number):
    """``第一梯次`` in zh-Hant, ``Batch 1`` in English."""
    return _("第%(number)s梯次") % {"number": batch_number(number)}


def format_decimal(value):
    """``Decimal("500.0")`` → ``500``, ``Decimal("0.50")`` → ``0.5``, with thousands commas."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return format(value.normalize(), ",f")


def format_count(number):
    """A large whole count the way a reader says it: ``1億``/``10萬`` in Chinese, ``100,000``
    in English."""
    if translation.get_language() != "en":
        for size, unit in ((100_000_000, "億"), (10_000, "萬")):
            if number >= size and number % size == 0:
                return f"{number // size:,}{unit}"
    return f"{number:,}"


def amount_text(category, units):
    """``units`` of the category's natural unit (GPU-seconds or tokens) in words."""
    if category.kind == CategoryKind.TRAINING:
        hours = Decimal(units) / SECONDS_PER_HOUR
        return _("%(hours)s GPU 小時") % {"hours": format_decimal(hours)}
    return _("%(tokens)s個 Token") % {"tokens": format_count(units)}


def point_value_text(category):
    """What one point buys, e.g. ``1 點 = 0.5 GPU 小時``; for tokens the document says they
    count whether input or output (「1點=10萬個Token數Input或Output」)."""
    amount = amount_text(category, category.units_per_point)
    if category.kind == CategoryKind.INFERENCE:
        return _("1 點 = %(amount)s（Input 或 Output）") % {"amount": amount}
    return _("1 點 = %(amount)s") % {"amount": amount}


def metering_text(category):
    """The smallest unit charged, e.g. ``最小計量單位為 1,000 個 Token``."""
    if category.kind == CategoryKind.TRAINING:
        unit = _("%(seconds)s GPU 秒") % {"seconds": format_count(category.metering_unit)}
    else:
        unit = amount_text(category, category.metering_unit)
    return _("最小計量單位為 %(unit)s") % {"unit": unit}


@dataclass
class CallStatus:
    """Whether a call takes applications now, and if not, a plain reason."""

    call: object
    is_open: bool
    reason: str = ""


def call_status(call, now=None):
    now = to_the_second(now or timezone.now())
    if call is None:
        return CallStatus(call=None, is_open=False, reason=_("目前尚無開放申請之計畫。"))
    if call.is_suspended:
        return CallStatus(
            call=call, is_open=False, reason=_("主辦單位已暫停收件，恢復收件時將另行公告。")
        )
    if now < call.opens_at:
        return CallStatus(
            call=call,
            is_open=False,
            reason=_("本計畫將於 %(date)s 開始收件。") % {"date": roc_datetime(call.opens_at)},
        )
    if now > call.closes_at:
        return CallStatus(
            call=call,
            is_open=False,
            reason=_("本計畫已於 %(date)s 截止收件。") % {"date": roc_datetime(call.closes_at)},
        )
    return CallStatus(call=call, is_open=True)


@dataclass
class BatchView:
    batch: object
    label: str
    cutoff_at: object
    is_past: bool
    is_next: bool


@dataclass
class CategoryView:
    """A category with everything the public pages show about it."""

    category: object
    name: str
    tagline: str
    description: str
    point_definition: str
    point_value: str
    metering: str
    batches: list = field(default_factory=list)
    next_batch: BatchView | None = None
    criteria: list = field(default_factory=list)


def category_views(call, now=None):
    """The call's categories in order, with batches (past/next marked) and criteria."""
    now = now or timezone.now()
    categories = call.categories.prefetch_related("batches", "criteria").order_by("order")
    views = []
    for category in categories:
        next_batch = category.next_batch(now)
        batches = [
            BatchView(
                batch=batch,
                label=batch_label(batch.number),
                cutoff_at=effective_cutoff(batch, call),
                is_past=batch.cutoff_at < to_the_second(now),
                is_next=next_batch is not None and batch.pk == next_batch.pk,
            )
            for batch in category.batches.all()
        ]
        views.append(
            CategoryView(
                category=category,
                name=localized(category, "name"),
                tagline=localized(category, "tagline"),
                description=localized(category, "description"),
                point_definition=localized(category, "point_definition"),
                point_value=point_value_text(category),
                metering=metering_text(category),
                batches=batches,
                next_batch=next((view for view in batches if view.is_next), None),
                criteria=list(category.criteria.all()),
            )
        )
    return views


def points_table(call, categories):
    """Rows of (tier, [cell per category]) where a cell is the points and what they buy."""
    rows = []
    for tier in call.tiers.order_by("order"):
        cells = [
            {
                "points": _("%(points)s 點") % {"points": f"{tier.points:,}"},
                "amount": amount_text(view.category, tier.points * view.category.units_per_point),
            }
            for view in categories
        ]
        rows.append({"tier": tier, "cells": cells})
    return rows


def industries(call):
    """The eligible industries in the active language: ``[(code, name), …]``."""
    english = translation.get_language() == "en"
    result = []
    for industry in call.industries or []:
        name = (english and industry.get("name_en")) or industry.get("name_zh", "")
        result.append((industry.get("code", ""), name))
    return result
