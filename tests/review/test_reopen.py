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


def test_the_reviewers_sheet_says_when_and_why_it_was_opened_again(
    submitted_scores, operator, reviewers
):
    """The reviewer coming back to a sheet the operator opened again reads why on it (only the
    mail said so; the page showed an open sheet without a word), until it is submitted again."""
    from aipower.core.templatetags.roc import roc_datetime

    reopen(verified_client(operator), submitted_scores, "第一項分數與評語不一致<請確認>")
    client = verified_client(reviewers[0])
    url = reverse("review:assignment", args=[submitted_scores.pk])

    html = client.get(url).content.decode()

    entry = AuditEntry.objects.get(action="review.scores_reopened")
    assert (
        f"執行單位已於 {roc_datetime(entry.at)} 開放修改您送出的評分，"
        "理由：第一項分數與評語不一致&lt;請確認&gt;。修改後請再次送出評分。"
    ) in html
    score_uniformly(Assignment.objects.get(pk=submitted_scores.pk), reviewers[0], 85)
    assert 'id="scores-reopened"' not in client.get(url).content.decode()


def test_a_sheet_never_reopened_says_nothing_of_it(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)

    html = verified_client(reviewers[0]).get(reverse("review:assignment", args=[assignment.pk]))

    assert 'id="scores-reopened"' not in html.content.decode()


def test_the_reviewers_list_says_a_sheet_was_opened_again(submitted_scores, operator, reviewers):
    """My assignments says 「已開放修改，請再次送出」 for a sheet the operator opened again (it
    said 「未完成」, as if never sent), and 已送出 once it is sent again."""
    reopen(verified_client(operator), submitted_scores, "請修正評語")
    client = verified_client(reviewers[0])

    html = client.get(reverse("review:mine")).content.decode()

    row = html.split(f">{submitted_scores.application.number}</a>")[1].split("</tr>")[0]
    assert "已開放修改，請再次送出" in row
    score_uniformly(Assignment.objects.get(pk=submitted_scores.pk), reviewers[0], 85)
    row = client.get(reverse("review:mine")).content.decode()
    row = row.split(f">{submitted_scores.application.number}</a>")[1].split("</tr>")[0]
    assert "已送出" in row and "開放修改" not in row


def _row(html, number):
    return html.split(f">{number}</a>")[1].split("</tr>")[0]


def test_the_staff_pages_say_a_sheet_was_opened_again(submitted_scores, operator):
    """The batch page and the application page's reviewer table say
    「已開放修改，待再次送出」 for a sheet the operator opened again (they said 「未完成」, as
    if it had never been sent, while the reviewer's own list said it was opened again)."""
    client = verified_client(operator)
    reopen(client, submitted_scores, "請修正評語")
    app = submitted_scores.application

    batch = client.get(reverse("review:batch", args=[app.batch_id])).content.decode()
    page = client.get(reverse("review:application", args=[app.pk])).content.decode()

    assert "已開放修改，待再次送出" in _row(batch, app.number)
    assert "未完成" not in _row(batch, app.number)
    table = page.split('id="assignments"')[1].split("</table>")[0]
    assert "已開放修改，待再次送出" in table and "未完成" not in table


def test_the_batch_page_reads_reopened_sheets_in_one_query(
    submitted_scores, app_b, operator, reviewers
):
    """However many sheets were opened again, the batch page asks once (no query per row)."""
    from tests.query_counts import measure

    client = verified_client(operator)
    reopen(client, submitted_scores, "請修正評語")
    url = reverse("review:batch", args=[submitted_scores.application.batch_id])
    one, _response, _html = measure(client, url)
    make_eligible(app_b, operator)
    (other,) = assign_and_declare(app_b, reviewers[1:2], operator)
    score_uniformly(other, reviewers[1], 80)
    reopen(client, Assignment.objects.get(pk=other.pk), "請修正評語")

    two, _response, html = measure(client, url)

    assert html.count("已開放修改，待再次送出") == 2
    assert len(two) == len(one)
