"""Daily survey reminders: N days before the due date and once overdue, each sent once per round
and award, from the operator-editable templates; the command and the task run them."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.core.models import NotificationTemplate
from aipower.core.roc import format_roc_date
from aipower.followup import reminders, services
from aipower.followup.models import Notice
from aipower.followup.tasks import followup_reminders
from tests.core.notice_helpers import bilingual_text, edit_template

from .conftest import cleaned, ended_allowance

pytestmark = pytest.mark.integration


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def ended(call_115):
    return ended_allowance(call_115, "12345675", CategoryKind.TRAINING, days_ago=60)


def _round(call, operator, opens, due, title="115年度產品化調查（第1次）"):
    return services.open_round(
        call=call, title=title, opens_on=_days(opens), due_on=_days(due), by=operator
    )


def test_reminder_before_the_due_date_sent_once(call_115, operator, ended):
    round_ = _round(call_115, operator, -25, 5)

    first = reminders.run()
    second = reminders.run()

    assert (first.due_soon, first.overdue, second.due_soon, second.overdue) == (1, 0, 0, 0)
    notice = Notice.objects.get()
    assert (notice.round, notice.award, notice.kind) == (
        round_,
        ended.award,
        Notice.Kind.DUE_SOON,
    )
    sent = SentMail.objects.get()
    assert notice.mail == sent
    assert sent.to == ["pi@example.com", "contact@example.com"]
    assert sent.subject == (
        f"【AI算力平台】請於 {format_roc_date(round_.due_on)} 前填報「115年度產品化調查（第1次）」"
        f" / [AI Compute Platform] Please answer the productisation survey by "
        f"{round_.due_on.isoformat()}"
    )
    assert "（剩餘 5 天），目前尚未送出。" in sent.body
    assert "----- English -----" in sent.body
    assert "(5 days left)" in sent.body
    assert len(mail.outbox) == 1


def test_no_reminder_earlier_than_the_configured_days(call_115, operator, ended, settings):
    settings.FOLLOWUP_REMINDER_DAYS = 3
    _round(call_115, operator, -25, 5)

    report = reminders.run()

    assert (report.due_soon, report.overdue) == (0, 0)
    assert Notice.objects.count() == 0


def test_no_reminder_once_submitted(call_115, operator, ended, company_user):
    round_ = _round(call_115, operator, -25, 5)
    [standing] = services.standings(round_)
    services.submit(standing, cleaned(), by=company_user(ended.company))

    report = reminders.run()

    assert (report.due_soon, report.overdue) == (0, 0)


def test_no_reminder_before_the_round_opens(call_115, operator, ended):
    _round(call_115, operator, 1, 3)

    report = reminders.run()

    assert (report.due_soon, report.overdue) == (0, 0)


def test_overdue_notice_copied_to_the_service_address_once(call_115, operator, ended):
    _round(call_115, operator, -40, -1)

    first = reminders.run()
    second = reminders.run()

    assert (first.due_soon, first.overdue, second.overdue) == (0, 1, 0)
    sent = SentMail.objects.get()
    assert sent.to == ["pi@example.com", "contact@example.com", call_115.service_email]
    assert "已過，系統尚未收到貴公司填報。" in sent.body
    assert "Please contact the operator" in sent.body


def test_each_round_reminds_separately(call_115, operator, ended):
    _round(call_115, operator, -50, -2, title="第1次")
    _round(call_115, operator, -25, 5, title="第2次")

    report = reminders.run()

    assert (report.due_soon, report.overdue) == (1, 1)
    assert Notice.objects.count() == 2


def test_reminder_uses_the_edited_template(call_115, operator, ended):
    round_ = _round(call_115, operator, -25, 5)
    edit_template(
        "followup_due",
        subject_zh="調查 {{ due_on }}",
        subject_en="Survey {{ due_on }}",
        body_zh="{{ company }}／{{ title }}",
        body_en="{{ company }} / {{ days_left }}",
    )

    reminders.run()

    sent = SentMail.objects.get()
    assert (sent.subject, sent.body) == bilingual_text(
        f"調查 {format_roc_date(round_.due_on)}",
        f"Survey {round_.due_on.isoformat()}",
        "公司12345675／115年度產品化調查（第1次）",
        "公司12345675 / 5",
    )


def test_templates_are_in_the_store_after_migrating(db):
    keys = set(NotificationTemplate.objects.values_list("key", flat=True))

    assert {"followup_due", "followup_overdue"} <= keys


def test_command_runs_the_reminders(call_115, operator, ended):
    _round(call_115, operator, -40, -1)
    out = io.StringIO()

    call_command("run_followup_reminders", stdout=out)
    call_command("run_followup_reminders", stdout=out)

    assert out.getvalue().splitlines() == [
        "sent 0 due-soon and 1 overdue survey reminders",
        "sent 0 due-soon and 0 overdue survey reminders",
    ]


def test_task_runs_the_reminders(call_115, operator, ended):
    _round(call_115, operator, -40, -1)

    result = followup_reminders.enqueue()

    assert result.return_value == "sent 0 due-soon and 1 overdue survey reminders"
    assert Notice.objects.count() == 1


@pytest.mark.parametrize("key", ["followup_due", "followup_overdue"])
def test_default_templates_use_only_the_variables_they_get(key):
    from aipower.core.notices import used_variables
    from aipower.followup.notice_texts import DEFAULT_TEMPLATES, VARIABLES

    _description, subject, body = DEFAULT_TEMPLATES[key]

    for source in (*subject, *body):
        assert used_variables(source) <= set(VARIABLES[key])
