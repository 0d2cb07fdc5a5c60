"""The company page after card login once the next year's call exists: a company with an
application of an earlier call is led to 申請案狀態."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.applications.conftest import make_company_user, open_now
from tests.applications.two_calls import awarded_application, close, seed_next_call

pytestmark = pytest.mark.integration


def company_page(user):
    client = Client()
    client.force_login(user)
    return client.get(reverse("accounts:company")).content.decode()


def test_company_page_links_the_dashboard_of_an_earlier_calls_award(call_115, monkeypatch):
    user = make_company_user()
    awarded_application(call_115, user)
    close(call_115)
    seed_next_call(monkeypatch, is_open=False)

    html = company_page(user)

    assert f'href="{reverse("applications:dashboard")}"' in html


def test_company_page_without_applications_has_no_dashboard_link(call_115):
    open_now(call_115)
    user = make_company_user()

    html = company_page(user)

    assert f'href="{reverse("applications:dashboard")}"' not in html
    assert f'href="{reverse("applications:index")}"' in html
