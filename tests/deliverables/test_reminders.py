"""Daily reminders: N days before the due date and once overdue, each sent once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.core.roc import format_roc_date
from aipower.deliverables import reminders, services
from aipower.deliverables.enums import Item
from aipower.deliverables.models import Notice
from aipower.deliverables.tasks import deliverables_reminders
from aipower.grants import services as grants
from tests.grants.conftest import make_award

from .conftest import ended_allowance

pytestmark = pytest.mark.integration


def test_reminder_before_the_due_date_sent_once(call_115):
    allowance = ended_allowance(call_115, "12345675", CategoryKind.TRAINING, days_ago=25)

    first = reminders.run()
    second = reminders.run()

    assert (first.due_soon, first.overdue, second.due_soon, second.overdue) == (1, 0, 0, 0)
    notice = Notice.objects.get()
    assert (notice.award, notice.kind) == (allowance.award, Notice.Kind.DUE_SOON)
    sent = SentMail.objects.get()
    assert notice.mail == sent
    assert sent.to == ["pi@example.com", "contact@example.com"]
    due = format_roc_date(services.due_on(allowance))
    assert sent.subject == (
        f"【AI算力平台】請於 {due} 前繳交成果 / [AI Compute Platform] Deliverables due by "
        f"{services.due_on(allowance).isoformat()}"
    )
    assert "（剩餘 5 天）" in sent.body
    assert "- 結案報告\n- 成果簡報\n- 產品demo影片" in sent.body
    assert "模型訓練類業者另須配合出席產品demo會議。" in sent.body
    assert "----- English -----" in sent.body
    assert "- Final report\n- Results presentation\n- Product demo video" in sent.body
    assert len(mail.outbox) == 1


def test_no_reminder_earlier_than_the_configured_days(call_115, settings):
    settings.DELIVERABLES_REMINDER_DAYS = 3
    ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=25)

    report = reminders.run()

    assert (report.due_soon, report.overdue) == (0, 0)
    assert Notice.objects.count() == 0


def test_overdue_reminder_sent_once_with_a_copy_to_the_operator(call_115, company_user):
    allowance = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=31)
    services.submit(
        allowance, Item.REPORT, by=company_user(allowance.company), link="https://x.org/r"
    )

    first = reminders.run()
    second = reminders.run()

    assert (first.overdue, second.overdue) == (1, 0)
    assert Notice.objects.get().kind == Notice.Kind.OVERDUE
    sent = SentMail.objects.get()
    assert sent.to == ["pi@example.com", "contact@example.com", call_115.service_email]
    assert sent.subject.startswith("【AI算力平台】成果繳交已逾期，請儘速繳交 / ")
    assert "- 成果簡報\n- 產品demo影片\n" in sent.body
    assert "- 結案報告" not in sent.body


def test_no_reminder_when_everything_is_submitted(call_115, company_user):
    allowance = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=40)
    user = company_user(allowance.company)
    for item in Item:
        services.submit(allowance, item, by=user, link=f"https://x.org/{item}")

    assert reminders.run().overdue == 0
    assert Notice.objects.count() == 0


def test_no_reminder_during_the_period(call_115):
    grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))

    report = reminders.run()

    assert (report.due_soon, report.overdue) == (0, 0)


def test_reminders_on_the_day_they_become_due(call_115):
    allowance = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=1)
    due = services.due_on(allowance)
    tz = timezone.get_current_timezone()
    week_before = datetime.datetime.combine(due - datetime.timedelta(days=7), datetime.time(6), tz)
    day_after = datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(6), tz)

    before = reminders.run(now=week_before - datetime.timedelta(days=1))
    soon = reminders.run(now=week_before)
    late = reminders.run(now=day_after)

    assert (before.due_soon, soon.due_soon, late.overdue) == (0, 1, 1)
    assert list(Notice.objects.order_by("sent_at").values_list("kind", flat=True)) == [
        "due_soon",
        "overdue",
    ]


def test_command_runs_the_reminders_idempotently(call_115):
    ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=35)
    out = io.StringIO()

    call_command("run_deliverables_reminders", stdout=out)
    call_command("run_deliverables_reminders", stdout=out)

    assert out.getvalue().splitlines() == [
        "sent 0 due-soon and 1 overdue reminders",
        "sent 0 due-soon and 0 overdue reminders",
    ]
    assert SentMail.objects.count() == 1


def test_task_runs_the_reminders(call_115):
    ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=35)

    result = deliverables_reminders.enqueue()

    assert result.return_value == "sent 0 due-soon and 1 overdue reminders"
    assert Notice.objects.count() == 1
