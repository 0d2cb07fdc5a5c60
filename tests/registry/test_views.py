"""Staff registry pages (company, search, snapshots) and the applicant's verdict include."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts.enums import Role
from aipower.registry.models import ListEntry, TaxRecord
from aipower.registry.services import company_profile, import_demo_registry, verdict_for

pytestmark = pytest.mark.integration


@pytest.fixture
def registry(db):
    return import_demo_registry().snapshot


def signed_in(client, django_user_model, role):
    user = django_user_model.objects.create_user(role, password="x" * 16, role=role)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def operator_client(client, django_user_model):
    return signed_in(client, django_user_model, Role.OPERATOR)


def test_company_page_shows_record_evidence_and_verdict(registry, call_115, operator_client):
    response = operator_client.get("/staff/registry/companies/84700087/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "晴空智能股份有限公司" in html
    assert "符合申請資格" in html
    assert "具新創優先資格" in html
    assert "620211 系統整合（J62 電腦程式設計、諮詢及相關服務業，主要營業項目）" in html
    assert "稅籍登記資料集發布日期：115年10月01日" in html
    assert "總機構" in html


def test_company_page_branch_links_head_office(registry, call_115, operator_client):
    response = operator_client.get("/staff/registry/companies/75888073/")

    html = response.content.decode()
    assert "不符合申請資格" in html
    assert 'href="/staff/registry/companies/48552728/"' in html
    assert "分公司不得申請（總機構統一編號：48552728），請由總機構提出申請。" in html


def test_company_page_head_office_lists_branches(registry, call_115, operator_client):
    html = operator_client.get("/staff/registry/companies/48552728/").content.decode()

    assert "北港軟體股份有限公司台中分公司" in html


def test_company_page_missing_company(registry, call_115, operator_client):
    html = operator_client.get("/staff/registry/companies/04595252/").content.decode()

    assert "無法自動查核" in html
    assert "稅籍登記資料查無此統一編號，請人工查核。" in html


def test_company_page_shows_list_entries(registry, call_115, operator_client):
    ListEntry.objects.create(ubn="52880483", kind="barred", reason="未依規定繳交結案報告")

    html = operator_client.get("/staff/registry/companies/52880483/").content.decode()

    assert "停權下次申請資格乙次：未依規定繳交結案報告" in html
    assert "因違反算力平台使用規範，停權下次申請資格乙次，不符合申請資格。" in html


def test_company_page_marks_list_entries_that_ended(registry, call_115, operator_client):
    from django.utils import timezone

    today = timezone.localdate()
    ListEntry.objects.create(
        ubn="52880483", kind="suspended", reason="舊案", until=today - datetime.timedelta(days=1)
    )
    ListEntry.objects.create(ubn="52880483", kind="barred", reason="新案", until=today)

    html = operator_client.get("/staff/registry/companies/52880483/").content.decode()
    items = html.split('id="lists-heading"', 1)[1].split("</ul>", 1)[0].split("<li>")[1:]

    ended = next(i for i in items if "舊案" in i)
    current = next(i for i in items if "新案" in i)
    assert '<span class="badge badge-muted">已屆期</span>' in ended
    assert "已屆期" not in current


def test_company_page_invalid_number_is_404(registry, operator_client):
    assert operator_client.get("/staff/registry/companies/12345678/").status_code == 404


def test_company_page_address_typed_with_a_hyphen_or_full_width_leads_to_the_company(
    registry, operator_client
):
    hyphen = operator_client.get("/staff/registry/companies/8470-0087/")
    full_width = operator_client.get("/staff/registry/companies/８４７０００８７/")
    wrong = operator_client.get("/staff/registry/companies/1234-5678/")

    assert hyphen.status_code == full_width.status_code == 302
    assert hyphen["Location"] == full_width["Location"] == "/staff/registry/companies/84700087/"
    assert wrong.status_code == 404


def test_company_page_organiser_allowed(registry, call_115, client, django_user_model):
    staff = signed_in(client, django_user_model, Role.ORGANISER)

    assert staff.get("/staff/registry/companies/84700087/").status_code == 200


def test_registry_pages_refused_to_reviewers(registry, call_115, client, django_user_model):
    staff = signed_in(client, django_user_model, Role.REVIEWER)

    for url in (
        "/staff/registry/companies/",
        "/staff/registry/companies/84700087/",
        "/staff/registry/snapshots/",
    ):
        assert staff.get(url).status_code == 403, url


def test_registry_root_leads_to_the_company_search(operator_client):
    response = operator_client.get("/staff/registry/")

    assert (response.status_code, response["Location"]) == (302, "/staff/registry/companies/")


def test_company_page_requires_verified_staff(registry, client, django_user_model):
    company_user = django_user_model.objects.create_user("c", password="x" * 16)

    anonymous = client.get("/staff/registry/companies/84700087/")
    client.force_login(company_user)
    unverified = client.get("/staff/registry/companies/84700087/")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/staff/login/")
    assert unverified.status_code == 302


def test_company_page_company_role_forbidden(registry, client, django_user_model):
    staff = signed_in(client, django_user_model, Role.COMPANY)

    assert staff.get("/staff/registry/companies/84700087/").status_code == 403


def test_company_search_redirects_and_reports_bad_numbers(registry, operator_client):
    found = operator_client.get("/staff/registry/companies/", {"ubn": "52880483"})
    bad = operator_client.get("/staff/registry/companies/", {"ubn": "12345678"})

    assert found.status_code == 302
    assert found["Location"] == "/staff/registry/companies/52880483/"
    assert "統一編號 12345678 的檢查碼不正確" in bad.content.decode()
    assert 'value="12345678"' in bad.content.decode()


@pytest.mark.parametrize(
    "typed", ["８４７０００８７", "8470-0087", "8470 0087", "８４７０－００８７"]
)
def test_company_search_reads_a_number_typed_full_width_or_with_separators(
    registry, operator_client, typed
):
    response = operator_client.get("/staff/registry/companies/", {"ubn": typed})

    assert response.status_code == 302
    assert response["Location"] == "/staff/registry/companies/84700087/"


def test_company_search_says_a_number_is_too_short_and_keeps_the_typing(registry, operator_client):
    response = operator_client.get("/staff/registry/companies/", {"ubn": "8470-008"})
    page = response.content.decode()

    assert "統一編號應為8位數字（您輸入了「8470008」）" in page
    assert 'value="8470-008"' in page
    assert 'aria-describedby="ubn-help ubn-error"' in page
    assert response.context["matches"] is None


def test_company_search_by_part_of_the_name_lists_the_matches(registry, operator_client):
    response = operator_client.get("/staff/registry/companies/", {"ubn": "北港軟體"})

    assert response.status_code == 200
    assert [r.ubn for r in response.context["matches"]] == ["48552728", "75888073"]
    html = response.content.decode()
    assert 'href="/staff/registry/companies/75888073/"' in html
    assert "分公司" in html


def test_company_search_marks_a_branch_by_the_verdicts_rule(registry, operator_client):
    from aipower.registry.models import TaxRecord

    # A foreign company's branch: no head office number, its legal form names it.
    TaxRecord.objects.filter(ubn="48552728").update(legal_form="外國公司在臺分公司")

    response = operator_client.get("/staff/registry/companies/", {"ubn": "北港軟體"})

    table = response.content.decode().split('id="name-matches"', 1)[1].split("</table>", 1)[0]
    assert table.count('<span class="badge badge-muted">分公司</span>') == 2


def test_company_search_by_name_without_matches_or_too_short(registry, operator_client):
    none = operator_client.get("/staff/registry/companies/", {"ubn": "不存在的公司"})
    short = operator_client.get("/staff/registry/companies/", {"ubn": "北"})

    assert "目前稅籍資料中沒有名稱相符之營業人。" in none.content.decode()
    assert "請輸入至少2個字。" in short.content.decode()
    assert short.context["matches"] is None


def test_company_search_by_name_says_when_it_shows_only_the_first(
    registry, operator_client, monkeypatch
):
    from aipower.registry import services

    monkeypatch.setattr(services, "NAME_SEARCH_LIMIT", 1)

    response = operator_client.get("/staff/registry/companies/", {"ubn": "北港軟體"})

    assert len(response.context["matches"]) == 1
    assert "僅列出前 1 筆" in response.content.decode()


def test_snapshots_page_shows_current_publication_date(registry, operator_client):
    html = operator_client.get("/staff/registry/snapshots/").content.decode()

    assert "使用中：資料集發布日期 115年10月01日，共 11 筆" in html
    assert "BGMOPEN1-demo.csv" in html


def test_snapshots_page_explains_a_failed_import_with_its_line(registry, operator_client, csv_file):
    from aipower.registry.importer import RegistryImportError, import_registry
    from tests.registry.conftest import demo_rows

    rows = demo_rows()
    rows[2][7] = "X"  # 使用統一發票, line 5
    with pytest.raises(RegistryImportError):
        import_registry(csv_file(rows))

    html = operator_client.get("/staff/registry/snapshots/").content.decode()

    assert "第 5 行：使用統一發票應為 Y 或 N（或空白），檔案中為「X」。" in html


def test_verdict_include_eligible_startup(registry, call_115):
    html = render_to_string(
        "registry/_verdict.html", {"verdict": verdict_for("84700087", call_115), "call": call_115}
    )

    assert "符合申請資格" in html
    assert "，具新創優先資格（審查時優先考量）" in html
    assert "請按「我要申請」繼續填寫申請書。" in html
    assert "不符合申請資格" not in html


def test_verdict_include_tells_the_start_up_priority_and_that_the_operator_confirms_it(
    registry, call_115
):
    """The priority the tax data's 設立日期 gives, and that it goes by the MOEA approval date
    the operator confirms (it was announced as decided, with no word of that check)."""
    html = render_to_string(
        "registry/_verdict.html", {"verdict": verdict_for("84700087", call_115), "call": call_115}
    )

    badge = html.split('id="startup-priority">', 1)[1].split("</span>", 1)[0]
    note = html.split('<p id="startup-priority-note">', 1)[1].split("</p>", 1)[0]
    assert badge == "具新創優先資格"
    assert note == (
        "依稅籍登記資料之設立日期 110年03月15日，具新創優先資格（審查時優先考量）。"
        "執行單位於資格審查時，依經濟部商業發展署商工登記之核准設立日期"
        "（須為 107年01月01日（含）以後）確認。"
    )


def test_verdict_include_tells_the_start_up_priority_in_english(registry, call_115):
    verdict = verdict_for("84700087", call_115)
    with translation.override("en"):
        html = render_to_string("registry/_verdict.html", {"verdict": verdict, "call": call_115})

    assert ">Start-up priority</span>" in html
    assert (
        "Founded on 2021-03-15 according to the tax registration data: start-up priority "
        "(considered first in the review)."
    ) in html
    assert "The operator confirms it at the eligibility review by the approval date" in html


def test_verdict_include_without_a_founding_date_says_the_operator_checks_it(call_115, csv_file):
    from aipower.registry.importer import import_registry

    from .conftest import demo_rows

    rows = demo_rows()
    for row in rows:
        if row[1] == "84700087":
            row[5] = ""  # 設立日期 blank: staff see 待人工查核
    import_registry(csv_file(rows))

    html = render_to_string(
        "registry/_verdict.html", {"verdict": verdict_for("84700087", call_115), "call": call_115}
    )

    note = html.split('<p id="startup-priority-note">', 1)[1].split("</p>", 1)[0]
    assert note == (
        "稅籍登記資料未載設立日期。新創優先資格以經濟部商業發展署商工登記之核准設立日期"
        "（須為 107年01月01日（含）以後）為準，由執行單位於資格審查時確認。"
    )
    assert 'id="startup-priority"' not in html


def test_verdict_include_tells_a_branch_nothing_of_start_up_priority(registry, call_115):
    html = render_to_string(
        "registry/_verdict.html", {"verdict": verdict_for("75888073", call_115), "call": call_115}
    )

    assert "新創優先" not in html


def test_verdict_include_not_eligible_with_reasons_and_contact(registry, call_115):
    html = render_to_string(
        "registry/_verdict.html", {"verdict": verdict_for("96865468", call_115), "call": call_115}
    )

    assert "不符合申請資格" in html
    assert "登記營業項目（行業代號）均不屬於 J582 軟體出版業" in html
    assert (
        "如有疑問，請洽申請客服信箱 aipower.service@twcloud.ai 或申請諮詢專線 "
        "(02) 2898-7447 分機 86539、86542。"
    ) in html


def test_verdict_include_unverifiable(registry, call_115):
    html = render_to_string(
        "registry/_verdict.html", {"verdict": verdict_for("04595252", call_115), "call": call_115}
    )

    assert "無法自動查核" in html
    assert "執行單位將於資格審查時人工確認貴公司之申請資格" in html


def test_verdict_include_in_english(registry, call_115):
    with translation.override("en"):
        html = render_to_string(
            "registry/_verdict.html",
            {"verdict": verdict_for("75888073", call_115), "call": call_115},
        )

    assert "Not eligible" in html
    assert "Branch offices may not apply (head office&#x27;s unified business number" in html


def test_company_profile_include(registry):
    html = render_to_string(
        "registry/_company_profile.html", {"profile": company_profile("84700087")}
    )

    assert "臺北市大安區光明里敦化南路２段７６號８樓" in html
    assert "110年03月15日" in html
    assert "新臺幣 25,000,000 元" in html


def test_company_page_in_english_uses_english_punctuation(registry, call_115, operator_client):
    operator_client.cookies["django_language"] = "en"

    html = operator_client.get("/staff/registry/companies/84700087/").content.decode()

    assert re.search(
        r'620211 <span lang="zh-Hant">[^<（]+</span> \(J62 [^<（]+, main business\)', html
    )
    assert "（J62" not in html
    assert " (founded on or after " in html
    assert "（founded" not in html


def test_verdict_include_lists_matched_industries_in_the_active_language():
    from tests.registry.test_eligibility import NO_LISTS, RULES, Industry, evaluate, record

    industries = (Industry("620211", "系統整合"), Industry("582011", "遊戲軟體出版"))
    verdict = evaluate(record(industries=industries), NO_LISTS, None, RULES)

    with translation.override("en"):
        english = render_to_string("registry/_verdict.html", {"verdict": verdict})
    with translation.override("zh-hant"):
        chinese = render_to_string("registry/_verdict.html", {"verdict": verdict})

    zh = '<span lang="zh-Hant">'
    assert f"620211 {zh}系統整合</span>, 582011 {zh}遊戲軟體出版</span></p>" in english
    assert f"620211 {zh}系統整合</span>、582011 {zh}遊戲軟體出版</span></p>" in chinese


def test_company_page_writes_list_entries_with_the_languages_punctuation(
    registry, call_115, operator_client
):
    ListEntry.objects.create(
        ubn="52880483",
        kind="barred",
        reason="未依規定繳交結案報告",
        until=datetime.date(2027, 6, 30),
    )
    url = "/staff/registry/companies/52880483/"

    chinese = operator_client.get(url).content.decode()
    operator_client.cookies["django_language"] = "en"
    english = operator_client.get(url).content.decode()

    # (each followed by its 修改 link, not printed)
    assert "<li>停權下次申請資格乙次：未依規定繳交結案報告（期限 116年06月30日） <a" in chinese
    assert (
        "<li>Bar from the next application once: 未依規定繳交結案報告 (until 2027-06-30) <a"
        in english
    )


def test_company_page_names_each_reasons_rule_not_its_code(registry, call_115, operator_client):
    ListEntry.objects.create(
        ubn="75888073", kind="suspended", reason="x", until=datetime.date(2020, 1, 1)
    )

    html = operator_client.get("/staff/registry/companies/75888073/").content.decode()

    rows = dict(re.findall(r'<tr data-code="([a-z_]+)"><th scope="row">([^<]*)</th>', html))
    assert rows == {
        "industry": "行業別（登記營業項目）",
        "branch": "總機構或分公司",
        "list_suspended_expired": "管制名單",
    }


def test_company_page_names_the_rules_in_english(registry, call_115, operator_client):
    operator_client.cookies["django_language"] = "en"

    html = operator_client.get("/staff/registry/companies/84700087/").content.decode()

    rows = dict(re.findall(r'<tr data-code="([a-z_]+)"><th scope="row">([^<]*)</th>', html))
    assert rows == {
        "industry": "Industry (registered business items)",
        "startup": "Start-up priority",
    }


def test_verdict_include_shows_the_companys_own_codes_when_none_qualifies(registry, call_115):
    html = render_to_string(
        "registry/_verdict.html", {"verdict": verdict_for("96865468", call_115), "call": call_115}
    )

    zh = '<span lang="zh-Hant">'
    assert (
        f"貴公司之登記營業項目：259999 {zh}未分類其他金屬製品製造</span>、"
        f"292999 {zh}未分類其他專用機械設備製造</span>、464111 {zh}電腦及其週邊設備批發</span>"
    ) in html


def test_verdict_include_shows_until_when_a_list_entry_ends(registry, call_115):
    ListEntry.objects.create(
        ubn="52880483", kind="barred", reason="x", until=datetime.date(2027, 6, 30)
    )
    verdict = verdict_for("52880483", call_115, on=datetime.date(2026, 11, 27))

    chinese = render_to_string("registry/_verdict.html", {"verdict": verdict, "call": call_115})
    with translation.override("en"):
        english = render_to_string("registry/_verdict.html", {"verdict": verdict, "call": call_115})

    assert (
        "因違反算力平台使用規範，停權下次申請資格乙次，不符合申請資格。（期限至 116年06月30日）"
    ) in chinese
    assert "Your company's registered business items" not in english
    assert re.search(r"\(until 2027-06-30\)", english)


def test_company_page_without_any_snapshot_does_not_say_the_number_is_missing(
    db, call_115, operator_client
):
    html = operator_client.get("/staff/registry/companies/84700087/").content.decode()

    assert "查無此統一編號" not in html
    assert "尚未匯入財政部稅籍登記資料，無法自動查核" in html


def test_the_operator_adds_a_list_entry_for_the_company_from_its_page(
    registry, call_115, operator_client, client, django_user_model
):
    operator_page = operator_client.get("/staff/registry/companies/96865468/").content.decode()
    organiser_page = (
        signed_in(client, django_user_model, Role.ORGANISER)
        .get("/staff/registry/companies/96865468/")
        .content.decode()
    )

    assert 'href="/admin/registry/listentry/add/?ubn=96865468&amp;from=company"' in operator_page
    assert 'id="add-list-entry"' not in organiser_page  # the organiser reads the lists


def test_company_search_says_what_is_wrong_with_a_number_in_english(registry, operator_client):
    operator_client.cookies["django_language"] = "en"

    short = operator_client.get("/staff/registry/companies/", {"ubn": "１２３４"}).content.decode()
    wrong = operator_client.get("/staff/registry/companies/", {"ubn": "1234-5678"})

    assert "The unified business number (統一編號) has 8 digits (you typed “1234”)" in short
    assert "The check digit of the unified business number (統一編號) 12345678 is wrong" in (
        wrong.content.decode()
    )


def test_verdict_include_tells_a_company_refused_by_industry_what_to_do_next(registry, call_115):
    verdict = verdict_for("96865468", call_115)

    chinese = render_to_string("registry/_verdict.html", {"verdict": verdict, "call": call_115})
    with translation.override("en"):
        english = render_to_string("registry/_verdict.html", {"verdict": verdict, "call": call_115})

    step = chinese.split('id="industry-next-step">', 1)[1].split("</span>", 1)[0]
    assert "稅籍登記資料集每家營業人最多只列4項登記營業項目" in step
    assert "稅籍登記資料公示查詢" in step
    assert "寄至下方申請客服信箱" in step
    assert "國稅局" in step
    assert "e-mail the result to the application service mailbox below" in english
    assert call_115.service_email in chinese.split('id="industry-next-step">', 1)[1]


def test_verdict_include_tells_a_company_missing_from_the_data_set_its_publication_date(
    registry, call_115
):
    verdict = verdict_for("04595257", call_115)  # not in the demo data set (01-OCT-26)

    chinese = render_to_string("registry/_verdict.html", {"verdict": verdict, "call": call_115})
    with translation.override("en"):
        english = render_to_string("registry/_verdict.html", {"verdict": verdict, "call": call_115})

    assert verdict.status == "unverifiable"
    assert verdict.published_on == datetime.date(2026, 10, 1)
    assert verdict.check_reasons[0].evidence == {"published_on": "2026-10-01"}
    assert (
        "財政部稅籍登記資料（115年10月01日發布）查無此統一編號，無法自動查核"
        "（該日以後設立或變更登記之營業人可能尚未列入），將由執行單位人工確認申請資格。"
    ) in chinese
    assert "(published 2026-10-01; a business registered or changed since" in english


@pytest.mark.parametrize("typed", ["北港軟體股份有限公司臺中", "北港軟體股份有限公司台中"])
def test_company_search_by_name_finds_either_spelling_of_tai(registry, operator_client, typed):
    response = operator_client.get("/staff/registry/companies/", {"ubn": typed})

    assert [r.ubn for r in response.context["matches"]] == ["75888073"]


def test_company_search_by_name_finds_full_width_letters_typed_half_width(
    registry, operator_client
):
    TaxRecord.objects.filter(ubn="52880483").update(name="ＡＩ山嵐資訊有限公司")

    response = operator_client.get("/staff/registry/companies/", {"ubn": "AI山嵐"})

    assert [r.ubn for r in response.context["matches"]] == ["52880483"]


def test_company_page_without_a_founding_date_has_its_start_up_priority_to_be_checked(
    call_115, operator_client, csv_file
):
    from aipower.registry.importer import import_registry

    from .conftest import demo_rows

    rows = demo_rows()
    for row in rows:
        if row[1] == "84700087":
            row[5] = ""  # 設立日期 blank
    import_registry(csv_file(rows))

    html = operator_client.get("/staff/registry/companies/84700087/").content.decode()

    fact = html.split('id="startup-priority"', 1)[1].split("</dd>", 1)[0]
    assert 'data-status="check"' in fact
    assert ">待人工查核（設立日期 107年01月01日（含）以後）" in fact
    assert "請依經濟部商業發展署商工登記之核准設立日期確認" in fact
    assert "新創優先資格待人工查核</span>" in html.split('id="staff-verdict-status"', 1)[1]


def test_company_page_founded_after_the_start_up_date_has_the_priority(
    registry, call_115, operator_client
):
    html = operator_client.get("/staff/registry/companies/84700087/").content.decode()

    fact = html.split('id="startup-priority"', 1)[1].split("</dd>", 1)[0]
    assert 'data-status="yes"' in fact
    assert ">是（設立日期 107年01月01日（含）以後）" in fact


def test_company_page_marks_an_entry_a_sanction_made_and_links_its_violation(
    registry, call_115, operator_client
):
    from tests.registry.test_admin import _barred
    from tests.review.conftest import make_staff

    violation = _barred(call_115, make_staff("op2", "operator"), ubn="52880483")
    ListEntry.objects.create(ubn="52880483", kind="mainland_capital", reason="陸資持股")

    html = operator_client.get("/staff/registry/companies/52880483/").content.decode()

    entries = html.split("陸資持股", 1)
    assert f'<a href="/staff/compliance/{violation.pk}/">違規紀錄 #{violation.pk}</a>' in html
    assert html.count('<span class="badge badge-warning">違規處分</span>') == 1
    assert "違規處分" not in entries[1].split("</li>", 1)[0]  # the one typed by hand
