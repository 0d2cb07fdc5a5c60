"""Compliance mails come from the operator-editable templates: the inactivity notice, the
violation's sanction and the reinstatement."""

import datetime

import pytest
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.compliance import services
from aipower.compliance.enums import Sanction, UsageRule
from aipower.core.roc import format_roc_date
from tests.core.notice_helpers import bilingual_text, edit_template
from tests.review.conftest import make_staff

from .test_services import inference

pytestmark = pytest.mark.integration


def test_inactivity_notice_uses_the_edited_template(call_115):
    edit_template(
        "inactivity",
        subject_zh="閒置 {{ idle_weeks }} 週",
        subject_en="Idle {{ idle_weeks }} weeks",
        body_zh="{{ company }} 請於 {{ respond_by }} 前使用",
        body_en="{{ company }}: use it by {{ respond_by }}",
    )
    inference(call_115, starts_on=timezone.localdate() - datetime.timedelta(days=50))

    services.run()

    respond_by = timezone.localdate() + datetime.timedelta(days=3)
    sent = SentMail.objects.get()
    assert (sent.subject, sent.body) == bilingual_text(
        "閒置 7 週",
        "Idle 7 weeks",
        f"公司10458575 請於 {format_roc_date(respond_by)} 前使用",
        f"公司10458575: use it by {respond_by.isoformat()}",
    )


def test_violation_and_reinstatement_use_the_edited_templates(call_115):
    edit_template(
        "violation",
        subject_zh="違規：{{ sanction }}",
        subject_en="Violation: {{ sanction }}",
        body_zh="第 {{ rule }} 點{% if sanction_code == 'suspend' %}，已暫停{% endif %}",
        body_en="Rule {{ rule }}{% if sanction_code == 'suspend' %}, suspended{% endif %}",
    )
    edit_template(
        "reinstated",
        subject_zh="恢復：{{ category }}",
        subject_en="Reinstated: {{ category }}",
        body_zh="{{ company }} 第 {{ rule }} 點已解除",
        body_en="{{ company }} rule {{ rule }} lifted",
    )
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", by=operator
    )

    services.decide(violation, Sanction.SUSPEND, by=operator)
    services.reinstate(violation, by=operator)

    sanction, reinstated = SentMail.objects.order_by("id")
    assert (sanction.subject, sanction.body) == bilingual_text(
        "違規：暫停現有服務",
        "Violation: Suspend the current service",
        "第 1 點，已暫停",
        "Rule 1, suspended",
    )
    assert (reinstated.subject, reinstated.body) == bilingual_text(
        "恢復：模型推論類",
        "Reinstated: Model inference",
        "公司10458575 第 1 點已解除",
        "公司10458575 rule 1 lifted",
    )
