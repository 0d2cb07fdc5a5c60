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
