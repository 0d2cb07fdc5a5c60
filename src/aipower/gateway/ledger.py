"""The gateway's door to the points ledger's own operations (``aipower.grants.services``):
the rare paths (a release after an upstream failure, a repeated settlement, a retried
reservation's re-read). The hot path — admission, reservation, settlement — is SQL in
``gateway.hotpath``.
"""

from django.db import connection

from aipower.grants import services

RESERVATION_TTL_SECONDS = 900


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


def settle(reservation, exact_tokens, request_id, admission):
    from aipower.calls.models import CatalogueModel

    model = CatalogueModel(pk=admission.model_id)
    return services.settle(reservation, exact_tokens, f"gw:{request_id}", model=model)


def release(reservation):
    return services.release(reservation)
