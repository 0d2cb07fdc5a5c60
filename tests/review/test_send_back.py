"""The organiser sends one staged decision back to the operator instead of approving it
(04-review: the organiser approves the meeting's results): the decision is withdrawn and kept in
the audit log, the application is back in professional review, and the list cannot be approved
until the operator records a decision again."""

import pytest
from django.urls import reverse

from aipower.applications.enums import ApplicationState as S
from aipower.core.models import AuditEntry
from aipower.review import services
from aipower.review.models import Decision
from aipower.review.services import ReviewError

from . import test_pages
from .conftest import refresh, verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly
from .test_pages import field_row

pytestmark = pytest.mark.integration

staged = test_pages.staged  # the fixture: app_a scored and staged approved at L2


def send_back(client, app, reason):
    return client.post(
        reverse("review:application_send_back", args=[app.pk]), {f"b{app.pk}-reason": reason}
    )


def test_the_organiser_sends_a_decision_back_to_the_operator(staged, organiser):
    response = send_back(verified_client(organiser), staged, "級別與預算不符，請重議")

    assert response.status_code == 302
    assert refresh(staged).state == S.IN_REVIEW
    assert not Decision.objects.filter(application=staged).exists()
    entry = AuditEntry.objects.get(action="review.decision_sent_back")
    assert entry.data["reason"] == "級別與預算不符，請重議"
    assert entry.data["withdrawn"]["outcome"] == "approved"
    with pytest.raises(ReviewError):
        services.approve_batch(staged.batch, organiser)


def test_sending_back_without_a_reason_is_refused_next_to_the_field(staged, organiser):
    response = send_back(verified_client(organiser), staged, "  ")

    assert response.status_code == 400
    assert "請填寫退回理由" in field_row(response.content.decode(), f"b{staged.pk}-reason")
    assert refresh(staged).state == S.DECIDED


def test_only_the_organiser_sends_a_decision_back(staged, operator):
    response = send_back(verified_client(operator), staged, "不同意")

    assert response.status_code == 403
    assert refresh(staged).state == S.DECIDED
    with pytest.raises(ReviewError):
        services.send_back(Decision.objects.get(application=staged), operator, reason="不同意")


def test_the_meeting_page_offers_the_organiser_the_send_back_form(staged, organiser, operator):
    url = reverse("review:meeting", args=[staged.batch_id])

    for_organiser = verified_client(organiser).get(url).content.decode()
    for_operator = verified_client(operator).get(url).content.decode()

    assert reverse("review:application_send_back", args=[staged.pk]) in for_organiser
    assert reverse("review:application_send_back", args=[staged.pk]) not in for_operator


def test_the_organiser_sees_the_reasons_of_each_decision_before_approving_the_list(
    staged, app_b, operator, organiser, reviewers
):
    """The organiser approves the list, whose not-approved applicants are told the meeting's
    reasons: the table shows each decision's 決議理由 (it showed only 「未獲核定」, the reasons
    only in the operator's form)."""
    make_eligible(app_b, operator)
    (assignment,) = assign_and_declare(app_b, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 60)
    services.stage_decision(app_b, operator, outcome="not_approved", reasons="資料集描述不足<待補>")

    html = verified_client(organiser).get(reverse("review:meeting", args=[app_b.batch_id]))
    html = html.content.decode()

    cell = html.split(f'id="row-{app_b.number}"')[1].split('class="decision-cell">')[1]
    cell = cell.split("</td>")[0]
    assert "<strong>未獲核定</strong>" in cell
    assert "決議理由：資料集描述不足&lt;待補&gt;" in cell
    staged_cell = html.split(f'id="row-{staged.number}"')[1].split("</td>\n      </tr>")[0]
    assert "決議理由" not in staged_cell  # no reasons given, none shown
