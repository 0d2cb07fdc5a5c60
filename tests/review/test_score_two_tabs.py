"""A score sheet open in two tabs: a save based on a sheet another tab has replaced since saves
nothing and says so, keeping what was typed beside what is saved now (it used to overwrite the
other tab's sheet without a word, the first tab's text lost)."""

import re

import pytest
from django.urls import reverse

from aipower.review.models import Assignment
from tests.concurrency import at_once
from tests.conftest import verified_client

from .test_pages import field_row
from .test_score_comments import sheet

pytestmark = pytest.mark.integration


def rendered_version(client, url):
    """The sheet version the score page's form carries."""
    html = client.get(url).content.decode()
    return re.search(r'name="sheet_version" value="([0-9a-f]+)"', html).group(1)


def test_a_save_from_a_tab_behind_another_keeps_its_typing_and_says_what_is_saved(scoring):
    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    version = rendered_version(client, url)  # both tabs opened on the empty sheet
    first = {**sheet(criteria, overall="第一個分頁的總評", action="save"), "sheet_version": version}
    second = {
        **sheet(criteria, overall="第二個分頁的總評", action="save"),
        "sheet_version": version,
    }
    client.post(url, first)

    refused = client.post(url, second)

    html = refused.content.decode()
    assert refused.status_code == 409
    assert "此評分表已在其他視窗或分頁儲存了不同的內容，您剛才送出的評分尚未儲存" in html
    row = html.split('name="overall_comment"')[1].split("</div>")[0]
    assert "第二個分頁的總評</textarea>" in row
    assert "目前已儲存：第一個分頁的總評" in html
    assert 'data-warn-unsaved="shown"' in html  # leaving this page asks (review/score.js)
    assert Assignment.objects.get(pk=assignment.pk).overall_comment == "第一個分頁的總評"
    # Saving again from the page it got keeps this tab's sheet, knowingly.
    again = {
        **second,
        "sheet_version": re.search(r'name="sheet_version" value="([0-9a-f]+)"', html).group(1),
    }
    assert client.post(url, again).status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).overall_comment == "第二個分頁的總評"


def test_the_same_sheet_sent_twice_is_saved_as_the_first_sending(scoring):
    """A second click on 儲存草稿 sends the version the first click used up, with the same
    sheet: nothing to tell, it is saved."""
    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    sent = {**sheet(criteria, action="save"), "sheet_version": rendered_version(client, url)}
    client.post(url, sent)

    again = client.post(url, sent)

    assert again.status_code == 302
    assert Assignment.objects.get(pk=assignment.pk).overall_comment == "整體具體可行"


def test_only_the_changed_fields_show_what_is_saved(scoring):
    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    version = rendered_version(client, url)
    client.post(url, {**sheet(criteria, action="save"), "sheet_version": version})
    other = {**sheet(criteria, action="save"), "sheet_version": version}
    other[f"score_{criteria[0].pk}"] = "55"

    html = client.post(url, other).content.decode()

    assert 'value="55"' in field_row(html, f"score_{criteria[0].pk}")
    assert f'id="id_score_{criteria[0].pk}_saved_elsewhere"' in html
    assert html.count("目前已儲存：") == 1


@pytest.mark.django_db(transaction=True)
def test_two_tabs_saving_at_once_save_one_and_tell_the_other(scoring, reviewers):
    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    version = rendered_version(client, url)
    sheets = iter(["甲分頁的總評", "乙分頁的總評"])

    def save():
        overall = next(sheets)
        sent = {**sheet(criteria, overall=overall, action="save"), "sheet_version": version}
        response = verified_client(reviewers[0]).post(url, sent)
        return response.status_code, overall, response.content.decode()

    answers = at_once(2, save)

    assert sorted(status for status, _overall, _html in answers) == [302, 409]
    (saved,) = [overall for status, overall, _html in answers if status == 302]
    ((told, html),) = [(overall, html) for status, overall, html in answers if status == 409]
    assert Assignment.objects.get(pk=assignment.pk).overall_comment == saved
    assert f"{told}</textarea>" in html
    assert f"目前已儲存：{saved}" in html


@pytest.mark.django_db(transaction=True)
def test_a_draft_saved_while_another_tab_submits_keeps_its_typing(scoring, reviewers):
    """One tab submits while the other saves another draft at the same moment: one of them is
    kept, the other is told, its comments still on the page (whichever came second)."""
    assignment, criteria, client = scoring
    url = reverse("review:assignment", args=[assignment.pk])
    version = rendered_version(client, url)
    sheets = iter([("submit", "送出分頁的總評"), ("save", "草稿分頁的總評")])

    def send():
        action, overall = next(sheets)
        sent = {**sheet(criteria, overall=overall, action=action), "sheet_version": version}
        response = verified_client(reviewers[0]).post(url, sent)
        return response.status_code, overall, response.content.decode()

    answers = at_once(2, send)

    assert sorted(status for status, _overall, _html in answers) == [302, 409]
    (saved,) = [overall for status, overall, _html in answers if status == 302]
    ((told, html),) = [(overall, html) for status, overall, html in answers if status == 409]
    assert Assignment.objects.get(pk=assignment.pk).overall_comment == saved
    assert told in html
