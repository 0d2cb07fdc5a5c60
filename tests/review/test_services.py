"""Review services: freeze, eligibility, supplements and their deadline, scoring, the meeting,
the award and its signal, notifications."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import SentMail
from aipower.applications.services import update_after_submission
from aipower.calls.models import Tier
from aipower.core.i18n import chinese_numeral
from aipower.core.models import AuditEntry
from aipower.core.notice_texts import DEFAULT_TEMPLATES
from aipower.core.roc import format_roc_date
from aipower.review import services, workflow
from aipower.review.models import (
    Assignment,
    Award,
    BatchReview,
    Budget,
    Decision,
    NotificationTemplate,
    ReviewerProfile,
    SupplementRequest,
)
from aipower.review.signals import award_created
from aipower.review.tasks import expire_supplements_task

from .conftest import make_staff, refresh
from .helpers import assign_and_declare, full_review, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


def test_freeze_batch_moves_submitted_applications_to_eligibility_review(app_a, operator):
    review = services.freeze_batch(app_a.batch, operator)

    assert review.frozen_at is not None
    assert refresh(app_a).state == S.ELIGIBILITY_REVIEW
    assert AuditEntry.objects.filter(action="review.batch_frozen").count() == 1
    with pytest.raises(services.ReviewError, match="此梯次已凍結"):
        services.freeze_batch(app_a.batch, operator)


def test_freeze_batch_refused_for_reviewer(app_a, reviewers):
    with pytest.raises(services.NotPermitted):
        services.freeze_batch(app_a.batch, reviewers[0])
    assert not BatchReview.objects.filter(frozen_at__isnull=False).exists()


def test_frozen_application_cannot_be_updated_by_applicant(app_a, operator, company_a):
    from aipower.applications import flow
    from aipower.applications.services import ApplicationLocked, is_frozen

    services.freeze_batch(app_a.batch, operator)
    app = refresh(app_a)
    step = flow.get_step("training-2")
    form = step.full_form(app)
    assert form.is_valid()

    assert is_frozen(app)
    with pytest.raises(ApplicationLocked):
        update_after_submission(app, step, form, revision=app.revision, user=company_a)


def test_reviewed_version_is_the_one_standing_at_freeze(app_a, operator):
    services.freeze_batch(app_a.batch, operator)
    assert services.reviewed_version(refresh(app_a)).number == 1


def test_decide_ineligible_needs_reason_and_notifies(
    app_a, operator, django_capture_on_commit_callbacks
):
    with pytest.raises(workflow.TransitionRefused):
        services.decide_eligibility(app_a, S.INELIGIBLE, operator, reason="")
    assert refresh(app_a).state == S.SUBMITTED

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_eligibility(app_a, S.INELIGIBLE, operator, reason="非屬符合資格之行業")

    assert refresh(app_a).state == S.INELIGIBLE
    sent = SentMail.objects.filter(application=app_a).latest("id")
    assert sent.subject.endswith("資格審查結果")
    assert "非屬符合資格之行業" in sent.body


def test_decide_eligibility_refused_for_organiser(app_a, organiser):
    with pytest.raises(services.NotPermitted):
        services.decide_eligibility(app_a, S.ELIGIBLE, organiser)


def test_precheck_shows_verdict_and_prohibited_models(app_a):
    verdict, prohibited = services.precheck(app_a)
    # No registry snapshot is loaded here: the pre-check says it cannot decide.
    assert verdict.status == "unverifiable"
    assert prohibited == []


def test_precheck_flags_prohibited_models_named_in_a1_and_a4(app_a):
    app_a.data["training"] = {
        **app_a.section("training"),
        "container_model_name": "客服助理 v2（以 DeepSeek R1 蒸餾）",
        "container_base_model": "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
    }
    app_a.save(update_fields=["data"])

    _verdict, prohibited = services.precheck(app_a)

    assert prohibited == [
        "DeepSeek-R1（A-1：客服助理 v2（以 DeepSeek R1 蒸餾））",
        "DeepSeek-R1（A-4：deepseek-ai/DeepSeek-R1-Distill-Llama-8B）",
    ]


def test_precheck_leaves_other_a4_base_models_alone(app_a):
    app_a.data["training"] = {
        **app_a.section("training"),
        "container_model_name": "無",
        "container_base_model": "meta-llama/Llama-3.1-8B-Instruct",
    }
    app_a.save(update_fields=["data"])

    _verdict, prohibited = services.precheck(app_a)

    assert prohibited == []


def supplement(app, operator, now=None, days=7, steps=("training-2",)):
    now = now or timezone.now()
    return services.request_supplement(
        app,
        operator,
        message="請補充訓練資料集說明",
        deadline=now + datetime.timedelta(days=days),
        steps=list(steps),
        now=now,
    )


def test_request_supplement_notifies_and_opens_named_pages_only(
    app_a, operator, company_a, django_capture_on_commit_callbacks
):
    from aipower.applications import flow
    from aipower.applications.services import ApplicationLocked, is_editable_after_submission

    services.freeze_batch(app_a.batch, operator)
    with django_capture_on_commit_callbacks(execute=True):
        request = supplement(app_a, operator)

    app = refresh(app_a)
    assert app.state == S.SUPPLEMENT_REQUESTED
    assert request.steps == ["training-2"]
    assert services.requested_steps(app) == ("training-2",)
    assert is_editable_after_submission(app, flow.get_step("training-2"))
    assert not is_editable_after_submission(app, flow.get_step("training-1"))
    sent = SentMail.objects.filter(application=app).latest("id")
    assert "補件通知" in sent.subject
    assert "請補充訓練資料集說明" in sent.body
    step = flow.get_step("training-1")
    with pytest.raises(ApplicationLocked, match="補件範圍"):
        update_after_submission(
            app, step, step.full_form(app), revision=app.revision, user=company_a
        )


def test_request_supplement_validates_message_steps_and_deadline(app_a, operator):
    now = timezone.now()
    with pytest.raises(services.ReviewError, match="請選擇需補正之頁面"):
        supplement(app_a, operator, steps=["inference-1"])
    with pytest.raises(services.ReviewError, match="補件期限須晚於現在"):
        supplement(app_a, operator, now=now, days=-1)
    assert refresh(app_a).state == S.SUBMITTED


def test_answer_supplement_creates_version_and_resubmits(app_a, operator, company_a):
    from aipower.applications import flow
    from tests.applications.conftest import as_form_data

    services.freeze_batch(app_a.batch, operator)
    supplement(app_a, operator)
    app = refresh(app_a)
    step = flow.get_step("training-2")
    values = {**step.stored(app), "dataset_description": "補充：公開照護問答資料集"}
    form = step.get_form(app, as_form_data(values), draft=False)
    assert form.is_valid(), form.errors
    app, version = update_after_submission(app, step, form, revision=app.revision, user=company_a)
    assert version.number == 2

    services.answer_supplement(app, company_a)

    app = refresh(app)
    assert app.state == S.RESUBMITTED
    assert SupplementRequest.objects.get().answered_at is not None
    assert services.reviewed_version(app).number == 2


def test_answer_supplement_by_another_company_is_refused(app_a, operator, company_b):
    supplement(app_a, operator)
    with pytest.raises(services.ReviewError, match="您沒有權限執行此操作"):
        services.answer_supplement(refresh(app_a), company_b)
    assert refresh(app_a).state == S.SUPPLEMENT_REQUESTED


def test_deadline_task_makes_unanswered_supplement_not_accepted_once(
    app_a, app_b, operator, company_b, django_capture_on_commit_callbacks
):
    now = timezone.now()
    supplement(app_a, operator, now=now, days=3)
    supplement(app_b, operator, now=now, days=3)
    services.answer_supplement(refresh(app_b), company_b, now=now)
    later = now + datetime.timedelta(days=4)

    with django_capture_on_commit_callbacks(execute=True):
        first = expire_supplements_task.enqueue(later.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        second = expire_supplements_task.enqueue(later.isoformat())

    assert first.return_value == {"expired": [app_a.number], "reminded": []}
    assert second.return_value == {"expired": [], "reminded": []}
    assert refresh(app_a).state == S.NOT_ACCEPTED
    assert refresh(app_b).state == S.RESUBMITTED
    notices = SentMail.objects.filter(application=app_a, subject__contains="不予受理")
    assert notices.count() == 1
    change = refresh(app_a).state_changes.get(to_state=S.NOT_ACCEPTED)
    assert change.by is None
    assert change.reason == "逾補件期限未補正"


def test_deadline_task_reminds_once_before_deadline(
    app_a, operator, django_capture_on_commit_callbacks
):
    now = timezone.now()
    supplement(app_a, operator, now=now, days=3)
    soon = now + datetime.timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.expire_supplements(soon)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.expire_supplements(soon)

    assert first == ([], [app_a.number])
    assert second == ([], [])
    assert refresh(app_a).state == S.SUPPLEMENT_REQUESTED
    assert SentMail.objects.filter(subject__contains="補件期限將屆").count() == 1


def test_run_review_deadlines_command_is_safe_to_repeat(app_a, operator, capsys):
    now = timezone.now()
    supplement(app_a, operator, now=now, days=1)
    later = (now + datetime.timedelta(days=2)).isoformat()

    call_command("run_review_deadlines", now=later)
    call_command("run_review_deadlines", now=later)

    out = capsys.readouterr().out.splitlines()
    assert out == ["expired: 1, reminded: 0", "expired: 0, reminded: 0"]
    assert refresh(app_a).state == S.NOT_ACCEPTED


def test_weighted_total_against_hand_computed_value(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    criteria = list(services.criteria_of(app_a))
    assert [c.weight for c in criteria] == [30, 15, 10, 20, 15, 10]
    values = [80, 70, 60, 90, 50, 100]

    services.save_scores(
        assignment,
        reviewers[0],
        scores={c.pk: (v, "評語") for c, v in zip(criteria, values, strict=True)},
        overall_comment="總評",
        suggested_tier="L2",
        submit=True,
    )

    # 80×30 + 70×15 + 60×10 + 90×20 + 50×15 + 100×10 = 7600; / 100
    assert services.weighted_total(assignment) == Decimal("76")


def test_z_scores_against_hand_computed_values():
    z = services.z_scores({1: {"A": 60, "B": 40}, 2: {"A": 90, "B": 80}, 3: {"A": 70}})
    assert z == {1: {"A": 1.0, "B": -1.0}, 2: {"A": 1.0, "B": -1.0}, 3: {"A": 0.0}}


def test_ranking_normalises_harsh_and_lenient_reviewers(app_a, app_b, operator, reviewers):
    for app in (app_a, app_b):
        make_eligible(app, operator)
    a = assign_and_declare(app_a, reviewers, operator)
    b = assign_and_declare(app_b, reviewers, operator)
    # harsh: 60/40 (mean 50, sd 10); lenient: 90/80 (85, 5); third: 70/74 (72, 2)
    for assignment, value in zip(a, (60, 90, 70), strict=True):
        score_uniformly(assignment, assignment.reviewer, value)
    for assignment, value in zip(b, (40, 80, 74), strict=True):
        score_uniformly(assignment, assignment.reviewer, value)

    rows = services.ranking(app_a.batch)

    assert [r.application.pk for r in rows] == [app_a.pk, app_b.pk]
    first, second = rows
    assert [s.total for s in first.scores] == [Decimal(60), Decimal(90), Decimal(70)]
    assert [s.z for s in first.scores] == [1.0, 1.0, -1.0]
    assert first.mean == Decimal("73.33")
    assert second.mean == Decimal("64.67")
    assert first.spread == Decimal(30)
    assert second.spread == Decimal(40)
    assert first.normalised == 0.333
    assert second.normalised == -0.333
    assert first.suggested_tiers == ["L2", "L2", "L2"]


def test_ranking_normalisation_can_reverse_raw_means(app_a, app_b, operator, reviewers):
    """A lenient reviewer's one-sided enthusiasm does not outweigh two harsh reviewers."""
    for app in (app_a, app_b):
        make_eligible(app, operator)
    a = assign_and_declare(app_a, reviewers, operator)
    b = assign_and_declare(app_b, reviewers, operator)
    # A: 50, 52, 99 (mean 67); B: 55, 54, 90 (mean 66.33) — raw mean favours A,
    # but two of three reviewers rank B higher: z means A = -1/3, B = +1/3.
    for assignment, value in zip(a, (50, 52, 99), strict=True):
        score_uniformly(assignment, assignment.reviewer, value)
    for assignment, value in zip(b, (55, 54, 90), strict=True):
        score_uniformly(assignment, assignment.reviewer, value)

    rows = services.ranking(app_a.batch)

    assert [r.application.pk for r in rows] == [app_b.pk, app_a.pk]
    assert rows[0].mean < rows[1].mean


def test_submitted_scores_are_locked_until_reopened(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 70)
    assignment = Assignment.objects.get(pk=assignment.pk)

    with pytest.raises(services.ReviewError, match="評分已送出"):
        score_uniformly(assignment, reviewers[0], 80)
    with pytest.raises(services.NotPermitted):
        services.reopen_scores(assignment, reviewers[0])
    services.reopen_scores(assignment, operator, reason="委員要求修正")
    score_uniformly(Assignment.objects.get(pk=assignment.pk), reviewers[0], 80)

    assert services.weighted_total(assignment) == Decimal(80)
    assert AuditEntry.objects.filter(action="review.scores_submitted").count() == 2


def test_save_scores_draft_keeps_partial_and_submit_needs_all(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    first = services.criteria_of(app_a).first()

    _a, errors = services.save_scores(
        assignment, reviewers[0], scores={first.pk: ("85", "好")}, suggested_tier=""
    )
    assert errors == {}
    assert assignment.scores.get().value == 85

    _a, errors = services.save_scores(
        assignment, reviewers[0], scores={first.pk: ("101", "")}, suggested_tier="", submit=True
    )
    assert first.pk in errors
    assert "suggested_tier" in errors
    assert assignment.scores.get().value == 85
    assert Assignment.objects.get(pk=assignment.pk).submitted_at is None


def test_save_scores_draft_is_audited_with_the_changed_criteria(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    first, second, *rest = services.criteria_of(app_a)
    services.save_scores(
        assignment, reviewers[0], scores={first.pk: ("85", "好")}, suggested_tier=""
    )

    services.save_scores(
        assignment,
        reviewers[0],
        scores={first.pk: ("85", "好"), second.pk: ("70", "")},
        suggested_tier="L2",
    )

    entries = AuditEntry.objects.filter(action="review.scores_saved").order_by("id")
    assert [e.data["changed"] for e in entries] == [[first.key], [second.key]]
    last = entries.last()
    assert (last.actor, last.object_type, last.object_id) == (
        reviewers[0],
        "review.Assignment",
        str(assignment.pk),
    )
    assert last.data["number"] == app_a.number
    assert last.data["suggested_tier"] == "L2"
    assert last.data["scores"] == {
        first.key: 85,
        second.key: 70,
        **{c.key: None for c in rest},
    }


def test_submitting_scores_records_the_submission_not_a_draft(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)

    score_uniformly(assignment, reviewers[0], 70)

    assert AuditEntry.objects.filter(action="review.scores_submitted").count() == 1
    assert AuditEntry.objects.filter(action="review.scores_saved").count() == 0


def test_conflicted_reviewer_may_not_score_or_see(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator, conflicts=reviewers[:1])

    assert not services.can_see_application(reviewers[0], app_a)
    with pytest.raises(services.NotPermitted):
        score_uniformly(assignment, reviewers[0], 70)


def test_undeclared_reviewer_may_not_score_or_see(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)

    assert not services.can_see_application(reviewers[0], app_a)
    with pytest.raises(services.NotPermitted):
        score_uniformly(assignment, reviewers[0], 70)


def test_reviewer_may_not_declare_for_another(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)
    with pytest.raises(services.NotPermitted):
        services.declare_conflict(assignment, reviewers[1], has_conflict=False)


@pytest.mark.parametrize(
    ("affiliations", "flagged"),
    [("04595257", True), ("甲智能", True), ("王大明", True), ("丙公司\n12345675", False)],
)
def test_obvious_conflicts_are_flagged(app_a, operator, reviewers, affiliations, flagged):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=affiliations)
    make_eligible(app_a, operator)

    assignment = services.assign_reviewer(app_a, reviewers[0], operator)

    assert bool(assignment.conflict_flag) is flagged
    assert services.can_see_application(reviewers[0], app_a) is False


def test_meeting_approval_creates_award_notifies_and_publishes(
    app_a, app_b, operator, organiser, reviewers, django_capture_on_commit_callbacks
):
    full_review([app_a, app_b], operator, reviewers)
    l2 = Tier.objects.get(call=app_a.call, code="L2")
    services.stage_decision(app_a, operator, outcome="approved", tier=l2, reasons="具體可行")
    services.stage_decision(app_b, operator, outcome="not_approved", reasons="效益不明確")
    assert refresh(app_a).state == S.DECIDED
    assert services.published_awards(app_a.call).count() == 0
    received = []

    def receiver(sender, award, **kwargs):
        received.append((sender, award.points))

    award_created.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.approve_batch(app_a.batch, organiser)
    finally:
        award_created.disconnect(receiver)

    award = Award.objects.get()
    assert received == [(Award, 2000)]
    assert (award.application, award.tier, award.points) == (refresh(app_a), l2, 2000)
    assert award.units == 2000 * 1800
    assert (award.ends_on - award.starts_on).days in range(88, 92)
    assert [m.display_name for m in award.allowed_models.all()] == ["Llama-3.1-TAIDELX-8B-Lora"]
    assert refresh(app_a).state == S.APPROVED
    assert refresh(app_b).state == S.NOT_APPROVED
    assert list(services.published_awards(app_a.call)) == [award]
    subjects = sorted(
        SentMail.objects.filter(subject__contains="AP115").values_list("subject", flat=True)
    )
    assert any("核定通過" in s for s in subjects)
    assert any("審查結果" in s for s in subjects)
    _budget, awarded, staged = services.budget_status(award.category)
    assert (awarded, staged) == (2000, 0)


def test_approval_notice_writes_the_period_in_roc_dates(
    app_a, operator, organiser, reviewers, django_capture_on_commit_callbacks
):
    full_review([app_a], operator, reviewers)
    l2 = Tier.objects.get(call=app_a.call, code="L2")
    services.stage_decision(app_a, operator, outcome="approved", tier=l2, reasons="具體可行")

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_batch(app_a.batch, organiser)

    award = Award.objects.get()
    body = SentMail.objects.get(application=app_a, subject__contains="核定通過").body
    # The review's notices are zh-Hant: the period as the receipt writes its dates (民國).
    period = f"使用期間 {format_roc_date(award.starts_on)} 至 {format_roc_date(award.ends_on)}。"
    assert period in body
    # The audit log keeps plain dates (ISO), whatever language its reader reads it in.
    entry = AuditEntry.objects.get(action="application.transition", data__after="approved")
    assert (entry.data["starts_on"], entry.data["ends_on"]) == (
        award.starts_on.isoformat(),
        award.ends_on.isoformat(),
    )


def test_stage_decision_needs_all_scores_submitted(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assignments = assign_and_declare(app_a, reviewers, operator)
    score_uniformly(assignments[0], reviewers[0], 80)

    with pytest.raises(services.ReviewError, match="尚有審查委員未送出評分"):
        services.stage_decision(app_a, operator, outcome="not_approved", reasons="x")


def test_conflicted_reviewer_does_not_block_decision(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    fourth = make_staff("rev4", "reviewer")
    panel = [*reviewers, fourth]
    assignments = assign_and_declare(app_a, panel, operator, conflicts=reviewers[2:3])
    for assignment in assignments:
        if assignment.reviewer != reviewers[2]:
            score_uniformly(assignment, assignment.reviewer, 80)

    decision = services.stage_decision(app_a, operator, outcome="not_approved", reasons="x")

    assert decision.outcome == Decision.Outcome.NOT_APPROVED
    assert len(services.ranking(app_a.batch)[0].scores) == 3


def test_decision_needs_the_minimum_number_of_reviewers(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assignments = assign_and_declare(app_a, reviewers, operator, conflicts=reviewers[2:])
    for assignment in assignments[:2]:
        score_uniformly(assignment, assignment.reviewer, 80)

    with pytest.raises(services.ReviewError) as refused:
        services.stage_decision(app_a, operator, outcome="not_approved", reasons="x")

    assert str(refused.value) == "每案至少須有 3 位審查委員送出評分，本案目前為 2 位"
    Budget.objects.create(
        category=app_a.call.categories.get(kind="training"), points=10000, minimum_reviewers=2
    )
    decision = services.stage_decision(app_a, operator, outcome="not_approved", reasons="x")
    assert decision.outcome == Decision.Outcome.NOT_APPROVED


def test_decision_with_every_reviewer_recused_names_the_minimum(app_a, operator, reviewers):
    """No reviewer left to score: the refusal says the minimum is not met (it said 尚有審查委員
    未送出評分, though nobody had anything left to submit)."""
    make_eligible(app_a, operator)
    assign_and_declare(app_a, reviewers, operator, conflicts=reviewers)

    with pytest.raises(services.ReviewError) as refused:
        services.stage_decision(app_a, operator, outcome="not_approved", reasons="x")

    assert str(refused.value) == "每案至少須有 3 位審查委員送出評分，本案目前為 0 位"


def test_organiser_overrides_points_with_reason(app_a, operator, organiser, reviewers):
    full_review([app_a], operator, reviewers)
    l1 = Tier.objects.get(call=app_a.call, code="L1")
    decision = services.stage_decision(app_a, operator, outcome="approved", tier=l1)
    Budget.objects.create(category=app_a.call.categories.get(kind="training"), points=10000)

    with pytest.raises(services.ReviewError):
        services.override_points(decision, organiser, points=1500, reason="")
    with pytest.raises(services.NotPermitted):
        services.override_points(decision, operator, points=1500, reason="x")
    decision = services.override_points(decision, organiser, points=1500, reason="預算調整")

    assert decision.points == 1500
    assert services.budget_status(decision.tier.call.categories.get(kind="training")) == (
        10000,
        0,
        1500,
    )
    services.approve_batch(app_a.batch, organiser)
    assert Award.objects.get().points == 1500


def test_restaging_a_decision_keeps_the_previous_one_in_the_audit_log(
    app_a, operator, organiser, reviewers
):
    full_review([app_a], operator, reviewers)
    l1 = Tier.objects.get(call=app_a.call, code="L1")
    decision = services.stage_decision(app_a, operator, outcome="approved", tier=l1, reasons="可行")
    services.override_points(decision, organiser, points=1500, reason="預算調整")

    services.stage_decision(app_a, operator, outcome="not_approved", reasons="效益不明確")

    first, second = AuditEntry.objects.filter(action="review.decision_staged").order_by("id")
    assert "before" not in first.data
    assert second.data["outcome"] == "not_approved"
    assert second.data["before"] == {
        "outcome": "approved",
        "tier": "L1",
        "points": 1500,
        "points_override": 1500,
        "override_reason": "預算調整",
        "reasons": "可行",
    }


def test_approve_batch_refused_while_undecided(app_a, app_b, operator, organiser, reviewers):
    full_review([app_a], operator, reviewers)
    with pytest.raises(services.ReviewError, match="尚有申請案未決議"):
        services.approve_batch(app_a.batch, organiser)
    with pytest.raises(services.NotPermitted):
        services.approve_batch(app_a.batch, operator)


def test_notification_templates_are_seeded_and_editable(
    app_a, operator, django_capture_on_commit_callbacks
):
    assert NotificationTemplate.objects.filter(key__in=DEFAULT_TEMPLATES).count() == len(
        DEFAULT_TEMPLATES
    )
    template = NotificationTemplate.objects.get(key="ineligible")
    template.subject_zh = "資格審查：{{ number }}（{{ company }}）"
    template.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.decide_eligibility(app_a, S.INELIGIBLE, operator, reason="分公司")

    assert mail.outbox[-1].subject == f"資格審查：{app_a.number}（甲智能股份有限公司）"
    assert SentMail.objects.latest("id").subject == mail.outbox[-1].subject


def test_applicant_dashboard_context_shows_supplement_and_notices(app_a, operator):
    supplement(app_a, operator)
    context = services.applicant_dashboard(refresh(app_a))
    assert context["supplement"].message == "請補充訓練資料集說明"
    assert [s.identifier for s in context["supplement_steps"]] == ["training-2"]
    assert context["notices"][0]["text"] == "執行單位要求補件"


def test_public_results_list_approved_companies_only_after_approval(
    client, app_a, app_b, operator, organiser, reviewers
):
    from django.urls import reverse

    full_review([app_a, app_b], operator, reviewers)
    l2 = Tier.objects.get(call=app_a.call, code="L2")
    services.stage_decision(app_a, operator, outcome="approved", tier=l2)
    services.stage_decision(app_b, operator, outcome="not_approved", reasons="效益不明確")
    before = client.get(reverse("public:results")).content.decode()

    services.approve_batch(app_a.batch, organiser)
    after = client.get(reverse("public:results")).content.decode()

    assert "甲智能股份有限公司" not in before
    assert "目前尚未公布審查結果名單" in before
    assert "甲智能股份有限公司" in after
    assert "乙資訊有限公司" not in after
    assert f"模型訓練類 第{chinese_numeral(app_a.batch.number)}梯次" in after


def test_notification_template_with_broken_syntax_is_refused(db):
    from django.core.exceptions import ValidationError

    template = NotificationTemplate(
        key="x", subject_zh="{{ number|nosuchfilter }}", body_zh="{% if %}"
    )

    with pytest.raises(ValidationError) as raised:
        template.full_clean()

    assert set(raised.value.message_dict) == {"subject_zh", "body_zh"}


def test_precheck_names_prohibited_models_with_english_punctuation_in_english(app_a):
    app_a.data["training"] = {
        **app_a.section("training"),
        "container_base_model": "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
    }
    app_a.save(update_fields=["data"])

    with translation.override("en"):
        _verdict, prohibited = services.precheck(app_a)

    assert prohibited == ["DeepSeek-R1 (A-4: deepseek-ai/DeepSeek-R1-Distill-Llama-8B)"]


def test_run_review_deadlines_enqueue_hands_the_deadlines_to_the_task(app_a, operator, capsys):
    now = timezone.now()
    supplement(app_a, operator, now=now, days=1)
    later = (now + datetime.timedelta(days=2)).isoformat()

    call_command("run_review_deadlines", "--enqueue", now=later)

    # The test settings run tasks at once (ImmediateBackend): the task judged by --now.
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("queued ")
    assert refresh(app_a).state == S.NOT_ACCEPTED


def test_run_review_deadlines_refuses_a_now_that_is_not_a_date_time():
    with pytest.raises(CommandError, match="not an ISO date-time: tomorrow"):
        call_command("run_review_deadlines", now="tomorrow")


@pytest.mark.parametrize(
    ("starts_on", "months", "ends_on"),
    [
        ("2026-11-15", 3, "2027-02-14"),  # the day before the corresponding day
        ("2026-11-28", 3, "2027-02-27"),
        ("2026-11-29", 3, "2027-02-28"),  # no 2/29 in 2027: the month's last day
        ("2026-11-30", 3, "2027-02-28"),
        ("2027-11-30", 3, "2028-02-29"),  # a leap year has it
        ("2026-08-31", 3, "2026-11-30"),
        ("2026-01-01", 3, "2026-03-31"),
        ("2026-10-31", 12, "2027-10-30"),
    ],
)
def test_an_award_period_ends_as_the_civil_code_counts_months(starts_on, months, ends_on):
    start = datetime.date.fromisoformat(starts_on)

    assert services.period_end(start, months) == datetime.date.fromisoformat(ends_on)


def test_supplement_answered_in_its_deadlines_last_second_is_accepted(app_a, operator, company_a):
    # The operator types 23:59; the notice says 23:59:00; 23:59:00.600 is still that second.
    now = timezone.now()
    day = timezone.localdate(now) + datetime.timedelta(days=3)
    deadline = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
    services.request_supplement(
        app_a,
        operator,
        message="請補充訓練資料集說明",
        deadline=deadline,
        steps=["training-2"],
        now=now,
    )
    in_that_second = deadline + datetime.timedelta(milliseconds=600)

    expired, _reminded = services.expire_supplements(now=in_that_second)
    services.answer_supplement(refresh(app_a), company_a, now=in_that_second)

    assert expired == []
    assert refresh(app_a).state == S.RESUBMITTED
