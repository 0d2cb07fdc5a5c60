"""Ledger operations: open an allowance, reserve, settle, release, charge, adjust, sweep.

Every operation runs in one transaction and uses integers only (tokens or GPU-seconds). The hard
cap is enforced by the database twice: ``reserve`` is a single conditional UPDATE (so concurrent
requests can never reserve past the allowance) and a CHECK constraint keeps
``used_units + reserved_units <= granted_units``. Charges are idempotent on their ``source``.
"""

import dataclasses
import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from aipower.calls.enums import CategoryKind, TokenRounding
from aipower.core import audit

from .models import Allowance, AllowanceState, LedgerEntry, Reservation, ServiceState

logger = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 600


class LedgerError(Exception):
    """A refused ledger operation."""


def account_name(award):
    """The cluster account of a training award: ``aip<year>-<UBN>``, in lower case as Slurm
    keeps account names (``gpu.cluster_account``)."""
    return f"aip{award.category.call.year}-{award.company.ubn}".lower()


def round_up(units, metering_unit):
    """``units`` rounded up to a whole number of metering units (integers only)."""
    if metering_unit <= 1:
        return units
    return -(-units // metering_unit) * metering_unit


def open_allowance(award, *, now=None):
    """The award's allowance, created with its grant entry on the first call (idempotent)."""
    now = now or timezone.now()
    existing = Allowance.objects.filter(award=award).first()
    if existing is not None:
        return existing
    category = award.category
    account = None
    if category.kind == CategoryKind.TRAINING:
        account = account_name(award)
        if Allowance.objects.filter(account=account).exists():
            account = f"{account}-{award.pk}"
    try:
        with transaction.atomic():
            allowance = Allowance.objects.create(
                award=award,
                company_id=award.company_id,
                kind=category.kind,
                account=account,
                granted_units=award.units,
                starts_on=award.starts_on,
                ends_on=award.ends_on,
                state=AllowanceState.ACTIVE,
                state_changed_at=now,
            )
            LedgerEntry.objects.create(
                allowance=allowance,
                kind=LedgerEntry.Kind.GRANT,
                units=award.units,
                source=f"grant:{award.pk}",
                note=f"{award.points} points",
                created_by_id=award.approved_by_id,
                created_at=now,
            )
    except IntegrityError:
        # Opened concurrently by another process: use that one.
        return Allowance.objects.get(award=award)
    return allowance


def available_units(allowance):
    """Units neither charged nor reserved, as the row says now (re-read from the database)."""
    row = (
        Allowance.objects.filter(pk=allowance.pk)
        .values("granted_units", "used_units", "reserved_units")
        .get()
    )
    return row["granted_units"] - row["used_units"] - row["reserved_units"]


def in_period(allowance, today=None):
    today = today or timezone.localdate()
    return allowance.starts_on <= today <= allowance.ends_on


def is_usable(allowance, today=None):
    """Whether the service is on: active, in its period, something left."""
    return (
        allowance.state == AllowanceState.ACTIVE
        and in_period(allowance, today)
        and allowance.left_units > 0
    )


def service_state(allowance, today=None):
    """The ``ServiceState`` the company sees today: what the gateway and the cluster export
    decide now, whether or not the housekeeping has recorded it yet."""
    today = today or timezone.localdate()
    state = allowance.state
    if state in (AllowanceState.SUSPENDED, AllowanceState.ENDED, AllowanceState.EXPIRED):
        return ServiceState(state)
    if today > allowance.ends_on:
        return ServiceState.EXPIRED
    if state == AllowanceState.EXHAUSTED or allowance.used_units >= allowance.granted_units:
        return ServiceState.EXHAUSTED
    if today < allowance.starts_on:
        return ServiceState.PENDING
    return ServiceState.ACTIVE


def days_left(allowance, today=None):
    """The days of the period the service can still be used, today included (0 once it is
    over): one figure for the usage page and the notices."""
    today = today or timezone.localdate()
    if today > allowance.ends_on or allowance.state in (
        AllowanceState.EXPIRED,
        AllowanceState.ENDED,
    ):
        return 0
    return (allowance.ends_on - max(today, allowance.starts_on)).days + 1


def _usable(queryset, today):
    return queryset.filter(state=AllowanceState.ACTIVE, starts_on__lte=today, ends_on__gte=today)


def max_reservable(allowance_id, *, today=None):
    """The most units a request may reserve now: 0 unless active and in period."""
    today = today or timezone.localdate()
    row = (
        _usable(Allowance.objects.filter(pk=allowance_id), today)
        .values("granted_units", "used_units", "reserved_units")
        .first()
    )
    if row is None:
        return 0
    return max(0, row["granted_units"] - row["used_units"] - row["reserved_units"])


def reserve(allowance_id, units, request_id, ttl_seconds=DEFAULT_TTL_SECONDS, *, now=None):
    """Hold ``units`` for one request, or None when the allowance cannot cover them.

    The hold is one conditional UPDATE (state active, in period, enough left), atomic on every
    database, so concurrent requests can never overdraw.
    """
    if units <= 0:
        raise ValueError("a reservation holds a positive number of units")
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        updated = (
            _usable(Allowance.objects.filter(pk=allowance_id), today)
            .filter(granted_units__gte=F("used_units") + F("reserved_units") + units)
            .update(reserved_units=F("reserved_units") + units)
        )
        if updated == 0:
            return None
        return Reservation.objects.create(
            allowance_id=allowance_id,
            request_id=request_id,
            units=units,
            created_at=now,
            expires_at=now + datetime.timedelta(seconds=ttl_seconds),
        )


def _close_reservation(reservation, outcome, now):
    """Mark the reservation finished; True when this call did it (it was still holding units)."""
    return (
        Reservation.objects.filter(pk=reservation.pk, settled_at__isnull=True).update(
            settled_at=now, outcome=outcome
        )
        == 1
    )


def release(reservation, *, now=None, outcome=Reservation.Outcome.RELEASED):
    """Give the reservation's units back, charging nothing (idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        if not _close_reservation(reservation, outcome, now):
            return False
        Allowance.objects.filter(pk=reservation.allowance_id).update(
            reserved_units=F("reserved_units") - reservation.units
        )
        LedgerEntry.objects.create(
            allowance_id=reservation.allowance_id,
            kind=LedgerEntry.Kind.RELEASE,
            units=0,
            note=f"{outcome} {reservation.request_id} ({reservation.units})"[:500],
            created_at=now,
        )
    reservation.settled_at = now
    reservation.outcome = outcome
    return True


@dataclasses.dataclass(frozen=True)
class Charge:
    """What one charge does to an allowance (integers, natural units)."""

    wanted: int  # the charge the rounding policy asks for
    charged: int  # what is taken: ``wanted`` capped at what is left
    used_after: int
    reserved_after: int
    exhausts: bool  # nothing is left after it: the service ends


def charge_amounts(
    *, granted, used, reserved, exact, held, exact_units, metering_unit, per_request
) -> Charge:
    """The arithmetic of a charge, shared by ``_charge`` and the gateway's SQL settlement.

    Running total (the default policy): the allowance's charge is its exact total rounded up to
    the metering unit; per request: each request rounded up on its own. ``held`` units of a
    reservation are given back first; the charge is capped at what is then left, so the balance
    never goes below zero.

    What a cap left uncharged (at most a unit's rounding while reservations bound the usage) is
    never charged later: with the running total alone, the next request after the operator added
    points took it from them. So a request pays at most its own tokens not yet paid for (``used``
    beyond ``exact`` was paid ahead by the rounding), rounded up. Without a cap ``used`` is the
    rounded total, a whole number of units, and this bound is the running total's charge.
    """
    if per_request:
        wanted = round_up(exact_units, metering_unit)
    else:
        unpaid = max(0, exact_units - max(0, used - exact))
        wanted = min(
            max(0, round_up(exact + exact_units, metering_unit) - used),
            round_up(unpaid, metering_unit),
        )
    reserved_after = reserved - held
    room = granted - used - reserved_after
    charged = min(wanted, max(0, room))
    used_after = used + charged
    return Charge(wanted, charged, used_after, reserved_after, used_after >= granted)


LATE_USAGE_NOTE = "usage of the period charged after it ended"


def late_usage_source(allowance_id, source) -> str:
    return f"expiry:{allowance_id}:{source}"[:200]


def late_usage_entry(allowance_id, charged, source, now) -> dict:
    """The expiry entry that gives back to the forfeited remainder what a charge arriving after
    the period ended took from it (a request still running at midnight, a job reported late):
    the remainder was forfeited whole at expiry (``expire``), so without it the ledger's balance
    would fall below zero by that charge. The gateway's SQL settlement writes the same entry."""
    return {
        "allowance_id": allowance_id,
        "kind": LedgerEntry.Kind.EXPIRY,
        "units": charged,
        "source": late_usage_source(allowance_id, source),
        "note": LATE_USAGE_NOTE,
        "created_at": now,
    }


def _charge(
    allowance_id, exact_units, source, *, model=None, reservation=None, note="", now, used_at=None
):
    """Charge ``exact_units`` once per ``source``, per the call's rounding policy, capped so the
    allowance never goes below zero. Releases ``reservation`` in the same transaction.
    ``used_at``: when the units were used, if not ``now`` (``LedgerEntry.used_at``)."""
    if exact_units < 0:
        raise ValueError("usage is never negative")
    existing = LedgerEntry.objects.filter(source=source).first()
    if existing is not None:
        if reservation is not None:
            release(reservation, now=now)
        return existing
    try:
        with transaction.atomic():
            # Lock only the allowance row: the call and category rows are shared by everyone.
            allowance = (
                Allowance.objects.select_for_update(of=("self",))
                .select_related("award__category__call")
                .get(pk=allowance_id)
            )
            held = 0
            if reservation is not None and _close_reservation(
                reservation, Reservation.Outcome.SETTLED, now
            ):
                held = reservation.units
            category = allowance.award.category
            # GPU time is charged job by job: the running total would also take, from points
            # added later, the time a job ran beyond the balance (accounted, never charged).
            per_request = allowance.kind == CategoryKind.TRAINING or (
                category.call.token_rounding == TokenRounding.PER_REQUEST
            )
            charge = charge_amounts(
                granted=allowance.granted_units,
                used=allowance.used_units,
                reserved=allowance.reserved_units,
                exact=allowance.exact_units,
                held=held,
                exact_units=exact_units,
                metering_unit=category.metering_unit,
                per_request=per_request,
            )
            wanted, charged = charge.wanted, charge.charged
            changes = {
                "used_units": charge.used_after,
                "exact_units": allowance.exact_units + exact_units,
                "reserved_units": charge.reserved_after,
            }
            if charge.exhausts and allowance.state == AllowanceState.ACTIVE:
                changes["state"] = AllowanceState.EXHAUSTED
                changes["state_changed_at"] = now
            Allowance.objects.filter(pk=allowance.pk).update(**changes)
            if charged < wanted:
                note = f"{note} capped {wanted}->{charged}".strip()
            entry = LedgerEntry.objects.create(
                allowance=allowance,
                kind=LedgerEntry.Kind.USAGE,
                units=-charged,
                exact_units=exact_units,
                source=source,
                model=model,
                note=note[:500],
                created_at=now,
                used_at=used_at,
            )
            if allowance.state == AllowanceState.EXPIRED and charged:
                LedgerEntry.objects.create(**late_usage_entry(allowance.pk, charged, source, now))
    except IntegrityError:
        # The same source was charged concurrently: that charge stands, this one is void.
        existing = LedgerEntry.objects.filter(source=source).first()
        if existing is None:
            raise
        if reservation is not None:
            release(reservation, now=now)
        return existing
    if reservation is not None:
        reservation.settled_at = reservation.settled_at or now
    return entry


def correct_usage(allowance, exact_units, units, source, *, note="", now=None, used_at=None):
    """Give back usage charged beyond what was used (a GPU job's final record reports less time
    than its reports while it ran were charged): one ``correction`` entry, idempotent on
    ``source``, lowering the measured usage by ``exact_units`` and the charge by ``units`` (at
    most what was taken: a charge capped by the balance gives back only what it took).

    Points given back to an award used up make it usable again (as an adjustment that adds
    points does); given back after the period ended, they join the forfeited remainder (a
    second ``expiry`` entry, as ``late_usage_entry`` does the other way), so the ledger's
    balance stays zero. ``used_at``: the moment the corrected charges are dated by
    (``LedgerEntry.used_at``), so the correction nets against them on the usage pages.
    """
    if exact_units < 0 or not 0 <= units <= exact_units:
        raise ValueError("a correction gives back at most the usage it corrects")
    now = now or timezone.now()
    existing = LedgerEntry.objects.filter(source=source).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        row = Allowance.objects.select_for_update().get(pk=allowance.pk)
        if units > row.used_units or exact_units > row.exact_units:
            raise LedgerError("a correction cannot give back more than was used")
        changes = {
            "used_units": row.used_units - units,
            "exact_units": row.exact_units - exact_units,
        }
        if (
            row.state == AllowanceState.EXHAUSTED
            and units
            and row.used_units - units < (row.granted_units)
        ):
            changes.update(state=AllowanceState.ACTIVE, state_changed_at=now)
        Allowance.objects.filter(pk=row.pk).update(**changes)
        entry = LedgerEntry.objects.create(
            allowance=row,
            kind=LedgerEntry.Kind.CORRECTION,
            units=units,
            exact_units=-exact_units,
            source=source,
            note=note[:500],
            created_at=now,
            used_at=used_at,
        )
        if row.state == AllowanceState.EXPIRED and units:
            LedgerEntry.objects.create(
                allowance=row,
                kind=LedgerEntry.Kind.EXPIRY,
                units=-units,
                source=late_usage_source(row.pk, source),
                note="usage given back after the period ended",
                created_at=now,
            )
    return entry


def settle(reservation, exact_units, source, model=None, *, now=None):
    """Release ``reservation`` and charge the request's exact units (idempotent on ``source``).

    Running total (the default policy): the allowance's charge is the exact total rounded up to
    the metering unit; per request: each request rounded up. The charge is capped at what is
    left (including this reservation), so the balance never goes below zero; the exact units are
    recorded in full.
    """
    now = now or timezone.now()
    return _charge(
        reservation.allowance_id,
        exact_units,
        source,
        model=model,
        reservation=reservation,
        note=reservation.request_id,
        now=now,
    )


def charge_usage(allowance, exact_units, source, model=None, *, note="", now=None, used_at=None):
    """Charge measured usage without a reservation (GPU metering); idempotent on ``source``.
    ``used_at``: when it was used (a GPU job's charge: the end of the time it covers)."""
    now = now or timezone.now()
    return _charge(
        allowance.pk, exact_units, source, model=model, note=note, now=now, used_at=used_at
    )


def adjust(allowance, units, reason, by, *, request=None, now=None):
    """The operator adds (units > 0) or removes (units < 0) granted units, with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise LedgerError("an adjustment needs a reason")
    if units == 0:
        raise LedgerError("an adjustment changes the allowance")
    now = now or timezone.now()
    with transaction.atomic():
        row = Allowance.objects.select_for_update().get(pk=allowance.pk)
        granted = row.granted_units + units
        if granted < row.used_units + row.reserved_units:
            raise LedgerError("the allowance cannot go below what is used and reserved")
        changes = {"granted_units": granted}
        if row.state == AllowanceState.EXHAUSTED and granted > row.used_units:
            changes.update(state=AllowanceState.ACTIVE, state_changed_at=now)
        elif row.state == AllowanceState.ACTIVE and granted <= row.used_units:
            changes.update(state=AllowanceState.EXHAUSTED, state_changed_at=now)
        Allowance.objects.filter(pk=row.pk).update(**changes)
        entry = LedgerEntry.objects.create(
            allowance=row,
            kind=LedgerEntry.Kind.ADJUSTMENT,
            units=units,
            note=reason[:500],
            created_by=by,
            created_at=now,
        )
        audit.record(
            "grants.adjust",
            request=request,
            actor=by,
            obj=row,
            units=units,
            reason=reason,
            granted_units=granted,
        )
    allowance.refresh_from_db()
    return entry


def set_state(allowance, state, *, by=None, reason="", request=None, now=None):
    """Suspend, reinstate or end the service (takes effect on the gateway and export at once)."""
    now = now or timezone.now()
    with transaction.atomic():
        # A person's change is audited with the state it replaced, read under the row's lock
        # (the caller's copy may be older); the system's own changes skip the read.
        before = None
        if by is not None:
            before = (
                Allowance.objects.select_for_update()
                .filter(pk=allowance.pk)
                .values_list("state", flat=True)
                .first()
            )
        updated = (
            Allowance.objects.filter(pk=allowance.pk)
            .exclude(state=state)
            .update(state=state, state_changed_at=now)
        )
        if updated and by is not None:
            audit.record(
                "grants.state",
                request=request,
                actor=by,
                obj=allowance,
                before=before,
                state=state,
                reason=reason,
            )
    allowance.refresh_from_db()
    return bool(updated)


def sweep_stale_reservations(now=None):
    """Release the reservations whose request never settled (a crash); idempotent."""
    now = now or timezone.now()
    released = 0
    stale = Reservation.objects.filter(settled_at__isnull=True, expires_at__lt=now)
    for reservation in stale.iterator():
        if release(reservation, now=now, outcome=Reservation.Outcome.SWEPT):
            released += 1
    if released:
        logger.info("released %d stale reservations", released)
    return released


def expire(allowance, *, now=None):
    """End the service at the end of its period: record the forfeited remainder (idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        row = Allowance.objects.select_for_update().get(pk=allowance.pk)
        if row.state in (AllowanceState.ENDED, AllowanceState.EXPIRED):
            return False
        left = row.granted_units - row.used_units
        Allowance.objects.filter(pk=row.pk).update(
            state=AllowanceState.EXPIRED, state_changed_at=now
        )
        LedgerEntry.objects.create(
            allowance=row,
            kind=LedgerEntry.Kind.EXPIRY,
            units=-left,
            source=f"expiry:{row.pk}",
            note="period ended",
            created_at=now,
        )
    allowance.refresh_from_db()
    return True


def ledger_totals(allowance):
    """The balance derived from the ledger: granted, used and exact units."""
    sums = {
        row["kind"]: row["total"]
        for row in LedgerEntry.objects.filter(allowance=allowance)
        .order_by()
        .values("kind")
        .annotate(total=Sum("units"))
    }
    # A correction gives usage back: positive units, negative exact units.
    used_kinds = (LedgerEntry.Kind.USAGE, LedgerEntry.Kind.CORRECTION)
    exact = (
        LedgerEntry.objects.filter(allowance=allowance, kind__in=used_kinds).aggregate(
            total=Sum("exact_units")
        )["total"]
        or 0
    )
    return {
        "granted_units": (sums.get(LedgerEntry.Kind.GRANT) or 0)
        + (sums.get(LedgerEntry.Kind.ADJUSTMENT) or 0),
        "used_units": -sum(sums.get(kind) or 0 for kind in used_kinds),
        "exact_units": exact,
    }


def ledger_mismatch(allowance):
    """Differences between the allowance row and its ledger ({} when they agree)."""
    row = Allowance.objects.get(pk=allowance.pk)
    derived = ledger_totals(row)
    return {
        field: (getattr(row, field), value)
        for field, value in derived.items()
        if getattr(row, field) != value
    }
