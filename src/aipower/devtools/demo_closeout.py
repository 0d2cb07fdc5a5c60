"""Demo data for after the period: 北港軟體股份有限公司 had a training award whose period ended ten
days ago. It shows what comes after the service — the deliverables the company owes
(/deliverables/, /staff/deliverables/) and its open-source pledges for the operator to check
(/staff/compliance/pledges/). Idempotent. Development only.

北港軟體 therefore cannot start an application in the demo call (one per company and call); 晴空智能
shows the wizard.
"""

import datetime

from django.db import transaction
from django.utils import timezone

CLOSEOUT_UBN = "48552728"
CLOSEOUT_COMPANY = "北港軟體股份有限公司"
CLOSEOUT_POINTS = 1000
PROFILE = {
    "representative": "王代表",
    "pi_name": "李主持",
    "pi_title": "技術長",
    "pi_phone": "02-23456789#101",
    "pi_email": "pi@beigang.example",
    "contact_name": "張聯絡",
    "contact_title": "專案經理",
    "contact_phone": "02-23456789#102",
    "contact_mobile": "0912345678",
    "contact_email": "contact@beigang.example",
}
PLEDGES = {
    "model_huggingface_url": "https://huggingface.co/beigang/tw-support-7b",
    "model_github_url": "無",
    "dataset_huggingface_url": "無",
    "dataset_github_url": "https://github.com/beigang/tw-support-data",
}


@transaction.atomic
def load_demo_closeout(now=None):
    """The ended training award of 北港軟體, its allowance expired and its pledges opened."""
    from aipower.accounts.models import Company
    from aipower.applications.enums import ApplicationState
    from aipower.applications.models import Application
    from aipower.calls.enums import CategoryKind
    from aipower.calls.models import Call
    from aipower.compliance.services import open_pledges
    from aipower.devtools.demo_grants import number_demo_application
    from aipower.grants.services import expire, open_allowance
    from aipower.review.models import Award

    now = now or timezone.now()
    today = timezone.localdate(now)
    call = Call.objects.get(year=115)
    company, _created = Company.objects.get_or_create(
        ubn=CLOSEOUT_UBN, defaults={"name": CLOSEOUT_COMPANY}
    )
    category = call.categories.get(kind=CategoryKind.TRAINING)
    application, _created = Application.objects.get_or_create(
        call=call,
        company=company,
        defaults={
            "category": CategoryKind.TRAINING,
            "state": ApplicationState.APPROVED,
            "submitted_at": now - datetime.timedelta(days=130),
            "batch": category.batches.order_by("review_date").first(),
            "data": {"profile": PROFILE, "training": PLEDGES},
        },
    )
    number_demo_application(application, category)
    ends_on = today - datetime.timedelta(days=10)
    award = Award.objects.filter(application=application).first()
    if award is None:
        award = Award.objects.create(
            application=application,
            company=company,
            category=category,
            tier=call.tiers.filter(points=CLOSEOUT_POINTS).first(),
            points=CLOSEOUT_POINTS,
            units=CLOSEOUT_POINTS * category.units_per_point,
            starts_on=ends_on - datetime.timedelta(days=91),
            ends_on=ends_on,
            approved_at=now - datetime.timedelta(days=105),
        )
    allowance = open_allowance(award, now=now)
    expire(allowance, now=now)
    open_pledges(award)
    return award
