"""The operator's 開放修改 on the application page asks why: the reason is required and kept
in the audit log with the reopening (before, the page's button sent none)."""

import pytest
from django.urls import reverse

from aipower.core.models import AuditEntry
from aipower.review.models import Assignment

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


@pytest.fixture
def submitted_scores(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 80)
    return Assignment.objects.get(pk=assignment.pk)


def reopen(client, assignment, reason):
    return client.post(
        reverse("review:assignment_reopen", args=[assignment.pk]),
        {f"r{assignment.pk}-reason": reason},
        follow=True,
    )


def test_application_page_asks_for_the_reason_to_reopen(submitted_scores, operator):
    response = verified_client(operator).get(
        reverse("review:application", args=[submitted_scores.application_id])
    )

    label = f'<label for="id_r{submitted_scores.pk}-reason">開放修改理由</label>'
    assert label in response.content.decode()


def test_reopen_without_reason_is_refused(submitted_scores, operator):
    response = reopen(verified_client(operator), submitted_scores, "  ")

    assert [str(m) for m in response.context["messages"]] == ["請填寫開放修改理由"]
    assert Assignment.objects.get(pk=submitted_scores.pk).is_submitted


def test_reopen_records_the_reason(submitted_scores, operator):
    response = reopen(verified_client(operator), submitted_scores, "委員要求修正評語")

    assert [str(m) for m in response.context["messages"]] == ["已開放審查委員修改評分"]
    assert not Assignment.objects.get(pk=submitted_scores.pk).is_submitted
    entry = AuditEntry.objects.get(action="review.scores_reopened")
    assert entry.data["reason"] == "委員要求修正評語"


def test_the_reviewer_is_told_by_mail_with_the_reason(submitted_scores, operator):
    from aipower.applications.models import SentMail

    reopen(verified_client(operator), submitted_scores, "委員要求修正評語")

    sent = SentMail.objects.filter(subject__contains="評分已開放修改").get()
    number = submitted_scores.application.number
    assert sent.to == [submitted_scores.reviewer.email]
    assert number in sent.subject
    assert "開放修改理由：委員要求修正評語" in sent.body
