"""The grants' notices come from the operator-editable templates (points 80 % / 100 %, expiry
near, expired, award start), and the award-start notice is sent once, only for a period that
starts after the approval."""

import datetime

import pytest
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.core.roc import format_roc_date
from aipower.grants import housekeeping, services
from aipower.grants.models import Notice
from tests.core.notice_helpers import bilingual_text, edit_template

from .conftest import make_award

pytestmark = pytest.mark.integration

DAY = datetime.timedelta(days=1)


def _use(allowance, tokens, name):
    services.settle(services.reserve(allowance.pk, tokens, name), tokens, f"gw:{name}")


def _used(percent):
    def setup(call):
        allowance = services.open_allowance(
            make_award(call, "10458575", CategoryKind.INFERENCE, points=1)
        )
        _use(allowance, percent * 1000, "r1")
        return allowance

    return setup


def _ending(days_from_today):
    def setup(call):
        today = timezone.localdate()
        award = make_award(
            call,
            "10458575",
            CategoryKind.INFERENCE,
            starts_on=today - 30 * DAY,
            ends_on=today + days_from_today * DAY,
        )
        return services.open_allowance(award)

    return setup


@pytest.mark.parametrize(
    ("key", "kind", "setup", "percent"),
    [
        ("points_used_80", Notice.Kind.USED_80, _used(80), 80),
        ("points_used_100", Notice.Kind.USED_100, _used(100), 100),
        ("expiry_soon", Notice.Kind.EXPIRY_SOON, _ending(7), 0),
        ("expired", Notice.Kind.EXPIRED, _ending(-1), 0),
    ],
)
def test_grants_notice_uses_the_edited_template(call_115, key, kind, setup, percent):
    edit_template(
        key,
        subject_zh="點數通知 {{ percent }}%",
        subject_en="Points notice {{ percent }}%",
        body_zh="{{ company }}「{{ category }}」至 {{ ends_on }}",
        body_en="{{ company }} ({{ category }}) until {{ ends_on }}",
    )
    allowance = setup(call_115)

    housekeeping.run()

    assert Notice.objects.get().kind == kind
    sent = SentMail.objects.get()
    assert (sent.subject, sent.body) == bilingual_text(
        f"點數通知 {percent}%",
        f"Points notice {percent}%",
        f"公司10458575「模型推論類」至 {format_roc_date(allowance.ends_on)}",
        f"公司10458575 (Model inference) until {allowance.ends_on.isoformat()}",
    )


def _later_award(call, starts_in_days):
    """An award approved now whose period starts ``starts_in_days`` days later."""
    starts_on = timezone.localdate() + starts_in_days * DAY
    award = make_award(
        call, "10458575", CategoryKind.INFERENCE, starts_on=starts_on, ends_on=starts_on + 90 * DAY
    )
    return services.open_allowance(award)


def test_award_start_notice_sent_once_on_the_day_a_later_period_starts(call_115):
    allowance = _later_award(call_115, 5)
    start = timezone.now() + 5 * DAY

    before = housekeeping.run(now=start - DAY)
    first = housekeeping.run(now=start)
    second = housekeeping.run(now=start + DAY)

    assert (before.notices, first.notices, second.notices) == (0, 1, 0)
    notice = Notice.objects.get()
    assert (notice.allowance, notice.kind) == (allowance, Notice.Kind.STARTED)
    sent = SentMail.objects.get()
    assert notice.mail == sent
    assert sent.to == ["pi@example.com", "contact@example.com"]
    assert sent.subject == (
        "【AI算力平台】算力使用期間已開始 / [AI Compute Platform] Your compute period has started"
    )
    starts, ends = allowance.starts_on, allowance.ends_on
    assert (
        f"貴公司「模型推論類」的免費使用期間自 {format_roc_date(starts)} 起至 "
        f"{format_roc_date(ends)} 止，即日起可使用算力服務" in sent.body
    )
    assert (
        f'free period for "Model inference" runs from {starts.isoformat()} to '
        f"{ends.isoformat()} and has started" in sent.body
    )


def test_award_start_notice_not_sent_when_the_period_starts_at_approval(call_115):
    today_award = make_award(
        call_115, "10458575", CategoryKind.INFERENCE, starts_on=timezone.localdate()
    )
    services.open_allowance(today_award)

    report = housekeeping.run()

    assert report.notices == 0
    assert not Notice.objects.exists()


def test_award_start_notice_uses_the_edited_template(call_115):
    edit_template(
        "award_started",
        subject_zh="開始了 {{ starts_on }}",
        subject_en="Started {{ starts_on }}",
        body_zh="{{ company }} 可用 {{ granted }} 點",
        body_en="{{ company }} may use {{ granted }} points",
    )
    allowance = _later_award(call_115, 2)

    housekeeping.run(now=timezone.now() + 2 * DAY)

    sent = SentMail.objects.get()
    assert (sent.subject, sent.body) == bilingual_text(
        f"開始了 {format_roc_date(allowance.starts_on)}",
        f"Started {allowance.starts_on.isoformat()}",
        "公司10458575 可用 1,000 點",
        "公司10458575 may use 1,000 points",
    )
