"""Fixtures for the follow-up tests: awards whose period has ended (the deliverables' helper),
a round of the seeded call, a full set of answers, company users and staff of each role."""

import datetime

import pytest
from django.utils import timezone

from aipower.accounts.models import User
from aipower.calls.enums import CategoryKind
from aipower.followup import services
from tests.conftest import verified_client
from tests.deliverables.conftest import ended_allowance

__all__ = ["ended_allowance"]

# A complete, valid survey as the form posts it.
ANSWERS = {
    "models_made": "2",
    "applications_made": "3",
    "customers": ["sme", "government"],
    "progress": ["launched", "priced"],
    "product_forms": ["cloud", "other"],
    "product_forms_other": "API",
    "pricing_units": ["per_account"],
    "pricing_units_other": "",
    "pricing_period": "monthly",
    "pricing_period_other": "",
    "product_name": "客服小幫手",
    "product_url": "https://beigang.example/assistant",
    "paying_customers": "12",
    "revenue": "1500000",
    "open_source_url": "https://huggingface.co/beigang/tw-support-7b",
    "notes": "已與兩家銀行簽約",
}


def cleaned(answers=None):
    """What the service stores for ``ANSWERS`` (integers, lists, normalised links)."""
    answers = dict(answers or ANSWERS)
    for key in ("models_made", "applications_made", "paying_customers", "revenue"):
        answers[key] = int(answers[key])
    return answers


@pytest.fixture
def training_ended(call_115):
    allowance = ended_allowance(call_115, "04595257", CategoryKind.TRAINING, days_ago=10)
    application = allowance.award.application
    application.data = {
        **application.data,
        "training": {
            "expected_models": 1,
            "expected_applications": 2,
            "customers": ["sme"],
            "progress": ["in_development"],
        },
    }
    application.save(update_fields=["data"])
    return allowance


@pytest.fixture
def inference_ended(call_115):
    return ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=40)


@pytest.fixture
def operator(db):
    return User.objects.create_user(username="operator-1", role="operator", password="x" * 12)


@pytest.fixture
def open_round(call_115, operator):
    today = timezone.localdate()
    return services.open_round(
        call=call_115,
        title="115年度產品化調查（第1次）",
        opens_on=today,
        due_on=today + datetime.timedelta(days=30),
        by=operator,
    )


@pytest.fixture
def company_user():
    def make(company):
        user, _ = User.objects.get_or_create(
            username=f"company-{company.ubn}", defaults={"role": "company", "company": company}
        )
        return user

    return make


@pytest.fixture
def staff(db):
    """A verified client of a staff member of ``role``, and the user."""

    def make(role):
        user = User.objects.create_user(username=f"{role}-x", role=role, password="x" * 12)
        return verified_client(user), user

    return make
