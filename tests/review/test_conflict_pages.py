"""The reviewer's conflict declaration page and the operator's assignment, as a reviewer and an
operator meet them (04-review: declare before seeing; the system flags obvious conflicts)."""

import pytest
from django.urls import reverse

from aipower.applications.enums import ApplicationState as S
from aipower.calls.models import Tier
from aipower.core.models import AuditEntry
from aipower.review import services
from aipower.review.models import Assignment, Decision, ReviewerProfile

from .conftest import refresh, verified_client
from .helpers import full_review, make_eligible
from .test_pages import field_row

pytestmark = pytest.mark.integration


def test_declare_page_names_the_representative_and_the_project_leader(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    client = verified_client(operator)
    client.post(
        reverse("review:application_assign", args=[app_a.pk]), {"reviewer": reviewers[0].pk}
    )
    assignment = Assignment.objects.get(application=app_a, reviewer=reviewers[0])

    html = (
        verified_client(reviewers[0])
        .get(reverse("review:assignment", args=[assignment.pk]))
        .content.decode()
    )

    parties = html[html.index('id="parties"') : html.index("</dl>")]
    assert "<dt>代表人</dt><dd>王大明</dd>" in parties
    assert "<dt>專案主持人</dt><dd>林主持</dd>" in parties
    # The seed's word for the project's lead.
    assert "代表人、專案主持人如有任職" in html
    assert "計畫主持人" not in html


def test_assigning_a_flagged_reviewer_tells_the_operator_so(app_a, operator, reviewers):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations=app_a.company.ubn)
    make_eligible(app_a, operator)
    client = verified_client(operator)

    response = client.post(
        reverse("review:application_assign", args=[app_a.pk]),
        {"reviewer": reviewers[0].pk},
        follow=True,
    )

    html = response.content.decode()
    assert "message-warning" in html
    assert "已指派審查委員，但系統偵測有利益衝突，此委員不審查本案、不計入審查人數" in html
    assert f"審查委員聲明之任職或關係機構與申請企業相同：{app_a.company.ubn}" in html
    assert '<li class="message message-success">已指派審查委員</li>' not in html


def test_assigning_an_unflagged_reviewer_says_assigned(app_a, operator, reviewers):
    make_eligible(app_a, operator)

    response = verified_client(operator).post(
        reverse("review:application_assign", args=[app_a.pk]),
        {"reviewer": reviewers[0].pk},
        follow=True,
    )

    assert '<li class="message message-success">已指派審查委員</li>' in response.content.decode()


def step_aside(client, assignment, reason):
    return client.post(
        reverse("review:assignment", args=[assignment.pk]),
        {"aside-reason": reason, "step_aside": ""},
    )


def test_a_reviewer_who_finds_a_conflict_after_scoring_can_step_aside(app_a, operator, reviewers):
    full_review([app_a], operator, reviewers, values=(90, 70, 70))
    assignment = Assignment.objects.get(application=app_a, reviewer=reviewers[0])
    client = verified_client(reviewers[0])
    page = client.get(reverse("review:assignment", args=[assignment.pk])).content.decode()
    assert 'id="step-aside"' in page

    response = step_aside(client, assignment, "專案主持人為本人親屬")

    assert response.status_code == 302
    assignment = Assignment.objects.get(pk=assignment.pk)
    assert assignment.conflict == Assignment.Conflict.DECLARED
    assert assignment.conflict_reason == "專案主持人為本人親屬"
    assert not services.can_see_application(reviewers[0], app_a)
    (row,) = services.ranking(app_a.batch)
    assert [s.assignment.reviewer for s in row.scores] == reviewers[1:]
    assert row.conflicted == 1
    entry = AuditEntry.objects.filter(action="review.conflict_declared").latest("id")
    assert entry.data["before"] == "none"
    assert entry.data["scores_submitted"] is True
    page = client.get(reverse("review:assignment", args=[assignment.pk])).content.decode()
    assert "您已聲明利益迴避，無須審查此案。" in page


def test_stepping_aside_after_the_meeting_decided_withdraws_the_decision(
    app_a, operator, reviewers
):
    full_review([app_a], operator, reviewers)
    services.stage_decision(
        app_a, operator, outcome="approved", tier=Tier.objects.get(call=app_a.call, code="L1")
    )
    assignment = Assignment.objects.get(application=app_a, reviewer=reviewers[2])

    step_aside(verified_client(reviewers[2]), assignment, "曾任該公司顧問")

    assert refresh(app_a).state == S.IN_REVIEW
    assert not Decision.objects.filter(application=app_a).exists()


def test_stepping_aside_without_a_reason_is_refused_next_to_the_field(app_a, operator, reviewers):
    full_review([app_a], operator, reviewers)
    assignment = Assignment.objects.get(application=app_a, reviewer=reviewers[0])

    response = step_aside(verified_client(reviewers[0]), assignment, "")

    assert response.status_code == 400
    assert "請填寫迴避理由" in field_row(response.content.decode(), "aside-reason")
    assert Assignment.objects.get(pk=assignment.pk).conflict == Assignment.Conflict.NONE


def test_the_reviewer_list_marks_those_the_system_would_flag(app_a, app_b, operator, reviewers):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations="甲智能")
    # A company sharing the applicant's representative (both test applications name 王大明).
    ReviewerProfile.objects.create(user=reviewers[1], affiliations=app_b.company.ubn)
    make_eligible(app_a, operator)

    html = (
        verified_client(operator)
        .get(reverse("review:application", args=[app_a.pk]))
        .content.decode()
    )

    options = field_row(html, "reviewer")
    assert ">rev1（系統偵測利益衝突）</option>" in options
    assert ">rev2（系統偵測利益衝突）</option>" in options
    assert ">rev3</option>" in options


def test_the_reviewer_lists_flags_agree_with_the_assignments(app_a, app_b, operator, reviewers):
    ReviewerProfile.objects.create(user=reviewers[0], affiliations="甲智能")
    ReviewerProfile.objects.create(user=reviewers[1], affiliations=app_b.company.ubn)
    make_eligible(app_a, operator)

    flags = services.conflict_flags(app_a, reviewers)

    for reviewer in reviewers:
        assignment = services.assign_reviewer(app_a, reviewer, operator)
        assert flags[reviewer.pk] == assignment.conflict_flag
    assert [bool(flags[r.pk]) for r in reviewers] == [True, True, False]
