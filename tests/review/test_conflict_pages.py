"""The reviewer's conflict declaration page and the operator's assignment, as a reviewer and an
operator meet them (04-review: declare before seeing; the system flags obvious conflicts)."""

import pytest
from django.urls import reverse

from aipower.review.models import Assignment, ReviewerProfile

from .conftest import verified_client
from .helpers import make_eligible

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
