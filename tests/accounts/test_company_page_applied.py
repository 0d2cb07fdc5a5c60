"""The company page once the company has applied in the current call: it says so and leads to
the application instead of offering 「我要申請」 (one application per company per call)."""

import datetime
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aipower.applications.services import start_application, submit_application
from aipower.registry.services import import_demo_registry
from tests.applications.conftest import fill_application, make_company_user, open_now

pytestmark = pytest.mark.integration


@pytest.fixture
def clear_sky(call_115):
    """晴空智能 (eligible in the demo registry), signed in, the call open now."""
    import_demo_registry()
    open_now(call_115)
    user = make_company_user(ubn="84700087", name="晴空智能股份有限公司")
    client = Client()
    client.force_login(user)
    return user, client


def test_company_page_after_submitting_names_the_application_and_hides_apply(clear_sky, call_115):
    user, client = clear_sky
    app = start_application(user.company, call_115)
    app = submit_application(fill_application(app, user), user)

    html = client.get(reverse("accounts:company")).content.decode()

    assert (
        f"貴公司本年度已提出申請（{app.number}），每家公司每年度限申請一案；"
        "請於「申請案狀態」檢視或更新申請案。"
    ) in html
    assert f'href="{reverse("applications:view", args=[app.pk])}"' in html
    assert f'href="{reverse("applications:dashboard")}"' in html
    assert f'href="{reverse("applications:index")}"' not in html
    assert "我要申請" not in html


def test_company_page_after_submitting_in_english(clear_sky, call_115):
    user, client = clear_sky
    app = start_application(user.company, call_115)
    app = submit_application(fill_application(app, user), user)
    client.cookies["django_language"] = "en"

    html = unescape(client.get(reverse("accounts:company")).content.decode())

    assert f"Your company has already applied in this year's call ({app.number})" in html
    assert "View or update it on the Application status page." in html


def test_company_page_after_the_cut_off_offers_the_application_for_viewing_only(
    clear_sky, call_115
):
    user, client = clear_sky
    app = start_application(user.company, call_115)
    app = submit_application(fill_application(app, user), user)
    app.batch.cutoff_at = timezone.now() - datetime.timedelta(minutes=1)
    app.batch.save(update_fields=["cutoff_at"])

    html = client.get(reverse("accounts:company")).content.decode()
    client.cookies["django_language"] = "en"
    english = unescape(client.get(reverse("accounts:company")).content.decode())

    assert "請於「申請案狀態」檢視申請案。" in html
    assert "檢視或更新" not in html
    assert "View it on the Application status page." in english


def test_company_page_with_a_draft_still_offers_apply(clear_sky, call_115):
    user, client = clear_sky
    start_application(user.company, call_115)

    html = client.get(reverse("accounts:company")).content.decode()

    assert 'id="already-applied"' not in html
    assert 'data-status="eligible"' in html
    assert f'href="{reverse("applications:index")}"' in html


def test_company_page_after_submitting_leaves_out_the_autosave_note(clear_sky, call_115):
    user, client = clear_sky
    app = start_application(user.company, call_115)
    submit_application(fill_application(app, user), user)

    html = client.get(reverse("accounts:company")).content.decode()

    assert 'id="autosave-note"' not in html
    assert "重要提醒" not in html
