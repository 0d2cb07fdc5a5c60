"""A submitted score sheet has a comment on every criterion and an overall comment (the spec's
sheet: "with a comment per criterion and an overall comment"); a draft may leave them out."""

import re

import pytest
from django.urls import reverse

from aipower.review.models import Assignment

from .test_pages import field_row

pytestmark = pytest.mark.integration


def sheet(criteria, *, comments=True, overall="整體具體可行", action="submit"):
    data = {"suggested_tier": "L2", "overall_comment": overall, action: ""}
    for criterion in criteria:
        data[f"score_{criterion.pk}"] = "80"
        data[f"comment_{criterion.pk}"] = f"{criterion.key} 說明充分" if comments else ""
    return data


def test_submission_without_comments_is_refused_by_each_field_keeping_the_scores(scoring):
    assignment, criteria, client = scoring

    response = client.post(
        reverse("review:assignment", args=[assignment.pk]),
        sheet(criteria, comments=False, overall=""),
    )

    html = response.content.decode()
    assert response.status_code == 400
    for criterion in criteria:
        assert "送出評分須填寫本項評語" in field_row(html, f"comment_{criterion.pk}")
        assert 'value="80"' in field_row(html, f"score_{criterion.pk}")
    assert "送出評分須填寫總評" in field_row(html, "overall_comment")
    assert Assignment.objects.get(pk=assignment.pk).submitted_at is None


def test_a_draft_may_leave_the_comments_out(scoring):
    assignment, criteria, client = scoring

    response = client.post(
        reverse("review:assignment", args=[assignment.pk]),
        sheet(criteria, comments=False, overall="", action="save"),
    )

    assert response.status_code == 302
    assert assignment.scores.count() == len(criteria)


def test_submission_with_every_comment_is_locked(scoring):
    assignment, criteria, client = scoring

    response = client.post(reverse("review:assignment", args=[assignment.pk]), sheet(criteria))

    submitted = Assignment.objects.get(pk=assignment.pk)
    assert response.status_code == 302
    assert submitted.submitted_at is not None
    assert submitted.overall_comment == "整體具體可行"
    assert sorted(s.comment for s in submitted.scores.all()) == sorted(
        f"{c.key} 說明充分" for c in criteria
    )


def test_scores_sent_after_the_sign_in_expired_are_saved_after_the_next(scoring, reviewers):
    from tests.sign_ins import expire, sign_in_again

    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    expire(client, reviewers[0])

    sent = client.post(url, sheet(criteria, action="save"))
    sign_in_again(client, reviewers[0])
    resumed = client.get(url)

    assert sent["Location"].startswith("/staff/login/?next=")
    assert resumed.status_code == 302  # saved, as 「儲存草稿」 does
    assert sorted(s.comment for s in assignment.scores.all()) == sorted(
        f"{c.key} 說明充分" for c in criteria
    )


def test_the_submitted_sheet_sent_again_says_it_was_submitted_with_one_audit_entry(scoring):
    """The back button after 送出評分 (or a second click, or another tab) sends the same sheet
    again: told it was submitted, and redirected (a reload sends nothing)."""
    from django.contrib.messages import get_messages

    from aipower.core.models import AuditEntry

    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    client.post(url, sheet(criteria))
    client.get(url)

    again = client.post(url, sheet(criteria))

    assert again.status_code == 302
    assert [str(m) for m in get_messages(again.wsgi_request)] == ["評分已送出"]
    assert AuditEntry.objects.filter(action="review.scores_submitted").count() == 1


def test_another_sheet_sent_to_a_submitted_one_is_refused_with_the_typing_shown(scoring):
    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    client.post(url, sheet(criteria))

    again = client.post(url, sheet(criteria, overall="改寫後的總評<含符號>"))

    html = again.content.decode()
    assert again.status_code == 409
    assert "您剛才送出的評分未儲存。" in html
    assert "<pre>改寫後的總評&lt;含符號&gt;</pre>" in html
    assert Assignment.objects.get(pk=assignment.pk).overall_comment == "整體具體可行"


def test_another_sheet_sent_to_a_submitted_one_lists_the_differing_scores_too(scoring):
    """A second tab's sheet with other scores, sent after the first tab submitted: the refusal
    names each field that differs, scores and tier included, with what was typed beside what
    is submitted (it listed only the comments: the changed scores vanished unseen)."""
    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    client.post(url, sheet(criteria))
    other = sheet(criteria)
    other[f"score_{criteria[0].pk}"] = "55"
    other["suggested_tier"] = "L1"

    again = client.post(url, other)

    html = again.content.decode()
    assert again.status_code == 409
    table = html.split('id="scores-unsaved-differences"')[1].split("</table>")[0]
    rows = re.findall(r'<tr id="unsaved-([a-z_0-9]+)">(.*?)</tr>', table, re.S)
    assert [name for name, _row in rows] == [f"score_{criteria[0].pk}", "suggested_tier"]
    score_row = dict(rows)[f"score_{criteria[0].pk}"]
    assert f"{criteria[0].name_zh}（{criteria[0].weight}%）" in score_row
    assert re.findall(r"<pre>(.*?)</pre>", score_row) == ["55", "80"]
    tier_row = re.findall(r"<pre>(.*?)</pre>", dict(rows)["suggested_tier"])
    assert tier_row[0].startswith("L1") and tier_row[1].startswith("L2")
    assert assignment.scores.get(criterion=criteria[0]).value == 80


def test_a_draft_keeps_the_comment_of_a_criterion_not_scored_yet(scoring):
    """A reviewer who writes a criterion's comment before its score and saves the draft finds
    the comment again (it was dropped with the missing score, the page saying 已儲存)."""
    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    draft = sheet(criteria, action="save")
    draft[f"score_{criteria[0].pk}"] = ""
    draft[f"comment_{criteria[0].pk}"] = "技術架構尚待確認"

    saved = client.post(url, draft)
    page = client.get(url).content.decode()

    assert saved.status_code == 302
    assert "技術架構尚待確認" in field_row(page, f"comment_{criteria[0].pk}")
    assert 'value="80"' in field_row(page, f"score_{criteria[1].pk}")
    assert assignment.scores.get(criterion=criteria[0]).value is None


def test_one_bad_score_is_reported_with_every_missing_comment_at_once(scoring):
    """A sheet sent with a score out of range and no comments is told both at once, each
    beside its field, with what was typed kept (only the score was reported; the comments
    were asked for at the next send)."""
    assignment, criteria, client = scoring
    data = sheet(criteria, comments=False, overall="")
    data[f"score_{criteria[0].pk}"] = "150"
    data[f"comment_{criteria[1].pk}"] = "已填寫之評語"
    data["suggested_tier"] = ""

    response = client.post(reverse("review:assignment", args=[assignment.pk]), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "請輸入 0 至 100 之整數分數" in field_row(html, f"score_{criteria[0].pk}")
    assert 'value="150"' in field_row(html, f"score_{criteria[0].pk}")
    for criterion in criteria:
        row = field_row(html, f"comment_{criterion.pk}")
        assert ("送出評分須填寫本項評語" in row) is (criterion != criteria[1])
    assert "已填寫之評語" in field_row(html, f"comment_{criteria[1].pk}")
    for criterion in criteria[1:]:
        assert "請輸入" not in field_row(html, f"score_{criterion.pk}")
        assert 'value="80"' in field_row(html, f"score_{criterion.pk}")
    assert "送出評分須填寫總評" in field_row(html, "overall_comment")
    assert "請選擇建議級別" in field_row(html, "suggested_tier")
    assert Assignment.objects.get(pk=assignment.pk).submitted_at is None


def test_a_draft_with_a_bad_score_asks_for_nothing_else(scoring):
    """Saving a draft reports only the bad score: comments may still be left out."""
    assignment, criteria, client = scoring
    data = sheet(criteria, comments=False, overall="", action="save")
    data[f"score_{criteria[0].pk}"] = "150"

    response = client.post(reverse("review:assignment", args=[assignment.pk]), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "請輸入 0 至 100 之整數分數" in field_row(html, f"score_{criteria[0].pk}")
    assert "送出評分須填寫" not in html
