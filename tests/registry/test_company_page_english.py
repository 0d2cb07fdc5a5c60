"""The registry's company page in English names the call by its English title."""

import pytest

from aipower.accounts.enums import Role
from aipower.registry.services import import_demo_registry
from tests.registry.test_views import signed_in

pytestmark = pytest.mark.integration


@pytest.fixture
def registry(db):
    return import_demo_registry().snapshot


@pytest.fixture
def operator_client(client, django_user_model):
    return signed_in(client, django_user_model, Role.OPERATOR)


def test_company_page_in_english_names_the_checked_call_in_english(
    registry, call_115, operator_client
):
    operator_client.cookies["django_language"] = "en"

    html = operator_client.get("/staff/registry/companies/84700087/").content.decode()

    assert f'<span class="muted small">{call_115.title_en}</span>' in html
    assert call_115.title_zh not in html


def test_company_page_in_chinese_names_the_checked_call_in_chinese(
    registry, call_115, operator_client
):
    html = operator_client.get("/staff/registry/companies/84700087/").content.decode()

    assert f'<span class="muted small">{call_115.title_zh}</span>' in html


def test_company_page_in_english_names_the_matched_industry_group_in_english(
    registry, call_115, operator_client
):
    operator_client.cookies["django_language"] = "en"

    html = operator_client.get("/staff/registry/companies/84700087/").content.decode()

    assert "(J62 Computer programming, consultancy and related activities, main business)" in (html)
    assert "電腦程式設計、諮詢及相關服務業" not in html
