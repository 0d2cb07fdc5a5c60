"""The gateway's only door to the points ledger (``aipower.grants.services``).

On PostgreSQL a reservation (and a release) is committed without waiting for the WAL flush
(``synchronous_commit = off`` for that transaction only): it is visible to every other request
at once, which is what the hard cap needs, and losing it in a crash loses nothing — the request
dies with the process and charges nothing. Settlements, which charge, stay fully durable.
"""

import contextlib

from django.db import connection, transaction

from aipower.grants import services

RESERVATION_TTL_SECONDS = 900


@contextlib.contextmanager
def _no_flush_wait():
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        else:
            take_write_lock()
        yield


def take_write_lock():
    """SQLite: take the database's write lock first, waiting for it (busy timeout).

    A deferred SQLite transaction that reads and then writes cannot wait for a concurrent
    writer: its upgrade fails at once with "database is locked". A write as the transaction's
    first statement (one that changes no row) waits for the lock instead.
    """
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE gateway_upstream SET id = id WHERE id = -1")


def in_period(allowance) -> bool:
    return services.in_period(allowance)


def max_reservable(allowance_id) -> int:
    return services.max_reservable(allowance_id)


def reserve(allowance_id, units, request_id):
    with _no_flush_wait():
        return services.reserve(
            allowance_id, units, request_id, ttl_seconds=RESERVATION_TTL_SECONDS
        )


def settle(reservation, exact_tokens, request_id, admission):
    from aipower.calls.models import CatalogueModel

    model = CatalogueModel(pk=admission.model_id)
    return services.settle(reservation, exact_tokens, f"gw:{request_id}", model=model)


def release(reservation):
    return services.release(reservation)
