"""The company's survey page (own rounds only, draft and 送出, errors by the field, read-only after
the due date), the dashboard link, and the staff pages (roles, opening and changing a round,
filters, print, CSV, one response)."""

import csv
import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.core.models import AuditEntry
from aipower.core.roc import format_roc_date
from aipower.followup import services
from aipower.followup.models import Response, ResponseVersion, Round

from .conftest import ANSWERS, cleaned, ended_allowance

pytestmark = pytest.mark.integration


def _signed_in(client, company_user, company):
    client.force_login(company_user(company))
    return client


def _url(round_):
    return f"/followup/{round_.pk}/"


# ---- the company's page ----


def test_company_page_shows_round_and_planned_figures(
    client, company_user, open_round, training_ended
):
    _signed_in(client, company_user, training_ended.company)

    response = client.get(_url(open_round))

    assert response.status_code == 200
    text = response.content.decode()
    assert "115年度產品化調查（第1次）" in text
    assert format_roc_date(open_round.due_on) in text
    assert "申請時預計產出模型：1 項" in text
    assert "申請時預計產出應用：2 項" in text
    assert '<label for="id_models_made">已產出模型（項）' in text
    assert 'value="in_development"' in text and "checked" in text


def test_company_page_shows_only_its_own_answers(
    client, company_user, open_round, training_ended, inference_ended
):
    [first, second] = services.standings(open_round)
    other = second if first.award.pk == training_ended.award_id else first
    services.submit(
        other, {**cleaned(), "product_name": "別家產品"}, by=company_user(other.allowance.company)
    )
    _signed_in(client, company_user, training_ended.company)

    response = client.get(_url(open_round))

    assert response.context["standing"].award.pk == training_ended.award_id
    assert "別家產品" not in response.content.decode()
    assert client.get("/followup/999999/").status_code == 404


def test_company_without_covered_award_gets_404(client, company_user, open_round, call_115):
    from aipower.calls.enums import CategoryKind
    from aipower.grants import services as grants
    from tests.grants.conftest import make_award

    allowance = grants.open_allowance(make_award(call_115, "22099131", CategoryKind.INFERENCE))
    _signed_in(client, company_user, allowance.company)

    assert client.get(_url(open_round)).status_code == 404


def test_round_not_opened_yet_is_404(client, company_user, call_115, operator, training_ended):
    today = timezone.localdate()
    round_ = services.open_round(
        call=call_115,
        title="t",
        opens_on=today + datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=9),
        by=operator,
    )
    _signed_in(client, company_user, training_ended.company)

    assert client.get(_url(round_)).status_code == 404


def test_company_page_requires_company_login(client, open_round):
    response = client.get(_url(open_round))

    assert response.status_code == 302


def test_draft_with_bad_input_is_saved_and_error_shown(
    client, company_user, open_round, training_ended
):
    _signed_in(client, company_user, training_ended.company)

    response = client.post(
        _url(open_round),
        {"action": "draft", "models_made": "兩個", "product_url": "http://x.example"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "請輸入以 https:// 開頭的有效網址" in text
    assert 'value="http://x.example"' in text
    assert Response.objects.get().draft["models_made"] == "兩個"
    assert ResponseVersion.objects.count() == 0


def test_draft_is_saved_and_shown_again(client, company_user, open_round, training_ended):
    _signed_in(client, company_user, training_ended.company)

    response = client.post(_url(open_round), {"action": "draft", "product_name": "客服小幫手"})
    page = client.get(_url(open_round))

    assert response.status_code == 302
    assert 'value="客服小幫手"' in page.content.decode()
    assert 'id="draft-pending"' in page.content.decode()


def test_submit_with_missing_answers_is_refused_by_the_field(
    client, company_user, open_round, training_ended
):
    _signed_in(client, company_user, training_ended.company)

    response = client.post(_url(open_round), {"action": "submit", "product_name": "客服"})

    assert response.status_code == 400
    assert "請填寫已產出模型（項）" in response.content.decode()
    assert ResponseVersion.objects.count() == 0
    assert Response.objects.get().draft["product_name"] == "客服"


def test_submit_creates_a_version_and_page_shows_it(
    client, company_user, open_round, training_ended
):
    _signed_in(client, company_user, training_ended.company)

    response = client.post(_url(open_round), {**ANSWERS, "action": "submit"}, follow=True)

    text = response.content.decode()
    assert "已送出產品化調查（第 1 版），謝謝。" in text
    assert 'id="followup-status">已填報' in text
    assert "中小型企業、政府單位/協會" in text
    assert ResponseVersion.objects.get().data == cleaned()


def test_resubmission_before_due_date_adds_a_version(
    client, company_user, open_round, training_ended
):
    _signed_in(client, company_user, training_ended.company)
    client.post(_url(open_round), {**ANSWERS, "action": "submit"})

    client.post(_url(open_round), {**ANSWERS, "paying_customers": "15", "action": "submit"})

    assert [v.data["paying_customers"] for v in ResponseVersion.objects.order_by("number")] == [
        12,
        15,
    ]


def test_after_due_date_the_page_is_read_only(client, company_user, open_round, training_ended):
    [standing] = services.standings(open_round)
    services.submit(standing, cleaned(), by=company_user(training_ended.company))
    Round.objects.filter(pk=open_round.pk).update(
        opens_on=timezone.localdate() - datetime.timedelta(days=40),
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    _signed_in(client, company_user, training_ended.company)

    page = client.get(_url(open_round))
    post = client.post(_url(open_round), {**ANSWERS, "action": "submit"})

    assert page.context["form"] is None
    assert "僅供檢視" in page.content.decode()
    assert post.status_code == 302
    assert ResponseVersion.objects.count() == 1


# ---- the dashboard link ----


def test_dashboard_link_names_the_open_round(open_round, training_ended):
    html = render_to_string(
        "followup/_dashboard_link.html", {"application": training_ended.award.application}
    )

    assert "115年度產品化調查（第1次）" in html
    assert f'href="/followup/{open_round.pk}/"' in html
    assert "前往填報產品化調查" in html


def test_dashboard_link_is_empty_without_an_open_round(training_ended):
    html = render_to_string(
        "followup/_dashboard_link.html", {"application": training_ended.award.application}
    )

    assert html.strip() == ""


# ---- staff pages ----


@pytest.mark.parametrize("role, status", [("operator", 200), ("organiser", 200), ("reviewer", 403)])
def test_staff_index_by_role(staff, open_round, role, status):
    client, _user = staff(role)

    assert client.get("/staff/followup/").status_code == status


def test_round_page_opens_when_whoever_opened_it_is_gone(staff, open_round, operator):
    operator.delete()  # the round keeps its opening time, its opener becomes unknown
    client, _user = staff("organiser")

    response = client.get(f"/staff/followup/{open_round.pk}/")

    assert response.status_code == 200
    assert "—（" in response.content.decode()


def test_round_page_names_whoever_opened_it(staff, open_round, operator):
    operator.first_name = "示範執行單位"
    operator.save()
    client, _user = staff("organiser")

    response = client.get(f"/staff/followup/{open_round.pk}/")

    assert "示範執行單位（" in response.content.decode()


def test_organiser_cannot_open_a_round(staff, call_115):
    client, _user = staff("organiser")

    assert client.get("/staff/followup/new/").status_code == 403


def test_operator_opens_a_round(staff, call_115, training_ended):
    client, user = staff("operator")
    today = timezone.localdate()

    response = client.post(
        "/staff/followup/new/",
        {
            "title": "115年度產品化調查（第1次）",
            "call": call_115.pk,
            "opens_on": today.isoformat(),
            "due_on": (today + datetime.timedelta(days=30)).isoformat(),
        },
    )

    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/followup/{round_.pk}/"
    assert round_.opened_by == user
    assert AuditEntry.objects.get(action="followup.round_opened").data["awards"] == 1


def test_operator_round_with_due_before_opening_is_refused_by_the_field(staff, call_115):
    client, _user = staff("operator")
    today = timezone.localdate()

    response = client.post(
        "/staff/followup/new/",
        {
            "title": "t",
            "call": call_115.pk,
            "opens_on": today.isoformat(),
            "due_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"due_on": ["填報截止日不可早於開放填報日"]}
    assert Round.objects.count() == 0


def test_a_second_round_of_the_same_name_in_a_call_is_refused_by_the_field(
    staff, call_115, open_round
):
    """The form sent again (the back button), or a round opened twice by mistake, made a
    second survey of the same title for the same call: the companies saw two alike and got
    each reminder twice. Refused now, with what was typed kept; renaming a round onto
    another's title too."""
    client, _user = staff("operator")
    today = timezone.localdate()
    data = {
        "title": " 115年度產品化調查（第1次） ",
        "call": call_115.pk,
        "opens_on": today.isoformat(),
        "due_on": (today + datetime.timedelta(days=30)).isoformat(),
    }

    response = client.post("/staff/followup/new/", data)
    second = client.post("/staff/followup/new/", {**data, "title": "115年度產品化調查（第2次）"})
    second_round = Round.objects.get(title="115年度產品化調查（第2次）")
    renamed = client.post(
        f"/staff/followup/{second_round.pk}/edit/",
        {
            "title": open_round.title,
            "opens_on": second_round.opens_on.isoformat(),
            "due_on": second_round.due_on.isoformat(),
        },
    )

    message = "此徵件已有同名的產品化調查，請改用其他名稱（例如「第2次」）"
    assert response.status_code == 400
    assert response.context["form"].errors == {"title": [message]}
    assert 'value=" 115年度產品化調查（第1次） "' in response.content.decode()  # as typed
    assert second.status_code == 302
    assert renamed.status_code == 400
    assert renamed.context["form"].errors == {"title": [message]}
    second_round.refresh_from_db()
    assert second_round.title == "115年度產品化調查（第2次）"
    assert Round.objects.count() == 2


def test_operator_extends_the_due_date(staff, open_round):
    client, _user = staff("operator")
    new_due = open_round.due_on + datetime.timedelta(days=7)

    response = client.post(
        f"/staff/followup/{open_round.pk}/edit/",
        {
            "title": open_round.title,
            "opens_on": open_round.opens_on.isoformat(),
            "due_on": new_due.isoformat(),
        },
    )

    open_round.refresh_from_db()
    assert response.status_code == 302
    assert open_round.due_on == new_due
    assert open_round.call_id is not None


def test_round_page_lists_awards_with_status_and_filters(
    staff, open_round, training_ended, inference_ended, company_user
):
    [first, _second] = services.standings(open_round)
    services.submit(first, cleaned(), by=company_user(first.allowance.company))
    client, _user = staff("organiser")

    everything = client.get(f"/staff/followup/{open_round.pk}/")
    submitted = client.get(f"/staff/followup/{open_round.pk}/?status=submitted")
    pending = client.get(f"/staff/followup/{open_round.pk}/?status=pending")

    assert len(everything.context["rows"]) == 2
    assert [r.award.pk for r in submitted.context["rows"]] == [first.award.pk]
    assert len(pending.context["rows"]) == 1
    text = everything.content.decode()
    assert "已填報（1）" in text and "未填報（1）" in text and "逾期（0）" in text
    assert "修改調查名稱或日期" not in text


def test_csv_export_guards_cells_and_is_audited(staff, open_round, training_ended, company_user):
    company = training_ended.company
    company.name = "=HYPERLINK(1)"
    company.save(update_fields=["name"])
    [standing] = services.standings(open_round)
    services.submit(
        standing, {**cleaned(), "notes": "+cmd"}, by=company_user(training_ended.company)
    )
    client, _user = staff("operator")

    response = client.get(f"/staff/followup/{open_round.pk}/export.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["申請編號", "企業名稱", "統一編號", "申請類別", "使用期間迄", "狀態"]
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][5] == "已填報"
    assert rows[1][8:10] == ["1", "2"]
    assert rows[1][-1] == "'+cmd"
    assert AuditEntry.objects.get(action="followup.exported").data == {"filter": "", "rows": 1}


def test_print_page_is_audited(staff, open_round, training_ended):
    client, _user = staff("operator")

    response = client.get(f"/staff/followup/{open_round.pk}/print/?status=pending")

    assert response.status_code == 200
    assert "篩選：未填報" in response.content.decode()
    assert AuditEntry.objects.get(action="followup.printed").data == {
        "filter": "pending",
        "rows": 1,
    }


def test_response_page_shows_versions_and_is_audited(
    staff, open_round, training_ended, company_user
):
    [standing] = services.standings(open_round)
    user = company_user(training_ended.company)
    services.submit(standing, cleaned(), by=user)
    services.submit(standing, {**cleaned(), "product_name": "客服大幫手"}, by=user)
    client, _user = staff("organiser")

    response = client.get(f"/staff/followup/{open_round.pk}/{training_ended.award_id}/")

    text = response.content.decode()
    assert "第 2 版" in text and "第 1 版" in text
    assert text.index("客服大幫手") < text.index("客服小幫手")
    assert AuditEntry.objects.get(action="followup.response_viewed").data == {
        "award": training_ended.award_id,
        "versions": 2,
    }


def test_response_page_of_uncovered_award_is_404(staff, open_round):
    client, _user = staff("operator")

    assert client.get(f"/staff/followup/{open_round.pk}/999999/").status_code == 404


def test_company_page_and_errors_in_english(client, company_user, open_round, training_ended):
    _signed_in(client, company_user, training_ended.company)
    client.cookies["django_language"] = "en"

    response = client.post(_url(open_round), {"action": "draft", "product_url": "http://x.example"})

    text = response.content.decode()
    assert "Models produced (count)" in text
    assert "Models planned in the application: 1" in text
    assert "Save draft" in text
    assert response.context["form"].errors["product_url"] == [
        "Enter a valid address starting with https://"
    ]


def test_company_page_in_english_writes_the_periods_with_english_punctuation(
    client, company_user, open_round, training_ended
):
    _signed_in(client, company_user, training_ended.company)
    client.cookies["django_language"] = "en"

    text = client.get(_url(open_round)).content.decode()

    use = f"{training_ended.starts_on.isoformat()}–{training_ended.ends_on.isoformat()}"
    assert f"<td>Model training ({use})</td>" in text
    assert f"<td>{open_round.opens_on.isoformat()}–{open_round.due_on.isoformat()} (" in text
    assert "－" not in text


def _row(html, header):
    """The <td> of the table row headed ``header``."""
    return html.split(f'<th scope="row">{header}</th><td>', 1)[1].split("</td>", 1)[0]


def test_staff_pages_in_english_write_opener_and_company_with_english_parentheses(
    staff, open_round, training_ended, client, company_user
):
    company = training_ended.company
    staff_client, _user = staff("organiser")
    staff_client.cookies["django_language"] = "en"
    _signed_in(client, company_user, company)
    client.cookies["django_language"] = "en"

    round_page = staff_client.get(f"/staff/followup/{open_round.pk}/").content.decode()
    response_page = staff_client.get(
        f"/staff/followup/{open_round.pk}/{training_ended.award.pk}/"
    ).content.decode()
    survey = client.get(_url(open_round)).content.decode()

    opened = _row(round_page, "Opened by")
    assert opened.startswith("operator-1 (") and opened.endswith(")")
    assert "（" not in opened
    assert f"<h1>{company.name} ({company.ubn})</h1>" in response_page
    assert _row(survey, "Applicant company") == f"{company.name} ({company.ubn})"


def test_staff_pages_in_chinese_keep_full_width_parentheses(
    staff, open_round, training_ended, client, company_user
):
    company = training_ended.company
    staff_client, _user = staff("organiser")
    _signed_in(client, company_user, company)

    round_page = staff_client.get(f"/staff/followup/{open_round.pk}/").content.decode()
    response_page = staff_client.get(
        f"/staff/followup/{open_round.pk}/{training_ended.award.pk}/"
    ).content.decode()
    survey = client.get(_url(open_round)).content.decode()

    assert _row(round_page, "開啟者").startswith("operator-1（")
    assert _row(round_page, "開啟者").endswith("）")
    assert f"<h1>{company.name}（{company.ubn}）</h1>" in response_page
    assert _row(survey, "申請企業") == f"{company.name}（{company.ubn}）"


def test_a_draft_sent_after_the_sign_in_expired_is_saved_after_the_next(
    client, company_user, open_round, training_ended
):
    from tests.sign_ins import expire, sign_in_again

    user = company_user(training_ended.company)
    client.force_login(user)
    expire(client, user)

    sent = client.post(_url(open_round), {"action": "draft", "product_name": "客服小幫手"})
    sign_in_again(client, user)
    resumed = client.get(_url(open_round))

    assert sent["Location"].startswith("/login/?next=")
    assert resumed.status_code == 302  # saved, as 「儲存草稿」 does
    assert 'value="客服小幫手"' in client.get(_url(open_round)).content.decode()


def test_the_same_answers_sent_again_make_no_second_version(
    client, company_user, open_round, training_ended
):
    """The back button after 送出 (or a second click, or another tab) sends the same answers
    again: one version, one audit entry, and the page says it was already sent."""
    _signed_in(client, company_user, training_ended.company)
    client.post(_url(open_round), {**ANSWERS, "action": "submit"}, follow=True)

    again = client.post(_url(open_round), {**ANSWERS, "action": "submit"}, follow=True)

    assert "產品化調查第 1 版已送出，本次內容相同，未重複送出。" in again.content.decode()
    assert ResponseVersion.objects.count() == 1
    assert AuditEntry.objects.filter(action="followup.submitted").count() == 1


def test_response_page_lists_the_reminders_the_company_was_sent(staff, call_115, operator):
    """Before chasing a company that has not answered, the operator sees which reminders of
    this round it was sent, when, to whom and whether the mail went out (the page said
    nothing of them)."""
    from aipower.applications.models import SentMail
    from aipower.followup import reminders
    from aipower.followup.models import Notice

    allowance = ended_allowance(call_115, "12345675", CategoryKind.TRAINING, days_ago=60)
    today = timezone.localdate()
    round_ = services.open_round(
        call=call_115,
        title="115年度產品化調查（第1次）",
        opens_on=today - datetime.timedelta(days=25),
        due_on=today + datetime.timedelta(days=5),
        by=operator,
    )
    client, _user = staff("operator")
    url = reverse("followup_staff:response", args=[round_.pk, allowance.award_id])
    before = client.get(url).content.decode()

    reminders.run()

    notice = Notice.objects.get(round=round_, award=allowance.award)
    page = client.get(url).content.decode()
    row = page.split(f'id="notice-{notice.pk}"')[1].split("</tr>")[0]
    assert "尚未寄送填報期限將屆或逾期通知。" in before
    assert "產品化調查填報期限將屆" in row
    assert f'href="{reverse("mail_staff:detail", args=[notice.mail_id])}"' in row
    assert SentMail.objects.get(pk=notice.mail_id).get_status_display() in row
    assert notice.mail.to and all(address in row for address in notice.mail.to)
