"""When uploads open and are due, each item's and award's standing, hand-ins (append-only,
latest counts) and the demo-meeting record."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.core.models import AuditEntry
from aipower.deliverables import services
from aipower.deliverables.enums import Item, ItemState, Status
from aipower.deliverables.models import DemoAttendance, Submission
from aipower.grants import services as grants
from aipower.grants.models import AllowanceState
from tests.grants.conftest import make_award

from .conftest import ended_allowance, upload

pytestmark = pytest.mark.integration

DAY = datetime.timedelta(days=1)


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def test_due_on_is_period_end_plus_the_calls_deliverables_days(inference_ended):
    call = inference_ended.award.category.call
    call.deliverables_days = 45
    call.save()
    inference_ended.refresh_from_db()
    inference_ended.award.category.call.refresh_from_db()

    assert services.due_on(inference_ended) == inference_ended.ends_on + 45 * DAY


def test_due_on_with_the_seeded_30_days(inference_ended):
    assert services.due_on(inference_ended) == inference_ended.ends_on + 30 * DAY


def test_is_open_only_after_the_period_ends(call_115):
    allowance = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))

    assert services.is_open(allowance, allowance.ends_on) is False
    assert services.is_open(allowance, allowance.ends_on + DAY) is True


def test_is_open_when_points_ran_out_early(call_115):
    allowance = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    grants.set_state(allowance, AllowanceState.EXHAUSTED)

    assert services.is_open(allowance, allowance.starts_on + DAY) is True
    assert services.due_on(allowance) == allowance.ends_on + 30 * DAY


def test_is_open_not_while_suspended_within_the_period(call_115):
    allowance = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    grants.set_state(allowance, AllowanceState.SUSPENDED)

    assert services.is_open(allowance, allowance.starts_on + DAY) is False


def test_obligation_before_any_hand_in_is_pending(inference_ended, company_user):
    ob = services.obligation(inference_ended)

    assert ob.status == Status.PENDING
    assert [s.state for s in ob.items] == [ItemState.PENDING] * 3
    assert ob.days_left == 25


def test_obligation_after_the_due_date_is_overdue(call_115):
    allowance = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=31)

    ob = services.obligation(allowance)

    assert ob.status == Status.OVERDUE
    assert [s.state for s in ob.items] == [ItemState.OVERDUE] * 3


def test_obligation_on_the_due_date_is_not_overdue(call_115):
    allowance = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=30)

    assert services.obligation(allowance).status == Status.PENDING


def test_submit_all_three_completes_the_award(inference_ended, company_user, private_root):
    user = company_user(inference_ended.company)

    services.submit(inference_ended, Item.REPORT, by=user, upload=upload("結案報告.pdf"))
    services.submit(inference_ended, Item.SLIDES, by=user, upload=upload("slides.pptx"))
    services.submit(inference_ended, Item.VIDEO, by=user, link="https://youtu.be/demo")

    ob = services.obligation(inference_ended)
    assert ob.status == Status.COMPLETE
    assert [s.state for s in ob.items] == [ItemState.SUBMITTED] * 3
    report = ob.items[0].latest
    assert report.original_name == "結案報告.pdf"
    assert report.size == len(upload("x.pdf").read())
    assert len(report.sha256) == 64
    stored = Path(report.file.path)
    assert stored.is_file()
    assert stored.name != "結案報告.pdf"
    assert stored.is_relative_to(private_root)


def test_submit_again_keeps_the_history_and_the_latest_counts(inference_ended, company_user):
    user = company_user(inference_ended.company)
    first = services.submit(inference_ended, Item.VIDEO, by=user, link="https://youtu.be/one")
    second = services.submit(inference_ended, Item.VIDEO, by=user, upload=upload("demo.mp4"))

    status = services.obligation(inference_ended).items[2]

    assert status.history == [second, first]
    assert status.latest == second
    assert Submission.objects.count() == 2


def test_submit_after_the_due_date_is_late(inference_ended, company_user):
    user = company_user(inference_ended.company)
    due = services.due_on(inference_ended)

    services.submit(inference_ended, Item.REPORT, by=user, link="https://x.org/r", now=_moment(due))
    services.submit(
        inference_ended, Item.SLIDES, by=user, link="https://x.org/s", now=_moment(due + DAY)
    )

    items = services.obligation(inference_ended, today=due + 2 * DAY).items
    assert [s.state for s in items] == [ItemState.SUBMITTED, ItemState.LATE, ItemState.OVERDUE]


def test_replacing_an_on_time_hand_in_late_stays_on_time(inference_ended, company_user):
    user = company_user(inference_ended.company)
    due = services.due_on(inference_ended)
    services.submit(inference_ended, Item.REPORT, by=user, link="https://x.org/1", now=_moment(due))
    services.submit(
        inference_ended, Item.REPORT, by=user, link="https://x.org/2", now=_moment(due + DAY)
    )

    status = services.obligation(inference_ended, today=due + DAY).items[0]

    assert status.state == ItemState.SUBMITTED
    assert status.latest.link == "https://x.org/2"


def test_submit_is_audited(inference_ended, company_user):
    user = company_user(inference_ended.company)

    submission = services.submit(inference_ended, Item.VIDEO, by=user, link="https://youtu.be/d")

    entry = AuditEntry.objects.get(action="deliverables.submitted")
    assert entry.actor == user
    assert entry.object_id == str(submission.pk)
    assert entry.data["item"] == "video"
    assert entry.data["link"] == "https://youtu.be/d"


def test_submit_refuses_both_file_and_link(inference_ended, company_user):
    user = company_user(inference_ended.company)

    with pytest.raises(ValidationError) as caught:
        services.submit(
            inference_ended, Item.REPORT, by=user, upload=upload("r.pdf"), link="https://x.org"
        )

    assert caught.value.code == "both"
    assert Submission.objects.count() == 0


def test_submit_refuses_before_the_period_ends(call_115, company_user):
    allowance = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))

    with pytest.raises(ValidationError) as caught:
        services.submit(
            allowance, Item.REPORT, by=company_user(allowance.company), link="https://x.org"
        )

    assert caught.value.code == "not_open"


def test_submit_refuses_uploads_beyond_the_hourly_limit(inference_ended, company_user, settings):
    settings.DELIVERABLES_UPLOADS_PER_HOUR = 2
    user = company_user(inference_ended.company)
    start = timezone.now()
    for minute in (0, 10):
        services.submit(
            inference_ended,
            Item.REPORT,
            by=user,
            upload=upload(f"r{minute}.pdf"),  # two files: the same one again is not stored
            now=start + datetime.timedelta(minutes=minute),
        )
    services.submit(  # links do not count: they put nothing on the volume
        inference_ended, Item.VIDEO, by=user, link="https://x.org/v", now=start
    )

    with pytest.raises(ValidationError) as caught:
        services.submit(
            inference_ended,
            Item.SLIDES,
            by=user,
            upload=upload("s.pptx"),
            now=start + datetime.timedelta(minutes=20),
        )
    assert caught.value.code == "rate"
    assert caught.value.messages == ["本案一小時內已上傳 2 個檔案，請稍後再試"]

    later = services.submit(
        inference_ended,
        Item.SLIDES,
        by=user,
        upload=upload("s.pptx"),
        now=start + datetime.timedelta(minutes=61),
    )
    assert later.size > 0


def test_submissions_are_append_only(inference_ended, company_user):
    submission = services.submit(
        inference_ended, Item.REPORT, by=company_user(inference_ended.company), link="https://x.org"
    )

    with pytest.raises(PermissionError):
        submission.save()
    with pytest.raises(PermissionError):
        submission.delete()


def test_record_attendance_is_audited_and_the_latest_counts(training_ended, staff):
    _client, operator = staff("operator")
    day = training_ended.ends_on + 10 * DAY
    services.record_attendance(training_ended, attended=False, meeting_on=day, by=operator)

    row = services.record_attendance(
        training_ended, attended=True, meeting_on=day, note="補登", by=operator
    )

    assert services.obligation(training_ended).attendance == row
    assert DemoAttendance.objects.count() == 2
    entry = AuditEntry.objects.filter(action="deliverables.demo_attendance").latest("id")
    assert entry.actor == operator
    assert entry.data == {
        "award": training_ended.award_id,
        "attended": True,
        "meeting_on": day.isoformat(),
        "note": "補登",
    }


def test_record_attendance_refused_for_inference_awards(inference_ended, staff):
    _client, operator = staff("operator")

    with pytest.raises(ValidationError):
        services.record_attendance(
            inference_ended, attended=True, meeting_on=inference_ended.ends_on, by=operator
        )


def kept(rows, name):
    """The rows of ``obligations`` a staff-list filter keeps, by each row's own standing."""
    return [ob for ob in rows if not name or getattr(ob, name)]


def test_filtered_overdue_and_incomplete(call_115, company_user):
    overdue = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=40)
    pending = ended_allowance(call_115, "04595257", CategoryKind.TRAINING, days_ago=3)
    running = grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE))
    rows = services.obligations([overdue, pending, running])

    assert [ob.allowance for ob in kept(rows, "overdue")] == [overdue]
    assert [ob.allowance for ob in kept(rows, "incomplete")] == [overdue, pending]
    assert len(kept(rows, "")) == 3


def test_the_staff_lists_filters_in_sql_keep_and_count_what_the_rows_show(call_115, staff):
    """``listed`` and ``filter_counts`` (the database) agree with each row's own standing
    (``obligations``, Python) on every day around the period's end and the due date: a period
    ended early or suspended, every item handed in or one missing, the call's own days."""
    _client, operator = staff("operator")
    call_115.deliverables_days = 12
    call_115.save()
    today = timezone.localdate()
    made = []
    for n, (days_ago, state, items) in enumerate(
        [
            (-20, AllowanceState.ACTIVE, []),  # still running
            (-20, AllowanceState.EXHAUSTED, []),  # points used up: open early
            (-20, AllowanceState.ENDED, list(Item)),  # terminated, everything handed in
            (-20, AllowanceState.SUSPENDED, []),  # suspended: not ended
            (0, AllowanceState.EXPIRED, [Item.REPORT]),
            (1, AllowanceState.EXPIRED, [Item.REPORT, Item.SLIDES]),
            (12, AllowanceState.EXPIRED, []),  # the due date is today
            (13, AllowanceState.EXPIRED, []),  # the due date was yesterday
            (13, AllowanceState.EXPIRED, list(Item)),
            (40, AllowanceState.ACTIVE, [Item.VIDEO]),  # the housekeeping not yet run
        ]
    ):
        kind = CategoryKind.TRAINING if n % 2 else CategoryKind.INFERENCE
        allowance = ended_allowance(call_115, f"{41000000 + n}", kind, days_ago=days_ago)
        type(allowance).objects.filter(pk=allowance.pk).update(state=state)
        for item in items:
            Submission.objects.create(
                award=allowance.award,
                item=item,
                link=f"https://example.com/{n}/{item}",
                submitted_by=operator,
                submitted_at=timezone.now() - 30 * DAY,
            )
        made.append(allowance)

    seen = set()
    for shift in range(-25, 45):
        day = today + shift * DAY
        rows = services.obligations(services.allowances(), day)
        for name in ("", "overdue", "incomplete"):
            expected = [ob.allowance.pk for ob in kept(rows, name)]
            assert [a.pk for a in services.listed(name, day)] == expected, (day, name)
            assert services.filter_counts(day)[name] == len(expected), (day, name)
            seen.add((name, len(expected)))
    # The days tried move rows across the due date and the period's end.
    assert {count for name, count in seen if name == "overdue"} >= {1, 5, 8}
    assert {count for name, count in seen if name == "incomplete"} >= {6, 8}
    assert len(made) == services.filter_counts(today)[""]
