"""The operator's compliance forms refuse a value typed but not valid naming the field and what
a valid value looks like, in zh-Hant and English, next to the field, with what was typed kept:
the dates said only 「請輸入正確的日期。」 and the notes Django's 「請確認這個值至多包含…」."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.compliance import forms, services
from aipower.compliance.enums import Sanction, UsageRule
from aipower.compliance.models import Violation
from tests.invalid_values import assert_refused, assert_row_says

from .test_views import allowance, operator_client  # noqa: F401 - the fixtures

pytestmark = pytest.mark.integration

DATE_ZH = "%s請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）"
DATE_EN = "%s: enter a real date as year-month-day (e.g. 2019-03-01)"


def test_record_form_names_the_date_and_the_evidence(allowance):  # noqa: F811
    def make(data, files):
        return forms.RecordForm(data)

    base = {"award": allowance.award.pk, "rule": UsageRule.PROFIT, "evidence": "挖礦"}
    assert_refused(
        make,
        {**base, "occurred_on": "2026/13/01"},
        "occurred_on",
        DATE_ZH % "發生日期",
        DATE_EN % "Date of the violation",
    )
    assert_refused(
        make,
        {**base, "occurred_on": timezone.localdate().isoformat(), "evidence": "證" * 5001},
        "evidence",
        "事證說明最多 5000 字，目前 5001 字，請精簡後再儲存",
        "Evidence: at most 5000 characters, it has 5001; shorten it and save again",
    )


def test_decide_form_names_the_bar_date_and_the_note(allowance):  # noqa: F811
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )

    def make(data, files):
        return forms.DecideForm(data, violation=violation, allowance=allowance)

    assert_refused(
        make,
        {"sanction": Sanction.BAR, "bar_until": "明年"},
        "bar_until",
        DATE_ZH % "停權期限",
        DATE_EN % "Bar until",
    )
    assert_refused(
        make,
        {"sanction": Sanction.BAR, "bar_until": "", "note": "說" * 2001},
        "note",
        "處分說明最多 2000 字，目前 2001 字，請精簡後再儲存",
        "Note on the decision: at most 2000 characters, it has 2001; shorten it and save again",
    )


def test_the_record_page_shows_the_date_message_in_its_row_and_keeps_it(
    operator_client,  # noqa: F811
    allowance,  # noqa: F811
):
    data = {
        "award": allowance.award.pk,
        "rule": UsageRule.PROFIT,
        "occurred_on": "2026/13/01",
        "evidence": "挖礦程式",
    }

    html = operator_client.post(reverse("compliance:record"), data).content.decode()

    assert_row_says(html, "occurred_on", DATE_ZH % "發生日期", "2026/13/01")
    assert "請輸入正確的日期" not in html and "輸入有效的日期" not in html
    assert "挖礦程式</textarea>" in html
    assert not Violation.objects.exists()
