"""The wizard's pages name the application they edit (``/apply/<pk>/step/<identifier>/``).

A company with a year-116 draft and a year-115 application waiting for a supplement (補件)
answers the supplement on the 115 pages (not on the 116 draft); the rules of what may be edited
are those of the application the URL names; another company's application is not found; the
short ``/apply/step/<identifier>/`` still reaches the current call's application.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from aipower.applications import flow
from aipower.applications.enums import ApplicationState
from aipower.applications.models import Application
from aipower.applications.services import start_application, submit_application
from aipower.applications.views import step_url

from .conftest import PROFILE, TRAINING, fill_application, open_now, save_page
from .two_calls import (
    ask_training_supplement,
    awarded_application,
    close,
    seed_next_call,
)

pytestmark = pytest.mark.integration

NEW_DESCRIPTION = "公開之長照問答資料集，約一萬筆。"


def app_step(app, identifier):
    return reverse("applications:app_step", args=[app.pk, identifier])


def short_step(identifier):
    return reverse("applications:step", args=[identifier])


def refreshed(app):
    return Application.objects.get(pk=app.pk)


def submitted_115(call_115, user):
    """``user``'s company's complete training application, submitted in the open year-115 call."""
    open_now(call_115)
    app = start_application(user.company, call_115)
    return submit_application(fill_application(app, user, "training"), user)


def next_year_draft(monkeypatch, user):
    """The year-116 call, open now, and ``user``'s company's draft in it (profile saved)."""
    call_116 = seed_next_call(monkeypatch, is_open=True)
    draft = start_application(user.company, call_116)
    draft = save_page(draft, user, "category", {"category": "training"})
    draft = save_page(draft, user, "terms", {})
    return save_page(draft, user, "profile", PROFILE)


@pytest.fixture
def supplement_115(call_115, company_user):
    """The year-115 application, frozen by the operator and asked to supplement page
    專案重要性及訓練資料集 (training-2)."""
    app = submitted_115(call_115, company_user)
    ask_training_supplement(app, "per-application-operator")
    return refreshed(app)


@pytest.fixture
def draft_116(supplement_115, company_user, monkeypatch):
    """The year-115 call closed, the year-116 call open and the company's draft in it."""
    close(supplement_115.call)
    return next_year_draft(monkeypatch, company_user)


def supplement_answer(app, description=NEW_DESCRIPTION):
    return {
        **TRAINING["training-2"],
        "dataset_description": description,
        "revision": app.revision,
        "application": app.pk,
    }


def test_dashboard_links_the_supplement_pages_of_the_earlier_calls_application(
    supplement_115, draft_116, company_client
):
    html = company_client.get(reverse("applications:dashboard")).content.decode()

    link = app_step(supplement_115, "training-2")
    assert f'<li><a href="{link}">專案重要性及訓練資料集</a> <span' in html
    assert f'href="{short_step("declaration")}">繼續填寫申請表</a>' in html


def test_supplement_page_of_earlier_call_shows_that_application(
    supplement_115, draft_116, company_client
):
    response = company_client.get(app_step(supplement_115, "training-2"))
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["application"].pk == supplement_115.pk
    assert supplement_115.number in html
    assert f'<form method="post" action="{app_step(supplement_115, "training-2")}"' in html
    assert f'<input type="hidden" name="application" value="{supplement_115.pk}">' in html
    assert f'href="{app_step(supplement_115, "training-1")}">上一步</a>' in html
    assert f'<a href="{app_step(supplement_115, "category")}">' in html
    assert "/apply/step/" not in html
    assert "儲存更新" in html


def test_saving_the_supplement_page_changes_the_earlier_calls_application_only(
    supplement_115, draft_116, company_client
):
    draft_before = (draft_116.data, draft_116.revision, draft_116.current_step)

    response = company_client.post(
        app_step(supplement_115, "training-2"), supplement_answer(supplement_115)
    )

    assert response.status_code == 302
    # The only page the supplement names: on to the dashboard and its resubmit button.
    assert response["Location"] == reverse("applications:dashboard")
    answered = refreshed(supplement_115)
    assert answered.data["training"]["dataset_description"] == NEW_DESCRIPTION
    assert answered.versions.order_by("-number").first().changed_fields == [
        "training.dataset_description"
    ]
    draft = refreshed(draft_116)
    assert (draft.data, draft.revision, draft.current_step) == draft_before
    assert "training" not in draft.data


def test_supplement_answered_through_the_scoped_page_can_be_resubmitted(
    supplement_115, draft_116, company_client
):
    company_client.post(app_step(supplement_115, "training-2"), supplement_answer(supplement_115))

    response = company_client.post(
        reverse("applications:resubmit"), {"application": supplement_115.pk}
    )

    assert response.status_code == 302
    assert refreshed(supplement_115).state == ApplicationState.RESUBMITTED
    assert refreshed(draft_116).state == ApplicationState.DRAFT


def test_resubmit_without_application_takes_the_open_supplement_not_the_draft(
    supplement_115, draft_116, company_client
):
    response = company_client.post(reverse("applications:resubmit"))

    assert response.status_code == 302
    assert refreshed(supplement_115).state == ApplicationState.RESUBMITTED


def test_page_not_named_by_the_supplement_is_not_changed_through_the_scoped_url(
    supplement_115, draft_116, company_client
):
    before = refreshed(supplement_115).data["training"]["topic"]
    page = company_client.get(app_step(supplement_115, "training-1")).content.decode()

    response = company_client.post(
        app_step(supplement_115, "training-1"),
        {
            **TRAINING["training-1"],
            "topic": "改過的主題",
            "revision": supplement_115.revision,
            "application": supplement_115.pk,
        },
    )

    assert "儲存更新" not in page
    assert "此頁不在補件範圍內，僅供檢視" in page
    # Refused; what was typed is shown back to keep (the page as saved stays read-only).
    assert response.status_code == 409
    assert "此頁不在補件範圍內，無法更新" in response.content.decode()
    assert "<td>改過的主題</td>" in response.content.decode()
    assert refreshed(supplement_115).data["training"]["topic"] == before == "高齡照護GPT"


def test_stale_save_on_the_scoped_page_stays_on_that_application(
    supplement_115, draft_116, company_client
):
    stale_revision = supplement_115.revision
    company_client.post(app_step(supplement_115, "training-2"), supplement_answer(supplement_115))

    response = company_client.post(
        app_step(supplement_115, "training-2"),
        {**supplement_answer(supplement_115, "另一個視窗"), "revision": stale_revision},
    )

    assert response.status_code == 409
    assert response.context["application"].pk == supplement_115.pk
    assert f'action="{app_step(supplement_115, "training-2")}"' in response.content.decode()
    assert refreshed(supplement_115).data["training"]["dataset_description"] == NEW_DESCRIPTION


def test_another_companys_application_is_not_found(supplement_115, draft_116, other_company_user):
    client = Client()
    client.force_login(other_company_user)

    page = client.get(app_step(supplement_115, "training-2"))
    saved = client.post(app_step(supplement_115, "training-2"), supplement_answer(supplement_115))

    assert page.status_code == 404
    assert saved.status_code == 404
    assert refreshed(supplement_115).data["training"]["dataset_description"] == "無"


def test_approved_application_of_earlier_call_cannot_be_changed(
    call_115, company_user, company_client, monkeypatch
):
    approved = awarded_application(call_115, company_user)
    close(call_115)
    next_year_draft(monkeypatch, company_user)
    before = refreshed(approved)

    page = company_client.get(app_step(approved, "inference-2")).content.decode()
    response = company_client.post(
        app_step(approved, "inference-2"),
        {
            "importance": "改過的重要性",
            "opportunity": "改過的機會",
            "scenario": "改過的情境",
            "revision": approved.revision,
            "application": approved.pk,
        },
    )

    assert "儲存更新" not in page
    assert "申請表已凍結" in page
    assert response.status_code == 409
    assert "<td>改過的重要性</td>" in response.content.decode()
    after = refreshed(approved)
    assert after.state == ApplicationState.APPROVED
    assert (after.data, after.revision) == (before.data, before.revision)
    assert after.versions.count() == 1


def test_submitted_application_past_its_cutoff_cannot_be_changed(
    call_115, company_user, company_client, monkeypatch
):
    app = submitted_115(call_115, company_user)
    close(call_115)
    next_year_draft(monkeypatch, company_user)

    response = company_client.post(
        app_step(app, "training-2"), supplement_answer(app, "截止後的修改")
    )

    assert response.status_code == 409
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "審查梯次已截止收件，申請表已凍結，無法再更新"
    ]
    assert "<td>截止後的修改</td>" in response.content.decode()
    assert refreshed(app).data["training"]["dataset_description"] == "無"
    assert refreshed(app).versions.count() == 1


@pytest.fixture
def closed_draft_115(call_115, company_user, monkeypatch):
    """A year-115 draft never submitted; the call has closed and the year-116 call is open."""
    open_now(call_115)
    draft = start_application(company_user.company, call_115)
    draft = save_page(draft, company_user, "category", {"category": "training"})
    close(call_115)
    seed_next_call(monkeypatch, is_open=True)
    return draft


CLOSED_DRAFT = "此申請案的收件期間已結束，草稿僅供保存，無法再填寫或送出"


def test_draft_of_a_closed_earlier_call_is_not_opened(closed_draft_115, company_client):
    response = company_client.get(app_step(closed_draft_115, "terms"))

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:dashboard")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [CLOSED_DRAFT]


def test_draft_of_a_closed_earlier_call_is_not_saved(closed_draft_115, company_client):
    response = company_client.post(
        app_step(closed_draft_115, "category"),
        {
            "category": "inference",
            "revision": closed_draft_115.revision,
            "application": closed_draft_115.pk,
        },
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [CLOSED_DRAFT]
    assert refreshed(closed_draft_115).category == "training"
    assert refreshed(closed_draft_115).revision == closed_draft_115.revision


def test_short_url_still_reaches_the_current_calls_draft(supplement_115, draft_116, company_client):
    page = company_client.get(short_step("profile"))
    response = company_client.post(
        short_step("category"),
        {"category": "inference", "revision": draft_116.revision, "application": draft_116.pk},
    )

    assert page.status_code == 200
    assert page.context["application"].pk == draft_116.pk
    assert f'<form method="post" action="{short_step("profile")}"' in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == short_step("terms")
    assert refreshed(draft_116).category == "inference"
    assert refreshed(supplement_115).category == "training"


def test_short_url_save_for_another_application_than_it_reaches_is_refused(
    supplement_115, draft_116, company_client
):
    """A page shown for the 115 application through the short URL (before the 116 draft
    existed) and saved after: the short URL now reaches the 116 draft, which is left alone."""
    draft_before = (draft_116.data, draft_116.revision)

    response = company_client.post(short_step("training-2"), supplement_answer(supplement_115))

    assert response.status_code == 302
    assert response["Location"] == reverse("applications:dashboard")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "此頁所屬的申請案已變更，內容未儲存；請自「申請案狀態」重新開啟申請表"
    ]
    draft = refreshed(draft_116)
    assert (draft.data, draft.revision) == draft_before
    assert refreshed(supplement_115).data["training"]["dataset_description"] == "無"


def test_printable_page_links_the_supplement_page_of_that_application(
    supplement_115, draft_116, company_client
):
    html = company_client.get(reverse("applications:view", args=[supplement_115.pk]))

    assert (
        f'<a href="{app_step(supplement_115, "training-2")}">更新此頁'
        '<span class="visually-hidden">：專案重要性及訓練資料集</span></a>'
    ) in html.content.decode()


def test_step_url_names_the_application_unless_it_is_the_current_calls(supplement_115, draft_116):
    step = flow.get_step("training-2")

    earlier = step_url(supplement_115, step, check=True)
    current = step_url(draft_116, step, check=True)

    assert earlier == f"/apply/{supplement_115.pk}/step/training-2/?check=1"
    assert current == "/apply/step/training-2/?check=1"


def test_after_a_supplement_page_the_next_page_it_names_and_then_the_resubmit_button(
    call_115, company_user, company_client
):
    app = submitted_115(call_115, company_user)
    ask_training_supplement(app, "two-pages-operator", steps=("training-2", "training-4"))
    app = refreshed(app)

    first = company_client.post(app_step(app, "training-2"), supplement_answer(app))
    app = refreshed(app)
    last = company_client.post(
        app_step(app, "training-4"),
        {**TRAINING["training-4"], "revision": app.revision, "application": app.pk},
    )
    dashboard = company_client.get(last["Location"]).content.decode()

    assert first["Location"] == step_url(app, flow.get_step("training-4"))
    assert last["Location"] == reverse("applications:dashboard")
    assert "補件的頁面都已儲存" in dashboard
    assert "補件完成，重新送出" in dashboard
