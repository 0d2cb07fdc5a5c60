"""The ledger core: opening, reservations, settlement with both rounding policies, the cap,
idempotency on the source, adjustments, the sweeper and the ledger/row agreement."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from aipower.calls.enums import CategoryKind, TokenRounding
from aipower.core.models import AuditEntry
from aipower.grants import services
from aipower.grants.models import Allowance, AllowanceState, LedgerEntry, Reservation

from .conftest import make_award

pytestmark = pytest.mark.integration


def _allowance(award):
    return services.open_allowance(award)


def _fresh(allowance):
    return Allowance.objects.get(pk=allowance.pk)


def _per_request(call):
    call.token_rounding = TokenRounding.PER_REQUEST
    call.save()


def test_open_allowance_creates_grant_entry_once(inference_award):
    first = services.open_allowance(inference_award)
    second = services.open_allowance(inference_award)

    assert first.pk == second.pk
    assert first.granted_units == 100_000_000
    assert first.kind == CategoryKind.INFERENCE
    assert first.account is None
    assert first.state == AllowanceState.ACTIVE
    grants = LedgerEntry.objects.filter(allowance=first, kind=LedgerEntry.Kind.GRANT)
    assert list(grants.values_list("units", "source")) == [
        (100_000_000, f"grant:{inference_award.pk}")
    ]


def test_open_allowance_training_has_cluster_account(training_award):
    allowance = services.open_allowance(training_award)

    assert allowance.account == "aip115-04595257"
    assert allowance.granted_units == 1000 * 1800


def test_reserve_holds_units_and_returns_reservation(inference_award):
    allowance = _allowance(inference_award)

    reservation = services.reserve(allowance.pk, 4096, "req-1", ttl_seconds=60)

    assert reservation.units == 4096
    assert reservation.expires_at - reservation.created_at == datetime.timedelta(seconds=60)
    assert _fresh(allowance).reserved_units == 4096
    assert services.available_units(allowance) == 100_000_000 - 4096
    assert services.max_reservable(allowance.pk) == 100_000_000 - 4096


def test_reserve_more_than_left_returns_none(call_115):
    allowance = _allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1))
    services.reserve(allowance.pk, 60_000, "req-1")

    refused = services.reserve(allowance.pk, 40_001, "req-2")
    exact_fit = services.reserve(allowance.pk, 40_000, "req-3")

    assert refused is None
    assert exact_fit is not None
    assert _fresh(allowance).reserved_units == 100_000
    assert services.max_reservable(allowance.pk) == 0


def test_reserve_refused_when_not_active_or_out_of_period(call_115):
    today = timezone.localdate()
    future = _allowance(
        make_award(call_115, "10458575", CategoryKind.INFERENCE, starts_on=today.replace(year=2099))
    )
    suspended = _allowance(make_award(call_115, "10458574", CategoryKind.INFERENCE))
    services.set_state(suspended, AllowanceState.SUSPENDED)

    assert services.reserve(future.pk, 1, "req-1") is None
    assert services.reserve(suspended.pk, 1, "req-2") is None
    assert services.max_reservable(future.pk) == 0
    assert services.max_reservable(suspended.pk) == 0


def test_reserve_rejects_non_positive_units(inference_award):
    allowance = _allowance(inference_award)

    with pytest.raises(ValueError):
        services.reserve(allowance.pk, 0, "req-1")


def test_settle_running_total_rounds_the_total_up(inference_award):
    allowance = _allowance(inference_award)
    first = services.reserve(allowance.pk, 4096, "req-1")
    second = services.reserve(allowance.pk, 4096, "req-2")

    one = services.settle(first, 1500, "gw:req-1")
    after_one = _fresh(allowance).used_units
    two = services.settle(second, 1500, "gw:req-2")

    row = _fresh(allowance)
    assert (one.units, two.units) == (-2000, -1000)
    assert after_one == 2000
    assert (row.used_units, row.exact_units, row.reserved_units) == (3000, 3000, 0)


def test_settle_per_request_rounds_each_request_up(inference_award):
    _per_request(inference_award.category.call)
    allowance = _allowance(inference_award)
    first = services.reserve(allowance.pk, 4096, "req-1")
    second = services.reserve(allowance.pk, 4096, "req-2")

    one = services.settle(first, 1500, "gw:req-1")
    two = services.settle(second, 1500, "gw:req-2")

    row = _fresh(allowance)
    assert (one.units, two.units) == (-2000, -2000)
    assert (row.used_units, row.exact_units, row.reserved_units) == (4000, 3000, 0)


def test_settle_running_total_of_exact_thousands_charges_exactly(inference_award):
    allowance = _allowance(inference_award)
    for n, tokens in enumerate([999, 1, 2000, 1]):
        reservation = services.reserve(allowance.pk, 5000, f"req-{n}")
        services.settle(reservation, tokens, f"gw:req-{n}")

    row = _fresh(allowance)
    assert (row.used_units, row.exact_units) == (4000, 3001)


def test_settle_twice_with_same_source_charges_once(inference_award):
    allowance = _allowance(inference_award)
    reservation = services.reserve(allowance.pk, 4096, "req-1")

    first = services.settle(reservation, 2500, "gw:req-1")
    again = services.settle(reservation, 2500, "gw:req-1")

    row = _fresh(allowance)
    assert first.pk == again.pk
    assert (row.used_units, row.exact_units, row.reserved_units) == (3000, 2500, 0)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.USAGE).count() == 1


def test_settle_releases_the_reservation(inference_award):
    allowance = _allowance(inference_award)
    reservation = services.reserve(allowance.pk, 8000, "req-1")

    services.settle(reservation, 10, "gw:req-1")

    reservation.refresh_from_db()
    assert reservation.settled_at is not None
    assert reservation.outcome == Reservation.Outcome.SETTLED
    assert _fresh(allowance).reserved_units == 0


def test_settle_caps_at_what_is_left_and_marks_exhausted(call_115):
    allowance = _allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1))
    reservation = services.reserve(allowance.pk, 100_000, "req-1")

    entry = services.settle(reservation, 150_500, "gw:req-1")

    row = _fresh(allowance)
    assert entry.units == -100_000
    assert entry.exact_units == 150_500
    assert (row.used_units, row.exact_units, row.reserved_units) == (100_000, 150_500, 0)
    assert row.state == AllowanceState.EXHAUSTED
    assert services.reserve(allowance.pk, 1, "req-2") is None


def test_settle_cap_leaves_other_reservations_intact(call_115):
    allowance = _allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1))
    mine = services.reserve(allowance.pk, 50_000, "req-1")
    services.reserve(allowance.pk, 30_000, "req-2")

    entry = services.settle(mine, 90_000, "gw:req-1")

    row = _fresh(allowance)
    assert entry.units == -70_000
    assert (row.used_units, row.reserved_units) == (70_000, 30_000)
    assert row.state == AllowanceState.ACTIVE


def test_settle_running_total_after_a_top_up_takes_nothing_of_an_earlier_capped_rounding(
    inference_award,
):
    """10,300 tokens used of 10,500: the capped charge left 500 of the rounding up to 11,000
    uncharged. The operator adds 100,000: a request of 1,000 tokens was charged 1,500, the
    old rounding taken from the new points."""
    allowance = _allowance(inference_award)
    services.adjust(allowance, 10_500 - allowance.granted_units, "測試額度", None)
    for n, tokens in enumerate([10_000, 300]):
        reservation = services.reserve(allowance.pk, tokens, f"req-{n}")
        services.settle(reservation, tokens, f"gw:req-{n}")
    assert (_fresh(allowance).used_units, _fresh(allowance).state) == (10_500, "exhausted")
    services.adjust(allowance, 100_000, "加發", None)

    reservation = services.reserve(allowance.pk, 4096, "req-after")
    entry = services.settle(reservation, 1000, "gw:req-after")

    row = _fresh(allowance)
    assert entry.units == -1000
    assert (row.used_units, row.exact_units, row.reserved_units) == (11_500, 11_300, 0)
    assert services.ledger_mismatch(allowance) == {}


def test_settle_running_total_after_a_cap_stays_within_the_rounded_total(call_115):
    """A charge capped by another request's reservation, which is then released: every later
    request still pays at least its tokens, and the total never exceeds the running total
    rounded up."""
    allowance = _allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1))
    services.adjust(allowance, 10_000 - allowance.granted_units, "測試額度", None)
    other = services.reserve(allowance.pk, 9_500, "req-other")
    mine = services.reserve(allowance.pk, 500, "req-mine")
    services.settle(mine, 500, "gw:req-mine")  # wants 1,000: capped at 500
    services.release(other)

    for n, tokens in enumerate([600, 1_000, 1, 2_399, 777]):
        reservation = services.reserve(allowance.pk, tokens, f"req-{n}")
        services.settle(reservation, tokens, f"gw:req-{n}")
        row = _fresh(allowance)
        assert row.exact_units <= row.used_units <= services.round_up(row.exact_units, 1000)

    assert services.ledger_mismatch(allowance) == {}


def test_settle_after_sweep_still_charges_without_double_release(inference_award):
    allowance = _allowance(inference_award)
    reservation = services.reserve(allowance.pk, 4000, "req-1", ttl_seconds=1)
    later = timezone.now() + datetime.timedelta(seconds=5)
    services.sweep_stale_reservations(later)

    entry = services.settle(reservation, 1200, "gw:req-1", now=later)

    row = _fresh(allowance)
    assert entry.units == -2000
    assert (row.used_units, row.reserved_units) == (2000, 0)


def test_release_charges_nothing_and_is_idempotent(inference_award):
    allowance = _allowance(inference_award)
    reservation = services.reserve(allowance.pk, 4000, "req-1")

    assert services.release(reservation) is True
    assert services.release(reservation) is False

    row = _fresh(allowance)
    assert (row.used_units, row.reserved_units) == (0, 0)
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.USAGE).count() == 0
    assert LedgerEntry.objects.filter(kind=LedgerEntry.Kind.RELEASE).count() == 1


def test_sweep_releases_only_expired_reservations_once(inference_award):
    allowance = _allowance(inference_award)
    now = timezone.now()
    services.reserve(allowance.pk, 1000, "old", ttl_seconds=10, now=now)
    services.reserve(allowance.pk, 2000, "young", ttl_seconds=600, now=now)
    later = now + datetime.timedelta(seconds=60)

    first = services.sweep_stale_reservations(later)
    second = services.sweep_stale_reservations(later)

    assert (first, second) == (1, 0)
    assert _fresh(allowance).reserved_units == 2000
    assert Reservation.objects.get(request_id="old").outcome == Reservation.Outcome.SWEPT
    assert Reservation.objects.get(request_id="young").settled_at is None


def test_charge_usage_is_idempotent_on_source(training_award):
    allowance = _allowance(training_award)

    services.charge_usage(allowance, 7200, "slurm:c1:1:7200")
    services.charge_usage(allowance, 7200, "slurm:c1:1:7200")

    row = _fresh(allowance)
    assert (row.used_units, row.exact_units) == (7200, 7200)


def test_charge_usage_never_goes_below_zero(training_award):
    allowance = _allowance(training_award)

    entry = services.charge_usage(allowance, 2_000_000, "slurm:c1:1:2000000")

    row = _fresh(allowance)
    assert entry.units == -1_800_000
    assert (row.used_units, row.exact_units) == (1_800_000, 2_000_000)
    assert row.state == AllowanceState.EXHAUSTED


def test_adjust_changes_granted_and_reopens_exhausted(call_115, django_user_model):
    operator = django_user_model.objects.create_user("op", role="operator")
    allowance = _allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1))
    services.settle(services.reserve(allowance.pk, 100_000, "r1"), 100_000, "gw:r1")

    entry = services.adjust(allowance, 50_000, "補發點數（主辦單位核定）", operator)

    row = _fresh(allowance)
    assert entry.units == 50_000
    assert (row.granted_units, row.state) == (150_000, AllowanceState.ACTIVE)
    audit = AuditEntry.objects.get(action="grants.adjust")
    assert audit.actor == operator
    assert audit.data["units"] == 50_000


def test_adjust_refuses_below_used_or_without_reason(inference_award, django_user_model):
    operator = django_user_model.objects.create_user("op", role="operator")
    allowance = _allowance(inference_award)
    services.settle(services.reserve(allowance.pk, 5000, "r1"), 5000, "gw:r1")

    with pytest.raises(services.LedgerError):
        services.adjust(allowance, -99_999_000, "減少", operator)
    with pytest.raises(services.LedgerError):
        services.adjust(allowance, 1000, "  ", operator)
    assert _fresh(allowance).granted_units == 100_000_000


def test_ledger_entries_cannot_be_changed_or_deleted(inference_award):
    allowance = _allowance(inference_award)
    entry = allowance.entries.get()

    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()


def test_database_refuses_overdraw_directly(inference_award):
    allowance = _allowance(inference_award)

    with pytest.raises(IntegrityError), transaction.atomic():
        Allowance.objects.filter(pk=allowance.pk).update(used_units=100_000_001)


def test_ledger_agrees_with_the_row_after_mixed_operations(call_115, django_user_model):
    operator = django_user_model.objects.create_user("op", role="operator")
    allowance = _allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE, points=2))
    services.settle(services.reserve(allowance.pk, 9000, "r1"), 1500, "gw:r1")
    services.release(services.reserve(allowance.pk, 9000, "r2"))
    services.adjust(allowance, -50_000, "更正", operator)
    services.settle(services.reserve(allowance.pk, 9000, "r3"), 300_000, "gw:r3")

    row = _fresh(allowance)
    assert services.ledger_mismatch(allowance) == {}
    assert (row.granted_units, row.used_units, row.exact_units) == (150_000, 150_000, 301_500)
    assert row.state == AllowanceState.EXHAUSTED


def test_expire_records_forfeited_remainder_once(inference_award):
    allowance = _allowance(inference_award)
    services.settle(services.reserve(allowance.pk, 5000, "r1"), 5000, "gw:r1")

    assert services.expire(allowance) is True
    assert services.expire(allowance) is False

    entry = allowance.entries.get(kind=LedgerEntry.Kind.EXPIRY)
    assert entry.units == -99_995_000
    assert _fresh(allowance).state == AllowanceState.EXPIRED


def test_award_created_signal_opens_the_allowance(inference_award):
    from aipower.review.models import Award
    from aipower.review.signals import award_created

    award_created.send(sender=Award, award=inference_award)
    award_created.send(sender=Award, award=inference_award)

    allowance = Allowance.objects.get(award=inference_award)
    assert allowance.granted_units == inference_award.units
    assert allowance.entries.count() == 1


def test_ledger_entry_update_is_refused_by_the_database(inference_award):
    allowance = services.open_allowance(inference_award)
    entry = allowance.entries.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(units=1)

    assert LedgerEntry.objects.get(pk=entry.pk).units == inference_award.units


def test_ledger_entry_delete_is_refused_by_postgresql(inference_award):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE (Django empties test databases with it)")
    allowance = services.open_allowance(inference_award)

    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(allowance=allowance).delete()

    assert allowance.entries.count() == 1


def test_allowance_names_its_period_as_the_site_writes_dates(inference_award):
    from django.utils import translation

    allowance = services.open_allowance(inference_award)
    allowance.starts_on, allowance.ends_on = datetime.date(2026, 3, 2), datetime.date(2026, 6, 1)

    with translation.override("zh-hant"):
        chinese = str(allowance)
    with translation.override("en"):
        english = str(allowance)

    assert chinese.endswith("115年03月02日–115年06月01日")
    assert english.endswith("2026-03-02–2026-06-01")


def test_the_sweep_command_gives_back_a_crashed_requests_points(inference_award):
    """``manage.py sweep_reservations`` (cron, every 5 minutes): before it, a crashed request's
    points stayed reserved until the daily housekeeping."""
    import io

    from django.core.management import call_command

    allowance = _allowance(inference_award)
    now = timezone.now()
    services.reserve(
        allowance.pk, 1000, "crashed", ttl_seconds=60, now=now - datetime.timedelta(minutes=20)
    )
    services.reserve(allowance.pk, 2000, "running", ttl_seconds=900, now=now)
    out = io.StringIO()

    call_command("sweep_reservations", stdout=out)

    assert out.getvalue().strip() == "released 1 stale reservations"
    assert _fresh(allowance).reserved_units == 2000
    assert Reservation.objects.get(request_id="crashed").outcome == Reservation.Outcome.SWEPT
