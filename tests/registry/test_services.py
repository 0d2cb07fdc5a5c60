"""Eligibility of the demo companies through the real importer, look-ups and the seeded call."""

import datetime

import pytest

from aipower.registry.eligibility import Declarations
from aipower.registry.enums import VerdictStatus
from aipower.registry.models import ListEntry
from aipower.registry.services import (
    company_profile,
    current_record,
    import_demo_registry,
    lookup,
    verdict_for,
)

pytestmark = pytest.mark.integration

ON = datetime.date(2026, 11, 27)


@pytest.fixture
def registry(db):
    return import_demo_registry().snapshot


def blocking(verdict):
    return [r.code for r in verdict.blocking_reasons]


def test_verdict_eligible_startup_qingkong(registry, call_115):
    verdict = verdict_for("84700087", call_115, on=ON)

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert verdict.startup_priority is True
    assert verdict.founded_on == datetime.date(2021, 3, 15)
    assert verdict.published_on == datetime.date(2026, 10, 1)
    assert [(m.code, m.name, m.group_code) for m in verdict.matched_industries] == [
        ("620211", "系統整合", "J62"),
        ("620212", "系統規劃、分析及設計", "J62"),
        ("639099", "未分類其他資訊服務", "J63"),
    ]
    assert [r.code for r in verdict.reasons] == ["industry", "startup"]


def test_verdict_eligible_not_startup_shanlan(registry, call_115):
    verdict = verdict_for("52880483", call_115, on=ON)

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert verdict.startup_priority is False
    assert verdict.founded_on == datetime.date(2009, 6, 1)
    assert [m.code for m in verdict.matched_industries] == ["631299", "620900"]
    assert str(verdict.reasons[-1].message) == (
        "設立日期 98年06月01日 早於 107年01月01日，不具新創優先資格（不影響申請資格）。"
    )


def test_verdict_follows_the_calls_admitted_legal_forms(registry, call_115):
    # 晴空智能 is a 股份有限公司: eligible by the programme's list, not by a call admitting
    # only 有限公司.
    call_115.admitted_legal_forms = ["有限公司"]
    call_115.save(update_fields=["admitted_legal_forms"])

    verdict = verdict_for("84700087", call_115, on=ON)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert blocking(verdict) == ["legal_form"]


def test_verdict_eligible_beigang_head_office(registry, call_115):
    verdict = verdict_for("48552728", call_115, on=ON)

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert verdict.is_branch is False
    assert verdict.startup_priority is False
    assert [m.code for m in verdict.matched_industries] == ["620199", "582099"]


def test_verdict_branch_not_eligible(registry, call_115):
    verdict = verdict_for("75888073", call_115, on=ON)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert verdict.is_branch is True
    assert blocking(verdict) == ["branch"]
    assert verdict.blocking_reasons[0].evidence == {
        "head_office_ubn": "48552728",
        "legal_form": "股份有限公司",
    }


def test_verdict_manufacturing_not_eligible_mumian(registry, call_115):
    verdict = verdict_for("96865468", call_115, on=ON)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert blocking(verdict) == ["industry"]
    assert verdict.founded_on == datetime.date(2015, 5, 12)
    assert verdict.startup_priority is False


def test_verdict_follows_the_operators_check_of_the_business_items(registry, call_115):
    ListEntry.objects.create(
        ubn="96865468", kind="industry_verified", reason="公示查詢另登記 I301010 資訊軟體服務業"
    )

    verdict = verdict_for("96865468", call_115, on=ON)

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert blocking(verdict) == []


@pytest.mark.parametrize(
    ("ubn", "status", "codes"),
    [
        ("78220482", VerdictStatus.ELIGIBLE, []),  # 獨資, game software publishing
        ("73960310", VerdictStatus.ELIGIBLE, []),  # 有限合夥, information services
        ("84641177", VerdictStatus.ELIGIBLE, []),  # third-party payment
        ("77457446", VerdictStatus.NOT_ELIGIBLE, ["branch"]),  # foreign company's branch
        ("78590039", VerdictStatus.NOT_ELIGIBLE, ["industry"]),  # wholesale
        ("17874421", VerdictStatus.NOT_ELIGIBLE, ["legal_form"]),  # an association
    ],
)
def test_verdict_other_demo_companies(registry, call_115, ubn, status, codes):
    verdict = verdict_for(ubn, call_115, on=ON)

    assert verdict.status == status
    assert blocking(verdict) == codes


def test_verdict_missing_from_registry_is_for_the_operator(registry, call_115):
    verdict = verdict_for("04595252", call_115, on=ON)

    assert verdict.status == VerdictStatus.UNVERIFIABLE
    assert [r.code for r in verdict.check_reasons] == ["not_in_registry"]


def test_verdict_without_any_snapshot_is_for_the_operator(db, call_115):
    verdict = verdict_for("84700087", call_115, on=ON)

    assert verdict.status == VerdictStatus.UNVERIFIABLE
    # Not "the registry has no such number": there is no registry yet.
    assert [r.code for r in verdict.check_reasons] == ["registry_not_loaded"]
    assert str(verdict.check_reasons[0].message) == (
        "尚未匯入財政部稅籍登記資料，無法自動查核，將由執行單位人工確認申請資格。"
    )


def test_verdict_operator_list_blocks_an_eligible_company(registry, call_115):
    ListEntry.objects.create(
        ubn="84700087", kind="suspended", reason="重大違約", until=datetime.date(2027, 1, 31)
    )

    verdict = verdict_for("84700087", call_115, on=ON)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert blocking(verdict) == ["list_suspended"]
    assert verdict.blocking_reasons[0].evidence["until"] == "2027-01-31"


def test_verdict_declarations_are_checked(registry, call_115):
    verdict = verdict_for(
        "52880483", call_115, declarations=Declarations(no_major_breach=False), on=ON
    )

    assert blocking(verdict) == ["declared_no_major_breach"]


def test_lookup_matches_the_orm_record(registry):
    record, lists = lookup("84700087")
    row = current_record("84700087")

    assert record.name == row.name
    assert record.founded_on == row.founded_on
    assert record.capital == row.capital
    assert [(i.code, i.name) for i in record.industries] == row.industries
    assert lists.marks == ()


def test_company_profile_prefilled_from_registry(registry):
    profile = company_profile("84700087", fallback_name="typed name")

    assert profile.from_registry is True
    assert profile.name == "晴空智能股份有限公司"
    assert profile.address == "臺北市大安區光明里敦化南路２段７６號８樓"
    assert profile.founded_on == datetime.date(2021, 3, 15)
    assert profile.capital == 25_000_000
    assert profile.published_on == datetime.date(2026, 10, 1)


def test_company_profile_missing_company_keeps_the_name(registry):
    profile = company_profile("04595252", fallback_name="新創公司")

    assert profile.from_registry is False
    assert profile.name == "新創公司"
    assert profile.address == ""


def test_a_blank_main_business_column_does_not_make_a_secondary_item_the_main_one(
    db, call_115, csv_file, client, django_user_model
):
    from aipower.accounts.enums import Role
    from aipower.registry.importer import import_registry
    from aipower.registry.services import to_registry_record
    from tests.registry.conftest import demo_rows
    from tests.registry.test_views import signed_in

    rows = demo_rows()
    sky = next(row for row in rows if row[1] == "84700087")
    sky[8:16] = ["", "", "620211", "系統整合", "", "", "", ""]  # only 行業代號1 filled
    import_registry(csv_file(rows))

    verdict = verdict_for("84700087", call_115, on=ON)
    from_model = to_registry_record(current_record("84700087"))
    page = signed_in(client, django_user_model, Role.OPERATOR).get(
        "/staff/registry/companies/84700087/"
    )

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert [(m.code, m.is_main) for m in verdict.matched_industries] == [("620211", False)]
    assert verdict.reasons[0].evidence["matched"][0]["main"] is False
    assert from_model.main_listed is False
    html = page.content.decode()
    assert "620211 系統整合（J62 電腦程式設計、諮詢及相關服務業）" in html
    assert "主要營業項目" not in html
    assert '<span class="badge badge-muted">主要</span>' not in html
