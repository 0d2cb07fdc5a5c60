"""The API guide in English says everything in English (the company's name aside)."""

import html

import pytest

from aipower.accounts.enums import Role
from aipower.accounts.models import User
from tests.english_text import chinese_left

pytestmark = [pytest.mark.integration, pytest.mark.urls("tests.gateway.urls")]


def _english_guide(company):
    from django.test import Client

    browser = Client()
    user = User.objects.create(
        username=f"company-{company.ubn}", role=Role.COMPANY, company=company
    )
    browser.force_login(user)
    browser.cookies["django_language"] = "en"
    return browser.get("/keys/guide/").content.decode()


def test_the_guide_in_english_has_no_chinese_left(company, award):
    page = _english_guide(company)

    assert chinese_left(page, allowed=[company.name]) == []


def test_the_guide_in_english_lists_the_endpoints_with_commas_and_greets_in_english(company, award):
    page = html.unescape(_english_guide(company))

    assert "<code>GET /v1/models</code>, <code>POST /v1/chat/completions</code>, " in page
    assert "<h3>Python (openai SDK)</h3>" in page
    assert page.count('"content": "Hello"') == 2


def test_the_guide_in_english_authenticates_with_an_api_key_and_spells_macau_one_way(
    company, award
):
    page = html.unescape(_english_guide(company))

    assert "<code>Authorization: Bearer <API key></code>" in page
    assert "Macao" not in page and "Hong Kong or Macau" in page
