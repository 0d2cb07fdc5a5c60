"""Fixtures for the review tests: the seeded call opened now, staff of every role, companies
with submitted applications (through applications.services, as the wizard does)."""

import pytest

from aipower.accounts.models import User
from aipower.applications.models import Application
from aipower.applications.services import start_application, submit_application
from tests.applications.conftest import fill_application, make_company_user, open_now
from tests.conftest import verified_client


@pytest.fixture
def open_call(call_115):
    return open_now(call_115)


def make_staff(username, role, email=None):
    return User.objects.create_user(
        username=username, role=role, email=email or f"{username}@example.org", first_name=username
    )


@pytest.fixture
def operator(db):
    return make_staff("op", "operator")


@pytest.fixture
def organiser(db):
    return make_staff("org", "organiser")


@pytest.fixture
def reviewers(db):
    return [make_staff(f"rev{n}", "reviewer") for n in (1, 2, 3)]


@pytest.fixture
def company_a(db):
    return make_company_user("04595257", "甲智能股份有限公司")


@pytest.fixture
def company_b(db):
    return make_company_user("10458575", "乙資訊有限公司")


def submitted(user, call, category="training"):
    app = start_application(user.company, call)
    app = fill_application(app, user, category)
    return submit_application(app, user)


@pytest.fixture
def app_a(open_call, company_a):
    return submitted(company_a, open_call)


@pytest.fixture
def app_b(open_call, company_b):
    return submitted(company_b, open_call)


def refresh(app):
    return Application.objects.get(pk=app.pk)


@pytest.fixture
def approved(app_a, operator, organiser, reviewers):
    """``app_a`` reviewed, approved at L1 by the meeting, and its batch's list approved."""
    from aipower.calls.models import Tier
    from aipower.review import services

    from .helpers import full_review

    full_review([app_a], operator, reviewers)
    tier = Tier.objects.get(call=app_a.call, code="L1")
    services.stage_decision(app_a, operator, outcome="approved", tier=tier)
    services.approve_batch(app_a.batch, organiser)
    return app_a


@pytest.fixture
def scoring(app_a, operator, reviewers):
    """``app_a``'s assignment to the first reviewer (declared), its criteria, and that
    reviewer's signed-in client."""
    from aipower.review import services

    from .helpers import assign_and_declare, make_eligible

    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    criteria = list(services.criteria_of(app_a))
    return assignment, criteria, verified_client(reviewers[0])
