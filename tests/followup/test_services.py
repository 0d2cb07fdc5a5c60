"""The survey's rules: which awards a round covers, each award's standing, drafts, submissions
kept as versions, the round's dates, and the audit entries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.core.models import AuditEntry
from aipower.followup import services
from aipower.followup.enums import Status
from aipower.followup.models import Response, ResponseVersion, Round
from aipower.grants import services as grants
from aipower.grants.models import AllowanceState
from tests.grants.conftest import make_award

from .conftest import cleaned, ended_allowance

pytestmark = pytest.mark.integration


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


# ---- which awards a round covers ----


def test_round_covers_awards_whose_period_ended_before_opening(
    open_round, training_ended, inference_ended, call_115
):
    grants.open_allowance(make_award(call_115, "22099131", CategoryKind.INFERENCE))

    covered = services.round_allowances(open_round)

    assert sorted(a.award_id for a in covered) == sorted(
        [training_ended.award_id, inference_ended.award_id]
    )


def test_round_does_not_cover_period_ending_on_opening_day(call_115, operator):
    allowance = ended_allowance(call_115, "04595257", CategoryKind.TRAINING, days_ago=0)
    round_ = services.open_round(
        call=call_115, title="t", opens_on=_days(0), due_on=_days(30), by=operator
    )

    assert services.round_allowances(round_) == []
    assert allowance.ends_on == timezone.localdate()


def test_round_covers_service_ended_early(call_115, operator):
    allowance = grants.open_allowance(make_award(call_115, "22099131", CategoryKind.INFERENCE))
    allowance.state = AllowanceState.ENDED
    allowance.save(update_fields=["state"])
    round_ = services.open_round(
        call=call_115, title="t", opens_on=_days(0), due_on=_days(30), by=operator
    )

    assert [a.award_id for a in services.round_allowances(round_)] == [allowance.award_id]


def test_round_opening_later_covers_awards_ending_before_then(call_115, operator):
    allowance = grants.open_allowance(
        make_award(
            call_115, "22099131", CategoryKind.INFERENCE, starts_on=_days(-80), ends_on=_days(5)
        )
    )
    round_ = services.open_round(
        call=call_115, title="t", opens_on=_days(6), due_on=_days(30), by=operator
    )

    assert [a.award_id for a in services.round_allowances(round_)] == [allowance.award_id]


# ---- standing ----


def test_standing_is_pending_before_due_and_overdue_after(open_round, training_ended):
    [standing] = services.standings(open_round)
    [later] = services.standings(open_round, today=open_round.due_on + datetime.timedelta(days=1))

    assert standing.status == Status.PENDING
    assert str(standing.status_label) == "未填報"
    assert later.status == Status.OVERDUE
    assert str(later.status_label) == "逾期"


def test_standing_is_submitted_after_submission(open_round, training_ended, company_user):
    [standing] = services.standings(open_round)
    services.submit(standing, cleaned(), by=company_user(training_ended.company))

    [standing] = services.standings(
        open_round, today=open_round.due_on + datetime.timedelta(days=5)
    )

    assert standing.status == Status.SUBMITTED
    assert str(standing.status_label) == "已填報"


def test_filtered_and_counts_by_status(open_round, training_ended, inference_ended, company_user):
    rows = services.standings(open_round)
    services.submit(rows[0], cleaned(), by=company_user(rows[0].allowance.company))

    rows = services.standings(open_round)

    assert services.counts(rows) == {"": 2, "submitted": 1, "pending": 1, "overdue": 0}
    assert [r.award.pk for r in services.filtered(rows, "submitted")] == [rows[0].award.pk]
    assert len(services.filtered(rows, "unknown")) == 2


def test_planned_reads_section_7_of_the_application(training_ended, inference_ended):
    inference = inference_ended.award.application
    inference.data = {**inference.data, "inference": {"expected_applications": 4}}
    inference.save(update_fields=["data"])

    assert services.planned(training_ended.award.application) == {"models": 1, "applications": 2}
    assert services.planned(inference) == {"models": None, "applications": 4}


def test_answers_start_from_the_application_section_8(open_round, training_ended):
    [standing] = services.standings(open_round)

    assert standing.answers() == {"customers": ["sme"], "progress": ["in_development"]}


# ---- drafts and submissions ----


def test_save_draft_keeps_what_was_typed(open_round, training_ended):
    [standing] = services.standings(open_round)

    services.save_draft(standing, {"models_made": "abc", "product_name": "客服"})

    response = Response.objects.get()
    assert response.draft == {"models_made": "abc", "product_name": "客服"}
    assert response.versions.count() == 0
    assert services.standings(open_round)[0].answers() == response.draft
    assert services.standings(open_round)[0].draft_pending is True


def test_submit_keeps_each_submission_as_a_version(open_round, training_ended, company_user):
    user = company_user(training_ended.company)
    [standing] = services.standings(open_round)

    first = services.submit(standing, cleaned(), by=user)
    second = services.submit(standing, {**cleaned(), "paying_customers": 13}, by=user)

    assert [v.number for v in ResponseVersion.objects.order_by("number")] == [1, 2]
    assert first.data["paying_customers"] == 12
    assert second.data["paying_customers"] == 13
    [standing] = services.standings(open_round)
    assert standing.latest == second
    assert standing.draft_pending is False


def test_version_is_append_only(open_round, training_ended, company_user):
    [standing] = services.standings(open_round)
    version = services.submit(standing, cleaned(), by=company_user(training_ended.company))

    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        version.delete()


def test_submit_is_audited_with_fingerprint(open_round, training_ended, company_user):
    [standing] = services.standings(open_round)

    version = services.submit(standing, cleaned(), by=company_user(training_ended.company))

    entry = AuditEntry.objects.get(action="followup.submitted")
    assert entry.data == {
        "round": open_round.pk,
        "award": training_ended.award_id,
        "version": 1,
        "fingerprint": version.fingerprint,
    }
    assert version.fingerprint == services.fingerprint(cleaned())


def test_submit_after_due_date_is_refused(open_round, training_ended, company_user):
    [standing] = services.standings(open_round)
    after = timezone.now() + datetime.timedelta(days=31)

    with pytest.raises(ValidationError) as error:
        services.submit(standing, cleaned(), by=company_user(training_ended.company), now=after)

    assert error.value.code == "closed"
    assert ResponseVersion.objects.count() == 0


def test_draft_before_opening_is_refused(call_115, operator, training_ended):
    round_ = services.open_round(
        call=call_115, title="t", opens_on=_days(3), due_on=_days(30), by=operator
    )
    [standing] = services.standings(round_)

    with pytest.raises(ValidationError):
        services.save_draft(standing, {"notes": "x"})

    assert Response.objects.count() == 0


# ---- rounds ----


def test_open_round_is_audited(open_round, training_ended, operator):
    entry = AuditEntry.objects.get(action="followup.round_opened")

    assert entry.actor == operator
    assert entry.data["title"] == "115年度產品化調查（第1次）"
    assert entry.data["call"] == open_round.call_id
    assert entry.data["due_on"] == open_round.due_on.isoformat()


def test_open_round_refuses_due_date_before_opening(call_115, operator):
    with pytest.raises(ValidationError) as error:
        services.open_round(
            call=call_115, title="t", opens_on=_days(5), due_on=_days(4), by=operator
        )

    assert error.value.message_dict == {"due_on": ["填報截止日不可早於開放填報日"]}
    assert Round.objects.count() == 0


def test_change_round_records_only_what_changed(open_round, operator):
    old_due = open_round.due_on
    new_due = old_due + datetime.timedelta(days=14)

    services.change_round(
        open_round,
        title=open_round.title,
        opens_on=open_round.opens_on,
        due_on=new_due,
        by=operator,
    )

    open_round.refresh_from_db()
    assert open_round.due_on == new_due
    entry = AuditEntry.objects.get(action="followup.round_changed")
    assert entry.data == {"due_on": [old_due.isoformat(), new_due.isoformat()]}


def test_company_standings_lists_opened_rounds_covering_its_award(
    open_round, training_ended, inference_ended, call_115, operator
):
    services.open_round(
        call=call_115, title="later", opens_on=_days(2), due_on=_days(9), by=operator
    )

    rows = services.company_standings(training_ended.company_id)

    assert [(r.round.pk, r.award.pk) for r in rows] == [(open_round.pk, training_ended.award_id)]
    assert services.company_standing(open_round, inference_ended.company_id).award.pk == (
        inference_ended.award_id
    )
