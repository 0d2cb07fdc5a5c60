"""The company's page (own awards only, upload or link, errors by the field) and the staff
pages (roles, filters, download, attendance, print, CSV)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.core.models import AuditEntry
from aipower.core.roc import format_roc_date
from aipower.deliverables import services
from aipower.deliverables.enums import Item
from aipower.deliverables.models import DemoAttendance, Submission
from aipower.grants import services as grants
from tests.grants.conftest import make_award

from .conftest import PDF, ended_allowance, upload

pytestmark = pytest.mark.integration


def _field(allowance, item, name):
    return f"a{allowance.award_id}-{item}-{name}"


def _signed_in(client, company_user, company):
    client.force_login(company_user(company))
    return client


# ---- the company's page ----


def test_company_page_lists_ended_award_with_roc_due_date(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    response = client.get("/deliverables/")

    assert response.status_code == 200
    text = response.content.decode()
    assert format_roc_date(inference_ended.ends_on + datetime.timedelta(days=30)) in text
    for label in ("結案報告", "成果簡報", "產品demo影片"):
        assert label in text
    assert f'action="/deliverables/{inference_ended.award_id}/report/"' in text


def test_company_page_omits_award_still_in_its_period(client, company_user, call_115):
    allowance = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    _signed_in(client, company_user, allowance.company)

    response = client.get("/deliverables/")

    assert response.context["rows"] == []
    assert "目前沒有需繳交成果的核定案" in response.content.decode()


def test_company_page_requires_company_login(client):
    response = client.get("/deliverables/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_company_uploads_a_file_and_downloads_it(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    response = client.post(
        f"/deliverables/{inference_ended.award_id}/report/",
        {_field(inference_ended, "report", "file"): upload("結案報告.pdf")},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/deliverables/#item-{inference_ended.award_id}-report"
    submission = Submission.objects.get()
    assert (submission.item, submission.original_name) == ("report", "結案報告.pdf")
    download = client.get(f"/deliverables/files/{submission.pk}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF
    page = client.get("/deliverables/").content.decode()
    assert "結案報告.pdf" in page
    assert "已繳交" in page


def test_company_submits_a_link(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    client.post(
        f"/deliverables/{inference_ended.award_id}/video/",
        {_field(inference_ended, "video", "link"): " https://youtu.be/demo "},
    )

    assert Submission.objects.get().link == "https://youtu.be/demo"


def test_company_bad_link_shows_error_by_the_field_and_keeps_it(
    client, company_user, inference_ended
):
    _signed_in(client, company_user, inference_ended.company)
    name = _field(inference_ended, "video", "link")

    response = client.post(
        f"/deliverables/{inference_ended.award_id}/video/", {name: "http://example.com/v"}
    )

    assert response.status_code == 200
    form = next(s.form for s in response.context["rows"][0].items if s.item == Item.VIDEO)
    assert form.errors == {"link": ["請輸入以 https:// 開頭的有效網址"]}
    text = response.content.decode()
    assert 'value="http://example.com/v"' in text
    assert Submission.objects.count() == 0


def test_company_bad_file_type_error_in_english(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)
    client.cookies["django_language"] = "en"

    response = client.post(
        f"/deliverables/{inference_ended.award_id}/report/",
        {_field(inference_ended, "report", "file"): upload("report.pdf", b"not a pdf")},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    form = response.context["rows"][0].items[0].form
    assert form.errors["file"][0].startswith("The file does not match its extension PDF")


def test_company_nothing_given_asks_for_one(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    response = client.post(f"/deliverables/{inference_ended.award_id}/slides/", {})

    form = response.context["rows"][0].items[1].form
    assert form.errors == {"file": ["請上傳檔案或填寫連結網址（擇一）"]}


def test_company_both_given_is_refused(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    response = client.post(
        f"/deliverables/{inference_ended.award_id}/slides/",
        {
            _field(inference_ended, "slides", "file"): upload("slides.pptx"),
            _field(inference_ended, "slides", "link"): "https://example.com/s",
        },
    )

    form = response.context["rows"][0].items[1].form
    assert form.errors == {"link": ["請擇一：上傳檔案或填寫連結網址，不可同時提供"]}
    assert Submission.objects.count() == 0


def test_company_cannot_submit_for_another_companys_award(
    client, company_user, inference_ended, training_ended
):
    _signed_in(client, company_user, inference_ended.company)

    response = client.post(
        f"/deliverables/{training_ended.award_id}/report/",
        {_field(training_ended, "report", "link"): "https://example.com/r"},
    )

    assert response.status_code == 404
    assert Submission.objects.count() == 0


def test_company_cannot_download_another_companys_file(
    client, company_user, inference_ended, training_ended
):
    other = services.submit(
        training_ended,
        Item.REPORT,
        by=company_user(training_ended.company),
        upload=upload("r.pdf"),
    )
    _signed_in(client, company_user, inference_ended.company)

    assert client.get(f"/deliverables/files/{other.pk}/").status_code == 404


def test_company_cannot_submit_before_the_period_ends(client, company_user, call_115):
    allowance = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    _signed_in(client, company_user, allowance.company)

    response = client.post(
        f"/deliverables/{allowance.award_id}/report/",
        {_field(allowance, "report", "link"): "https://example.com/r"},
    )

    assert response.status_code == 404


def test_company_unknown_item_is_404(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    response = client.post(f"/deliverables/{inference_ended.award_id}/poster/", {})

    assert response.status_code == 404


def test_dashboard_points_to_the_deliverables_page(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    text = client.get("/apply/dashboard/").content.decode()

    assert 'href="/deliverables/"' in text
    assert "前往成果繳交" in text


def test_dashboard_has_no_link_during_the_period(client, company_user, call_115):
    allowance = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    _signed_in(client, company_user, allowance.company)

    text = client.get("/apply/dashboard/").content.decode()

    assert "前往成果繳交" not in text


def test_dashboard_of_a_service_used_up_early_does_not_say_the_period_is_over(
    client, company_user, call_115
):
    """Points used up before the period's end: 視同為服務結束, and the deliverables open; the
    period of use still runs, so the dashboard no longer says 使用期間已結束."""
    from aipower.grants.models import AllowanceState

    allowance = grants.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    grants.set_state(allowance, AllowanceState.EXHAUSTED)
    _signed_in(client, company_user, allowance.company)

    text = client.get("/apply/dashboard/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/apply/dashboard/").content.decode()

    due = format_roc_date(services.due_on(allowance))
    assert "使用期間已結束" not in text
    assert f"算力服務已結束，請於 {due} 前繳交結案報告、成果簡報及產品demo影片。" in text
    assert "Your period of use is over" not in english
    assert "Your compute service has ended: please submit" in english


def test_dashboard_links_each_of_two_awards_due_at_once_under_its_own_id(
    client, company_user, call_115, monkeypatch
):
    from tests.applications.two_calls import seed_next_call

    inference = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE)
    call_116 = seed_next_call(monkeypatch, is_open=False)
    training = ended_allowance(call_116, "12345675", CategoryKind.TRAINING)
    _signed_in(client, company_user, inference.company)

    text = client.get("/apply/dashboard/").content.decode()

    assert text.count('id="deliverables-link') == 2
    assert f'id="deliverables-link-{inference.award_id}"' in text
    assert f'id="deliverables-link-{training.award_id}"' in text


# ---- the staff pages ----


@pytest.mark.parametrize(("role", "status"), [("operator", 200), ("organiser", 200)])
def test_staff_list_for_viewers(staff, inference_ended, role, status):
    client, _user = staff(role)

    response = client.get("/staff/deliverables/")

    assert response.status_code == status
    assert [ob.allowance for ob in response.context["rows"]] == [inference_ended]


def test_staff_list_refused_to_reviewers(staff, inference_ended):
    client, _user = staff("reviewer")

    assert client.get("/staff/deliverables/").status_code == 403
    assert client.get(f"/staff/deliverables/{inference_ended.award_id}/").status_code == 403


def test_staff_list_refused_to_companies(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    response = client.get("/staff/deliverables/")

    assert response.status_code == 302


def test_staff_list_overdue_filter_in_english(staff, training_ended):
    client, _operator = staff("operator")
    client.cookies["django_language"] = "en"

    text = client.get("/staff/deliverables/").content.decode()

    # Not the review's 逾期 of a supplement ("expired"): the catalogues share one msgid space.
    assert ">Overdue (0)</a>" in text


def test_staff_list_filters_overdue_and_incomplete(staff, call_115, company_user):
    overdue = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=40)
    complete = ended_allowance(call_115, "04595257", CategoryKind.TRAINING, days_ago=40)
    pending = ended_allowance(call_115, "10458575", CategoryKind.INFERENCE, days_ago=2)
    user = company_user(complete.company)
    for item in Item:
        services.submit(complete, item, by=user, link=f"https://example.com/{item}")
    client, _user = staff("operator")

    def listed(status):
        response = client.get("/staff/deliverables/", {"status": status})
        return [ob.allowance for ob in response.context["rows"]]

    assert listed("overdue") == [overdue]
    assert listed("incomplete") == [overdue, pending]
    assert listed("") == [complete, overdue, pending]
    text = client.get("/staff/deliverables/", {"status": "overdue"}).content.decode()
    assert "逾期未繳齊" in text


def test_staff_list_finds_a_company_by_name_number_or_application_and_keeps_the_search(
    staff, call_115
):
    """With hundreds of awards over pages of 50, the operator looking for one company had only
    the pages to leaf through: the list now searches the name, the 統一編號 (typed with
    full-width digits or hyphens too) and the application number; the filters count within the
    search and keep it, and so do the printable list and the CSV (their audit entries say
    what was searched)."""
    overdue = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=40)
    pending = ended_allowance(call_115, "10458575", CategoryKind.INFERENCE, days_ago=2)
    other = ended_allowance(call_115, "04595257", CategoryKind.TRAINING, days_ago=2)
    type(overdue.company).objects.filter(pk=overdue.company_id).update(name="晴空測試股份有限公司")
    client, _user = staff("operator")

    def listed(**query):
        response = client.get("/staff/deliverables/", query)
        return [ob.allowance for ob in response.context["rows"]], response

    assert listed(q="晴空")[0] == [overdue]
    assert listed(q="－")[0] == []  # a full-width hyphen alone matches no 統一編號
    assert listed(q="１０４５-８５７５")[0] == [pending]
    number = other.award.application.number
    assert listed(q=number.lower())[0] == [other]
    rows, response = listed(q="5", status="overdue")
    assert rows == [overdue]
    html = response.content.decode()
    assert "全部（3）" in html and "逾期（1）" in html and "未繳齊（3）" in html
    rows, response = listed(q="晴空")
    html = response.content.decode()
    assert "全部（1）" in html and "逾期（1）" in html and "未繳齊（1）" in html
    assert 'href="?status=incomplete&amp;q=%E6%99%B4%E7%A9%BA"' in html
    assert 'value="晴空"' in html
    assert 'href="/staff/deliverables/export.csv?status=&amp;q=%E6%99%B4%E7%A9%BA"' in html

    exported = client.get("/staff/deliverables/export.csv", {"q": "晴空"})
    csv_text = exported.content.decode("utf-8-sig")
    printed = client.get("/staff/deliverables/print/", {"q": "晴空"}).content.decode()

    assert [line.split(",")[2] for line in csv_text.strip().splitlines()[1:]] == ["12345675"]
    assert printed.count('<tr id="row-') == 1 and "查詢：晴空" in printed
    searched = AuditEntry.objects.filter(
        action__in=["deliverables.exported", "deliverables.printed"]
    ).values_list("data", flat=True)
    assert [entry.get("search") for entry in searched] == ["晴空", "晴空"]


def test_staff_sees_submitted_items_and_downloads_audited(staff, inference_ended, company_user):
    submission = services.submit(
        inference_ended,
        Item.REPORT,
        by=company_user(inference_ended.company),
        upload=upload("結案報告.pdf"),
    )
    client, operator = staff("organiser")

    page = client.get(f"/staff/deliverables/{inference_ended.award_id}/")
    download = client.get(f"/staff/deliverables/files/{submission.pk}/")

    assert "結案報告.pdf" in page.content.decode()
    assert page.context["form"] is None
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    entry = AuditEntry.objects.get(action="deliverables.downloaded")
    assert (entry.actor, entry.object_id) == (operator, str(submission.pk))


def test_staff_detail_names_the_submitting_company_not_its_username(
    staff, inference_ended, company_user
):
    services.submit(
        inference_ended,
        Item.REPORT,
        by=company_user(inference_ended.company),
        link="https://example.com/report",
    )
    client, _operator = staff("operator")

    text = client.get(f"/staff/deliverables/{inference_ended.award_id}/").content.decode()

    assert "<td>公司12345675</td>" in text
    assert "company-12345675" not in text


def test_staff_detail_names_a_submitter_without_company_by_full_name(staff, inference_ended):
    from aipower.accounts.models import User

    helper = User.objects.create_user(
        username="op-wang", role="operator", first_name="小明", last_name="王"
    )
    services.submit(inference_ended, Item.REPORT, by=helper, link="https://example.com/r")
    client, _operator = staff("operator")

    text = client.get(f"/staff/deliverables/{inference_ended.award_id}/").content.decode()

    assert "<td>小明 王</td>" in text
    assert "op-wang" not in text


def test_operator_records_attendance(staff, training_ended):
    client, operator = staff("operator")
    day = timezone.localdate()

    response = client.post(
        f"/staff/deliverables/{training_ended.award_id}/attendance/",
        {"attended": "yes", "meeting_on": day.isoformat(), "note": "準時出席"},
    )

    assert response.status_code == 302
    row = DemoAttendance.objects.get()
    assert (row.attended, row.meeting_on, row.note, row.recorded_by) == (
        True,
        day,
        "準時出席",
        operator,
    )
    assert AuditEntry.objects.filter(action="deliverables.demo_attendance").count() == 1
    listing = client.get("/staff/deliverables/").content.decode()
    assert "出席" in listing


def test_operator_attendance_form_errors_by_the_field(staff, training_ended):
    client, _operator = staff("operator")

    response = client.post(
        f"/staff/deliverables/{training_ended.award_id}/attendance/",
        {"attended": "yes", "meeting_on": "not a date", "note": "x"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "meeting_on": ["會議日期請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）"]
    }
    assert DemoAttendance.objects.count() == 0


@pytest.mark.parametrize(
    ("when", "error"),
    [("before", "會議日期不可早於使用期間起日"), ("tomorrow", "會議日期不可晚於今天")],
)
def test_operator_attendance_date_outside_the_award_is_refused(staff, training_ended, when, error):
    client, _operator = staff("operator")
    day = (
        training_ended.starts_on - datetime.timedelta(days=1)
        if when == "before"
        else timezone.localdate() + datetime.timedelta(days=1)
    )

    response = client.post(
        f"/staff/deliverables/{training_ended.award_id}/attendance/",
        {"attended": "yes", "meeting_on": day.isoformat(), "note": "x"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"meeting_on": [error]}
    assert DemoAttendance.objects.count() == 0


def test_organiser_cannot_record_attendance(staff, training_ended):
    client, _user = staff("organiser")

    response = client.post(
        f"/staff/deliverables/{training_ended.award_id}/attendance/",
        {"attended": "yes", "meeting_on": "2026-12-01"},
    )

    assert response.status_code == 403
    assert DemoAttendance.objects.count() == 0


def test_attendance_not_for_inference_awards(staff, inference_ended):
    client, _user = staff("operator")

    response = client.post(
        f"/staff/deliverables/{inference_ended.award_id}/attendance/",
        {"attended": "yes", "meeting_on": "2026-12-01"},
    )

    assert response.status_code == 404


def test_staff_csv_export(staff, training_ended, company_user):
    services.submit(
        training_ended,
        Item.VIDEO,
        by=company_user(training_ended.company),
        link="https://youtu.be/d",
    )
    client, _user = staff("operator")

    response = client.get("/staff/deliverables/export.csv", {"status": "incomplete"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="deliverables-')
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "申請編號,企業名稱,統一編號,申請類別,使用期間迄,繳交期限,狀態,"
        "結案報告,成果簡報,產品demo影片,產品demo會議"
    )
    row = lines[1].split(",")
    assert row[2] == "04595257"
    assert row[5] == (training_ended.ends_on + datetime.timedelta(days=30)).isoformat()
    assert row[6:9] == ["待繳交", "未繳交", "未繳交"]
    assert row[9].startswith("已繳交 ")
    assert row[10] == "未登錄"
    assert AuditEntry.objects.filter(action="deliverables.exported").count() == 1


def test_staff_printable_list(staff, inference_ended):
    client, _user = staff("organiser")

    response = client.get("/staff/deliverables/print/", {"status": "overdue"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "成果繳交清單" in text
    assert "篩選：逾期" in text
    assert response.context["rows"] == []
    entry = AuditEntry.objects.get(action="deliverables.printed")
    assert (entry.actor, entry.data["filter"]) == (_user, "overdue")


def test_company_body_over_the_limit_is_refused_unread(
    client, company_user, inference_ended, settings
):
    settings.DELIVERABLES_MAX_DOCUMENT_BYTES = 1024 * 1024
    _signed_in(client, company_user, inference_ended.company)

    response = client.post(
        f"/deliverables/{inference_ended.award_id}/report/",
        {_field(inference_ended, "report", "file"): upload("big.pdf", PDF + b"0" * 1_200_000)},
    )

    assert response.status_code == 413
    form = response.context["rows"][0].items[0].form
    assert form.errors == {"file": ["檔案大小超過上限 1 MB"]}
    assert Submission.objects.count() == 0


def test_company_submit_checks_csrf(company_user, inference_ended):
    client = Client(enforce_csrf_checks=True)
    client.force_login(company_user(inference_ended.company))

    response = client.post(
        f"/deliverables/{inference_ended.award_id}/video/",
        {_field(inference_ended, "video", "link"): "https://youtu.be/demo"},
    )

    assert response.status_code == 403
    assert Submission.objects.count() == 0


def test_company_page_in_english(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)
    client.cookies["django_language"] = "en"

    text = client.get("/deliverables/").content.decode()

    for phrase in ("Deliverables", "Due date", "Final report", "Results presentation"):
        assert phrase in text
    assert "Product demo video" in text
    assert "(25 days left)" in text
    assert (inference_ended.ends_on + datetime.timedelta(days=30)).isoformat() in text


def test_files_past_the_awards_storage_limit_are_refused_next_to_the_field(
    client, company_user, inference_ended, settings, private_root
):
    _signed_in(client, company_user, inference_ended.company)
    first = upload("結案報告.pdf")
    settings.DELIVERABLES_MAX_AWARD_BYTES = first.size + 10  # room for one file
    client.post(
        f"/deliverables/{inference_ended.award_id}/report/",
        {_field(inference_ended, "report", "file"): first},
    )

    response = client.post(
        f"/deliverables/{inference_ended.award_id}/report/",
        {_field(inference_ended, "report", "file"): upload("結案報告v2.pdf")},
    )

    assert response.status_code == 200
    assert "本案已上傳之檔案合計將超過上限" in response.content.decode()
    assert Submission.objects.filter(award_id=inference_ended.award_id).count() == 1
    assert len([p for p in private_root.rglob("*") if p.is_file()]) == 1


def test_company_page_heading_in_english_uses_english_punctuation(
    client, company_user, inference_ended
):
    _signed_in(client, company_user, inference_ended.company)
    client.cookies["django_language"] = "en"

    text = client.get("/deliverables/").content.decode()

    period = f"{inference_ended.starts_on.isoformat()}–{inference_ended.ends_on.isoformat()}"
    assert f'-title">Model inference ({period})</h2>' in text


def test_company_page_in_english_gives_the_file_size_in_ordinary_parentheses(
    client, company_user, inference_ended
):
    _signed_in(client, company_user, inference_ended.company)
    client.post(
        f"/deliverables/{inference_ended.award_id}/report/",
        {_field(inference_ended, "report", "file"): upload("final.pdf")},
    )
    client.cookies["django_language"] = "en"

    page = client.get("/deliverables/").content.decode()

    assert f'<span class="muted small">({len(PDF)}\xa0bytes)</span>' in page


def _row(html, header):
    """The <td> of the table row headed ``header``."""
    return html.split(f'<th scope="row">{header}</th><td>', 1)[1].split("</td>", 1)[0]


def test_pages_in_english_write_company_period_and_attendance_with_english_parentheses(
    client, staff, company_user, training_ended
):
    staff_client, _operator = staff("operator")
    day = timezone.localdate()
    staff_client.post(
        f"/staff/deliverables/{training_ended.award_id}/attendance/",
        {"attended": "yes", "meeting_on": day.isoformat(), "note": ""},
    )
    staff_client.cookies["django_language"] = "en"
    _signed_in(client, company_user, training_ended.company)
    client.cookies["django_language"] = "en"

    detail = staff_client.get(f"/staff/deliverables/{training_ended.award_id}/").content.decode()
    overview = client.get("/deliverables/").content.decode()

    company = training_ended.company
    assert f"<h1>{company.name} ({company.ubn})</h1>" in detail
    period = _row(detail, "Period of use")
    start, end = training_ended.starts_on.isoformat(), training_ended.ends_on.isoformat()
    assert period.startswith(f"{start}–{end} (") and "（" not in period
    assert _row(overview, "Product demo meeting") == f"Attended ({day.isoformat()})"


def test_pages_in_chinese_keep_full_width_parentheses(client, staff, company_user, training_ended):
    staff_client, _operator = staff("operator")
    day = timezone.localdate()
    staff_client.post(
        f"/staff/deliverables/{training_ended.award_id}/attendance/",
        {"attended": "yes", "meeting_on": day.isoformat(), "note": ""},
    )
    _signed_in(client, company_user, training_ended.company)

    detail = staff_client.get(f"/staff/deliverables/{training_ended.award_id}/").content.decode()
    overview = client.get("/deliverables/").content.decode()

    company = training_ended.company
    assert f"<h1>{company.name}（{company.ubn}）</h1>" in detail
    start, end = format_roc_date(training_ended.starts_on), format_roc_date(training_ended.ends_on)
    assert _row(detail, "使用期間").startswith(f"{start}－{end}（")
    assert _row(overview, "產品demo會議") == f"出席（{format_roc_date(day)}）"


def test_the_same_file_sent_again_is_stored_once(client, company_user, inference_ended):
    """The back button after an upload (or a second click, or another tab) sends the same file
    again: one submission, one audit entry, and the page says it was already received."""
    _signed_in(client, company_user, inference_ended.company)
    url = f"/deliverables/{inference_ended.award_id}/report/"
    field = _field(inference_ended, "report", "file")
    client.post(url, {field: upload("結案報告.pdf")})
    client.get("/deliverables/")

    again = client.post(url, {field: upload("結案報告.pdf")})
    page = client.get("/deliverables/")

    assert again.status_code == 302
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.filter(action="deliverables.submitted").count() == 1
    assert [str(m) for m in page.context["messages"]] == [
        "「結案報告」已收到，與前次繳交的內容相同，未重複儲存。"
    ]


def test_a_changed_file_or_another_link_is_a_new_submission(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)
    url = f"/deliverables/{inference_ended.award_id}/video/"
    link = _field(inference_ended, "video", "link")

    client.post(url, {link: "https://youtu.be/demo"})
    client.post(url, {link: "https://youtu.be/demo2"})
    client.post(url, {link: "https://youtu.be/demo"})

    assert Submission.objects.count() == 3


def test_company_page_leads_back_to_the_application_status(client, company_user, inference_ended):
    _signed_in(client, company_user, inference_ended.company)

    response = client.get("/deliverables/")

    assert (
        '<a href="/apply/dashboard/">申請案狀態</a> › 成果繳交</nav>' in response.content.decode()
    )


def test_staff_detail_lists_the_reminders_the_company_was_sent(staff, call_115, settings):
    """Before chasing an overdue company the operator can see which reminders it was sent,
    when, to whom and whether the mail went out (the award's page said nothing of them)."""
    from aipower.applications.models import SentMail
    from aipower.deliverables import reminders
    from aipower.deliverables.models import Notice

    allowance = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=40)
    client, _user = staff("operator")
    before = client.get(f"/staff/deliverables/{allowance.award_id}/").content.decode()

    reminders.run()

    notice = Notice.objects.get(award=allowance.award)
    page = client.get(f"/staff/deliverables/{allowance.award_id}/").content.decode()
    row = page.split(f'id="notice-{notice.pk}"')[1].split("</tr>")[0]
    assert "尚未寄送繳交期限將屆或逾期通知。" in before
    assert notice.kind == Notice.Kind.OVERDUE and "成果逾期未繳齊" in row
    assert f'href="{reverse("mail_staff:detail", args=[notice.mail_id])}"' in row
    assert SentMail.objects.get(pk=notice.mail_id).get_status_display() in row
    assert notice.mail.to
    for address in notice.mail.to:
        assert address in row
