"""Why a submitted application's page is read-only, as the applicant reads it: the batch's
cut-off only when it has passed; a page a supplement request (補件) does not name says so and
links the pages it names; an application the review took up before the cut-off says that."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aipower.applications.services import start_application, submit_application
from aipower.review import services as review
from tests.review.conftest import make_staff

from .conftest import fill_application

pytestmark = pytest.mark.integration

CUT_OFF = "審查梯次已截止收件"


@pytest.fixture
def sent(open_call, company_user):
    app = fill_application(start_application(company_user.company, open_call), company_user)
    return submit_application(app, company_user)


@pytest.fixture
def operator(db):
    return make_staff("op", "operator")


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_page_outside_the_supplement_says_so_not_the_cutoff(sent, operator, company_user):
    assert timezone.now() < sent.batch.cutoff_at  # the batch still takes applications
    review.request_supplement(
        sent,
        operator,
        message="請補充資料集說明",
        deadline=timezone.now() + datetime.timedelta(days=5),
        steps=["training-2"],
    )

    html = client_of(company_user).get(reverse("applications:step", args=["training-1"]))
    html = html.content.decode()

    assert CUT_OFF not in html
    assert "此頁不在補件範圍內，僅供檢視" in html
    # The way to the page it names, from the page the applicant is on.
    assert f'href="{reverse("applications:step", args=["training-2"])}"' in html
    assert 'id="supplement-pages"' in html


def test_application_under_review_before_the_cutoff_says_review_not_cutoff(
    sent, operator, company_user
):
    review.decide_eligibility(sent, "eligible", operator)
    client = client_of(company_user)

    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    page = client.get(reverse("applications:step", args=["training-1"])).content.decode()

    for html in (dashboard, page):
        assert CUT_OFF not in html
        assert "申請案已進入審查，申請表已凍結，僅供檢視。" in html


def test_saving_a_page_under_review_says_review_not_cutoff(sent, operator, company_user):
    review.decide_eligibility(sent, "eligible", operator)

    response = client_of(company_user).post(
        reverse("applications:step", args=["training-1"]),
        {"application": sent.pk, "revision": sent.revision, "topic": "新主題"},
    )

    html = response.content.decode()
    assert CUT_OFF not in html
    assert "申請案已進入審查，申請表已凍結，無法再更新" in html


def test_after_the_cutoff_the_cutoff_is_said(sent, company_user):
    sent.batch.cutoff_at = timezone.now() - datetime.timedelta(minutes=1)
    sent.batch.save(update_fields=["cutoff_at"])

    html = client_of(company_user).get(reverse("applications:dashboard")).content.decode()

    assert "審查梯次已截止收件，申請表已凍結，僅供檢視。" in html


def test_application_found_ineligible_before_the_cutoff_says_the_review_ended(
    sent, operator, company_user
):
    review.decide_eligibility(sent, "ineligible", operator, reason="非屬受理之行業")
    client = client_of(company_user)

    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    response = client.post(
        reverse("applications:step", args=["training-1"]),
        {"application": sent.pk, "revision": sent.revision, "topic": "新主題"},
    )

    assert CUT_OFF not in dashboard
    assert "申請案審查已有結果，申請表僅供檢視。" in dashboard
    assert "申請案已進入審查" not in dashboard
    assert "申請案審查已有結果，申請表無法再更新" in response.content.decode()


def test_supplement_card_says_which_named_pages_were_changed(sent, operator, company_user):
    """Before pressing 補件完成，重新送出 the applicant sees which of the named pages it has
    changed since the request, and is told when it has changed none of them."""
    from aipower.applications import flow
    from aipower.applications.services import update_after_submission

    from .conftest import TRAINING, as_form_data

    review.request_supplement(
        sent,
        operator,
        message="請補充資料集說明及專案主題",
        deadline=timezone.now() + datetime.timedelta(days=5),
        steps=["training-1", "training-2"],
    )
    sent.refresh_from_db()
    client = client_of(company_user)

    before = client.get(reverse("applications:dashboard")).content.decode()

    step = flow.get_step("training-2")
    answers = {**TRAINING["training-2"], "dataset_description": "長者照護對話紀錄 1,200 小時"}
    form = step.get_form(sent, as_form_data(answers), draft=False)
    assert form.is_valid(), form.errors
    app, version = update_after_submission(
        sent, step, form, revision=sent.revision, user=company_user
    )
    after = client.get(reverse("applications:dashboard")).content.decode()

    from aipower.core.templatetags.roc import roc_datetime

    assert 'id="supplement-unchanged"' in before
    assert before.count(">尚未變更</span>") == 2
    assert 'id="supplement-unchanged"' not in after
    assert after.count(">尚未變更</span>") == 1  # 專案主題及使用模型
    assert f"已更新（{roc_datetime(version.created_at)}）" in after
    assert app.state == "supplement_requested"
