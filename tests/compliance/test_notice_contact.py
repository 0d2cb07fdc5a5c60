"""A compliance mail that tells the company to ask the operator names the programme's 聯繫窗口
(申請客服信箱 and 申請諮詢專線), in each language; it said 「請洽申請客服信箱。」 without the
address, in a mail nobody may reply to."""

import pytest
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.compliance import services
from aipower.compliance.enums import Sanction, UsageRule
from tests.review.conftest import make_staff

from .test_services import inference

pytestmark = pytest.mark.integration


def test_sanction_mail_names_the_service_mailbox_and_line(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", by=operator
    )

    services.decide(violation, Sanction.SUSPEND, by=operator, note="先行暫停")

    body = SentMail.objects.get().body
    zh, en = body.split("----- English -----")
    assert (
        f"如有疑問，請洽申請客服信箱 {call_115.service_email} "
        f"或申請諮詢專線 {call_115.service_phone_zh}。"
    ) in zh
    assert (
        f"For questions, write to {call_115.service_email} or call {call_115.service_phone_en}."
    ) in en
