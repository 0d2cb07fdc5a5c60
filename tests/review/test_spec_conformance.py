"""The review as the programme document and the spec describe it, checked where the pages had
drifted: the start-up priority flag on the reviewer's score sheet (03-rules: a flag reviewers
and the meeting see), the pages a supplement names as the notice writes them, the scores
reopened after the meeting recorded a decision, the applicant told that an ineligible
application is not accepted (不予受理)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from aipower.accounts.models import Company
from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import Application, SentMail
from aipower.core.models import AuditEntry, NotificationTemplate
from aipower.registry.services import import_demo_registry
from aipower.review import services
from aipower.review.models import Assignment, Decision

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


def as_sky(app):
    """``app``'s company as 晴空 of the demo registry (founded 110年03月15日; the form says
    2019-03-01: both after the call's start-up date 2018-01-01)."""
    import_demo_registry()
    Company.objects.filter(pk=app.company_id).update(ubn="84700087")


def test_the_reviewer_sees_the_startup_priority_flag_on_the_score_sheet(scoring):
    assignment, _criteria, client = scoring
    as_sky(assignment.application)

    response = client.get(reverse("review:assignment", args=[assignment.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="startup-priority"' in html
    assert "具新創優先資格" in html


def test_the_score_sheet_has_no_startup_flag_for_a_company_founded_before_the_date(scoring):
    assignment, _criteria, client = scoring
    as_sky(assignment.application)
    call = assignment.application.call
    call.startup_founded_on_or_after = datetime.date(2022, 1, 1)  # both dates before it
    call.save(update_fields=["startup_founded_on_or_after"])

    response = client.get(reverse("review:assignment", args=[assignment.pk]))

    assert response.status_code == 200
    assert 'id="startup-priority"' not in response.content.decode()


def _request_supplement(app, operator, steps=("profile", "training-2")):
    return services.request_supplement(
        app,
        operator,
        message="請補正公司簡介",
        deadline=timezone.now() + datetime.timedelta(days=7),
        steps=list(steps),
    )


def test_the_supplement_notice_names_the_pages_to_correct_by_their_titles(app_a, operator):
    template = NotificationTemplate.objects.get(key="supplement_requested")
    template.body_zh += "需補正之頁面：{{ steps }}\n"
    template.save()

    _request_supplement(app_a, operator)

    body = SentMail.objects.filter(application=app_a).latest("id").body
    assert "需補正之頁面：企業基本資料表及個資同意書、專案重要性及訓練資料集" in body
    assert "training-2" not in body


def test_the_notice_of_an_operator_working_in_english_is_in_zh_hant(app_a, operator):
    with translation.override("en"):
        _request_supplement(app_a, operator)

    body = SentMail.objects.filter(application=app_a).latest("id").body
    assert "（模型訓練類）" in body
    assert "Model training" not in body


def test_the_operators_english_page_sends_the_supplement_notice_in_zh_hant(app_a, operator):
    client = verified_client(operator)
    client.cookies["django_language"] = "en"
    deadline = timezone.localtime() + datetime.timedelta(days=7)

    response = client.post(
        reverse("review:application_eligibility", args=[app_a.pk]),
        {
            "outcome": "supplement",
            "reason": "請補正公司簡介",
            "steps": ["profile"],
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 302
    body = SentMail.objects.filter(application=app_a).latest("id").body
    assert "（模型訓練類）" in body


def test_the_applicant_is_told_an_ineligible_application_is_not_accepted(
    app_a, operator, company_a
):
    services.decide_eligibility(app_a, "ineligible", operator, reason="非屬符合資格之行業")
    client = Client()
    client.force_login(company_a)

    html = client.get(reverse("applications:dashboard")).content.decode()

    assert "資格審查結果：申請資格不符，不予受理" in html
    assert "非屬符合資格之行業" in html


@pytest.fixture
def decided(app_a, operator, reviewers):
    """app_a scored by one reviewer (minimum one) and staged as approved at L2."""
    from aipower.calls.models import Tier
    from aipower.review.models import Budget

    Budget.objects.create(
        category=app_a.call.categories.get(kind=app_a.category), points=100000, minimum_reviewers=1
    )
    services.freeze_batch(app_a.batch, operator)
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 80)
    tier = Tier.objects.get(call=app_a.call, code="L2")
    services.stage_decision(app_a, operator, outcome="approved", tier=tier)
    return Assignment.objects.get(pk=assignment.pk)


def test_the_operator_reopens_scores_after_the_meeting_decided(
    decided, operator, organiser, reviewers
):
    client = verified_client(operator)
    page = client.get(reverse("review:application", args=[decided.application_id]))
    assert f'action="{reverse("review:assignment_reopen", args=[decided.pk])}"' in (
        page.content.decode()
    )

    response = client.post(
        reverse("review:assignment_reopen", args=[decided.pk]),
        {f"r{decided.pk}-reason": "委員誤植分數"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == ["已開放審查委員修改評分"]
    app = Application.objects.get(pk=decided.application_id)
    assert app.state == S.IN_REVIEW
    assert not Decision.objects.filter(application=app).exists()
    entry = AuditEntry.objects.get(action="review.scores_reopened")
    assert entry.data["withdrawn_decision"]["tier"] == "L2"
    assert entry.data["withdrawn_decision"]["points"] == 2000
    # The reviewer may change the scores again, and the list waits for a new decision.
    _assignment, errors = score_uniformly(Assignment.objects.get(pk=decided.pk), reviewers[0], 60)
    assert errors == {}
    with pytest.raises(services.ReviewError):
        services.approve_batch(app.batch, organiser)


def test_reopening_after_the_decision_takes_its_points_off_the_staged_total(decided, operator):
    category = decided.application.call.categories.get(kind=decided.application.category)
    assert services.budget_status(category)[2] == 2000

    services.reopen_scores(decided, operator, reason="委員誤植分數")

    assert services.budget_status(category)[2] == 0


def test_the_organiser_cannot_reopen_scores(decided, organiser):
    with pytest.raises(services.NotPermitted):
        services.reopen_scores(decided, organiser, reason="x")
    assert Decision.objects.filter(application_id=decided.application_id).exists()


@pytest.mark.parametrize("affiliations", ["無", "股份有限公司", "有限公司\n無"])
def test_a_reviewer_who_declared_no_affiliation_is_not_flagged(
    open_call, operator, reviewers, affiliations
):
    from aipower.review.models import ReviewerProfile
    from tests.applications.conftest import make_company_user

    from .conftest import submitted

    drones = make_company_user("10458574", "無人機智能股份有限公司")
    app = submitted(drones, open_call)
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=affiliations)
    make_eligible(app, operator)

    assignment = services.assign_reviewer(app, reviewers[0], operator)

    assert assignment.conflict_flag == ""


def test_a_reviewer_naming_the_company_is_still_flagged_beside_a_none_line(
    app_a, operator, reviewers
):
    from aipower.review.models import ReviewerProfile

    ReviewerProfile.objects.create(user=reviewers[0], affiliations="無\n甲智能")
    make_eligible(app_a, operator)

    assignment = services.assign_reviewer(app_a, reviewers[0], operator)

    assert "甲智能" in assignment.conflict_flag


def test_the_meetings_staged_points_are_this_batchs_with_the_other_batches_on_their_own_row(
    app_a, app_b, operator, organiser, reviewers
):
    from aipower.calls.models import Batch, Tier
    from aipower.review.models import Budget

    category = app_a.call.categories.get(kind="training")
    Budget.objects.create(category=category, points=100000, minimum_reviewers=1)
    later = Batch.objects.filter(category=category, number__gt=app_a.batch.number).first()
    Application.objects.filter(pk=app_b.pk).update(batch=later)
    for app, code in ((app_a, "L2"), (Application.objects.get(pk=app_b.pk), "L1")):
        make_eligible(app, operator)
        (assignment,) = assign_and_declare(app, reviewers[:1], operator)
        score_uniformly(assignment, reviewers[0], 80)
        tier = Tier.objects.get(call=app.call, code=code)
        services.stage_decision(app, operator, outcome="approved", tier=tier)

    html = (
        verified_client(organiser).get(reverse("review:meeting", args=[later.pk])).content.decode()
    )

    assert '<td id="points-staged">1,000</td>' in html
    assert '<td id="points-staged-elsewhere">2,000</td>' in html


def test_the_award_created_by_the_organisers_approval_is_audited_with_the_source_address(
    decided, organiser
):
    response = verified_client(organiser).post(
        reverse("review:batch_approve", args=[decided.application.batch_id]),
        REMOTE_ADDR="203.0.113.9",
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="review.award_created")
    assert entry.actor == organiser
    assert entry.ip == "203.0.113.9"


def test_the_batch_pages_show_the_cutoff_as_the_calls_close_when_it_comes_first(
    open_call, operator
):
    from aipower.calls.models import Batch
    from aipower.core.templatetags.roc import roc_datetime

    batch = Batch.objects.filter(category__call=open_call).order_by("-cutoff_at").first()
    open_call.closes_at = batch.cutoff_at - datetime.timedelta(days=2)
    open_call.save(update_fields=["closes_at"])
    client = verified_client(operator)

    index = client.get(reverse("review:index")).content.decode()
    page = client.get(reverse("review:batch", args=[batch.pk])).content.decode()

    row = index.split(f'id="batch-{batch.pk}"')[1].split("</tr>")[0]
    assert f'<td class="batch-cutoff">{roc_datetime(open_call.closes_at)}</td>' in row
    assert f"收件截止 {roc_datetime(open_call.closes_at)}" in page
    assert roc_datetime(batch.cutoff_at) not in page


@pytest.mark.parametrize(
    "affiliations", ["０４５９５２５７", "0459 5257", "甲智能股份有限公司（台北）", "王 大明"]
)
def test_a_reviewer_naming_the_company_as_typed_in_chinese_is_flagged(
    app_a, operator, reviewers, affiliations
):
    from aipower.review.models import ReviewerProfile

    ReviewerProfile.objects.create(user=reviewers[0], affiliations=affiliations)
    make_eligible(app_a, operator)

    assignment = services.assign_reviewer(app_a, reviewers[0], operator)

    assert assignment.conflict_flag != ""
    assert not services.can_see_application(reviewers[0], app_a)


def test_the_same_name_spelt_with_tai_or_tai_is_flagged(open_call, operator, reviewers):
    from aipower.review.models import ReviewerProfile
    from tests.applications.conftest import make_company_user

    from .conftest import submitted

    app = submitted(make_company_user("10458574", "臺灣晴空智能股份有限公司"), open_call)
    ReviewerProfile.objects.create(user=reviewers[0], affiliations="台灣晴空智能")
    make_eligible(app, operator)

    assignment = services.assign_reviewer(app, reviewers[0], operator)

    assert "台灣晴空智能" in assignment.conflict_flag


def test_a_reviewer_affiliated_with_a_company_sharing_the_representative_is_flagged(
    app_a, app_b, operator, reviewers
):
    from aipower.review.models import ReviewerProfile

    # Both test applications name 王大明 as their representative (tests.applications.conftest).
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=app_b.company.ubn)
    make_eligible(app_a, operator)

    assignment = services.assign_reviewer(app_a, reviewers[0], operator)

    assert assignment.conflict_flag == (
        f"審查委員聲明之關係機構（{app_b.company.ubn}）與申請企業代表人相同：王大明"
    )
    assert not services.can_see_application(reviewers[0], app_a)


def test_an_affiliated_company_with_another_representative_is_not_flagged(
    app_a, app_b, operator, reviewers
):
    from aipower.review.models import ReviewerProfile

    data = app_b.data
    data["profile"]["representative"] = "李小華"
    Application.objects.filter(pk=app_b.pk).update(data=data)
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=app_b.company.ubn)
    make_eligible(app_a, operator)

    assignment = services.assign_reviewer(app_a, reviewers[0], operator)

    assert assignment.conflict_flag == ""
