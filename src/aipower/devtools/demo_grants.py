"""Demo data for the inference API: an active award for 山嵐資訊有限公司, its catalogue models
served by the mock model server, and a fixed development key. Idempotent.

Development only: the key ``sk-aipower-demo-0000000000000000`` is public.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

DEMO_UBN = "52880483"
DEMO_COMPANY = "山嵐資訊有限公司"
DEMO_KEY = "sk-aipower-demo-0000000000000000"
DEMO_KEY_NAME = "示範金鑰"
DEMO_POINTS = 1000
MOCK_UPSTREAM = "mock"


def mock_base_url():
    host = getattr(settings, "MOCKLLM_HOST", "127.0.0.1")
    port = getattr(settings, "MOCKLLM_PORT", 8001)
    return f"http://{host}:{port}/v1"


def number_demo_application(application, category):
    """Give a demo application its number as a submission would (AP115-I-0001 …), so that the
    staff lists show it and the next real submission takes the next number."""
    from aipower.applications.services import _next_number

    if application.number is None:
        with transaction.atomic():  # _next_number locks the category row
            application.number = _next_number(application, category)
            application.save(update_fields=["number"])


def grant_inference_award(company, call, *, points, models, starts_on, ends_on, now=None):
    """An approved inference application of ``company`` with its award and allowance."""
    from aipower.applications.enums import ApplicationState
    from aipower.applications.models import Application
    from aipower.calls.enums import CategoryKind
    from aipower.grants.services import open_allowance
    from aipower.review.models import Award

    now = now or timezone.now()
    category = call.categories.get(kind=CategoryKind.INFERENCE)
    application, _created = Application.objects.get_or_create(
        call=call,
        company=company,
        defaults={
            "category": CategoryKind.INFERENCE,
            "state": ApplicationState.APPROVED,
            "submitted_at": now,
            "batch": category.batches.order_by("review_date").first(),
        },
    )
    number_demo_application(application, category)
    award = Award.objects.filter(application=application).first()
    if award is None:
        award = Award.objects.create(
            application=application,
            company=company,
            category=category,
            tier=call.tiers.filter(points=points).first(),
            points=points,
            units=points * category.units_per_point,
            starts_on=starts_on,
            ends_on=ends_on,
            approved_at=now,
        )
    award.allowed_models.add(*models)
    open_allowance(award, now=now)
    return award


@transaction.atomic
def load_demo_grants(now=None):
    """Give the demo company an active inference award served by the mock model server."""
    from aipower.accounts.models import Company
    from aipower.calls.models import Call
    from aipower.gateway.models import ApiKey, hash_secret
    from aipower.gateway.services import create_key, route_model, upstream

    now = now or timezone.now()
    call = Call.objects.get(year=115)
    company, _created = Company.objects.get_or_create(ubn=DEMO_UBN, defaults={"name": DEMO_COMPANY})
    models = list(
        call.models.filter(offered_inference=True, enabled=True, prohibited=False).order_by(
            "order", "display_name"
        )
    )
    mock = upstream(MOCK_UPSTREAM, mock_base_url(), timeout=30)
    for model in models:
        route_model(model, mock)
    today = timezone.localdate(now)
    award = grant_inference_award(
        company,
        call,
        points=DEMO_POINTS,
        models=models,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=90),
        now=now,
    )
    if not ApiKey.objects.filter(secret_hash=hash_secret(DEMO_KEY)).exists():
        create_key(company, award, DEMO_KEY_NAME, secret=DEMO_KEY)
    return award
