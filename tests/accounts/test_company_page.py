"""The company-confirmation page after card login shows the eligibility pre-check."""

import datetime
import re

import pytest
from django.utils import timezone

from aipower.accounts.enums import Role
from aipower.accounts.models import Company
from aipower.core.templatetags.roc import roc_datetime
from aipower.devtools.demo import shift_call_to_now
from aipower.registry.services import import_demo_registry

pytestmark = pytest.mark.integration


@pytest.fixture
def registry(db):
    import_demo_registry()


@pytest.fixture
def open_call(call_115):
    """The seeded call, taking applications now."""
    shift_call_to_now(call_115)
    return call_115


def _signed_in(client, django_user_model, ubn, name):
    company = Company.objects.create(ubn=ubn, name=name)
    user = django_user_model.objects.create_user(
        f"company-{ubn}", role=Role.COMPANY, company=company
    )
    client.force_login(user)
    return client


def test_company_page_tells_an_eligible_startup_so(client, django_user_model, open_call, registry):
    _signed_in(client, django_user_model, "84700087", "晴空智能股份有限公司")

    html = client.get("/company/").content.decode()

    assert 'data-status="eligible"' in html
    assert ">具新創優先資格</span>" in html
    assert "，具新創優先資格（審查時優先考量）。執行單位於資格審查時" in html
    assert "晴空智能股份有限公司" in html
    assert 'href="/apply/"' in html


def test_company_page_tells_a_manufacturer_it_is_not_eligible_and_hides_apply(
    client, django_user_model, call_115, registry
):
    _signed_in(client, django_user_model, "96865468", "木棉精密工業股份有限公司")

    html = client.get("/company/").content.decode()

    assert 'data-status="not_eligible"' in html
    assert "不符合申請資格" in html
    assert call_115.service_email in html
    assert 'href="/apply/"' not in html


def test_company_page_gives_the_service_phone_in_the_pages_language(
    client, django_user_model, call_115, registry
):
    _signed_in(client, django_user_model, "96865468", "木棉精密工業股份有限公司")
    assert call_115.service_phone_zh in client.get("/company/").content.decode()
    client.cookies["django_language"] = "en"

    html = client.get("/company/").content.decode()

    assert call_115.service_phone_en in html
    assert "分機" not in html


def test_company_page_marks_a_company_missing_from_the_registry_for_the_operator(
    client, django_user_model, open_call, registry
):
    _signed_in(client, django_user_model, "04595252", "未登錄科技有限公司")

    html = client.get("/company/").content.decode()

    assert "無法自動查核" in html
    assert 'href="/apply/"' in html


def test_company_page_shows_the_registry_profile(client, django_user_model, call_115, registry):
    _signed_in(client, django_user_model, "52880483", "山嵐資訊有限公司")

    html = client.get("/company/").content.decode()

    assert "98年06月01日" in html


AUTOSAVE_NOTE = "* 重要提醒：資料填寫時，每按下「下一步」將會自動儲存該頁填寫資料。"


@pytest.mark.parametrize(
    ("ubn", "name"),
    [
        ("96865468", "木棉精密工業股份有限公司"),
        ("75888073", "北港軟體股份有限公司台中分公司"),
    ],
)
def test_company_page_leaves_out_the_autosave_note_for_a_company_that_may_not_apply(
    client, django_user_model, call_115, registry, ubn, name
):
    _signed_in(client, django_user_model, ubn, name)

    html = client.get("/company/").content.decode()

    assert 'data-status="not_eligible"' in html
    assert AUTOSAVE_NOTE not in html
    assert 'href="/apply/"' not in html


@pytest.mark.parametrize(
    ("ubn", "name"),
    [("84700087", "晴空智能股份有限公司"), ("04595252", "未登錄科技有限公司")],
)
def test_company_page_gives_the_autosave_note_to_a_company_that_may_apply(
    client, django_user_model, open_call, registry, ubn, name
):
    _signed_in(client, django_user_model, ubn, name)

    html = client.get("/company/").content.decode()

    assert AUTOSAVE_NOTE in html
    assert 'href="/apply/"' in html


def test_company_page_in_english_marks_the_registrys_chinese_industry_names(
    client, django_user_model, call_115, registry
):
    _signed_in(client, django_user_model, "84700087", "晴空智能股份有限公司")
    client.cookies["django_language"] = "en"

    html = client.get("/company/").content.decode()

    matched = html.split("Qualifying registered business items: ", 1)[1].split("</p>", 1)[0]
    names = re.findall(r'<span lang="zh-Hant">([^<]+)</span>', matched)
    assert names and all(re.search(r"[\u4e00-\u9fff]", name) for name in names)


def closed(call):
    """The call stopped taking applications a minute ago."""
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.opens_at = call.closes_at - datetime.timedelta(days=90)
    call.save(update_fields=["opens_at", "closes_at"])
    return call


def test_company_page_says_the_call_has_closed_and_offers_no_apply(
    client, django_user_model, call_115, registry
):
    closed(call_115)
    _signed_in(client, django_user_model, "84700087", "晴空智能股份有限公司")

    html = client.get("/company/").content.decode()

    assert f"本計畫已於 {roc_datetime(call_115.closes_at)} 截止收件。" in html
    assert 'data-status="eligible"' in html  # the company still learns its verdict
    assert 'href="/apply/"' not in html
    assert "請按「我要申請」繼續填寫申請書。" not in html
    assert AUTOSAVE_NOTE not in html


def test_company_page_says_the_call_is_suspended(client, django_user_model, open_call, registry):
    open_call.is_suspended = True
    open_call.save(update_fields=["is_suspended"])
    _signed_in(client, django_user_model, "04595252", "未登錄科技有限公司")

    html = client.get("/company/").content.decode()

    assert "主辦單位已暫停收件，恢復收件時將另行公告。" in html
    assert "您仍可繼續填寫申請書" not in html
    assert 'href="/apply/"' not in html


def test_company_page_without_a_call_says_so(client, django_user_model, registry):
    _signed_in(client, django_user_model, "84700087", "晴空智能股份有限公司")

    html = client.get("/company/").content.decode()

    assert "目前尚無開放申請之計畫。" in html
    assert 'href="/apply/"' not in html


def test_company_page_after_the_close_still_leads_to_the_companys_draft(
    client, django_user_model, open_call, registry
):
    from aipower.applications.services import start_application

    _signed_in(client, django_user_model, "84700087", "晴空智能股份有限公司")
    start_application(Company.objects.get(ubn="84700087"), open_call)
    closed(open_call)

    html = client.get("/company/").content.decode()

    assert 'href="/apply/"' in html
    assert "截止收件" not in html


def test_company_page_says_the_call_has_closed_in_english(
    client, django_user_model, call_115, registry
):
    closed(call_115)
    _signed_in(client, django_user_model, "84700087", "晴空智能股份有限公司")
    client.cookies["django_language"] = "en"

    html = client.get("/company/").content.decode()

    assert 'id="call-closed"' in html
    assert "截止" not in html.split('id="call-closed"', 1)[1].split("</p>", 1)[0]
