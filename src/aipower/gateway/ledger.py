"""The gateway's only door to the points ledger (``aipower.grants.services``)."""

from aipower.grants import services

RESERVATION_TTL_SECONDS = 900


def max_reservable(allowance_id) -> int:
    return services.max_reservable(allowance_id)


def reserve(allowance_id, units, request_id):
    return services.reserve(allowance_id, units, request_id, ttl_seconds=RESERVATION_TTL_SECONDS)


def settle(reservation, exact_tokens, request_id, admission):
    from aipower.calls.models import CatalogueModel

    model = CatalogueModel(pk=admission.model_id)
    return services.settle(reservation, exact_tokens, f"gw:{request_id}", model=model)


def release(reservation):
    return services.release(reservation)
