"""The printed API key list says whose keys they are and when it was printed, and leaves out
the form that creates a key."""

import pytest

from aipower.accounts.enums import Role
from aipower.accounts.models import User
from tests.printing import print_meta, printing_times

pytestmark = [pytest.mark.integration, pytest.mark.urls("tests.gateway.urls")]


def _keys_page(company, language):
    from django.test import Client

    browser = Client()
    user = User.objects.create(
        username=f"company-{company.ubn}", role=Role.COMPANY, company=company
    )
    browser.force_login(user)
    browser.cookies["django_language"] = language
    with printing_times(language) as times:
        page = browser.get("/keys/").content.decode()
    return page, times


def test_key_list_in_english_carries_the_company_and_printing_time(company, award):
    page, times = _keys_page(company, "en")

    assert print_meta(page) in [f"{company.name} ({company.ubn}); printed at {at}" for at in times]


def test_key_list_in_chinese_carries_the_company_and_printing_time(company, award):
    page, times = _keys_page(company, "zh-hant")

    assert print_meta(page) in [f"{company.name}（{company.ubn}）；列印時間：{at}" for at in times]


def test_the_form_that_creates_a_key_is_not_printed(company, award):
    page, _times = _keys_page(company, "en")

    assert '<section class="card no-print" aria-labelledby="key-new-title">' in page
