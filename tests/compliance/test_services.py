"""Compliance services: idle weeks, the inactivity rule's notice and violation, recording a
violation and deciding its sanction (effect on the allowance and the registry's list)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.compliance import services
from aipower.compliance.enums import NoticeOutcome, Sanction, UsageRule
from aipower.compliance.models import InactivityNotice, Violation
from aipower.core.models import AuditEntry
from aipower.grants import gpu
from aipower.grants import services as grants
from aipower.grants.models import AllowanceState, GpuJob
from aipower.registry.enums import ListKind
from aipower.registry.models import ListEntry
from tests.grants.conftest import make_award
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration

DAY = datetime.timedelta(days=1)


def at(day, hour=12):
    """A moment on ``day`` (Asia/Taipei)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def inference(call, ubn="10458575", starts_on=None, days=91):
    starts_on = starts_on or timezone.localdate() - datetime.timedelta(days=60)
    award = make_award(
        call,
        ubn,
        CategoryKind.INFERENCE,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=days - 1),
    )
    return grants.open_allowance(award, now=at(starts_on, 9))


def use_tokens(allowance, day, name):
    reservation = grants.reserve(allowance.pk, 1000, name, now=at(day))
    grants.settle(reservation, 500, f"gw:{name}", now=at(day))


# --- idle weeks ---------------------------------------------------------------------------------


def test_idleness_counts_whole_weeks_without_usage(call_115):
    start = datetime.date(2026, 1, 5)
    allowance = inference(call_115, starts_on=start, days=91)  # 13 weeks
    use_tokens(allowance, start + datetime.timedelta(days=2), "w0")  # week 0
    use_tokens(allowance, start + datetime.timedelta(days=20), "w2")  # week 2

    state = services.idleness(allowance, start + datetime.timedelta(days=7 * 5 + 3))

    assert (state.idle_weeks, state.elapsed_weeks, state.period_weeks) == (3, 5, 13)
    assert not state.reached_half


def test_idleness_reaches_half_of_the_period_weeks(call_115):
    start = datetime.date(2026, 1, 5)
    allowance = inference(call_115, starts_on=start, days=91)

    six = services.idleness(allowance, start + datetime.timedelta(days=42))
    seven = services.idleness(allowance, start + datetime.timedelta(days=49))

    assert (six.idle_weeks, six.reached_half) == (6, False)  # 6 × 2 < 13
    assert (seven.idle_weeks, seven.reached_half) == (7, True)


def test_idleness_of_exactly_half_the_period_is_not_yet_more_than_half(call_115):
    # 使用規範 6: 達核定申請時間「過半」週數 — more than half, not half.
    start = datetime.date(2026, 1, 5)
    allowance = inference(call_115, starts_on=start, days=84)  # 12 weeks

    six = services.idleness(allowance, start + 42 * DAY)
    seven = services.idleness(allowance, start + 49 * DAY)

    assert (six.idle_weeks, six.period_weeks, six.reached_half) == (6, 12, False)
    assert (seven.idle_weeks, seven.reached_half) == (7, True)


def test_idleness_of_a_three_month_period_is_over_half_at_seven_weeks(call_115):
    start = datetime.date(2026, 7, 1)
    allowance = inference(call_115, starts_on=start, days=92)  # 1 July to 30 September

    six = services.idleness(allowance, start + 42 * DAY)
    seven = services.idleness(allowance, start + 49 * DAY)

    assert (six.reached_half, seven.reached_half) == (False, True)


def test_idleness_counts_a_running_training_job_on_every_day_it_runs(call_115):
    start = datetime.date(2026, 1, 5)
    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING, starts_on=start, ends_on=start + 90 * DAY
    )
    allowance = grants.open_allowance(award, now=at(start, 9))
    GpuJob.objects.create(
        cluster="c1",
        job_id="1",
        account="acct",
        allowance=allowance,
        gpus=1,
        started_at=at(start + 6 * DAY, 20),  # last day of week 0 …
        ended_at=at(start + 15 * DAY, 3),  # … to week 2
    )

    state = services.idleness(allowance, start + 28 * DAY)

    assert (state.idle_weeks, state.elapsed_weeks) == (1, 4)  # only week 3 idle


def _suspended_job(allowance, started, reported, suspended_seconds):
    """A job of 2 GPUs started at ``started``, reported at ``reported`` as standing suspended
    for ``suspended_seconds`` of that time, through the cluster's ingest."""
    record = gpu.record_from_json(
        {"job_id": "5", "account": allowance.account, "gpus": 2, "start": started.isoformat(),
         "end": None, "state": "SUSPENDED", "suspended_seconds": suspended_seconds},
        "taiwania",
    )  # fmt: skip
    return gpu.record_job(record, reported)


def test_idleness_does_not_count_the_days_a_training_job_stood_suspended(call_115):
    """A job that ran a day and has stood suspended since (scontrol suspend) counted as in use
    every day up to today: seven idle weeks read as none."""
    start = datetime.date(2026, 1, 5)
    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING, starts_on=start, ends_on=start + 90 * DAY
    )
    allowance = grants.open_allowance(award, now=at(start, 9))
    # Started on day 0 at 09:00, suspended from day 1 at 09:00; reported on day 20.
    _suspended_job(allowance, at(start, 9), at(start + 20 * DAY, 9), 19 * 86_400)

    state = services.idleness(allowance, start + 56 * DAY)

    assert services.usage_days(allowance, start, start + 55 * DAY) == {start, start + DAY}
    assert (state.idle_weeks, state.elapsed_weeks, state.reached_half) == (7, 8, True)


def test_a_job_standing_suspended_is_not_use_after_the_inactivity_notice(call_115):
    """The notice is sent, and a job suspended all along is no "continued use" in the three
    days: a violation is recorded, as for no job at all."""
    start = timezone.localdate() - 57 * DAY  # 8 weeks: 7 idle after the job's first day
    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING, starts_on=start, ends_on=start + 90 * DAY
    )
    allowance = grants.open_allowance(award, now=at(start, 9))
    _suspended_job(allowance, at(start, 9), at(start + DAY, 9), 0)

    sent = services.run()
    # Reported again during the three days: suspended still, since day 1 at 09:00.
    reported = timezone.now() + 2 * DAY
    _suspended_job(
        allowance, at(start, 9), reported, int((reported - at(start + DAY, 9)).total_seconds())
    )
    four_days_on = services.run(now=timezone.now() + 4 * DAY)

    assert sent.notices == 1
    assert (four_days_on.resumed, four_days_on.violations) == (0, 1)
    assert InactivityNotice.objects.get().outcome == NoticeOutcome.VIOLATION


def test_idleness_does_not_count_weeks_the_service_stood_suspended(call_115):
    operator = make_staff("op", "operator")
    start = datetime.date(2026, 1, 5)
    allowance = inference(call_115, starts_on=start, days=91)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, start + DAY, "挖礦程式", by=operator
    )
    # Suspended from week 1 (day 9) until reinstated in week 3 (day 22).
    services.decide(violation, Sanction.SUSPEND, by=operator, now=at(start + 9 * DAY))
    services.reinstate(violation, by=operator, now=at(start + 22 * DAY))

    state = services.idleness(allowance, start + 35 * DAY)

    assert (state.idle_weeks, state.elapsed_weeks) == (2, 5)  # weeks 0 and 4
    assert services.suspended_days(allowance, start, start + 34 * DAY) == {
        start + n * DAY for n in range(9, 23)
    }


# --- the inactivity rule ------------------------------------------------------------------------


def test_inactivity_rule_notifies_once_when_half_the_weeks_are_idle(call_115):
    start = timezone.localdate() - datetime.timedelta(days=50)
    allowance = inference(call_115, starts_on=start)

    first = services.run()
    second = services.run()

    assert (first.notices, second.notices) == (1, 0)
    notice = InactivityNotice.objects.get()
    assert (notice.allowance, notice.idle_weeks, notice.period_weeks) == (allowance, 7, 13)
    assert notice.respond_by == timezone.localdate() + 3 * DAY
    mail = SentMail.objects.get()
    assert notice.mail == mail
    assert mail.to == ["pi@example.com", "contact@example.com", call_115.service_email]
    assert "算力未使用通知" in mail.subject and "Compute not used" in mail.subject
    assert "7 週未使用" in mail.body and "13 週" in mail.body


def test_inactivity_notice_of_a_92_day_period_says_seven_weeks_are_more_than_half(call_115):
    """1 July to 30 September is 13 weeks and a day: 7 idle weeks are more than half of it (過半)
    and the notice is sent; it said 「7 週未使用，超過核定使用期間 14 週之半數」, which is not
    more than half. The period's weeks shown are its whole weeks."""
    start = datetime.date(2026, 7, 1)
    inference(call_115, starts_on=start, days=92)

    report = services.run(now=at(start + 49 * DAY, 9))

    assert report.notices == 1
    notice = InactivityNotice.objects.get()
    assert (notice.idle_weeks, notice.period_weeks) == (7, 13)
    assert notice.idle_weeks * 2 > notice.period_weeks
    mail = SentMail.objects.get()
    assert "7 週未使用，超過核定使用期間 13 週之半數" in mail.body
    assert "more than half of the 13 weeks" in mail.body


def test_inactivity_rule_leaves_an_allowance_in_use_alone(call_115):
    start = timezone.localdate() - datetime.timedelta(days=50)
    allowance = inference(call_115, starts_on=start)
    for week in range(7):
        use_tokens(allowance, start + datetime.timedelta(days=7 * week + 1), f"w{week}")

    report = services.run()

    assert report.notices == 0
    assert not InactivityNotice.objects.exists()


def test_usage_within_the_three_days_resolves_the_notice(call_115):
    start = timezone.localdate() - datetime.timedelta(days=50)
    allowance = inference(call_115, starts_on=start)
    services.run()
    use_tokens(allowance, timezone.localdate(), "back")

    report = services.run(now=timezone.now() + 2 * DAY)

    assert report.resumed == 1
    assert InactivityNotice.objects.get().outcome == NoticeOutcome.RESUMED
    assert not Violation.objects.exists()


def test_no_usage_in_the_three_days_is_a_violation_recorded_once(call_115):
    start = timezone.localdate() - datetime.timedelta(days=50)
    allowance = inference(call_115, starts_on=start)
    services.run()

    on_day_three = services.run(now=timezone.now() + 3 * DAY)
    on_day_four = services.run(now=timezone.now() + 4 * DAY)
    again = services.run(now=timezone.now() + 5 * DAY)

    assert (on_day_three.violations, on_day_four.violations, again.violations) == (0, 1, 0)
    violation = Violation.objects.get()
    assert (violation.award, violation.rule, violation.automatic) == (
        allowance.award,
        UsageRule.INACTIVITY,
        True,
    )
    assert violation.sanction == Sanction.PENDING
    assert violation.occurred_on == timezone.localdate() + 4 * DAY
    assert "未使用算力達 7 週" in violation.evidence
    notice = InactivityNotice.objects.get()
    assert (notice.outcome, notice.violation) == (NoticeOutcome.VIOLATION, violation)


# --- violations and sanctions -------------------------------------------------------------------


def test_second_violation_of_a_company_is_serious(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    today = timezone.localdate()

    first = services.record_violation(
        allowance.award, UsageRule.PROFIT, today, "挖礦程式", by=operator
    )
    second = services.record_violation(
        allowance.award, UsageRule.MAINLAND_IP, today, "連線至香港", by=operator
    )

    assert (first.serious, second.serious) == (False, True)
    recorded = AuditEntry.objects.filter(action="compliance.violation_recorded").order_by("id")
    assert list(recorded.values_list("object_id", flat=True)) == [str(first.pk), str(second.pk)]


def test_suspension_takes_effect_on_the_allowance_and_is_mailed(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", by=operator
    )

    services.decide(violation, Sanction.SUSPEND, by=operator, note="先行暫停")

    allowance.refresh_from_db()
    violation.refresh_from_db()
    assert allowance.state == AllowanceState.SUSPENDED
    assert (violation.sanction, violation.decided_by) == (Sanction.SUSPEND, operator)
    mail = SentMail.objects.get()
    assert "暫停現有服務" in mail.subject
    assert AuditEntry.objects.filter(action="compliance.violation_decided").count() == 1


def test_bar_puts_the_company_on_the_registry_list_until_the_date(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    violation = services.record_violation(
        allowance.award, UsageRule.OBLIGATIONS, timezone.localdate(), "未保留紀錄檔", by=operator
    )
    until = timezone.localdate() + datetime.timedelta(days=200)

    services.decide(violation, Sanction.BAR, by=operator, bar_until=until)

    entry = ListEntry.objects.get()
    assert (entry.ubn, entry.kind, entry.until, entry.added_by) == (
        "10458575",
        ListKind.BARRED,
        until,
        operator,
    )
    assert f"#{violation.pk}" in entry.reason
    allowance.refresh_from_db()
    assert allowance.state == AllowanceState.ACTIVE  # a bar leaves the current service running


def test_termination_needs_a_serious_or_urgent_case(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    today = timezone.localdate()
    first = services.record_violation(allowance.award, UsageRule.PROFIT, today, "a", by=operator)

    with pytest.raises(ValidationError) as refused:
        services.decide(first, Sanction.TERMINATE, by=operator)

    assert refused.value.code == "not_serious"
    second = services.record_violation(
        allowance.award, UsageRule.MAINLAND_IP, today, "b", by=operator
    )
    services.decide(second, Sanction.TERMINATE, by=operator)
    allowance.refresh_from_db()
    assert allowance.state == AllowanceState.ENDED


def test_an_urgent_first_violation_may_be_terminated(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    violation = services.record_violation(
        allowance.award,
        UsageRule.UNLAWFUL,
        timezone.localdate(),
        "違法內容",
        by=operator,
        urgent=True,
    )

    assert Sanction.TERMINATE in services.allowed_sanctions(violation)
    services.decide(violation, Sanction.TERMINATE, by=operator)
    allowance.refresh_from_db()
    assert allowance.state == AllowanceState.ENDED


def test_a_decided_violation_cannot_be_decided_again(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "a", by=operator
    )
    services.decide(violation, Sanction.NONE, by=operator)

    with pytest.raises(ValidationError) as refused:
        services.decide(violation, Sanction.SUSPEND, by=operator)

    assert refused.value.code == "decided"
    allowance.refresh_from_db()
    assert allowance.state == AllowanceState.ACTIVE
    assert not SentMail.objects.exists()  # no sanction, no mail


# --- what the review of the first version found -------------------------------------------------


def test_the_same_violation_recorded_twice_is_refused(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    today = timezone.localdate()
    first = services.record_violation(allowance.award, UsageRule.PROFIT, today, "a", by=operator)

    with pytest.raises(ValidationError) as refused:
        services.record_violation(allowance.award, UsageRule.PROFIT, today, "a", by=operator)

    assert (refused.value.code, refused.value.params) == ("duplicate", {"id": first.pk})
    assert Violation.objects.count() == 1


def test_a_dismissed_violation_does_not_make_the_next_one_serious(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    today = timezone.localdate()
    dismissed = services.record_violation(allowance.award, UsageRule.PROFIT, today, "a")
    services.decide(dismissed, Sanction.NONE, by=operator)

    later = services.record_violation(allowance.award, UsageRule.MAINLAND_IP, today, "b")

    assert later.serious is False
    assert Sanction.TERMINATE not in services.allowed_sanctions(later)


def test_seriousness_is_decided_again_when_the_earlier_one_is_dismissed(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    today = timezone.localdate()
    first = services.record_violation(allowance.award, UsageRule.PROFIT, today, "a")
    second = services.record_violation(allowance.award, UsageRule.MAINLAND_IP, today, "b")
    assert second.serious is True
    services.decide(first, Sanction.NONE, by=operator)

    with pytest.raises(ValidationError) as refused:
        services.decide(second, Sanction.TERMINATE, by=operator)

    assert refused.value.code == "not_serious"
    allowance.refresh_from_db()
    assert allowance.state == AllowanceState.ACTIVE


def test_reinstating_one_suspension_leaves_another_standing(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    today = timezone.localdate()
    a = services.record_violation(allowance.award, UsageRule.PROFIT, today, "a")
    b = services.record_violation(allowance.award, UsageRule.MAINLAND_IP, today, "b")
    services.decide(a, Sanction.SUSPEND, by=operator)
    services.decide(b, Sanction.SUSPEND, by=operator)

    standing = services.reinstate(a, by=operator)
    allowance.refresh_from_db()
    after_a = allowance.state
    none_left = services.reinstate(b, by=operator)
    allowance.refresh_from_db()

    assert (standing, after_a) == (b, AllowanceState.SUSPENDED)
    assert (none_left, allowance.state) == (None, AllowanceState.ACTIVE)
    assert SentMail.objects.filter(subject__contains="算力服務已恢復").count() == 1
    with pytest.raises(ValidationError) as again:
        services.reinstate(a, by=operator)
    assert again.value.code == "not_suspended"


def test_a_service_that_is_over_is_not_suspended_nor_told_so(call_115):
    operator = make_staff("op", "operator")
    allowance = inference(call_115)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "a"
    )
    grants.expire(allowance)

    with pytest.raises(ValidationError) as refused:
        services.decide(violation, Sanction.SUSPEND, by=operator)

    allowance.refresh_from_db()
    violation.refresh_from_db()
    assert refused.value.code == "not_active"
    assert "使用期間已屆滿" in refused.value.messages[0]
    assert allowance.state == AllowanceState.EXPIRED
    assert violation.sanction == Sanction.PENDING
    assert not SentMail.objects.exists()
    assert Sanction.SUSPEND not in services.allowed_sanctions(violation)
    assert Sanction.BAR in services.allowed_sanctions(violation)


def _notice_then_four_days(call_115):
    start = timezone.localdate() - datetime.timedelta(days=50)
    allowance = inference(call_115, starts_on=start)
    services.run()
    return allowance


def test_an_undelivered_notice_never_becomes_a_violation(call_115, settings):
    # The mail server refuses the connection (nothing listens on port 1 of the loopback).
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    _notice_then_four_days(call_115)
    assert InactivityNotice.objects.get().mail.error

    report = services.run(now=timezone.now() + 4 * DAY)

    notice = InactivityNotice.objects.get()
    assert (report.violations, notice.outcome) == (0, NoticeOutcome.VOID)
    assert notice.void_reason == "通知未送達專案聯絡人。"
    assert not Violation.objects.exists()


def test_a_notice_still_in_the_outbox_never_becomes_a_violation(call_115):
    from aipower.applications.models import SentMail

    _notice_then_four_days(call_115)
    mail = InactivityNotice.objects.get().mail
    # No worker ever sent it (the outbox's row is still queued, with no error).
    SentMail.objects.filter(pk=mail.pk).update(status=SentMail.Status.QUEUED, sent_at=None)

    report = services.run(now=timezone.now() + 4 * DAY)

    notice = InactivityNotice.objects.get()
    assert (report.violations, notice.outcome) == (0, NoticeOutcome.VOID)
    assert notice.void_reason == "通知未送達專案聯絡人。"


def test_a_service_suspended_during_the_three_days_is_not_a_violation(call_115):
    allowance = _notice_then_four_days(call_115)
    grants.set_state(allowance, AllowanceState.SUSPENDED)

    report = services.run(now=timezone.now() + 4 * DAY)

    notice = InactivityNotice.objects.get()
    assert (report.violations, notice.outcome) == (0, NoticeOutcome.VOID)
    assert notice.void_reason == "服務未在使用中（暫停使用）。"


def test_three_days_inside_the_period_count_though_the_period_ended_before_the_check(call_115):
    """The three days end on the period's last day: the service ran through them, and the next
    day's check records the violation whether the period's expiry ran before it or after. It
    was set aside as 服務未在使用中（已到期） when the expiry ran first."""
    today = timezone.localdate()
    allowance = inference(call_115, starts_on=today - 28 * DAY, days=32)  # ends in 3 days
    services.run()
    notice = InactivityNotice.objects.get()
    assert notice.respond_by == allowance.ends_on

    day_after = timezone.now() + 4 * DAY
    grants.expire(allowance, now=day_after)
    report = services.run(now=day_after)

    notice.refresh_from_db()
    assert (report.violations, notice.outcome, notice.void_reason) == (
        1,
        NoticeOutcome.VIOLATION,
        "",
    )
    # Dated inside the period of use (使用規範: 於算力使用期間), as the record form requires:
    # the period's last day, the last of the three, not the day after it.
    assert notice.violation.occurred_on == allowance.ends_on


def test_a_service_suspended_and_reinstated_within_the_three_days_is_not_a_violation(call_115):
    """The company could not use its compute on the days it stood suspended: the three days
    without use are not its doing, though the service is active again when they are checked."""
    operator = make_staff("op", "operator")
    allowance = _notice_then_four_days(call_115)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", by=operator
    )
    services.decide(violation, Sanction.SUSPEND, by=operator, now=timezone.now() + DAY)
    services.reinstate(violation, by=operator, now=timezone.now() + 2 * DAY)

    report = services.run(now=timezone.now() + 4 * DAY)

    notice = InactivityNotice.objects.get()
    assert (report.violations, notice.outcome) == (0, NoticeOutcome.VOID)
    assert notice.void_reason == "服務未在使用中（暫停使用）。"
    assert not Violation.objects.filter(rule=UsageRule.INACTIVITY).exists()


def test_usage_reported_after_the_notice_for_the_weeks_it_counted_is_not_a_violation(call_115):
    """The cluster's accounting of a job that ran on the last day of week 6 arrived after the
    night's run had sent the notice for 7 idle weeks: the weeks idle were 6, not more than half,
    and the notice was not due. It became a violation when the three days passed."""
    today = timezone.localdate()
    start = today - 49 * DAY
    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING, starts_on=start, ends_on=start + 90 * DAY
    )
    allowance = grants.open_allowance(award, now=at(start, 9))
    assert services.run().notices == 1
    GpuJob.objects.create(
        cluster="c1",
        job_id="late",
        account="acct",
        allowance=allowance,
        gpus=1,
        started_at=at(today - DAY, 9),
        ended_at=at(today - DAY, 17),
    )

    report = services.run(now=timezone.now() + 4 * DAY)

    notice = InactivityNotice.objects.get()
    assert (report.violations, notice.outcome) == (0, NoticeOutcome.VOID)
    assert notice.void_reason == "通知後補入之使用紀錄顯示，通知時未使用週數並未過半。"
    assert not Violation.objects.exists()
