"""The staff account forms (new account, set-up link, password change) link each field to its
help text and its error (``aria-describedby`` naming elements that exist), as the other forms
do; they wrote the help text without the id Django's widgets point to."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from aipower.accounts import enrolment as service
from aipower.accounts.enums import Role
from aipower.accounts.models import User
from tests.accounts.test_staff_accounts import NEW_PASSWORD, operator, operator_client  # noqa: F401
from tests.accounts.test_staff_login import make_staff, verified_session

pytestmark = pytest.mark.integration


def dangling_descriptions(html):
    """(field, missing id) for every aria-describedby naming no element of the page."""
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    missing = []
    for tag in re.findall(r"<(?:input|select|textarea|fieldset)\b[^>]*>", html):
        described = re.search(r'aria-describedby="([^"]+)"', tag)
        for target in described.group(1).split() if described else []:
            if target not in ids:
                missing.append((re.search(r'name="([^"]+)"', tag), target))
    return missing


def described_fields(html):
    return re.findall(r'<(?:input|select|textarea)\b[^>]*aria-describedby="[^"]+"', html)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_the_new_account_form_links_its_help_texts(operator_client):  # noqa: F811
    html = operator_client.get("/staff/accounts/").content.decode()

    assert described_fields(html)
    assert dangling_descriptions(html) == []


def test_the_password_change_form_links_its_help_and_errors(django_user_model):
    client = Client()
    verified_session(client, make_staff(django_user_model, "rev", Role.REVIEWER))

    page = client.get("/staff/password/").content.decode()
    refused = client.post(
        "/staff/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": "other"},
    ).content.decode()

    assert described_fields(page)
    assert dangling_descriptions(page) == []
    assert dangling_descriptions(refused) == []


def test_the_set_up_link_form_links_its_help_texts(operator, db):  # noqa: F811
    member = User.objects.create_user("newrev", role=Role.REVIEWER, email="newrev@example.org")
    _enrolment, token = service.issue(member, by=operator)

    html = Client().get(f"/staff/enrol/{token}/").content.decode()

    assert described_fields(html)
    assert dangling_descriptions(html) == []
