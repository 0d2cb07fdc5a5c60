"""The dashboard across programme years, and the edit deadline it promises.

Once the year-116 call exists, a year-115 company keeps its application, award and usage,
API-key and deliverables links on 申請案狀態; the wizard (/apply/) works in the current call only.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aipower.applications.enums import ApplicationState
from aipower.applications.models import Application
from aipower.applications.services import is_frozen, start_application, submit_application
from aipower.core.templatetags.roc import roc_datetime

from .conftest import begin_application, fill_application, open_now
from .two_calls import (
    ask_training_supplement,
    awarded_application,
    close,
    seed_next_call,
)

pytestmark = pytest.mark.integration


def dashboard(client):
    return client.get(reverse("applications:dashboard")).content.decode()


@pytest.fixture
def awarded_115(call_115, company_user):
    """The company's year-115 inference application, approved and its award running."""
    return awarded_application(call_115, company_user)


@pytest.mark.parametrize("is_open", [False, True], ids=["116-not-open", "116-open"])
def test_dashboard_keeps_earlier_calls_award_after_next_call_is_seeded(
    awarded_115, company_client, monkeypatch, is_open
):
    close(awarded_115.call)
    seed_next_call(monkeypatch, is_open=is_open)

    html = dashboard(company_client)

    assert awarded_115.number in html
    assert '<td class="status status-approved" id="application-state">核定通過</td>' in html
    assert '<td id="award-points">2,000</td>' in html
    assert f'href="{reverse("grants:overview")}"' in html
    assert f'href="{reverse("keys:list")}"' in html
    assert ("尚未建立申請案。" in html) is is_open


def test_dashboard_links_deliverables_of_earlier_calls_ended_award(
    call_115, company_user, company_client, monkeypatch
):
    starts_on = timezone.localdate() - datetime.timedelta(days=100)
    awarded_application(call_115, company_user, starts_on=starts_on)
    close(call_115)
    seed_next_call(monkeypatch, is_open=False)

    html = dashboard(company_client)

    assert 'class="card deliverables-link"' in html
    assert f'href="{reverse("deliverables:overview")}"' in html


def test_dashboard_shows_current_calls_application_first(
    awarded_115, company_user, company_client, monkeypatch
):
    close(awarded_115.call)
    call_116 = seed_next_call(monkeypatch, is_open=True)
    draft = start_application(company_user.company, call_116)

    html = dashboard(company_client)

    assert html.index("116年度 算力平台申請說明") < html.index("115年度 算力平台申請說明")
    assert '<td class="status status-draft" id="application-state">草稿</td>' in html
    assert f'id="application-state-{awarded_115.pk}">核定通過</td>' in html
    assert f'id="award-points-{awarded_115.pk}">2,000</td>' in html
    assert "繼續填寫申請表" in html
    assert "尚未建立申請案。" not in html
    assert len(re.findall(r'id="privacy-link"', html)) == 1
    assert draft.pk != awarded_115.pk


def test_dashboard_names_the_calls_in_english(awarded_115, company_client):
    company_client.cookies["django_language"] = "en"

    html = dashboard(company_client)

    assert f"<h2>{awarded_115.call.title_en}</h2>" in html
    assert f"<h2>{awarded_115.call.title_zh}</h2>" not in html  # (mails keep their language)


def test_apply_starts_the_application_in_the_open_next_call(
    awarded_115, company_user, company_client, monkeypatch
):
    close(awarded_115.call)
    call_116 = seed_next_call(monkeypatch, is_open=True)

    response = begin_application(company_client)

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:step", args=["category"])
    created = Application.objects.get(company=company_user.company, call=call_116)
    assert created.is_submitted is False


def test_apply_refuses_a_new_application_before_next_call_opens(
    awarded_115, company_user, company_client, monkeypatch
):
    close(awarded_115.call)
    call_116 = seed_next_call(monkeypatch, is_open=False)

    response = begin_application(company_client)

    assert response.status_code == 200
    assert "無法建立新的申請案" in response.content.decode()
    assert not Application.objects.filter(call=call_116).exists()


def test_dashboard_promises_updates_until_the_calls_close_in_the_last_batch(
    open_call, company_user, company_client
):
    """The last batch's cut-off lies after the call's close: updates stop at the close."""
    now = timezone.now()
    close_at = open_call.closes_at
    batches = open_call.categories.get(kind="training").batches.order_by("number")
    *earlier, last = batches
    for batch in earlier:
        batch.cutoff_at = now - datetime.timedelta(hours=1)
        batch.save(update_fields=["cutoff_at"])
    last.cutoff_at = close_at + datetime.timedelta(days=2)
    last.save(update_fields=["cutoff_at"])
    app = start_application(company_user.company, open_call)
    app = submit_application(fill_application(app, company_user, "training"), company_user)
    assert app.batch == last
    assert not is_frozen(app)

    html = dashboard(company_client)

    assert f"送出後仍可更新申請表至 {roc_datetime(close_at)} 止" in html
    assert roc_datetime(last.cutoff_at) not in html


def test_supplement_of_earlier_call_can_be_answered_after_next_call_is_seeded(
    call_115, company_user, company_client, monkeypatch
):
    open_now(call_115)
    app = start_application(company_user.company, call_115)
    app = submit_application(fill_application(app, company_user, "training"), company_user)
    ask_training_supplement(app, "two-calls-operator")
    close(call_115)
    seed_next_call(monkeypatch, is_open=False)

    html = dashboard(company_client)
    page = company_client.get(reverse("applications:step", args=["training-2"]))
    response = company_client.post(reverse("applications:resubmit"), {"application": app.pk})

    assert "請補充訓練資料集說明" in html
    assert f'<input type="hidden" name="application" value="{app.pk}">' in html
    assert page.status_code == 200
    assert app.number in page.content.decode()
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == ApplicationState.RESUBMITTED


def test_resubmit_refuses_another_companys_application(
    call_115, company_user, other_company_user, monkeypatch
):
    open_now(call_115)
    app = start_application(other_company_user.company, call_115)
    client = Client()
    client.force_login(company_user)

    response = client.post(reverse("applications:resubmit"), {"application": app.pk})

    assert response.status_code == 404


@pytest.fixture
def supplement_asked(call_115, company_user):
    """The company's submitted training application, asked for a supplement of training-2."""
    open_now(call_115)
    app = start_application(company_user.company, call_115)
    app = submit_application(fill_application(app, company_user, "training"), company_user)
    ask_training_supplement(app, "dashboard-operator")
    return app


def test_dashboard_in_english_gives_the_supplement_reason_after_an_english_colon(
    supplement_asked, company_client
):
    company_client.cookies["django_language"] = "en"

    html = dashboard(company_client)

    assert "</span> The operator requested a supplement: 請補充訓練資料集說明</li>" in html


def test_dashboard_gives_the_supplement_reason_after_a_chinese_colon(
    supplement_asked, company_client
):
    html = dashboard(company_client)

    assert "</span> 執行單位要求補件：請補充訓練資料集說明</li>" in html
