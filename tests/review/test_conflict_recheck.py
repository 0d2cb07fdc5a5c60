"""A conflict of interest found after the reviewer was assigned (04-review: the system flags a
reviewer affiliated with the applicant): the reviewer's affiliations, the applicant's name or
the representative of a company they are affiliated with change later, and the check runs
again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from aipower.accounts.models import Company
from aipower.accounts.roles import sync_role_groups
from aipower.applications.enums import ApplicationState as S
from aipower.applications.models import Application
from aipower.calls.models import Tier
from aipower.core.models import AuditEntry
from aipower.review import services
from aipower.review.models import Assignment, Budget, Decision, ReviewerProfile

from .conftest import refresh, verified_client
from .helpers import assign_and_declare, full_review, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


def reloaded(assignment):
    return Assignment.objects.get(pk=assignment.pk)


def test_affiliations_declared_after_assignment_withdraw_the_reviewer(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)
    assert assignment.conflict_flag == ""

    ReviewerProfile.objects.create(user=reviewers[0], affiliations=app_a.company.ubn)

    assignment = reloaded(assignment)
    assert assignment.conflict_flag == (
        f"審查委員聲明之任職或關係機構與申請企業相同：{app_a.company.ubn}"
    )
    assert not services.can_see_application(reviewers[0], app_a)
    entry = AuditEntry.objects.get(action="review.conflict_found")
    assert entry.object_id == str(assignment.pk)
    assert entry.actor is None
    assert entry.data["cause"] == "reviewer_profile"
    assert entry.data["reviewer"] == reviewers[0].username
    assert entry.data["scores_submitted"] is False
    # The reviewer's score sheet is closed: the page says why instead of showing the form.
    page = verified_client(reviewers[0]).get(reverse("review:assignment", args=[assignment.pk]))
    text = page.content.decode()
    assert 'id="conflict-notice"' in text
    assert "系統偵測您與此申請企業有利益衝突" in text
    assert 'name="score_' not in text


def test_affiliations_changed_in_the_admin_flag_the_reviewer(app_a, operator, reviewers):
    profile = ReviewerProfile.objects.create(user=reviewers[0], affiliations="國立臺灣大學")
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    assert assignment.conflict_flag == ""
    sync_role_groups()
    client = verified_client(operator)

    response = client.post(
        reverse("admin:review_reviewerprofile_change", args=[profile.pk]),
        {"user": reviewers[0].pk, "affiliations": "國立臺灣大學\n甲智能"},
    )

    assert response.status_code == 302
    assert (
        reloaded(assignment).conflict_flag == "審查委員聲明之任職或關係機構與申請企業相同：甲智能"
    )
    # The operator's page of the application shows the flag.
    page = client.get(reverse("review:application", args=[app_a.pk])).content.decode()
    assert "系統偵測" in page
    assert "審查委員聲明之任職或關係機構與申請企業相同：甲智能" in page


def test_an_unchanged_profile_saved_again_records_nothing(app_a, operator, reviewers):
    profile = ReviewerProfile.objects.create(user=reviewers[0], affiliations="國立臺灣大學")
    make_eligible(app_a, operator)
    services.assign_reviewer(app_a, reviewers[0], operator)

    ReviewerProfile.objects.get(pk=profile.pk).save()

    assert not AuditEntry.objects.filter(action="review.conflict_found").exists()


def test_scores_of_a_reviewer_flagged_later_leave_the_meeting_table(app_a, operator, reviewers):
    full_review([app_a], operator, reviewers, values=(90, 70, 70))
    (row,) = services.ranking(app_a.batch)
    assert row.mean == Decimal("76.67")

    ReviewerProfile.objects.create(user=reviewers[0], affiliations="甲智能股份有限公司")

    (row,) = services.ranking(app_a.batch)
    assert [s.assignment.reviewer for s in row.scores] == reviewers[1:]
    assert row.mean == Decimal("70.00")
    assert row.conflicted == 1
    entry = AuditEntry.objects.get(action="review.conflict_found")
    assert entry.data["scores_submitted"] is True
    # The operator sees why the submitted scores do not count, and cannot reopen them.
    page = verified_client(operator).get(reverse("review:application", args=[app_a.pk]))
    assert "已送出，因利益衝突不列入計分" in page.content.decode()
    with pytest.raises(services.ReviewError):
        services.reopen_scores(
            Assignment.objects.get(application=app_a, reviewer=reviewers[0]),
            operator,
            reason="x",
        )


def test_a_conflict_found_after_the_meeting_decided_withdraws_the_decision(
    app_a, operator, reviewers
):
    full_review([app_a], operator, reviewers)
    services.stage_decision(
        app_a, operator, outcome="approved", tier=Tier.objects.get(call=app_a.call, code="L1")
    )
    assert refresh(app_a).state == S.DECIDED

    ReviewerProfile.objects.create(user=reviewers[1], affiliations="王大明")

    assert refresh(app_a).state == S.IN_REVIEW
    assert not Decision.objects.filter(application=app_a).exists()
    entry = AuditEntry.objects.get(action="review.conflict_found")
    assert entry.data["withdrawn_decision"]["outcome"] == "approved"
    assert entry.data["withdrawn_decision"]["tier"] == "L1"
    # Two reviewers count now, fewer than the minimum of three: no decision until another
    # reviewer is assigned and scores.
    with pytest.raises(services.ReviewError):
        services.stage_decision(
            app_a, operator, outcome="approved", tier=Tier.objects.get(call=app_a.call, code="L1")
        )


def test_an_affiliated_company_taking_the_applicants_representative_flags_the_reviewer(
    app_a, app_b, operator, reviewers
):
    Application.objects.filter(pk=app_b.pk).update(
        data={**app_b.data, "profile": {**app_b.data["profile"], "representative": "李小華"}}
    )
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=app_b.company.ubn)
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)
    assert assignment.conflict_flag == ""

    other = Application.objects.get(pk=app_b.pk)
    other.data["profile"]["representative"] = "王大明"
    other.save()

    assert reloaded(assignment).conflict_flag == (
        f"審查委員聲明之關係機構（{app_b.company.ubn}）與申請企業代表人相同：王大明"
    )
    assert AuditEntry.objects.get(action="review.conflict_found").data["cause"] == (
        "representative"
    )


def test_an_applicant_renamed_to_a_reviewers_affiliation_flags_the_reviewer(
    app_a, operator, reviewers
):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations="丙科技")
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)
    assert assignment.conflict_flag == ""

    company = Company.objects.get(pk=app_a.company_id)
    company.name = "丙科技股份有限公司"
    company.save()

    assert reloaded(assignment).conflict_flag == (
        "審查委員聲明之任職或關係機構與申請企業相同：丙科技"
    )


def test_affiliations_declared_after_the_list_was_approved_change_nothing(
    approved, app_a, reviewers
):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=app_a.company.ubn)

    assert not Assignment.objects.filter(application=app_a).exclude(conflict_flag="").exists()
    assert not AuditEntry.objects.filter(action="review.conflict_found").exists()


def test_a_reviewer_who_declared_a_conflict_is_not_flagged_again(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assign_and_declare(app_a, reviewers[:1], operator, conflicts=reviewers[:1])

    ReviewerProfile.objects.create(user=reviewers[0], affiliations=app_a.company.ubn)

    assert not AuditEntry.objects.filter(action="review.conflict_found").exists()


def test_a_draft_scorer_flagged_later_can_no_longer_save(app_a, operator, reviewers):
    Budget.objects.create(
        category=app_a.call.categories.get(kind=app_a.category), points=1, minimum_reviewers=1
    )
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 80, submit=False)

    ReviewerProfile.objects.create(user=reviewers[0], affiliations="王大明")

    with pytest.raises(services.NotPermitted):
        score_uniformly(reloaded(assignment), reviewers[0], 80)


def test_a_long_affiliation_line_is_flagged_within_the_columns_room(app_a, operator, reviewers):
    """The flag quotes the affiliation line: a long one was stored whole at assignment, which
    PostgreSQL refuses for the 200-character column (a server error instead of an assignment)."""
    line = app_a.company.name + "（" + "董事、顧問及相關投資關係說明" * 20 + "）"
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=line)
    make_eligible(app_a, operator)

    assignment = reloaded(services.assign_reviewer(app_a, reviewers[0], operator))

    limit = Assignment._meta.get_field("conflict_flag").max_length
    assert 0 < len(assignment.conflict_flag) <= limit < len(line)
    assert not services.can_see_application(reviewers[0], app_a)
