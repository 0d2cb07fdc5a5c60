"""「上一步」 and the step list never lose what was typed on a draft's page: the page posts its
answers with ``go`` (the page to open) and is saved on the way (01-journey: "going back never
loses data")."""

import pytest
from django.test import Client
from django.urls import reverse

from aipower.applications.enums import ApplicationState
from aipower.applications.models import Application

from .conftest import PLEDGE, TRAINING
from .test_views import fill_through_views, post_step, step_url

pytestmark = pytest.mark.integration


def test_previous_saves_what_was_typed_and_opens_the_previous_page(open_call, company_client):
    fill_through_views(company_client, upto="training-2")
    typed = {**TRAINING["training-2"], "importance": "尚未按下一步就按了上一步的內容"}

    response = post_step(company_client, "training-2", {**typed, "go": "training-1"})

    assert response.status_code == 302
    assert response["Location"] == step_url("training-1")
    saved = Application.objects.get().section("training")
    assert saved["importance"] == "尚未按下一步就按了上一步的內容"
    assert saved["video_resolution"] == "2132x1231"


def test_previous_keeps_an_invalid_answer_as_typed_and_says_so(open_call, company_client):
    fill_through_views(company_client, upto="profile")

    response = post_step(
        company_client, "profile", {"pi_phone": "12-34", "representative": "王大明", "go": "terms"}
    )

    assert response["Location"] == step_url("terms")
    saved = Application.objects.get().section("profile")
    assert (saved["pi_phone"], saved["representative"]) == ("12-34", "王大明")
    shown = company_client.get(response["Location"])
    assert "已儲存「企業基本資料表及個資同意書」，但該頁有欄位需要修正" in shown.content.decode()


def test_leaving_the_pledge_page_saves_it_but_never_submits(open_call, company_client):
    fill_through_views(company_client, upto="pledge")

    response = post_step(company_client, "pledge", {**PLEDGE, "go": "training-4"})

    assert response["Location"] == step_url("training-4")
    app = Application.objects.get()
    assert app.state == ApplicationState.DRAFT
    assert app.section("pledge")["understood"] is True


def test_going_to_a_page_of_the_other_category_is_ignored(open_call, company_client):
    fill_through_views(company_client, upto="training-2")

    response = post_step(
        company_client, "training-2", {**TRAINING["training-2"], "go": "inference-1"}
    )

    assert response["Location"] == step_url("training-3")


def test_draft_page_links_back_with_the_page_to_open(open_call, company_client):
    fill_through_views(company_client, upto="training-2")

    html = company_client.get(step_url("training-2")).content.decode()

    assert 'name="go" value=""' in html
    assert f'href="{step_url("training-1")}" data-step="training-1">上一步</a>' in html
    assert f'<a href="{step_url("profile")}" data-step="profile">' in html


def test_after_going_back_a_new_sign_in_resumes_on_the_page_gone_to(
    open_call, company_client, company_user
):
    fill_through_views(company_client, upto="training-3")
    post_step(company_client, "training-2", {**TRAINING["training-2"], "go": "training-1"})

    fresh = Client()
    fresh.force_login(company_user)
    response = fresh.get(reverse("applications:index"))

    assert response["Location"] == step_url("training-1")
