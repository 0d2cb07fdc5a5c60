"""Business operations of the gateway: API keys, upstream routes, usable awards."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.core import audit

from .models import (
    KEY_PREFIX,
    SHOWN_PREFIX_LENGTH,
    ApiKey,
    ModelRoute,
    RegionRefusal,
    Upstream,
    hash_secret,
)


def inference_awards(company):
    """The company's inference awards, newest first."""
    from aipower.review.models import Award

    return Award.objects.filter(company=company, category__kind=CategoryKind.INFERENCE).order_by(
        "-starts_on", "-pk"
    )


def new_secret() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def create_key(
    company,
    award,
    name,
    *,
    request=None,
    secret=None,
    rate_limit=None,
    expires_at=None,
    request_token="",
):
    """A new key for ``award``; returns ``(key, secret)`` — the secret is never stored.

    With ``request_token`` (the creating form's one-time token) the same form sent again
    returns ``(the key it created, None)``: no second key, and the secret is not to be had."""
    if award.company_id != company.pk:
        raise ValueError("a key belongs to its company's own award")
    mine = ApiKey.objects.filter(company=company)
    if request_token and (existing := mine.filter(request_token=request_token).first()):
        return existing, None
    secret = secret or new_secret()
    try:
        with transaction.atomic():
            key = ApiKey.objects.create(
                company=company,
                award=award,
                name=name.strip(),
                prefix=secret[:SHOWN_PREFIX_LENGTH],
                secret_hash=hash_secret(secret),
                rate_limit=rate_limit,
                expires_at=expires_at,
                request_token=request_token,
            )
            audit.record("gateway.key_created", request=request, obj=key, name=key.name)
    except IntegrityError:
        if not request_token:
            raise
        return mine.get(request_token=request_token), None  # the same form, sent twice at once
    return key, secret


@transaction.atomic
def revoke_key(key, *, request=None):
    """Revoke at once (idempotent); the gateway refuses the key from the next request."""
    updated = ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        audit.record("gateway.key_revoked", request=request, obj=key, name=key.name)
    key.refresh_from_db()
    return bool(updated)


def route_model(model, upstream, upstream_model=""):
    """Serve catalogue ``model`` from ``upstream`` (create or update the route)."""
    route, _created = ModelRoute.objects.update_or_create(
        model=model, defaults={"upstream": upstream, "upstream_model": upstream_model}
    )
    return route


def upstream(name, base_url, *, timeout=120.0, api_key="", continuous_usage=False):
    server, _created = Upstream.objects.update_or_create(
        name=name,
        defaults={
            "base_url": base_url,
            "timeout": timeout,
            "api_key": api_key,
            "continuous_usage": continuous_usage,
        },
    )
    return server


def record_region_refusal(key_id: int, award_id: int, country: str, address: str, now=None):
    """Count one request of key ``key_id`` refused for coming from ``country`` (CN, HK or MO):
    one row per key, country and day (Asia/Taipei), its count, first and last time, and the
    latest address — the operator's evidence for 使用規範第2點."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    address = address[:64]
    same = RegionRefusal.objects.filter(api_key_id=key_id, country=country, day=day)
    if same.update(count=F("count") + 1, last_at=now, last_address=address):
        return
    try:
        with transaction.atomic():
            RegionRefusal.objects.create(
                api_key_id=key_id,
                award_id=award_id,
                country=country,
                day=day,
                count=1,
                first_at=now,
                last_at=now,
                last_address=address,
            )
    except IntegrityError:
        # Another process counted the day's first one meanwhile.
        same.update(count=F("count") + 1, last_at=now, last_address=address)
