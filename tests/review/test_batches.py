"""Which batch an application is reviewed in (03-rules 梯次): a batch frozen early takes no
more submissions, a re-submission after a supplement joins the batch whose cut-off comes next,
and a batch's list is approved only when none of its applications is left without a way on."""

import datetime

import pytest
from django.utils import timezone

from aipower.applications.enums import ApplicationState as S
from aipower.applications.services import start_application, submit_application
from aipower.core.models import AuditEntry
from aipower.review import services
from aipower.review.models import Budget
from tests.applications.conftest import fill_application, make_company_user

from .conftest import refresh
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration

HOUR = datetime.timedelta(hours=1)


def batches(app):
    return list(app.batch.category.batches.order_by("cutoff_at"))


def in_batch(app, batch):
    app.batch = batch
    app.save(update_fields=["batch"])
    return refresh(app)


def ask_supplement(app, operator, now):
    return services.request_supplement(
        app,
        operator,
        message="請補充訓練資料集說明",
        deadline=now + datetime.timedelta(days=7),
        steps=["training-2"],
        now=now,
    )


def decided(app, operator, reviewers):
    make_eligible(app, operator)
    for assignment in assign_and_declare(app, reviewers, operator):
        score_uniformly(assignment, assignment.reviewer, 80)
    services.stage_decision(app, operator, outcome="not_approved", reasons="效益不明確")


def test_resubmission_after_the_cutoff_joins_the_next_batch(app_a, operator, company_a):
    first, second = batches(app_a)[:2]
    app = in_batch(app_a, first)
    services.freeze_batch(first, operator, now=first.cutoff_at + HOUR)
    ask_supplement(refresh(app), operator, first.cutoff_at + HOUR)

    services.answer_supplement(refresh(app), company_a, now=first.cutoff_at + 2 * HOUR)

    app = refresh(app)
    assert (app.state, app.batch) == (S.RESUBMITTED, second)
    entry = AuditEntry.objects.get(action="review.batch_changed")
    assert entry.data == {
        "number": app.number,
        "before": first.number,
        "after": second.number,
        "reason": "resubmitted",
    }


def test_resubmission_before_the_cutoff_stays_in_its_batch(app_a, operator, company_a):
    first = batches(app_a)[0]
    app = in_batch(app_a, first)
    ask_supplement(app, operator, first.cutoff_at - 3 * HOUR)

    services.answer_supplement(refresh(app), company_a, now=first.cutoff_at - 2 * HOUR)

    assert refresh(app).batch == first
    assert not AuditEntry.objects.filter(action="review.batch_changed").exists()


def test_resubmission_before_the_cutoff_stays_in_a_batch_frozen_early(app_a, operator, company_a):
    first = batches(app_a)[0]
    app = in_batch(app_a, first)
    services.freeze_batch(first, operator, now=first.cutoff_at - 4 * HOUR)
    ask_supplement(refresh(app), operator, first.cutoff_at - 3 * HOUR)

    services.answer_supplement(refresh(app), company_a, now=first.cutoff_at - 2 * HOUR)

    assert refresh(app).batch == first


def test_resubmission_after_the_last_cutoff_stays_in_the_last_batch(app_a, operator, company_a):
    last = batches(app_a)[-1]
    app = in_batch(app_a, last)
    services.freeze_batch(last, operator, now=last.cutoff_at + HOUR)
    ask_supplement(refresh(app), operator, last.cutoff_at + HOUR)

    services.answer_supplement(refresh(app), company_a, now=last.cutoff_at + 2 * HOUR)

    assert refresh(app).batch == last


def test_a_submission_after_an_early_freeze_joins_the_next_batch(open_call, operator):
    company = make_company_user("10458575", "乙資訊有限公司")
    first_app = submit_application(
        fill_application(start_application(company.company, open_call), company, "training"),
        company,
    )
    frozen = first_app.batch
    services.freeze_batch(frozen, operator)
    late = make_company_user("04595257", "甲智能股份有限公司")

    app = submit_application(
        fill_application(start_application(late.company, open_call), late, "training"), late
    )

    assert app.batch != frozen
    assert app.batch.cutoff_at >= frozen.cutoff_at
    assert app.state == S.SUBMITTED


def test_approval_moves_a_pending_supplement_to_the_next_batch(
    app_a, app_b, operator, organiser, reviewers
):
    first, second = batches(app_a)[:2]
    app_a, app_b = in_batch(app_a, first), in_batch(app_b, first)
    now = first.cutoff_at + HOUR
    services.freeze_batch(first, operator, now=now)
    decided(app_a, operator, reviewers)
    ask_supplement(refresh(app_b), operator, now)

    services.approve_batch(first, organiser, now=now + HOUR)

    assert refresh(app_a).state == S.NOT_APPROVED
    app_b = refresh(app_b)
    assert (app_b.state, app_b.batch) == (S.SUPPLEMENT_REQUESTED, second)
    approval = AuditEntry.objects.get(action="review.batch_approved")
    assert approval.data["moved_to_next_batch"] == [app_b.number]


def test_approval_waits_for_a_pending_supplement_in_the_last_batch(
    app_a, app_b, operator, organiser, reviewers
):
    last = batches(app_a)[-1]
    app_a, app_b = in_batch(app_a, last), in_batch(app_b, last)
    now = last.cutoff_at + HOUR
    services.freeze_batch(last, operator, now=now)
    decided(app_a, operator, reviewers)
    ask_supplement(refresh(app_b), operator, now)

    with pytest.raises(services.ReviewError) as refused:
        services.approve_batch(last, organiser, now=now + HOUR)

    assert str(refused.value) == f"尚有申請案待補件，且本類別已無下一梯次：{app_b.number}"
    assert refresh(app_a).state == S.DECIDED
    assert services.batch_review(last).approved_at is None


def test_approval_refuses_a_batch_with_an_application_not_taken_up(
    app_a, app_b, operator, organiser, reviewers
):
    first = batches(app_a)[0]
    app_a, app_b = in_batch(app_a, first), in_batch(app_b, first)
    services.freeze_batch(first, operator, now=first.cutoff_at + HOUR)
    decided(refresh(app_a), operator, reviewers)
    app_b.state = S.SUBMITTED  # joined before this rule existed
    app_b.save(update_fields=["state"])

    with pytest.raises(services.ReviewError, match=app_b.number):
        services.approve_batch(first, organiser, now=timezone.now())


def test_minimum_reviewers_is_read_from_the_categorys_budget(app_a):
    category = app_a.call.categories.get(kind="training")
    assert services.minimum_reviewers(category) == 3
    Budget.objects.create(category=category, points=1000, minimum_reviewers=5)
    assert services.minimum_reviewers(category) == 5
