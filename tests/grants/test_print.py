"""A printed usage statement says what it is, whose it is and when it was printed."""

import pytest
from django.urls import reverse

from aipower.grants import services
from tests.printing import print_meta, printing_times

pytestmark = pytest.mark.integration


@pytest.fixture
def allowance(inference_award):
    return services.open_allowance(inference_award)


def test_usage_statement_in_english_carries_company_number_and_printing_time(
    allowance, company_client
):
    client = company_client(allowance.company)
    client.cookies["django_language"] = "en"

    with printing_times("en") as times:
        page = client.get(reverse("grants:detail", args=[allowance.pk])).content.decode()

    number = allowance.award.application.number
    company = f"{allowance.company.name} ({allowance.company.ubn})"
    assert print_meta(page) in [
        f"Usage details: {company}; application number {number}; printed at {at}" for at in times
    ]


def test_usage_statement_in_chinese_carries_company_number_and_printing_time(
    allowance, company_client
):
    client = company_client(allowance.company)

    with printing_times("zh-hant") as times:
        page = client.get(reverse("grants:detail", args=[allowance.pk])).content.decode()

    number = allowance.award.application.number
    company = f"{allowance.company.name}（{allowance.company.ubn}）"
    assert print_meta(page) in [
        f"使用明細：{company}；申請編號：{number}；列印時間：{at}" for at in times
    ]


def test_usage_overview_carries_the_company_and_printing_time(allowance, company_client):
    client = company_client(allowance.company)
    client.cookies["django_language"] = "en"

    with printing_times("en") as times:
        page = client.get(reverse("grants:overview")).content.decode()

    company = f"{allowance.company.name} ({allowance.company.ubn})"
    assert print_meta(page) in [f"{company}; printed at {at}" for at in times]
