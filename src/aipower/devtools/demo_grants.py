"""Demo data for the inference API: an active award for 山嵐資訊有限公司, its catalogue models
served by the mock model server, and a fixed development key. Idempotent.

The award comes out of the real review (``demo_review``): the application AP115-I-0001, with
complete answers choosing every inference model of the catalogue, reviewed by reviewer1–3 in
the last inference batch whose cut-off had passed, approved two days ago, its period starting
yesterday.

Development only: the key ``sk-aipower-demo-0000000000000000`` is public.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .demo_review import history_mail

DEMO_UBN = "52880483"
DEMO_COMPANY = "山嵐資訊有限公司"
DEMO_KEY = "sk-aipower-demo-0000000000000000"
DEMO_KEY_NAME = "示範金鑰"
DEMO_POINTS = 1000
MOCK_UPSTREAM = "mock"
# When the organiser approved the list, before the demo is loaded; the award starts the day
# after (the period may not start before the approval).
DEMO_APPROVED_BEFORE = datetime.timedelta(days=2)
PROFILE = {
    "founded_on": "2009-06-01",
    "paid_in_capital": "5000000",
    "representative": "陳代表",
    "employees": "18",
    "address": "新北市汐止區福德里新台五路１段９９號１２樓",
    "pi_name": "周主持",
    "pi_title": "研發經理",
    "pi_phone": "02-26981234#201",
    "pi_email": "pi@shanlan.example",
    "contact_name": "吳聯絡",
    "contact_title": "業務專員",
    "contact_phone": "02-26981234#202",
    "contact_mobile": "0923456789",
    "contact_email": "contact@shanlan.example",
    "industries": ["J63"],
    "company_intro": "1.營業項目：資料處理及雲端服務 2.主要產品：企業知識庫問答 3.銷售區域：臺灣",
    "consent": "on",
}


def inference_pages(models):
    """The wizard's answers of 山嵐's inference application, choosing ``models`` (names)."""
    return {
        "terms": {},
        "profile": PROFILE,
        "declaration": {"agreed": "on"},
        "inference-1": {
            "topic": "企業知識庫問答助理",
            "domains": ["finance"],
            "inference_models": models,
        },
        "inference-2": {
            "importance": (
                "以大型語言模型串接企業內部文件，協助客服與業務人員即時查詢產品及法規資訊。"
            ),
            "opportunity": "推廣至金融、保險及製造業之知識管理。",
            "scenario": "客服人員查詢時間縮短一半，新進人員訓練期縮短。",
        },
        "inference-3": {
            "expected_applications": "2",
            "deliverables_agree": "on",
            "mou_url": "無",
            "product_material_url": "無",
            "dataset_huggingface_url": "無",
            "dataset_github_url": "無",
            "model_huggingface_url": "無",
            "model_github_url": "無",
            "registration_payment": "無",
            "registration_esignature": "無",
            "registration_data_economy": "無",
            "registration_ai": "無",
            "registration_it_services": "無",
            "registration_security": "no",
        },
        "inference-4": {
            "customers": ["sme"],
            "progress": ["in_development"],
            "product_forms": ["cloud"],
            "pricing_units": ["per_user"],
            "pricing_period": "monthly",
            "other_needs": "無",
        },
        "pledge": {"understood": "on", "category_confirmed": "on"},
    }


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
    """An approved inference application of ``company`` with its award and allowance, made
    directly (no review): the tests' quick award. The demo's own award is reviewed
    (``load_demo_grants``)."""
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


@history_mail()
@transaction.atomic
def load_demo_grants(now=None):
    """Give the demo company an active inference award served by the mock model server."""
    from aipower.accounts.models import Company
    from aipower.calls.enums import CategoryKind
    from aipower.calls.models import Call
    from aipower.gateway.models import ApiKey, hash_secret
    from aipower.gateway.services import create_key, route_model, upstream
    from aipower.grants.services import open_allowance

    from .demo_review import review_to_award, submit_demo_application

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
    approved_at = now - DEMO_APPROVED_BEFORE
    application = submit_demo_application(
        call,
        company,
        CategoryKind.INFERENCE,
        inference_pages([model.display_name for model in models]),
        approved_at=approved_at,
    )
    award = review_to_award(
        application,
        points=DEMO_POINTS,
        approved_at=approved_at,
        starts_on=timezone.localdate(now) - datetime.timedelta(days=1),
    )
    open_allowance(award, now=now)
    if not ApiKey.objects.filter(secret_hash=hash_secret(DEMO_KEY)).exists():
        create_key(company, award, DEMO_KEY_NAME, secret=DEMO_KEY)
    return award
