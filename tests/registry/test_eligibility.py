"""The eligibility rules as a pure function: every rule, its reason and its evidence."""

import dataclasses
import datetime

import pytest
from django.utils import translation

from aipower.registry.eligibility import (
    CallRules,
    Declarations,
    Industry,
    IndustryGroup,
    ListMark,
    OperatorLists,
    RegistryRecord,
    Severity,
    evaluate,
    startup_priority,
)
from aipower.registry.enums import VerdictStatus

pytestmark = pytest.mark.unit

RULES = CallRules(
    industries=(
        IndustryGroup("J582", "軟體出版業", ("5820",)),
        IndustryGroup("J62", "電腦程式設計、諮詢及相關服務業", ("62",)),
        IndustryGroup("J63", "資訊服務業", ("63",)),
        IndustryGroup("K6699", "第三方支付服務業", ("6699",)),
    ),
    startup_founded_on_or_after=datetime.date(2018, 1, 1),
    today=datetime.date(2026, 11, 27),
    service_email="aipower.service@twcloud.ai",
    service_phone="(02) 2898-7447",
)
NO_LISTS = OperatorLists()


def record(**changes):
    values = {
        "ubn": "84700087",
        "name": "晴空智能股份有限公司",
        "legal_form": "股份有限公司",
        "founded_on": datetime.date(2021, 3, 15),
        "industries": (Industry("620211", "系統整合"),),
        "published_on": datetime.date(2026, 10, 1),
    }
    values.update(changes)
    return RegistryRecord(**values)


def codes(verdict):
    return [(r.code, r.severity) for r in verdict.reasons]


def test_evaluate_eligible_startup():
    verdict = evaluate(record(), NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert verdict.startup_priority is True
    assert verdict.is_branch is False
    assert verdict.legal_form == "股份有限公司"
    assert verdict.founded_on == datetime.date(2021, 3, 15)
    assert [(m.code, m.group_code, m.is_main) for m in verdict.matched_industries] == [
        ("620211", "J62", True)
    ]
    assert codes(verdict) == [("industry", Severity.INFO), ("startup", Severity.INFO)]
    assert str(verdict.reasons[0].message) == "登記營業項目符合：620211 系統整合"
    assert str(verdict.reasons[1].message) == (
        "設立日期 110年03月15日 在 107年01月01日（含）以後，具新創優先資格。"
    )
    assert verdict.reasons[1].evidence == {
        "founded_on": "2021-03-15",
        "startup_founded_on_or_after": "2018-01-01",
    }


def test_evaluate_startup_date_boundary_is_inclusive():
    on_the_day = evaluate(record(founded_on=datetime.date(2018, 1, 1)), NO_LISTS, None, RULES)
    day_before = evaluate(record(founded_on=datetime.date(2017, 12, 31)), NO_LISTS, None, RULES)

    assert on_the_day.startup_priority is True
    assert day_before.startup_priority is False
    assert day_before.status == VerdictStatus.ELIGIBLE


def test_evaluate_secondary_code_matches():
    verdict = evaluate(
        record(
            industries=(Industry("471999", "其他綜合商品零售"), Industry("582011", "遊戲軟體出版"))
        ),
        NO_LISTS,
        None,
        RULES,
    )

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert [(m.code, m.group_code, m.is_main) for m in verdict.matched_industries] == [
        ("582011", "J582", False)
    ]


@pytest.mark.parametrize(
    ("code", "eligible"),
    [
        ("582011", True),
        ("582099", True),
        ("581100", False),  # J581 publishing of books is not J582
        ("669911", True),
        ("669100", False),
        ("631100", True),
        ("639099", True),
        ("610011", False),
    ],
)
def test_evaluate_industry_prefixes(code, eligible):
    verdict = evaluate(record(industries=(Industry(code, "x"),)), NO_LISTS, None, RULES)

    assert (verdict.status == VerdictStatus.ELIGIBLE) is eligible


def test_evaluate_industry_prefixes_come_from_the_configuration():
    rules = CallRules(
        industries=(IndustryGroup("C25", "金屬製品製造業", ("25",)),),
        startup_founded_on_or_after=datetime.date(2018, 1, 1),
        today=datetime.date(2026, 11, 27),
    )

    verdict = evaluate(
        record(industries=(Industry("259999", "未分類其他金屬製品製造"),)), NO_LISTS, None, rules
    )

    assert verdict.status == VerdictStatus.ELIGIBLE


def test_evaluate_manufacturing_not_eligible():
    verdict = evaluate(
        record(
            ubn="96865468",
            founded_on=datetime.date(2015, 5, 12),
            industries=(
                Industry("259999", "未分類其他金屬製品製造"),
                Industry("292999", "未分類其他專用機械設備製造"),
            ),
        ),
        NO_LISTS,
        None,
        RULES,
    )

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert verdict.matched_industries == ()
    assert [r.code for r in verdict.blocking_reasons] == ["industry"]
    assert str(verdict.blocking_reasons[0].message) == (
        "登記營業項目（行業代號）均不屬於 J582 軟體出版業、J62 電腦程式設計、諮詢及相關服務業、"
        "J63 資訊服務業、K6699 第三方支付服務業。"
    )
    assert verdict.blocking_reasons[0].evidence["codes"] == [
        {"code": "259999", "name": "未分類其他金屬製品製造"},
        {"code": "292999", "name": "未分類其他專用機械設備製造"},
    ]


def test_evaluate_branch_not_eligible():
    verdict = evaluate(record(head_office_ubn="48552728"), NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert verdict.is_branch is True
    assert [r.code for r in verdict.blocking_reasons] == ["branch"]
    assert str(verdict.blocking_reasons[0].message) == (
        "分公司不得申請（總機構統一編號：48552728），請由總機構提出申請。"
    )


def test_evaluate_branch_never_has_startup_priority():
    founded = RULES.startup_founded_on_or_after
    verdict = evaluate(
        record(head_office_ubn="48552728", founded_on=founded), NO_LISTS, None, RULES
    )

    assert verdict.startup_priority is False
    assert "startup" not in [r.code for r in verdict.reasons]
    head_office = evaluate(record(founded_on=founded), NO_LISTS, None, RULES)
    assert head_office.startup_priority is True


def test_evaluate_foreign_branch_by_legal_form():
    verdict = evaluate(record(legal_form="外國公司在臺分公司"), NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert verdict.is_branch is True
    assert [r.code for r in verdict.blocking_reasons] == ["branch"]


@pytest.mark.parametrize("form", ["外國公司在臺分公司", "外國公司", "大陸公司在臺分公司"])
def test_evaluate_foreign_branch_is_not_sent_to_a_head_office_that_cannot_apply(form):
    verdict = evaluate(record(legal_form=form), NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert [r.code for r in verdict.blocking_reasons] == ["branch"]
    assert str(verdict.blocking_reasons[0].message) == (
        f"外國營利事業在臺設立之分公司（組織別：{form}）不得申請。"
    )
    with translation.override("en"):
        assert str(verdict.blocking_reasons[0].message) == (
            f"The Taiwan branch of a foreign for-profit enterprise (legal form: {form}) may "
            "not apply."
        )


@pytest.mark.parametrize("form", ["獨資", "合夥", "有限合夥", "有限公司", "股份有限公司"])
def test_evaluate_admitted_legal_forms(form):
    assert evaluate(record(legal_form=form), NO_LISTS, None, RULES).status == "eligible"


def test_evaluate_legal_forms_as_the_call_configures_them():
    from dataclasses import replace

    rules = replace(RULES, admitted_legal_forms=("有限公司", "股份有限公司"))

    assert evaluate(record(legal_form="股份有限公司"), NO_LISTS, None, rules).status == "eligible"
    verdict = evaluate(record(legal_form="獨資"), NO_LISTS, None, rules)
    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert str(verdict.blocking_reasons[0].message) == (
        "組織別「獨資」不在本次徵件受理之組織別（有限公司、股份有限公司）。"
    )
    with translation.override("en"):
        assert str(verdict.blocking_reasons[0].message) == (
            'The legal form "獨資" is not one this call admits (有限公司, 股份有限公司).'
        )


def test_evaluate_other_legal_form_not_eligible():
    verdict = evaluate(record(legal_form="其他"), NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert [r.code for r in verdict.blocking_reasons] == ["legal_form"]
    assert str(verdict.blocking_reasons[0].message) == (
        "組織別「其他」不在本次徵件受理之組織別"
        "（獨資、合夥、有限合夥、有限公司、股份有限公司、無限公司、兩合公司）。"
    )


def test_evaluate_missing_legal_form_needs_the_operator():
    verdict = evaluate(record(legal_form=""), NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.UNVERIFIABLE
    assert [r.code for r in verdict.check_reasons] == ["legal_form"]


def test_evaluate_no_industry_codes_needs_the_operator():
    verdict = evaluate(record(industries=()), NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.UNVERIFIABLE
    # Not "none belongs to …": there is nothing to compare.
    assert str(verdict.check_reasons[0].message) == (
        "稅籍登記資料未載登記營業項目（行業代號），無法判斷是否屬於 J582 軟體出版業、"
        "J62 電腦程式設計、諮詢及相關服務業、J63 資訊服務業、K6699 第三方支付服務業，"
        "將由執行單位人工確認。"
    )


def test_evaluate_missing_from_registry_is_not_refused():
    verdict = evaluate(None, NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.UNVERIFIABLE
    assert [(r.code, r.severity) for r in verdict.reasons] == [("not_in_registry", Severity.CHECK)]
    assert verdict.startup_priority is False
    assert verdict.is_branch is None


def test_evaluate_missing_from_registry_but_suspended_is_not_eligible():
    lists = OperatorLists((ListMark("suspended", "重大違約"),))

    verdict = evaluate(None, lists, None, RULES)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE


def test_evaluate_unknown_founding_date_has_no_priority():
    verdict = evaluate(record(founded_on=None), NO_LISTS, None, RULES)

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert verdict.startup_priority is False
    assert str(verdict.reasons[-1].message) == "稅籍登記資料未載設立日期，無新創優先資格之依據。"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("suspended", "目前仍在停權期間，不符合申請資格。"),
        ("barred", "因違反算力平台使用規範，停權下次申請資格乙次，不符合申請資格。"),
        ("mainland_capital", "經查有陸資投資情形，不符合申請資格。"),
    ],
)
def test_evaluate_operator_list_blocks(kind, message):
    lists = OperatorLists((ListMark(kind, "依執行單位查核", datetime.date(2027, 6, 30)),))

    verdict = evaluate(record(), lists, None, RULES)

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert [r.code for r in verdict.blocking_reasons] == [f"list_{kind}"]
    assert str(verdict.blocking_reasons[0].message) == message
    assert verdict.blocking_reasons[0].evidence == {
        "list": kind,
        "reason": "依執行單位查核",
        "until": "2027-06-30",
    }


def test_evaluate_expired_list_entry_no_longer_blocks():
    lists = OperatorLists((ListMark("suspended", "x", datetime.date(2026, 11, 26)),))

    verdict = evaluate(record(), lists, None, RULES)

    assert verdict.status == VerdictStatus.ELIGIBLE
    assert verdict.reasons[-1].code == "list_suspended_expired"


def test_evaluate_list_entry_last_day_still_blocks():
    lists = OperatorLists((ListMark("barred", "x", datetime.date(2026, 11, 27)),))

    assert evaluate(record(), lists, None, RULES).status == VerdictStatus.NOT_ELIGIBLE


def test_evaluate_declarations():
    declared_ok = Declarations(True, True, True)
    declared_capital = Declarations(no_mainland_capital=False, no_major_breach=True)

    assert evaluate(record(), NO_LISTS, declared_ok, RULES).status == VerdictStatus.ELIGIBLE
    verdict = evaluate(record(), NO_LISTS, declared_capital, RULES)
    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert [r.code for r in verdict.blocking_reasons] == ["declared_no_mainland_capital"]


def test_evaluate_collects_every_reason():
    verdict = evaluate(
        record(
            head_office_ubn="48552728",
            industries=(Industry("259999", "未分類其他金屬製品製造"),),
        ),
        OperatorLists((ListMark("barred", "x"),)),
        None,
        RULES,
    )

    assert [r.code for r in verdict.blocking_reasons] == ["industry", "branch", "list_barred"]


def test_evaluate_messages_translate_to_english():
    verdict = evaluate(record(head_office_ubn="48552728"), NO_LISTS, None, RULES)

    with translation.override("en"):
        message = str(verdict.blocking_reasons[0].message)

    assert message == (
        "Branch offices may not apply (head office's unified business number: 48552728); "
        "the head office should apply."
    )


def test_evaluate_manufacturing_reason_names_the_groups_in_english_on_an_english_page():
    rules = CallRules(
        industries=(
            IndustryGroup("J582", "軟體出版業", ("5820",), "Software publishing"),
            IndustryGroup("J63", "資訊服務業", ("63",), "Information service activities"),
        ),
        startup_founded_on_or_after=datetime.date(2018, 1, 1),
        today=datetime.date(2026, 11, 27),
    )
    verdict = evaluate(
        record(industries=(Industry("259999", "未分類其他金屬製品製造"),)), NO_LISTS, None, rules
    )

    with translation.override("en"):
        english = str(verdict.blocking_reasons[0].message)
    chinese = str(verdict.blocking_reasons[0].message)

    assert english == (
        "None of the registered business items (industry codes) belongs to "
        "J582 Software publishing, J63 Information service activities."
    )
    assert chinese == "登記營業項目（行業代號）均不屬於 J582 軟體出版業、J63 資訊服務業。"
    assert verdict.blocking_reasons[0].evidence["required"] == "J582 軟體出版業、J63 資訊服務業"


def test_matched_industries_are_joined_in_the_language_the_reason_is_shown_in():
    industries = (Industry("620211", "系統整合"), Industry("582011", "遊戲軟體出版"))
    verdict = evaluate(record(industries=industries), NO_LISTS, None, RULES)

    with translation.override("en"):
        english = str(verdict.reasons[0].message)
    with translation.override("zh-hant"):
        chinese = str(verdict.reasons[0].message)

    assert english == (
        "Registered business items that qualify: 620211 系統整合, 582011 遊戲軟體出版"
    )
    assert chinese == "登記營業項目符合：620211 系統整合、582011 遊戲軟體出版"


def test_every_reason_names_its_rule():
    missing = evaluate(None, OperatorLists((ListMark("barred", "x"),)), None, RULES)
    declared = evaluate(record(legal_form="其他"), NO_LISTS, Declarations(False, True, True), RULES)

    topics = {r.code: str(r.topic) for r in (*missing.reasons, *declared.reasons)}

    assert topics == {
        "not_in_registry": "稅籍登記資料",
        "list_barred": "管制名單",
        "industry": "行業別（登記營業項目）",
        "legal_form": "組織別",
        "startup": "新創優先資格",
        "declared_no_mainland_capital": "企業聲明事項",
    }


def test_reason_dates_are_written_as_the_pages_language_writes_dates():
    startup = evaluate(record(), NO_LISTS, None, RULES).reasons[-1]
    expired = evaluate(
        record(),
        OperatorLists((ListMark("suspended", "x", datetime.date(2026, 11, 26)),)),
        None,
        RULES,
    ).reasons[-1]

    with translation.override("en"):
        english = (str(startup.message), str(expired.message))

    assert str(expired.message) == "管制名單期限已於 115年11月26日 屆滿，不再適用。"
    assert english == (
        "Founded on 2021-03-15, on or after 2018-01-01: start-up priority.",
        "The list entry expired on 2026-11-26 and no longer applies.",
    )


MANUFACTURING = (Industry("259999", "未分類其他金屬製品製造"),)
VERIFIED = ListMark("industry_verified", "115/10/20 公示查詢：另登記 I301010 資訊軟體服務業", None)


def test_the_operators_check_of_the_business_items_admits_a_company_the_data_set_refuses():
    refused = evaluate(record(industries=MANUFACTURING), NO_LISTS, None, RULES)
    verdict = evaluate(record(industries=MANUFACTURING), OperatorLists((VERIFIED,)), None, RULES)

    assert refused.status == VerdictStatus.NOT_ELIGIBLE
    assert verdict.status == VerdictStatus.ELIGIBLE
    industry = next(r for r in verdict.reasons if r.code == "industry")
    assert industry.severity == Severity.INFO
    assert "人工查核，符合資格：115/10/20 公示查詢" in str(industry.message)
    assert industry.evidence["verified_by_operator"] == VERIFIED.reason


def test_the_operators_check_admits_only_on_the_industry_rule_and_while_it_applies():
    expired = ListMark("industry_verified", "舊查核", datetime.date(2026, 11, 26))
    suspended = ListMark("suspended", "違規", None)

    lapsed = evaluate(record(industries=MANUFACTURING), OperatorLists((expired,)), None, RULES)
    branch = evaluate(
        record(industries=MANUFACTURING, head_office_ubn="48552728"),
        OperatorLists((VERIFIED,)),
        None,
        RULES,
    )
    listed = evaluate(
        record(industries=MANUFACTURING), OperatorLists((VERIFIED, suspended)), None, RULES
    )

    assert lapsed.status == VerdictStatus.NOT_ELIGIBLE
    assert ("branch", Severity.BLOCKING) in codes(branch)
    assert branch.status == VerdictStatus.NOT_ELIGIBLE
    assert codes(listed)[-1] == ("list_suspended", Severity.BLOCKING)


@pytest.mark.parametrize(
    ("kind", "zh", "en"),
    [
        (
            "major_breach",
            "最近3年內有執行政府計畫之重大違約紀錄，不符合申請資格。",
            "A major breach of a government project in the last 3 years is on record: "
            "not eligible.",
        ),
        (
            "serious_violation",
            "最近3年內有嚴重違反環境保護、勞工、食品安全衛生或身心障礙者權益保障相關法規之情事，"
            "不符合申請資格。",
            "A serious violation of environmental, labour, food-safety or disability-rights "
            "law in the last 3 years is on record: not eligible.",
        ),
    ],
)
def test_evaluate_the_programmes_three_year_conditions_as_operator_lists(kind, zh, en):
    lists = OperatorLists((ListMark(kind, "115/11/20 查證", datetime.date(2028, 5, 31)),))

    verdict = evaluate(record(), lists, None, RULES)
    after = evaluate(
        record(), lists, None, dataclasses.replace(RULES, today=datetime.date(2028, 6, 1))
    )

    assert verdict.status == VerdictStatus.NOT_ELIGIBLE
    assert [r.code for r in verdict.blocking_reasons] == [f"list_{kind}"]
    assert str(verdict.blocking_reasons[0].message) == zh
    with translation.override("en"):
        assert str(verdict.blocking_reasons[0].message) == en
    assert verdict.blocking_reasons[0].topic == "管制名單"
    assert after.status == VerdictStatus.ELIGIBLE


# The start-up priority as the staff see it: the tax data's 設立日期 with the applicant's
# declared 設立登記日期, read against the call's start-up date (2018-01-01).


def test_startup_priority_dates_on_both_sides_of_the_start_up_date_are_to_be_checked():
    since = datetime.date(2018, 1, 1)
    before, after = datetime.date(2009, 6, 1), datetime.date(2019, 3, 1)

    assert startup_priority(before, after, since).status == "check"
    assert startup_priority(after, before, since).status == "check"
    assert startup_priority(before, after, since).basis == "dates_disagree"


def test_startup_priority_without_a_tax_date_is_to_be_checked_whatever_was_declared():
    since = datetime.date(2018, 1, 1)

    assert startup_priority(None, datetime.date(2019, 3, 1), since).status == "check"
    assert startup_priority(None, datetime.date(2009, 3, 1), since).status == "check"
    assert startup_priority(None, None, since).basis == "no_registry_date"


def test_startup_priority_the_tax_date_decides_where_the_declared_one_agrees_or_is_missing():
    since = datetime.date(2018, 1, 1)

    assert startup_priority(since, datetime.date(2020, 1, 1), since).status == "yes"
    assert startup_priority(datetime.date(2017, 12, 31), None, since).status == "no"
    assert startup_priority(datetime.date(2021, 3, 15), None, since).status == "yes"
    assert startup_priority(datetime.date(2021, 3, 15), since, since, branch=True).status == "no"
