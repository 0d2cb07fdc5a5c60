"""Demo data for after the period: 北港軟體股份有限公司 had a training award whose period ended ten
days ago. It shows what comes after the service — the deliverables the company owes
(/deliverables/, /staff/deliverables/) and its open-source pledges for the operator to check
(/staff/compliance/pledges/). Its application AP115-T-0001 is complete and consented, with the
fingerprinted version a submission makes, so its read-back (/apply/<pk>/view/, the staff page)
shows every answer; it went through the review (``demo_review``: the first training batch,
reviewed by reviewer1–3, the list approved 105 days ago). Idempotent. Development only.

北港軟體 therefore cannot start an application in the demo call (one per company and call); 晴空智能
shows the wizard.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .demo_review import history_mail

CLOSEOUT_UBN = "48552728"
CLOSEOUT_COMPANY = "北港軟體股份有限公司"
CLOSEOUT_POINTS = 1000
# The list was approved this long before the demo is loaded; the award's period (the call's
# ``validity_months``) ended ``CLOSEOUT_ENDED_BEFORE`` ago.
CLOSEOUT_APPROVED_BEFORE = datetime.timedelta(days=105)
CLOSEOUT_ENDED_BEFORE = datetime.timedelta(days=10)
# The company's complete answers, page by page, as the applicant typed them into the wizard
# (the same complete application as the tests' helpers, tests/applications/conftest.py); its
# date of registration, capital and address as the demo tax registry has them (the wizard
# pre-fills them from there: devtools/data/BGMOPEN1-demo.csv).
PROFILE = {
    "founded_on": "2012-08-20",
    "paid_in_capital": "80000000",
    "representative": "王代表",
    "employees": "42",
    "address": "臺北市內湖區瑞光里瑞光路５１３巷２２號５樓",
    "pi_name": "李主持",
    "pi_title": "技術長",
    "pi_phone": "02-23456789#101",
    "pi_email": "pi@beigang.example",
    "contact_name": "張聯絡",
    "contact_title": "專案經理",
    "contact_phone": "02-23456789#102",
    "contact_mobile": "0912345678",
    "contact_email": "contact@beigang.example",
    "industries": ["J62"],
    "company_intro": "1.營業項目：資訊服務 2.主要產品：繁體中文客服模型 3.銷售區域：臺灣",
    "consent": "on",
}
PLEDGES = {
    "model_huggingface_url": "https://huggingface.co/beigang/tw-support-7b",
    "model_github_url": "無",
    "dataset_huggingface_url": "無",
    "dataset_github_url": "https://github.com/beigang/tw-support-data",
}


TRAINING_PAGES = {
    "training-1": {
        "topic": "繁體中文客服模型",
        "domains": ["finance"],
        "container_model_name": "無",
        "container_model_version": "無",
        "container_download_url": "無",
        "container_base_model": "無",
        "no_code_models": ["Llama-3.1-TAIDELX-8B-Lora"],
        "validation_models": ["none"],
    },
    "training-2": {
        "importance": "以繁體中文客服對話微調語言模型，協助中小企業客服人員即時回覆常見問題。",
        "opportunity": "推廣至金融、電信及零售業之客服中心。",
        "text_tokens": "12000000",
        "speech_hours": "0",
        "video_hours": "0",
        "video_resolution": "0",
        "image_count": "0",
        "image_resolution": "0",
        "dataset_description": "去識別化之客服問答紀錄及產品說明文件",
    },
    "training-3": {
        "expected_models": "1",
        "expected_applications": "2",
        "deliverables_agree": "on",
        "mou_url": "無",
        "product_material_url": "無",
        **PLEDGES,
        "registration_payment": "無",
        "registration_esignature": "無",
        "registration_data_economy": "無",
        "registration_ai": "無",
        "registration_it_services": "無",
        "registration_security": "no",
    },
    "training-4": {
        "customers": ["sme"],
        "progress": ["in_development"],
        "product_forms": ["cloud"],
        "pricing_units": ["per_user"],
        "pricing_period": "monthly",
        "other_needs": "無",
    },
}
PAGES = {
    "terms": {},
    "profile": PROFILE,
    "declaration": {"agreed": "on"},
    **TRAINING_PAGES,
    "pledge": {"understood": "on", "category_confirmed": "on"},
}


@history_mail()
@transaction.atomic
def load_demo_closeout(now=None):
    """The ended training award of 北港軟體, its allowance expired and its pledges opened."""
    from aipower.accounts.models import Company
    from aipower.calls.enums import CategoryKind
    from aipower.calls.models import Call
    from aipower.compliance.services import open_pledges
    from aipower.devtools.demo_review import (
        period_start,
        review_to_award,
        submit_demo_application,
    )
    from aipower.grants.services import expire, open_allowance

    now = now or timezone.now()
    today = timezone.localdate(now)
    call = Call.objects.get(year=115)
    company, _created = Company.objects.get_or_create(
        ubn=CLOSEOUT_UBN, defaults={"name": CLOSEOUT_COMPANY}
    )
    approved_at = now - CLOSEOUT_APPROVED_BEFORE
    application = submit_demo_application(
        call, company, CategoryKind.TRAINING, PAGES, approved_at=approved_at
    )
    award = review_to_award(
        application,
        points=CLOSEOUT_POINTS,
        approved_at=approved_at,
        starts_on=period_start(today - CLOSEOUT_ENDED_BEFORE, call.validity_months),
    )
    allowance = open_allowance(award, now=award.approved_at)
    # Expired as the nightly job does, when its period ended (not when the demo was loaded):
    # the company's ledger reads granted, then expired.
    period_over = timezone.make_aware(
        datetime.datetime.combine(award.ends_on + datetime.timedelta(days=1), datetime.time.min)
    )
    expire(allowance, now=min(period_over, now))
    open_pledges(award)
    return award
