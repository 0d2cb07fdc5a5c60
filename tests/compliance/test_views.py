"""The operator's compliance pages: record a violation, decide it; who may see and do what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.accounts.models import User
from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.compliance import services
from aipower.compliance.enums import NoticeOutcome, Sanction, UsageRule
from aipower.compliance.models import InactivityNotice, Violation
from aipower.core.roc import format_roc_date
from aipower.grants import services as grants
from aipower.grants.models import AllowanceState
from tests.conftest import verified_client
from tests.grants.conftest import make_award
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration

DAY = datetime.timedelta(days=1)


@pytest.fixture
def allowance(call_115):
    return grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE))


@pytest.fixture
def operator_client(db):
    return verified_client(make_staff("op", "operator"))


def test_operator_records_a_violation_with_its_evidence(operator_client, allowance):
    today = timezone.localdate()

    response = operator_client.post(
        reverse("compliance:record"),
        {
            "award": allowance.award.pk,
            "rule": UsageRule.MAINLAND_IP,
            "occurred_on": today.isoformat(),
            "evidence": "  閘道紀錄 req-123 來源 1.36.0.1（香港）  ",
        },
    )

    violation = Violation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("compliance:detail", args=[violation.pk])
    assert (violation.rule, violation.occurred_on, violation.evidence) == (
        UsageRule.MAINLAND_IP,
        today,
        "閘道紀錄 req-123 來源 1.36.0.1（香港）",
    )
    assert (violation.recorded_by.username, violation.automatic) == ("op", False)


def test_record_form_has_the_labels_and_keeps_what_was_typed_on_error(operator_client, allowance):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = operator_client.post(
        reverse("compliance:record"),
        {"award": allowance.award.pk, "occurred_on": tomorrow.isoformat(), "evidence": "紀錄"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert not Violation.objects.exists()
    for label in ("核定結果", "違反之使用規範", "發生日期", "事證說明", "情節急迫"):
        assert f">{label}" in page
    assert "請選擇違反之使用規範。" in page
    assert "發生日期不得晚於今日。" in page
    assert f'value="{tomorrow.isoformat()}"' in page
    assert "紀錄</textarea>" in page


def test_operator_suspends_the_service_from_the_violation_page(operator_client, allowance):
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", urgent=False
    )
    url = reverse("compliance:detail", args=[violation.pk])

    page = operator_client.get(url).content.decode()
    response = operator_client.post(url, {"sanction": Sanction.SUSPEND, "note": "先行暫停"})

    assert 'value="terminate"' not in page  # a first, not urgent violation cannot be terminated
    assert response.status_code == 302
    allowance.refresh_from_db()
    violation.refresh_from_db()
    assert allowance.state == AllowanceState.SUSPENDED
    assert (violation.sanction, violation.decision_note) == (Sanction.SUSPEND, "先行暫停")


def test_a_service_that_is_over_is_not_offered_a_suspension(operator_client, allowance):
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )
    grants.expire(allowance)
    url = reverse("compliance:detail", args=[violation.pk])

    page = operator_client.get(url).content.decode()
    response = operator_client.post(url, {"sanction": Sanction.SUSPEND})

    assert 'value="suspend"' not in page and 'value="bar"' in page
    assert "此處分不適用於本案。" in response.content.decode()
    violation.refresh_from_db()
    assert violation.sanction == Sanction.PENDING
    assert not SentMail.objects.exists()


def test_bar_without_a_date_is_refused_next_to_the_field(operator_client, allowance):
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )

    response = operator_client.post(
        reverse("compliance:detail", args=[violation.pk]),
        {"sanction": Sanction.BAR, "bar_until": "", "note": "停權一次"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "請填寫停權期限。" in page
    assert "停權一次</textarea>" in page
    violation.refresh_from_db()
    assert violation.sanction == Sanction.PENDING


def test_terminate_is_refused_for_a_first_violation(operator_client, allowance):
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )

    response = operator_client.post(
        reverse("compliance:detail", args=[violation.pk]), {"sanction": Sanction.TERMINATE}
    )

    assert "此處分不適用於本案。" in response.content.decode()
    allowance.refresh_from_db()
    assert allowance.state == AllowanceState.ACTIVE


def test_organiser_reads_but_cannot_record_or_decide(db, allowance):
    client = verified_client(make_staff("org", "organiser"))
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )
    url = reverse("compliance:detail", args=[violation.pk])

    listing = client.get(reverse("compliance:index"))
    detail = client.get(url)
    recording = client.get(reverse("compliance:record"))
    deciding = client.post(url, {"sanction": Sanction.SUSPEND})

    assert listing.status_code == 200 and f"violation-{violation.pk}" in listing.content.decode()
    assert detail.status_code == 200 and "decide-form" not in detail.content.decode()
    assert recording.status_code == 403
    assert deciding.status_code == 302
    violation.refresh_from_db()
    assert violation.sanction == Sanction.PENDING


def test_reviewer_and_company_have_no_access(db, allowance):
    reviewer = verified_client(make_staff("rev", "reviewer"))
    company = verified_client(
        User.objects.create_user(username="c", role="company", company=allowance.company)
    )

    assert reviewer.get(reverse("compliance:index")).status_code == 403
    response = company.get(reverse("compliance:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_staff_home_links_to_the_violations_for_operator_only(db):
    operator = verified_client(make_staff("op", "operator"))
    reviewer = verified_client(make_staff("rev", "reviewer"))

    assert reverse("compliance:index") in operator.get(reverse("staff:home")).content.decode()
    assert reverse("compliance:index") not in reviewer.get(reverse("staff:home")).content.decode()


def test_pending_filter_lists_only_undecided_violations(operator_client, allowance):
    today = timezone.localdate()
    decided = services.record_violation(allowance.award, UsageRule.PROFIT, today, "a")
    services.decide(decided, Sanction.NONE, by=None)
    pending = services.record_violation(allowance.award, UsageRule.MAINLAND_IP, today, "b")

    page = operator_client.get(reverse("compliance:index") + "?pending=1").content.decode()

    assert "<title>違規紀錄 | AI算力平台</title>" in page
    assert f"violation-{pending.pk}" in page
    assert f"violation-{decided.pk}" not in page


def test_violations_page_states_the_sanctions_as_the_usage_rules_do(operator_client):
    """使用規範: 使用者於算力使用期間有上述任一情事者，本平台得判定暫停現有服務或停權下次申請資格
    乙次 — a violation during the period of use. The page said 「違規期間得暫停現有服務」 (during
    the violation), and left out 解除."""
    page = operator_client.get(reverse("compliance:index")).content.decode()
    operator_client.cookies["django_language"] = "en"
    english = operator_client.get(reverse("compliance:index")).content.decode()

    assert "違規期間" not in page
    assert (
        "算力使用期間有違反使用規範情事者，得暫停現有服務或停權下次申請資格乙次；"
        "累計違規兩次者列為情節重大，情節重大或急迫者得終止或解除算力服務。"
    ) in page
    assert "a violation during the period of use may lead to" in english


def test_operator_reinstates_a_suspended_service(operator_client, allowance):
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )
    services.decide(violation, Sanction.SUSPEND, by=None)
    url = reverse("compliance:detail", args=[violation.pk])
    assert 'id="reinstate"' in operator_client.get(url).content.decode()

    response = operator_client.post(reverse("compliance:reinstate", args=[violation.pk]))

    assert response.status_code == 302
    allowance.refresh_from_db()
    assert allowance.state == AllowanceState.ACTIVE
    page = operator_client.get(url).content.decode()
    assert "服務已恢復。" in page and 'id="reinstate"' not in page
    violation.refresh_from_db()
    at = timezone.localtime(violation.reinstated_at)
    lifted = f'id="violation-reinstated">op，{format_roc_date(at.date())} {at:%H:%M}</dd>'
    assert lifted in page
    assert SentMail.objects.filter(subject__contains="算力服務已恢復").count() == 1


def test_reinstating_a_service_that_is_not_suspended_is_refused(operator_client, allowance):
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )
    services.decide(violation, Sanction.BAR, by=None, bar_until=timezone.localdate() + DAY)

    response = operator_client.post(
        reverse("compliance:reinstate", args=[violation.pk]), follow=True
    )

    assert "此違規紀錄未暫停服務。" in response.content.decode()


def test_record_form_refuses_the_same_violation_twice(operator_client, allowance):
    today = timezone.localdate()
    first = services.record_violation(allowance.award, UsageRule.PROFIT, today, "挖礦程式")

    response = operator_client.post(
        reverse("compliance:record"),
        {
            "award": allowance.award.pk,
            "rule": UsageRule.PROFIT,
            "occurred_on": today.isoformat(),
            "evidence": "再記一次",
        },
    )

    assert response.status_code == 200
    assert f"此違規已記錄（違規紀錄 #{first.pk}）。" in response.content.decode()
    assert Violation.objects.count() == 1


def test_company_usage_page_shows_the_inactivity_notice_and_sanctions(allowance):
    company = verified_client(
        User.objects.create_user(username="c", role="company", company=allowance.company)
    )
    InactivityNotice.objects.create(
        allowance=allowance,
        sent_at=timezone.now(),
        idle_weeks=7,
        period_weeks=13,
        respond_by=timezone.localdate() + 3 * DAY,
    )
    pending = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "a"
    )
    suspended = services.record_violation(
        allowance.award, UsageRule.MAINLAND_IP, timezone.localdate(), "b"
    )
    services.decide(suspended, Sanction.SUSPEND, by=None)

    overview = company.get(reverse("grants:overview")).content.decode()
    detail = company.get(reverse("grants:detail", args=[allowance.pk])).content.decode()

    for page in (overview, detail):
        assert "算力已有 7 週未使用（核定使用期間共 13 週）" in page
        assert "違反使用規範第 2 點：暫停現有服務" in page
        # What rule 2 says, as the programme words it (the company saw only its number).
        rule = page.split(f'id="sanction-rule-{suspended.pk}">')[1].split("<")[0]
        assert rule == "透過任何方式串接本平台至中港澳之遠端IP位置使用之行為。"
        assert "違反使用規範第 1 點" not in page  # undecided: not shown to the company
    assert pending.sanction == Sanction.PENDING


def test_company_usage_page_says_until_when_it_is_barred_and_when_reinstated(allowance):
    operator = make_staff("op2", "operator")
    company = verified_client(
        User.objects.create_user(username="c", role="company", company=allowance.company)
    )
    today = timezone.localdate()
    barred = services.record_violation(allowance.award, UsageRule.PROFIT, today, "a")
    until = today + 200 * DAY
    services.decide(barred, Sanction.BAR, by=operator, bar_until=until)
    lifted = services.record_violation(allowance.award, UsageRule.MAINLAND_IP, today, "b")
    services.decide(lifted, Sanction.SUSPEND, by=operator)
    services.reinstate(lifted, by=operator)

    page = company.get(reverse("grants:detail", args=[allowance.pk])).content.decode()

    assert f"停權下次申請資格乙次（停權期間至 {format_roc_date(until)}，期間內不得申請）" in page
    assert f"暫停現有服務（已於 {format_roc_date(today)} 恢復服務）" in page


def test_a_violation_date_outside_the_period_of_use_is_refused(operator_client, allowance):
    before = allowance.award.starts_on - DAY

    response = operator_client.post(
        reverse("compliance:record"),
        {
            "award": allowance.award.pk,
            "rule": UsageRule.PROFIT,
            "occurred_on": before.isoformat(),
            "evidence": "挖礦程式",
        },
    )

    assert response.status_code == 200
    assert "發生日期須在核定使用期間內" in response.content.decode()
    assert not Violation.objects.exists()


def test_index_shows_the_watch_list_once(operator_client, allowance):
    page = operator_client.get(reverse("compliance:index")).content.decode()

    assert page.count('id="watch-title"') == 1
    assert page.count('id="watch-list"') == 1
    assert page.count("觀察名單目前沒有企業。") == 1


def test_recording_a_violation_says_so(operator_client, allowance):
    response = operator_client.post(
        reverse("compliance:record"),
        {
            "award": allowance.award.pk,
            "rule": UsageRule.PROFIT,
            "occurred_on": timezone.localdate().isoformat(),
            "evidence": "挖礦程式",
        },
        follow=True,
    )

    violation = Violation.objects.get()
    assert response.redirect_chain == [(reverse("compliance:detail", args=[violation.pk]), 302)]
    assert f"已記錄違規紀錄 #{violation.pk}。" in response.content.decode()


def test_deciding_a_sanction_asks_first_and_says_so(operator_client, allowance):
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )
    url = reverse("compliance:detail", args=[violation.pk])

    page = operator_client.get(url).content.decode()
    response = operator_client.post(url, {"sanction": Sanction.SUSPEND}, follow=True)

    question = "確定執行所選處分？處分確定後無法撤回；終止算力服務後亦無法恢復服務。"
    assert f'id="decide-form" data-confirm="{question}"' in page
    assert response.redirect_chain == [(url, 302)]
    assert "已確定處分：暫停現有服務。" in response.content.decode()


def test_record_form_shows_the_period_of_use_in_roc_dates(operator_client, allowance):
    from aipower.core.roc import format_roc_date

    award = allowance.award

    page = operator_client.get(reverse("compliance:record")).content.decode()

    period = f"{format_roc_date(award.starts_on)}–{format_roc_date(award.ends_on)}"
    assert f">公司10458575（10458575）模型推論類 {period}</option>" in page
    assert award.starts_on.isoformat() not in page


def _dd(html, term):
    """The <dd> after the <dt> ``term``."""
    return html.split(f"<dt>{term}</dt><dd>", 1)[1].split("</dd>", 1)[0]


def test_pages_in_english_write_company_and_rule_with_english_punctuation(
    operator_client, allowance
):
    award = allowance.award
    violation = services.record_violation(
        award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", urgent=False
    )
    operator_client.cookies["django_language"] = "en"

    form = operator_client.get(reverse("compliance:record")).content.decode()
    detail = operator_client.get(reverse("compliance:detail", args=[violation.pk])).content
    detail = detail.decode()

    period = f"{award.starts_on.isoformat()}–{award.ends_on.isoformat()}"
    assert f">公司10458575 (10458575) Model inference {period}</option>" in form
    assert _dd(detail, "Applicant company") == "公司10458575 (10458575)"
    assert _dd(detail, "Application category") == f"Model inference ({period})"
    rule = _dd(detail, "Rule violated")
    assert rule.startswith(f"Rule {UsageRule.PROFIT.value}: ")
    assert "：" not in rule


def test_pages_in_chinese_keep_full_width_punctuation(operator_client, allowance):
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式", urgent=False
    )

    detail = operator_client.get(reverse("compliance:detail", args=[violation.pk])).content
    detail = detail.decode()

    assert _dd(detail, "申請企業") == "公司10458575（10458575）"
    award = allowance.award
    period = f"{format_roc_date(award.starts_on)}–{format_roc_date(award.ends_on)}"
    assert _dd(detail, "申請類別") == f"模型推論類（{period}）"
    assert _dd(detail, "違反之使用規範") == (
        f"第 {UsageRule.PROFIT.value} 點：{UsageRule.PROFIT.label}"
    )


def test_a_violation_sent_after_the_sign_in_expired_is_recorded_after_the_next(
    operator_client, allowance
):
    from tests.sign_ins import expire, sign_in_again

    operator = User.objects.get(username="op")
    expire(operator_client, operator)

    sent = operator_client.post(
        reverse("compliance:record"),
        {
            "award": allowance.award.pk,
            "rule": UsageRule.MAINLAND_IP,
            "occurred_on": timezone.localdate().isoformat(),
            "evidence": "閘道紀錄 req-123 來源 1.36.0.1（香港）",
        },
    )
    sign_in_again(operator_client, operator)
    resumed = operator_client.get(reverse("compliance:record"))

    violation = Violation.objects.get()
    assert sent["Location"].startswith("/staff/login/?next=")
    assert resumed["Location"] == reverse("compliance:detail", args=[violation.pk])
    assert violation.evidence == "閘道紀錄 req-123 來源 1.36.0.1（香港）"


def test_an_inactivity_notice_the_rule_did_not_count_is_listed_for_the_operator(
    call_115, operator_client
):
    """The three days passed without use but the notice never left the outbox: the rule
    records no violation (it sets the notice aside). The compliance page lists it with why,
    and its 記錄違規 link fills the form in; once recorded, it leaves the list. (It vanished
    from every page: the open notices' table shows only those still being watched.)"""
    start = timezone.localdate() - 54 * DAY
    allowance = grants.open_allowance(
        make_award(call_115, "10458575", CategoryKind.INFERENCE, starts_on=start)
    )
    services.run(now=timezone.now() - 4 * DAY)  # the notice, four days ago
    notice = InactivityNotice.objects.get()
    SentMail.objects.filter(pk=notice.mail_id).update(status=SentMail.Status.QUEUED, sent_at=None)
    services.run()
    notice.refresh_from_db()
    organiser = verified_client(make_staff("org", "organiser"))

    page = operator_client.get(reverse("compliance:index")).content.decode()
    seen_by_organiser = organiser.get(reverse("compliance:index")).content.decode()
    form = operator_client.get(reverse("compliance:record") + f"?notice={notice.pk}")

    link = f"{reverse('compliance:record')}?notice={notice.pk}"
    row = page.split(f'id="lapsed-notice-{notice.pk}"')[1].split("</tr>")[0]
    assert "通知未送達專案聯絡人。" in row and link in row
    assert f'id="lapsed-notice-{notice.pk}"' in seen_by_organiser
    assert link not in seen_by_organiser
    initial = {name: form.context["form"][name].value() for name in form.context["form"].fields}
    assert initial["award"] == allowance.award.pk
    assert initial["rule"] == UsageRule.INACTIVITY
    assert initial["occurred_on"] == notice.respond_by + DAY
    assert initial["evidence"].startswith("未使用算力達 ")

    operator_client.post(
        reverse("compliance:record"),
        {
            "award": allowance.award.pk,
            "rule": UsageRule.INACTIVITY,
            "occurred_on": (notice.respond_by + DAY).isoformat(),
            "evidence": initial["evidence"],
        },
    )

    assert Violation.objects.get().rule == UsageRule.INACTIVITY
    after = operator_client.get(reverse("compliance:index")).content.decode()
    assert f'id="lapsed-notice-{notice.pk}"' not in after


def test_a_set_aside_notice_whose_three_days_end_on_the_periods_last_day_fills_in_that_day(
    call_115, operator_client
):
    """The form filled in from such a notice offered the day after the period, which the same
    form then refused (發生日期須在核定使用期間內)."""
    today = timezone.localdate()
    allowance = grants.open_allowance(
        make_award(
            call_115,
            "10458575",
            CategoryKind.INFERENCE,
            starts_on=today - 60 * DAY,
            ends_on=today - DAY,
        )
    )
    notice = InactivityNotice.objects.create(
        allowance=allowance,
        sent_at=timezone.now() - 4 * DAY,
        idle_weeks=7,
        period_weeks=8,
        respond_by=allowance.ends_on,
        outcome=NoticeOutcome.VOID,
        void_reason="通知未送達專案聯絡人。",
    )

    form = operator_client.get(reverse("compliance:record") + f"?notice={notice.pk}")
    initial = form.context["form"].initial
    response = operator_client.post(
        reverse("compliance:record"),
        {
            "award": allowance.award.pk,
            "rule": UsageRule.INACTIVITY,
            "occurred_on": initial["occurred_on"].isoformat(),
            "evidence": initial["evidence"],
        },
    )

    assert initial["occurred_on"] == allowance.ends_on
    assert response.status_code == 302
    assert Violation.objects.get().occurred_on == allowance.ends_on


def test_the_violations_download_as_a_csv_with_the_list_filter_and_an_audit_entry(
    operator_client, allowance
):
    """The list of violations leaves the system as the other staff lists do: a CSV (there was
    none: only the page), its cells formula-safe, the pending filter kept, the export audited;
    the organiser may download it, a reviewer may not."""
    import csv
    import io

    from aipower.core.models import AuditEntry

    operator = make_staff("op2", "operator")
    today = timezone.localdate()
    decided = services.record_violation(
        allowance.award, UsageRule.PROFIT, today, '=HYPERLINK("x")', by=operator
    )
    services.decide(decided, Sanction.SUSPEND, by=operator, note="暫停至改善")
    pending = services.record_violation(allowance.award, UsageRule.MAINLAND_IP, today, "香港")

    page = operator_client.get(reverse("compliance:index")).content.decode()
    response = operator_client.get(reverse("compliance:csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    only_pending = operator_client.get(reverse("compliance:csv") + "?pending=1")
    pending_rows = list(csv.reader(io.StringIO(only_pending.content.decode("utf-8-sig"))))

    assert f'href="{reverse("compliance:csv")}"' in page
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:6] == ["#", "申請企業", "統一編號", "申請類別", "違反之使用規範", "發生日期"]
    first, second = rows[1:]
    assert (first[0], first[2], first[4], first[5]) == (
        str(decided.pk),
        "10458575",
        "第 1 點",
        today.isoformat(),
    )
    assert first[6] == '\'=HYPERLINK("x")'
    decision = (first[8], first[10], first[11], first[12])
    assert decision == ("op2", "暫停現有服務", "暫停至改善", "op2")
    assert (second[0], second[4], second[10]) == (str(pending.pk), "第 2 點", "待處分")
    assert [row[0] for row in pending_rows[1:]] == [str(pending.pk)]
    exports = AuditEntry.objects.filter(action="compliance.exported").order_by("pk")
    exported = [(e.data.get("filter"), e.data.get("rows")) for e in exports]
    assert exported == [("", 2), ("pending", 1)]
    organiser = verified_client(make_staff("org", "organiser"))
    reviewer = verified_client(make_staff("rev", "reviewer"))
    assert organiser.get(reverse("compliance:csv")).status_code == 200
    assert reviewer.get(reverse("compliance:csv")).status_code == 403


def test_violation_pages_name_the_staff_by_name_not_their_sign_in_name(allowance):
    """The record (printed for the file), the list and the CSV said who recorded, decided and
    reinstated by sign-in name (``operator``) where the other staff pages give the person's
    name."""
    operator = User.objects.create_user(
        username="op-login-7", role="operator", first_name="王小明", password="x" * 12
    )
    client = verified_client(operator)
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦", by=operator
    )
    services.decide(violation, Sanction.SUSPEND, by=operator)
    services.reinstate(violation, by=operator)

    detail = client.get(reverse("compliance:detail", args=[violation.pk])).content.decode()
    index = client.get(reverse("compliance:index")).content.decode()
    exported = client.get(reverse("compliance:csv")).content.decode("utf-8-sig")

    for part in ("violation-recorded", "violation-decided", "violation-reinstated"):
        shown = detail.split(f'id="{part}">')[1].split("</dd>")[0]
        assert shown.startswith("王小明，"), part
    row = index.split(f'id="violation-{violation.pk}"')[1].split("</tr>")[0]
    assert "王小明" in row
    assert "op-login-7" not in detail + row + exported
    assert exported.count("王小明") == 2  # recorded by, decided by


def test_violations_and_open_notices_name_the_company_with_its_number(operator_client, allowance):
    """Two companies may share a name (a head office and its branch): the violations list and
    the open inactivity notices gave the name alone; now with the 統一編號, as the other
    tables of the page."""
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦"
    )
    notice = InactivityNotice.objects.create(
        allowance=allowance,
        sent_at=timezone.now(),
        idle_weeks=7,
        period_weeks=13,
        respond_by=timezone.localdate() + 3 * DAY,
    )

    page = operator_client.get(reverse("compliance:index")).content.decode()

    label = f"{allowance.company.name}（{allowance.company.ubn}）"
    for row_id in (f"violation-{violation.pk}", f"open-notice-{notice.pk}"):
        row = page.split(f'id="{row_id}"')[1].split("</tr>")[0]
        assert f"<td>{label}</td>" in row, row_id


def test_open_inactivity_notices_show_whether_their_mail_went_out(
    call_115, operator_client, settings
):
    """A notice whose mail failed can never become a violation (the rule sets it aside when
    its three days pass): the operator saw the open notice but not that it never reached the
    company. Each now shows its mail's result, linking to the mail log."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    start = timezone.localdate() - 50 * DAY
    grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE, starts_on=start))
    services.run()
    notice = InactivityNotice.objects.get()
    assert notice.mail.status == SentMail.Status.FAILED

    page = operator_client.get(reverse("compliance:index")).content.decode()

    row = page.split(f'id="open-notice-{notice.pk}"')[1].split("</tr>")[0]
    assert f'<a href="{reverse("mail_staff:detail", args=[notice.mail_id])}">寄送失敗</a>' in row
