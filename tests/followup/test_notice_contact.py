"""The overdue survey notice asks the company to contact the operator and now says how: the
申請客服信箱 and 申請諮詢專線 (it said only 「請儘速與執行單位聯繫」)."""

import datetime

import pytest
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.followup import reminders, services

from .conftest import ended_allowance

pytestmark = pytest.mark.integration


def test_overdue_notice_names_the_service_mailbox_and_line(call_115, operator):
    ended_allowance(call_115, "12345675", CategoryKind.TRAINING, days_ago=60)
    today = timezone.localdate()
    services.open_round(
        call=call_115,
        title="115年度產品化調查（第1次）",
        opens_on=today - datetime.timedelta(days=30),
        due_on=today - datetime.timedelta(days=1),
        by=operator,
    )

    reminders.run()

    zh, en = SentMail.objects.get().body.split("----- English -----")
    assert (
        f"請儘速與執行單位聯繫（申請客服信箱 {call_115.service_email}，申請諮詢專線 "
        f"{call_115.service_phone_zh}），以完成填報。"
    ) in zh
    assert f"({call_115.service_email}, {call_115.service_phone_en}) to complete the survey." in en
