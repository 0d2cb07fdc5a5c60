"""Read helpers over the programme configuration, for the public site, the wizard, review and
the gateway. Plain functions; each takes the call (or category) it works on, and ``now`` where
time matters so callers and tests can pass the server clock explicitly."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from .enums import CategoryKind, Offering
from .models import Batch, Call, CatalogueModel, Category, Text, Tier, to_the_second

SECONDS_PER_HOUR = 3600

_OFFERING_FIELDS = {
    Offering.NO_CODE: "offered_no_code",
    Offering.VALIDATION: "offered_validation",
    Offering.INFERENCE: "offered_inference",
}


def current_call(now=None):
    """The call the public site shows: the open one, else the newest; ``None`` if none exists."""
    return Call.current(now or timezone.now())


def next_batch(category, now=None, *, exclude=()):
    """The batch an application submitted at ``now`` joins: the first whose cut-off has not
    passed (a submission at the cut-off instant still counts), other than the batches in
    ``exclude`` (ids: those the review has closed early). ``None`` after the last one."""
    now = to_the_second(now or timezone.now())
    return (
        Batch.objects.filter(category=category, cutoff_at__gte=now)
        .exclude(pk__in=exclude)
        .order_by("cutoff_at", "number")
        .first()
    )


def batches_by_category(call):
    """``[(category, [batch, …]), …]`` in the call's category order, batches by number."""
    categories = Category.objects.filter(call=call).prefetch_related("batches").order_by("order")
    return [
        (category, sorted(category.batches.all(), key=lambda batch: batch.number))
        for category in categories
    ]


def models_for(call, offering):
    """The catalogue models an offering (no-code training, validation, inference) may show:
    enabled and not prohibited, in catalogue order. ``offering`` is an ``Offering`` value."""
    try:
        flag = _OFFERING_FIELDS[Offering(offering)]
    except ValueError:
        raise ValueError(f"unknown offering: {offering!r}") from None
    return CatalogueModel.objects.filter(
        call=call, enabled=True, prohibited=False, **{flag: True}
    ).order_by("order", "display_name")


def text(call, key):
    """The call's text for ``key`` (a ``TextKey``), or ``None`` when the operator has none."""
    return Text.objects.filter(call=call, key=key).first()


@dataclass(frozen=True)
class PointsCell:
    """What a tier's points are worth in one category."""

    category: Category
    points: int
    units: int  # natural units: GPU-seconds (training) or tokens (inference)

    @property
    def gpu_hours(self):
        """GPU-hours for a training category (``None`` otherwise), exact."""
        if self.category.kind != CategoryKind.TRAINING:
            return None
        hours = Decimal(self.units) / SECONDS_PER_HOUR
        return hours.quantize(Decimal(1)) if hours == hours.to_integral_value() else hours

    @property
    def tokens(self):
        """Tokens for an inference category (``None`` otherwise)."""
        if self.category.kind != CategoryKind.INFERENCE:
            return None
        return self.units


@dataclass(frozen=True)
class PointsRow:
    tier: Tier
    cells: list[PointsCell]


def points_table(call):
    """The points table of the call: one row per tier, one cell per category, with the points'
    worth in GPU-hours (training: points × units_per_point / 3600) or tokens (inference:
    points × units_per_point)."""
    categories = list(Category.objects.filter(call=call).order_by("order"))
    return [
        PointsRow(
            tier=tier,
            cells=[
                PointsCell(
                    category=category,
                    points=tier.points,
                    units=tier.points * category.units_per_point,
                )
                for category in categories
            ],
        )
        for tier in Tier.objects.filter(call=call).order_by("order")
    ]
