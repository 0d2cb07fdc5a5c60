"""The key list's region warning in English counts one connection in the singular."""

import pytest

from aipower.accounts.enums import Role
from aipower.accounts.models import User
from aipower.gateway.services import create_key, record_region_refusal

pytestmark = [pytest.mark.integration, pytest.mark.urls("tests.gateway.urls")]


def _warning(company, language):
    from django.test import Client

    browser = Client()
    user = User.objects.create(
        username=f"company-{company.ubn}", role=Role.COMPANY, company=company
    )
    browser.force_login(user)
    browser.cookies["django_language"] = language
    page = browser.get("/keys/").content.decode()
    return page.split('id="region-refusals"')[1].split("</section>")[0]


@pytest.mark.parametrize(
    ("times", "said"),
    [(1, "1 connection from Hong Kong, at "), (3, "3 connections from Hong Kong, the last at ")],
)
def test_region_warning_in_english_says_connection_or_connections(company, award, times, said):
    key, _secret = create_key(company, award, "production")
    for _ in range(times):
        record_region_refusal(key.pk, award.pk, "HK", "202.45.84.58")

    warning = _warning(company, "en")

    assert f"Key “production” ({key.prefix}…): {said}" in warning


def test_region_warning_in_chinese_counts_the_connections(company, award):
    key, _secret = create_key(company, award, "正式環境")
    record_region_refusal(key.pk, award.pk, "HK", "202.45.84.58")

    warning = _warning(company, "zh-hant")

    assert f"金鑰「正式環境」（{key.prefix}…）：自香港連線 1 次，最近一次 " in warning
