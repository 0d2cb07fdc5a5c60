"""Fixtures for the personal-data tests: a company with a submitted application (a version and
a mail sent to its contacts), another company, and staff of each role (the operator also with a
client that enforces CSRF)."""

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts.models import Company, User
from aipower.applications.models import Application, ApplicationVersion, SentMail
from aipower.applications.services import fingerprint, submission_snapshot
from tests.conftest import verified_client

PROFILE = {
    "representative": "黃代表",
    "pi_name": "林主持",
    "pi_title": "技術長",
    "pi_phone": "02-12345678#123",
    "pi_email": "pi@example.com",
    "contact_name": "陳聯絡",
    "contact_title": "專案經理",
    "contact_phone": "02-87654321",
    "contact_mobile": "0912345678",
    "contact_email": "contact@example.com",
    "contact2_name": "",
    "contact2_email": "",
}


def make_company(ubn, name):
    company = Company.objects.create(ubn=ubn, name=name)
    user = User.objects.create_user(username=f"company-{ubn}", role="company", company=company)
    return company, user


def make_application(call, company, *, submitted=True, profile=None):
    application = Application.objects.create(
        call=call,
        company=company,
        category="inference",
        state="submitted" if submitted else "draft",
        number=f"AP115-I-{company.ubn[:4]}" if submitted else None,
        data={"profile": dict(profile or PROFILE)},
    )
    if submitted:
        snapshot = submission_snapshot(application)
        application.fingerprint = fingerprint(snapshot)
        application.save()
        ApplicationVersion.objects.create(
            application=application,
            number=1,
            data=snapshot,
            fingerprint=application.fingerprint,
            created_at=timezone.now(),
        )
    return application


@pytest.fixture
def company(call_115):
    company, _user = make_company("04595257", "示範智能股份有限公司")
    return company


@pytest.fixture
def application(call_115, company):
    application = make_application(call_115, company)
    SentMail.objects.create(
        to=["pi@example.com", "Contact@Example.com"],
        subject="申請收執聯",
        body="...",
        application=application,
        sent_at=timezone.now(),
    )
    return application


@pytest.fixture
def company_client(company):
    return verified_client(company.user)


@pytest.fixture
def other_company(call_115):
    company, _user = make_company("10458575", "另一家股份有限公司")
    make_application(call_115, company, profile={**PROFILE, "pi_email": "other@example.com"})
    return company


@pytest.fixture
def other_client(other_company):
    return verified_client(other_company.user)


def make_staff(role):
    return User.objects.create_user(username=role, password="x", role=role)


@pytest.fixture
def operator(db):
    return make_staff("operator")


@pytest.fixture
def organiser(db):
    return make_staff("organiser")


@pytest.fixture
def reviewer(db):
    return make_staff("reviewer")


@pytest.fixture
def operator_client(operator):
    return verified_client(operator)


@pytest.fixture
def organiser_client(organiser):
    return verified_client(organiser)


@pytest.fixture
def reviewer_client(reviewer):
    return verified_client(reviewer)


@pytest.fixture
def operator_csrf_client(operator):
    """The operator signed in (second factor verified) with a client that enforces CSRF."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    device = TOTPDevice.objects.create(user=operator, name="csrf", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
