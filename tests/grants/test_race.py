"""Concurrent reservations on a real database never overdraw the allowance.

Each thread has its own database connection; they all try to reserve at once. On PostgreSQL
the conditional UPDATE serialises on the row; on SQLite writers serialise on the database (a
thread told the database is locked tries again, as the gateway's caller would).
"""

import threading

import pytest
from django.db import OperationalError, connection, connections

from aipower.calls.enums import CategoryKind
from aipower.grants import services
from aipower.grants.models import Allowance, Reservation

from .conftest import make_award

pytestmark = pytest.mark.integration

THREADS = 12


def _reserve_with_retry(allowance_id, units, request_id):
    for _attempt in range(200):
        try:
            return services.reserve(allowance_id, units, request_id)
        except OperationalError:  # SQLite: "database table is locked"
            continue
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_concurrent_reservations_never_overdraw(call_115):
    allowance = services.open_allowance(
        make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1)
    )
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS
    errors = []

    def worker(index):
        try:
            barrier.wait()
            results[index] = _reserve_with_retry(allowance.pk, 30_000, f"race-{index}")
        except Exception as exc:  # reported below; a thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    row = Allowance.objects.get(pk=allowance.pk)
    granted = [r for r in results if r is not None]
    assert errors == []
    assert len(granted) == 3
    assert row.reserved_units == 90_000
    assert Reservation.objects.filter(allowance=row).count() == 3
    assert connection.vendor in ("sqlite", "postgresql")


def _retry(operation):
    for _attempt in range(200):
        try:
            return operation()
        except OperationalError:  # SQLite: "database table is locked"; the transaction rolled back
            continue
    raise AssertionError("the database stayed locked")


@pytest.mark.django_db(transaction=True)
def test_concurrent_settlements_keep_ledger_and_row_in_agreement(call_115):
    allowance = services.open_allowance(
        make_award(call_115, "10458575", CategoryKind.INFERENCE, points=1)
    )
    barrier = threading.Barrier(THREADS)
    errors = []

    def worker(index):
        try:
            barrier.wait()
            reservation = _retry(lambda: services.reserve(allowance.pk, 8000, f"race-{index}"))
            if reservation is not None:
                # More tokens than reserved: the charge is capped, never overdrawn.
                _retry(lambda: services.settle(reservation, 12_500, f"gw:race-{index}"))
        except Exception as exc:  # reported below; a thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    row = Allowance.objects.get(pk=allowance.pk)
    assert errors == []
    assert row.reserved_units == 0
    assert row.exact_units == 12_500 * Reservation.objects.filter(allowance=row).count()
    # Running total: what is charged is the exact total rounded up, capped at the grant.
    assert row.used_units == min(row.granted_units, services.round_up(row.exact_units, 1000))
    assert services.ledger_mismatch(row) == {}
