"""Fixtures for the grants tests: companies with an approved application and its award."""

import datetime

import pytest
from django.utils import timezone

from aipower.accounts.models import Company, User
from aipower.applications.models import Application
from aipower.calls.enums import CategoryKind
from aipower.review.models import Award

PROFILE = {
    "pi_name": "林主持",
    "pi_email": "pi@example.com",
    "contact_name": "陳聯絡",
    "contact_email": "contact@example.com",
}


def make_award(call, ubn, kind, *, points=1000, starts_on=None, ends_on=None, name=None):
    """An approved application of company ``ubn`` and its award of ``points``."""
    company, _ = Company.objects.get_or_create(ubn=ubn, defaults={"name": name or f"公司{ubn}"})
    category = call.categories.get(kind=kind)
    application = Application.objects.create(
        call=call,
        company=company,
        category=kind,
        state="submitted",
        number=f"115-{kind[0].upper()}-{ubn}",
        data={"profile": PROFILE},
    )
    today = timezone.localdate()
    starts_on = starts_on or today - datetime.timedelta(days=10)
    award = Award.objects.create(
        application=application,
        company=company,
        category=category,
        tier=call.tiers.filter(points=points).first(),
        points=points,
        units=points * category.units_per_point,
        starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=91),
        approved_at=timezone.now(),
    )
    if kind == CategoryKind.INFERENCE:
        award.allowed_models.set(call.models.filter(offered_inference=True)[:2])
    return award


@pytest.fixture
def inference_award(call_115):
    return make_award(call_115, "12345675", CategoryKind.INFERENCE)


@pytest.fixture
def training_award(call_115):
    return make_award(call_115, "04595257", CategoryKind.TRAINING)


@pytest.fixture
def gpu_allowance(call_115):
    """An open training allowance (cluster account aip115-04595257) whose period, 1 November
    2026 to 30 January 2027, holds the GPU-metering tests' jobs of 20 November."""
    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING,
        starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2027, 1, 30),
    )  # fmt: skip
    from aipower.grants import services

    return services.open_allowance(award)


@pytest.fixture
def company_client(client):
    """A test client signed in as the company of the given award."""

    def sign_in(company):
        user, _ = User.objects.get_or_create(
            username=f"company-{company.ubn}", defaults={"role": "company", "company": company}
        )
        client.force_login(user)
        return client

    return sign_in
