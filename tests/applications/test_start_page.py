"""「我要申請」 (/apply/) without a draft: GET shows the start page and creates nothing; only its
「開始填寫」 (a CSRF-protected POST) starts the application. A link or image on another site, a
crawler or a browser's prefetch can no longer create a draft for a signed-in company."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from aipower.applications.models import Application
from aipower.applications.services import submit_application
from aipower.core.templatetags.roc import roc_datetime

from .conftest import begin_application, fill_application

pytestmark = pytest.mark.integration

INDEX = reverse("applications:index")


def test_get_apply_without_a_draft_creates_nothing(open_call, company_client):
    response = company_client.get(INDEX)

    assert response.status_code == 200
    assert Application.objects.count() == 0


def test_head_apply_without_a_draft_creates_nothing(open_call, company_client):
    response = company_client.head(INDEX)

    assert response.status_code == 200
    assert Application.objects.count() == 0


def test_start_page_has_a_post_form_with_the_start_button(open_call, company_client):
    html = company_client.get(INDEX).content.decode()

    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form is not None
    assert form.group(1) == INDEX
    assert 'name="csrfmiddlewaretoken"' in form.group(2)
    button = r'<button type="submit"[^>]*id="start-application"[^>]*>開始填寫</button>'
    assert re.search(button, form.group(2))


def test_start_page_shows_the_dates_the_categories_and_the_pages(open_call, company_client):
    html = company_client.get(INDEX).content.decode()

    assert f'<dd id="call-opens">{roc_datetime(open_call.opens_at)}</dd>' in html
    assert f'<dd id="call-closes">{roc_datetime(open_call.closes_at)}</dd>' in html
    assert "<h3>模型訓練類</h3>" in html
    assert "<h3>模型推論類</h3>" in html
    assert len(re.findall(r"下一梯次審查：第.梯次（\d+年\d+月\d+日），本梯次收件至 ", html)) == 2
    assert "專案重要性及訓練資料集" in html and "專案重要性及應用情境" in html
    for title in ["請選擇申請類別", "企業基本資料表及個資同意書", "切結書"]:
        assert f"<li>{title}</li>" in html
    assert "*請注意，完成「送出」動作後，則不可更動申請類別。" in html


def test_start_page_in_english(open_call, company_client):
    company_client.cookies["django_language"] = "en"

    html = company_client.get(INDEX).content.decode()

    assert ">Start filling in</button>" in html
    assert "Application period" in html


def test_start_button_creates_one_draft_and_opens_the_first_page(open_call, company_client):
    response = begin_application(company_client)
    again = company_client.post(INDEX)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:step", args=["category"])
    assert again["Location"] == reverse("applications:step", args=["category"])
    assert Application.objects.count() == 1


def test_start_without_the_csrf_token_is_refused(open_call, company_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(company_user)

    response = client.post(INDEX)

    assert response.status_code == 403
    assert Application.objects.count() == 0


def test_get_apply_with_a_draft_goes_on_to_it(open_call, company_client):
    begin_application(company_client)

    response = company_client.get(INDEX)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:step", args=["category"])


def test_a_wizard_page_without_a_draft_leads_to_the_start_page_and_creates_nothing(
    open_call, company_client
):
    response = company_client.get(reverse("applications:step", args=["profile"]), follow=True)

    assert response.redirect_chain == [(INDEX, 302)]
    assert "開始填寫" in response.content.decode()
    assert Application.objects.count() == 0


def test_start_while_the_call_is_paused_creates_nothing(open_call, company_client):
    open_call.is_suspended = True
    open_call.save()

    response = company_client.post(INDEX)

    assert response.status_code == 200
    assert "目前非收件期間，無法建立新的申請案。" in response.content.decode()
    assert Application.objects.count() == 0


def test_start_page_is_not_offered_to_a_company_that_has_applied(
    draft, company_user, company_client
):
    submit_application(fill_application(draft, company_user), company_user)

    response = company_client.post(INDEX)

    assert response["Location"] == reverse("applications:dashboard")
    assert Application.objects.count() == 1
