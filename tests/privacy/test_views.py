"""The company's /privacy/ page and the staff's /staff/privacy/ pages: who sees what, filing,
the copy download, corrections and deletions through the pages."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client

from aipower.applications.models import SentMail
from aipower.core.models import AuditEntry
from aipower.privacy import services
from aipower.privacy.enums import Kind, Person, State
from aipower.privacy.models import DataRequest

pytestmark = pytest.mark.integration


def file(company, kind, person=Person.PI, details="", email="pi@example.com"):
    return services.file_request(
        company,
        kind=kind,
        person=person,
        requester_name="林主持",
        requester_email=email,
        details=details,
        by=company.user,
    )


# -- company -------------------------------------------------------------------------------


def test_index_anonymous_redirected_to_login():
    response = Client().get("/privacy/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_index_staff_not_a_company_redirected(operator_client):
    response = operator_client.get("/privacy/")

    assert response.status_code == 302


def test_index_shows_held_data_and_form(application, company_client):
    response = company_client.get("/privacy/")

    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-field="pi_phone">02-12345678#123<' in content
    assert 'data-field="contact_mobile">0912345678<' in content
    assert "專案主持人：林主持（pi@example.com）" in content
    for label in ("查詢或請求閱覽", "製給複製本", "補充或更正", "停止蒐集、處理、利用", "刪除"):
        assert f"\n {label}</label>" in content
    assert "黃代表" not in content


def test_index_file_request_for_a_contact(application, company, company_client):
    response = company_client.post(
        "/privacy/", {"kind": "correct", "subject": "contact", "details": "手機改為0922333444"}
    )

    data_request = DataRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/privacy/#request-{data_request.pk}"
    assert (data_request.kind, data_request.person, data_request.state) == (
        "correct",
        "contact",
        "received",
    )
    assert (data_request.requester_name, data_request.requester_email) == (
        "陳聯絡",
        "contact@example.com",
    )
    assert data_request.filed_by == company.user
    page = company_client.get("/privacy/").content.decode()
    assert data_request.reference in page
    assert '<td class="request-state">收件</td>' in page


def test_index_file_request_other_person_typed(application, company_client):
    company_client.post(
        "/privacy/",
        {
            "kind": "query",
            "subject": "other",
            "requester_name": "前任聯絡人",
            "requester_email": "former@example.com",
        },
    )

    data_request = DataRequest.objects.get()
    assert (data_request.person, data_request.requester_email) == ("other", "former@example.com")


def test_index_errors_next_to_fields_keeping_input(application, company_client):
    response = company_client.post(
        "/privacy/",
        {
            "kind": "correct",
            "subject": "other",
            "requester_name": "前任聯絡人",
            "requester_email": "not-an-email",
        },
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert DataRequest.objects.count() == 0
    form = response.context["form"]
    assert form.errors == {
        "requester_email": ["當事人電子信箱格式不正確，請填寫如 name@example.com 的電子信箱"],
        "details": ["請寫明要補充或更正的欄位及正確內容"],
    }
    assert 'value="前任聯絡人"' in content
    assert 'value="not-an-email"' in content


def test_index_other_without_name_and_email(application, company_client):
    response = company_client.post("/privacy/", {"kind": "query", "subject": "other"})

    assert response.context["form"].errors == {
        "requester_name": ["請填寫當事人姓名"],
        "requester_email": ["請填寫當事人電子信箱"],
    }


def test_index_in_english(application, company_client):
    company_client.cookies.load({"django_language": "en"})

    content = company_client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Request a copy" in content
    assert "Supplement or correct" in content


def test_copy_request_download_json(application, company, company_client):
    company_client.post("/privacy/", {"kind": "copy", "subject": "pi"})
    data_request = DataRequest.objects.get()
    assert data_request.state == State.COMPLETED

    response = company_client.get(f"/privacy/requests/{data_request.pk}/copy.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-0459')
    document = json.loads(response.content.decode("utf-8"))
    assert document["applications"][0]["contacts"][0]["fields"]["pi_email"] == "pi@example.com"
    assert AuditEntry.objects.filter(action="privacy.copy_downloaded").count() == 1
    assert data_request.events.filter(action="copy").get().note == "JSON"


def test_copy_request_download_csv(application, company, company_client):
    data_request = file(company, Kind.COPY)

    response = company_client.get(f"/privacy/requests/{data_request.pk}/copy.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["115", "AP115-I-0459", "專案聯絡人", "專案聯絡人行動電話", "0912345678"] in rows


def test_copy_download_other_company_404(application, company, other_client):
    data_request = file(company, Kind.COPY)

    response = other_client.get(f"/privacy/requests/{data_request.pk}/copy.json")

    assert response.status_code == 404


def test_copy_download_of_other_kind_404(application, company, company_client):
    data_request = file(company, Kind.QUERY)

    assert company_client.get(f"/privacy/requests/{data_request.pk}/copy.json").status_code == 404
    assert company_client.get(f"/privacy/requests/{data_request.pk}/copy.xml").status_code == 404


def test_index_lists_only_own_requests(application, company, other_company, company_client):
    mine = file(company, Kind.QUERY)
    theirs = file(other_company, Kind.QUERY, email="other@example.com")

    content = company_client.get("/privacy/").content.decode()

    assert f'id="request-{mine.pk}"' in content
    assert f'id="request-{theirs.pk}"' not in content


def test_dashboard_links_to_privacy(application, company_client):
    content = company_client.get("/apply/dashboard/").content.decode()

    assert 'href="/privacy/"' in content


# -- staff ---------------------------------------------------------------------------------


def test_staff_index_open_first(application, company, operator, operator_client):
    done = file(company, Kind.COPY)
    received = file(company, Kind.QUERY)
    working = file(company, Kind.STOP)
    services.change_state(working, State.IN_PROGRESS, by=operator)

    response = operator_client.get("/staff/privacy/")

    assert [r.pk for r in response.context["requests"]] == [received.pk, working.pk, done.pk]
    only_open = operator_client.get("/staff/privacy/?show=open").context["requests"]
    assert [r.pk for r in only_open] == [received.pk, working.pk]


def test_staff_reviewer_refused(application, company, reviewer_client):
    data_request = file(company, Kind.QUERY)

    assert reviewer_client.get("/staff/privacy/").status_code == 403
    assert reviewer_client.get(f"/staff/privacy/{data_request.pk}/").status_code == 403


def test_staff_reading_a_request_is_audited(application, company, operator, organiser_client):
    from aipower.core.models import AuditEntry

    data_request = file(company, Kind.QUERY)

    assert organiser_client.get(f"/staff/privacy/{data_request.pk}/").status_code == 200

    entry = AuditEntry.objects.get(action="privacy.request_viewed")
    assert (entry.actor.username, entry.object_id) == ("organiser", str(data_request.pk))


def test_staff_reading_the_list_of_requests_is_audited(application, company, organiser_client):
    """The list names the people who asked: reading it is audited, as one request is."""
    from aipower.core.models import AuditEntry

    data_request = file(company, Kind.QUERY)

    assert organiser_client.get("/staff/privacy/?show=open").status_code == 200

    entry = AuditEntry.objects.get(action="privacy.requests_listed")
    assert entry.actor.username == "organiser"
    assert entry.data == {"show": "open", "requests": [data_request.pk]}


def test_staff_company_refused(application, company, company_client):
    data_request = file(company, Kind.QUERY)

    response = company_client.get(f"/staff/privacy/{data_request.pk}/")

    assert response.status_code == 302


def test_staff_organiser_reads_without_forms(application, company, organiser_client):
    data_request = file(company, Kind.DELETE)

    response = organiser_client.get(f"/staff/privacy/{data_request.pk}/")

    assert response.status_code == 200
    assert response.context["transitions"] == []
    assert response.context["deletion_form"] is None
    assert b'id="transition"' not in response.content


def test_staff_organiser_cannot_transition(application, company, organiser_client):
    data_request = file(company, Kind.QUERY)

    response = organiser_client.post(
        f"/staff/privacy/{data_request.pk}/state/", {"to": "in_progress"}
    )

    assert response.status_code == 403
    data_request.refresh_from_db()
    assert data_request.state == State.RECEIVED


def test_staff_transition_and_completion_mail(application, company, operator_client):
    data_request = file(company, Kind.QUERY)
    url = f"/staff/privacy/{data_request.pk}/state/"

    operator_client.post(url, {"to": "in_progress"})
    response = operator_client.post(url, {"to": "completed", "note": "已提供閱覽。"})

    assert response.status_code == 302
    data_request.refresh_from_db()
    assert data_request.state == State.COMPLETED
    assert len(mail.outbox) == 1
    page = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()
    assert "已寄送通知郵件" in page


def test_staff_refusal_without_reason_shows_error(application, company, operator_client):
    data_request = file(company, Kind.STOP)

    response = operator_client.post(f"/staff/privacy/{data_request.pk}/state/", {"to": "refused"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["請填寫不予受理的理由"]}
    data_request.refresh_from_db()
    assert data_request.state == State.RECEIVED


def test_staff_correction_page_prefilled(application, company, operator_client):
    data_request = file(company, Kind.CORRECT, details="電話")

    response = operator_client.get(f"/staff/privacy/{data_request.pk}/correct/{application.pk}/")

    assert response.status_code == 200
    assert 'value="02-12345678#123"' in response.content.decode()


def test_staff_correction_saved_and_audited(application, company, operator, operator_client):
    data_request = file(company, Kind.CORRECT, details="手機改為0922333444")
    form = {k: v for k, v in application.section("profile").items() if k != "representative"}
    form["contact_mobile"] = "0922-333-444"

    response = operator_client.post(
        f"/staff/privacy/{data_request.pk}/correct/{application.pk}/", form
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.data["profile"]["contact_mobile"] == "0922333444"
    entry = AuditEntry.objects.get(action="privacy.profile_corrected")
    assert entry.actor == operator
    assert entry.data["fields"] == ["contact_mobile"]
    assert "0912345678" not in str(entry.data)  # no personal data in the hash-chained log


def test_staff_correction_invalid_email_kept(application, company, operator_client):
    data_request = file(company, Kind.CORRECT, details="信箱")
    form = {k: v for k, v in application.section("profile").items() if k != "representative"}
    form["pi_email"] = "pi-at-example"

    response = operator_client.post(
        f"/staff/privacy/{data_request.pk}/correct/{application.pk}/", form
    )

    assert response.status_code == 200
    assert "pi_email" in response.context["form"].errors
    assert 'value="pi-at-example"' in response.content.decode()
    application.refresh_from_db()
    assert application.data["profile"]["pi_email"] == "pi@example.com"


def test_staff_correction_other_company_application_404(
    application, company, other_company, operator_client
):
    data_request = file(company, Kind.CORRECT, details="x")
    foreign = other_company.applications.get()

    response = operator_client.get(f"/staff/privacy/{data_request.pk}/correct/{foreign.pk}/")

    assert response.status_code == 404


def test_staff_correction_for_other_kinds_404(application, company, operator_client):
    data_request = file(company, Kind.QUERY)

    response = operator_client.get(f"/staff/privacy/{data_request.pk}/correct/{application.pk}/")

    assert response.status_code == 404


def test_staff_erase_through_page(application, company, operator_client):
    data_request = file(company, Kind.DELETE)

    response = operator_client.post(
        f"/staff/privacy/{data_request.pk}/erase/",
        {"slots": ["pi", "contact"], "note": "同意刪除。"},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    profile = application.data["profile"]
    assert (profile["pi_email"], profile["contact_email"], profile["pi_name"]) == ("", "", "")
    assert SentMail.objects.get(application=application).to == [
        services.ERASED_ADDRESS,
        services.ERASED_ADDRESS,
    ]
    data_request.refresh_from_db()
    assert data_request.state == State.COMPLETED


def test_staff_erase_form_asks_before_deleting(application, company, operator_client):
    data_request = file(company, Kind.DELETE)

    page = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    question = "確定刪除所選聯絡人之個人資料？刪除後無法復原。"
    assert f'/erase/" novalidate data-confirm="{question}">' in page


def test_staff_erase_without_note_keeps_data(application, company, operator_client):
    data_request = file(company, Kind.DELETE)

    response = operator_client.post(f"/staff/privacy/{data_request.pk}/erase/", {"slots": ["pi"]})

    assert response.status_code == 200
    assert response.context["deletion_form"].errors == {"note": ["請填寫處理結果說明"]}
    application.refresh_from_db()
    assert application.data["profile"]["pi_email"] == "pi@example.com"


def test_staff_erase_organiser_refused(application, company, organiser_client):
    data_request = file(company, Kind.DELETE)

    response = organiser_client.post(
        f"/staff/privacy/{data_request.pk}/erase/", {"slots": ["pi"], "note": "x"}
    )

    assert response.status_code == 403


def test_admin_lists_requests_read_only(application, company, operator, operator_client):
    # What accounts.roles will give the operator once "privacy": VIEW is in its table.
    operator.is_staff = True
    operator.save()
    operator.user_permissions.set(
        Permission.objects.filter(content_type__app_label="privacy", codename__startswith="view_")
    )
    data_request = file(company, Kind.QUERY)

    listing = operator_client.get("/admin/privacy/datarequest/")
    change = operator_client.get(f"/admin/privacy/datarequest/{data_request.pk}/change/")

    assert listing.status_code == 200
    assert change.status_code == 200
    assert b'name="_save"' not in change.content


def test_index_in_english_writes_contacts_and_requests_with_english_punctuation(
    application, company_client
):
    company_client.post("/privacy/", {"kind": "query", "subject": "pi"})
    company_client.cookies.load({"django_language": "en"})

    content = company_client.get("/privacy/").content.decode()

    assert "Project leader: 林主持 (pi@example.com)" in content
    assert "<td>Project leader: 林主持</td>" in content
    assert "Project leader：" not in content


def test_index_in_chinese_lists_requests_by_person_and_name(application, company_client):
    company_client.post("/privacy/", {"kind": "query", "subject": "pi"})

    content = company_client.get("/privacy/").content.decode()

    assert "<td>專案主持人：林主持</td>" in content


def test_index_in_english_gives_the_copys_outcome_note_in_english(application, company_client):
    company_client.post("/privacy/", {"kind": "copy", "subject": "pi"})
    company_client.cookies.load({"django_language": "en"})

    content = company_client.get("/privacy/").content.decode()

    assert "<td>A copy was provided online (JSON and CSV).<br><a " in content
    assert DataRequest.objects.get().outcome == "已於線上提供複製本（JSON 及 CSV 格式）。"


def test_index_gives_the_copys_outcome_note_as_stored(application, company_client):
    company_client.post("/privacy/", {"kind": "copy", "subject": "pi"})

    content = company_client.get("/privacy/").content.decode()

    assert "<td>已於線上提供複製本（JSON 及 CSV 格式）。<br><a " in content


def _row(html, header):
    """The <td> of the table row headed ``header``."""
    return html.split(f'<th scope="row">{header}</th><td>', 1)[1].split("</td>", 1)[0]


def test_staff_pages_in_english_write_company_and_handler_with_english_parentheses(
    application, company, operator_client
):
    data_request = file(company, Kind.QUERY)
    operator_client.post(f"/staff/privacy/{data_request.pk}/state/", {"to": "in_progress"})
    operator_client.cookies.load({"django_language": "en"})

    index = operator_client.get("/staff/privacy/").content.decode()
    detail = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    assert "<td>示範智能股份有限公司 (04595257)</td>" in index
    assert _row(detail, "Applicant company") == "示範智能股份有限公司 (04595257)"
    handled = _row(detail, "Handled by")
    assert handled.startswith("operator (") and handled.endswith(")")
    assert "（" not in handled


def test_staff_pages_in_chinese_keep_full_width_parentheses(application, company, operator_client):
    data_request = file(company, Kind.QUERY)
    operator_client.post(f"/staff/privacy/{data_request.pk}/state/", {"to": "in_progress"})

    index = operator_client.get("/staff/privacy/").content.decode()
    detail = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    assert "<td>示範智能股份有限公司（04595257）</td>" in index
    assert _row(detail, "申請企業") == "示範智能股份有限公司（04595257）"
    assert _row(detail, "處理人員").startswith("operator（")
    assert _row(detail, "處理人員").endswith("）")


def test_staff_correction_links_in_english_use_an_english_colon(
    application, company, operator_client
):
    data_request = file(company, Kind.CORRECT, details="電話號碼有誤")
    operator_client.cookies.load({"django_language": "en"})

    detail = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    assert ": Correct contact data</a>" in detail
    assert "：Correct contact data" not in detail


def test_staff_correction_links_in_chinese_keep_the_full_width_colon(
    application, company, operator_client
):
    data_request = file(company, Kind.CORRECT, details="電話號碼有誤")

    detail = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    assert "：更正聯絡人資料</a>" in detail


def test_staff_correction_page_in_english_spaces_the_dash_after_the_company(
    application, company, operator_client
):
    data_request = file(company, Kind.CORRECT, details="電話")
    operator_client.cookies.load({"django_language": "en"})

    page = operator_client.get(
        f"/staff/privacy/{data_request.pk}/correct/{application.pk}/"
    ).content.decode()

    assert f"示範智能股份有限公司 (04595257) — {application.number}</p>" in page


# -- the operator records a data subject's request -----------------------------------------


def _cell(html, cell_id):
    """The content of the <td> with id ``cell_id``."""
    return html.split(f'<td id="{cell_id}">', 1)[1].split("</td>", 1)[0]


RECORDED = {
    "company": "04595257",
    "kind": "stop",
    "person": "contact",
    "requester_name": "陳聯絡",
    "requester_email": "contact@example.com",
    "details": "來電請求停止寄送通知",
    "channel": "phone",
    "identity_check": "核對身分證明文件",
}


def test_staff_new_form_labels_every_input(operator_client):
    content = operator_client.get("/staff/privacy/new/").content.decode()

    for name, label in (
        ("company", "申請企業"),
        ("kind", "請求事項"),
        ("person", "當事人身分"),
        ("requester_name", "當事人姓名"),
        ("requester_email", "當事人電子信箱"),
        ("details", "請求內容說明"),
        ("channel", "收件方式"),
        ("identity_check", "身分查驗說明"),
    ):
        assert f'<label for="id_{name}">{label}</label>' in content
    assert "<script>" not in content
    assert "style=" not in content
    for label in ("電子郵件", "電話", "臨櫃", "書面"):
        assert f">{label}</option>" in content
    assert ">線上申請</option>" not in content


def test_staff_new_records_the_request(application, company, operator, operator_client):
    response = operator_client.post("/staff/privacy/new/", RECORDED)

    data_request = DataRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/privacy/#request-{data_request.pk}"
    assert (data_request.company, data_request.kind, data_request.person) == (
        company,
        "stop",
        "contact",
    )
    assert (data_request.channel, data_request.identity_check, data_request.filed_by) == (
        "phone",
        "核對身分證明文件",
        operator,
    )
    assert data_request.state == "received"
    entry = AuditEntry.objects.get(action="privacy.request_filed")
    assert (entry.data["channel"], entry.data["on_behalf"]) == ("phone", True)
    index = operator_client.get("/staff/privacy/").content.decode()
    assert f"已登錄當事人請求（編號 {data_request.reference}）。" in index
    row = index.split(f'<tr id="request-{data_request.pk}">', 1)[1].split("</tr>", 1)[0]
    assert '<td class="request-channel">電話</td>' in row
    assert '<td class="request-state">收件</td>' in row


def test_staff_new_copy_request_not_completed_at_once(application, company, operator_client):
    operator_client.post("/staff/privacy/new/", {**RECORDED, "kind": "copy", "channel": "counter"})

    data_request = DataRequest.objects.get()
    assert (data_request.kind, data_request.state, data_request.channel) == (
        "copy",
        "received",
        "counter",
    )
    assert list(data_request.events.values_list("action", flat=True)) == ["filed"]


def test_staff_detail_shows_channel_and_identity_check(application, company, operator_client):
    operator_client.post("/staff/privacy/new/", {**RECORDED, "channel": "written"})
    data_request = DataRequest.objects.get()

    detail = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    assert '<th scope="row">收件方式</th>' in detail
    assert _cell(detail, "request-channel") == (
        "書面<br><small>由執行單位代當事人登錄（登錄人員：operator）</small>"
    )
    assert _cell(detail, "request-identity-check") == "核對身分證明文件"


def test_staff_detail_of_an_online_request_shows_the_channel_only(
    application, company, operator_client
):
    data_request = file(company, Kind.QUERY)

    detail = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    assert _cell(detail, "request-channel") == "線上申請"
    assert "身分查驗說明" not in detail


def test_staff_new_in_english(application, company, operator_client):
    operator_client.post("/staff/privacy/new/", RECORDED)
    data_request = DataRequest.objects.get()
    operator_client.cookies.load({"django_language": "en"})

    form = operator_client.get("/staff/privacy/new/").content.decode()
    detail = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    assert '<label for="id_channel">Received via</label>' in form
    assert '<label for="id_identity_check">Identity check</label>' in form
    assert '<th scope="row">Received via</th>' in detail
    assert '<th scope="row">Identity check</th>' in detail
    assert ">At the counter</option>" in form
    assert _cell(detail, "request-channel").startswith("Phone<br><small>Recorded by the operator")
    assert _cell(detail, "request-identity-check") == "核對身分證明文件"


def test_staff_new_unknown_ubn_error_keeps_values(application, operator_client):
    response = operator_client.post("/staff/privacy/new/", {**RECORDED, "company": "12345675"})

    assert response.status_code == 200
    assert DataRequest.objects.count() == 0
    assert response.context["form"].errors == {"company": ["查無統一編號 12345675 之申請企業"]}
    content = response.content.decode()
    errors = content.split('id="row-company"', 1)[1].split("</div>", 1)[0]
    assert "查無統一編號 12345675 之申請企業" in errors
    assert 'value="12345675"' in content
    assert 'value="陳聯絡"' in content
    assert 'value="contact@example.com"' in content
    assert '<option value="stop" selected>' in content
    assert '<option value="contact" selected>' in content
    assert '<option value="phone" selected>' in content
    assert ">\n來電請求停止寄送通知</textarea>" in content
    assert ">\n核對身分證明文件</textarea>" in content


def test_staff_new_unknown_ubn_error_in_english(application, operator_client):
    operator_client.cookies.load({"django_language": "en"})

    response = operator_client.post("/staff/privacy/new/", {**RECORDED, "company": "12345675"})

    assert response.context["form"].errors == {
        "company": ["No applicant company has the unified business number (統一編號) 12345675"]
    }


def test_staff_new_invalid_ubn_error_keeps_values(application, operator_client):
    response = operator_client.post("/staff/privacy/new/", {**RECORDED, "company": "1234567"})

    assert response.status_code == 200
    assert DataRequest.objects.count() == 0
    assert response.context["form"].errors == {
        "company": ["統一編號應為8位數字（您輸入了「1234567」），請再確認。"]
    }
    assert 'value="1234567"' in response.content.decode()


def test_staff_new_identity_check_required(application, operator_client):
    response = operator_client.post("/staff/privacy/new/", {**RECORDED, "identity_check": ""})

    assert response.status_code == 200
    assert DataRequest.objects.count() == 0
    assert response.context["form"].errors == {"identity_check": ["請填寫身分查驗說明"]}
    assert 'value="04595257"' in response.content.decode()


@pytest.mark.parametrize("client_name", ["reviewer_client", "organiser_client"])
def test_staff_new_other_staff_refused(application, client_name, request):
    client = request.getfixturevalue(client_name)

    assert client.get("/staff/privacy/new/").status_code == 403
    assert client.post("/staff/privacy/new/", RECORDED).status_code == 403
    assert DataRequest.objects.count() == 0


def test_staff_new_company_and_anonymous_redirected_to_login(application, company_client):
    for client in (company_client, Client()):
        assert client.get("/staff/privacy/new/").status_code == 302
        response = client.post("/staff/privacy/new/", RECORDED)
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")
    assert DataRequest.objects.count() == 0


def test_staff_new_csrf_enforced(application, operator_csrf_client):
    refused = operator_csrf_client.post("/staff/privacy/new/", RECORDED)

    assert refused.status_code == 403
    assert DataRequest.objects.count() == 0
    operator_csrf_client.get("/staff/privacy/new/")
    token = operator_csrf_client.cookies["csrftoken"].value
    accepted = operator_csrf_client.post(
        "/staff/privacy/new/", {**RECORDED, "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert DataRequest.objects.count() == 1


def test_staff_index_link_to_record_only_for_the_operator(operator_client, organiser_client):
    link = '<a class="btn btn-primary" href="/staff/privacy/new/" id="record-request">'

    assert link + "登錄當事人請求</a>" in operator_client.get("/staff/privacy/").content.decode()
    assert link not in organiser_client.get("/staff/privacy/").content.decode()


def test_index_lists_requests_recorded_on_the_companys_behalf(
    application, company, operator, company_client
):
    data_request = services.record_request(
        company,
        kind=Kind.COPY,
        person=Person.PI,
        requester_name="林主持",
        requester_email="pi@example.com",
        details="",
        channel="counter",
        identity_check="核對身分證明文件",
        by=operator,
    )
    services.change_state(data_request, State.IN_PROGRESS, by=operator)
    services.change_state(data_request, State.COMPLETED, note="已臨櫃交付複製本。", by=operator)

    response = company_client.get("/privacy/")

    assert response.status_code == 200
    content = response.content.decode()
    row = content.split(f'<tr id="request-{data_request.pk}">', 1)[1].split("</tr>", 1)[0]
    assert '<small class="request-channel">執行單位代為登錄（臨櫃）</small>' in row
    assert '<td class="request-state">已完成</td>' in row
    assert "已臨櫃交付複製本。" in row
    assert "下載 JSON" not in row
    assert company_client.get(f"/privacy/requests/{data_request.pk}/copy.json").status_code == 404


def _recorded_copy(company, operator, email="contact@example.com"):
    return services.record_request(
        company,
        kind=Kind.COPY,
        person=Person.CONTACT,
        requester_name="陳聯絡",
        requester_email=email,
        details="",
        channel="phone",
        identity_check="回撥申請資料所列電話並核對姓名",
        by=operator,
    )


def test_operator_downloads_a_recorded_copy_of_the_data_subjects_own_data(
    application, company, operator, operator_client
):
    data_request = _recorded_copy(company, operator)
    page = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    response = operator_client.get(f"/staff/privacy/{data_request.pk}/copy.json")

    assert f'href="/staff/privacy/{data_request.pk}/copy.json"' in page
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert data_request.reference in response["Content-Disposition"]
    document = json.loads(response.content)
    contacts = [c for a in document["applications"] for c in a["contacts"]]
    assert [c["role"] for c in contacts] == ["contact"]  # not the PI's, not anyone else's
    assert contacts[0]["fields"]["contact_email"] == "contact@example.com"
    assert "pi@example.com" not in response.content.decode()
    entry = AuditEntry.objects.get(action="privacy.copy_downloaded")
    assert (entry.actor, entry.data["format"]) == (operator, "json")
    assert data_request.events.filter(action="copy").count() == 1


def test_recorded_copy_for_an_address_not_on_file_offers_no_download(
    application, company, operator, operator_client
):
    data_request = _recorded_copy(company, operator, email="stranger@example.com")
    page = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    response = operator_client.get(f"/staff/privacy/{data_request.pk}/copy.csv")

    assert "/copy.csv" not in page
    assert response.status_code == 404


def test_staff_copy_is_the_operators_alone_and_never_of_an_online_request(
    application, company, operator, operator_client, organiser_client
):
    recorded = _recorded_copy(company, operator)
    online = file(company, Kind.COPY)

    assert organiser_client.get(f"/staff/privacy/{recorded.pk}/copy.csv").status_code == 403
    assert operator_client.get(f"/staff/privacy/{online.pk}/copy.csv").status_code == 404
    assert operator_client.get(f"/staff/privacy/{recorded.pk}/copy.xml").status_code == 404


def test_a_request_sent_after_the_sign_in_expired_is_filed_after_the_next(
    application, company, company_client
):
    from aipower.accounts.models import User
    from aipower.privacy.models import DataRequest
    from tests.sign_ins import expire, sign_in_again

    user = User.objects.get(company=company)
    expire(company_client, user)

    sent = company_client.post("/privacy/", {"kind": "query", "subject": "pi"})
    sign_in_again(company_client, user)
    resumed = company_client.get("/privacy/")

    assert sent["Location"].startswith("/login/?next=/privacy/")
    assert resumed.status_code == 302
    assert DataRequest.objects.get(company=company).kind == "query"


def test_the_same_request_sent_again_is_filed_once(application, company, company_client):
    """The back button after 送出 (or a second click, or another tab) sends the same request
    again: one request, one audit entry, and the page says it was already received."""
    from django.contrib.messages import get_messages

    from aipower.core.models import AuditEntry

    sent = {"kind": "correct", "subject": "contact", "details": "手機改為0922333444"}
    company_client.get(company_client.post("/privacy/", sent)["Location"])

    again = company_client.post("/privacy/", sent)

    data_request = DataRequest.objects.get()
    assert again["Location"] == f"/privacy/#request-{data_request.pk}"
    assert [str(m) for m in get_messages(again.wsgi_request)] == [
        f"此請求剛才已收到（編號 {data_request.reference}），本次未重複送出。"
    ]
    assert AuditEntry.objects.filter(action="privacy.request_filed").count() == 1


def _token(client, url):
    """The one-time token of the form the page ``url`` renders (``core.once``)."""
    import re

    html = client.get(url).content.decode()
    return re.search(r'name="once" value="([^"]+)"', html).group(1)


def test_the_same_form_sent_twice_files_one_request(application, company, company_client):
    """A second click, the back button or another tab sends the form with the token it was
    rendered with: one request, and the second sending shows the first one's."""
    from django.contrib.messages import get_messages

    sent = {"kind": "query", "subject": "contact", "once": _token(company_client, "/privacy/")}
    first = company_client.post("/privacy/", sent)

    again = company_client.post("/privacy/", sent)

    data_request = DataRequest.objects.get()
    assert first["Location"] == again["Location"] == f"/privacy/#request-{data_request.pk}"
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        f"此請求剛才已收到（編號 {data_request.reference}），本次未重複送出。"
    )
    assert AuditEntry.objects.filter(action="privacy.request_filed").count() == 1


def test_two_forms_sent_within_a_minute_file_two_requests(application, company, company_client):
    """The same request filed again from a page rendered anew is a second request, however
    soon (it used to be taken as a repeat for 10 minutes)."""
    for _ in range(2):
        token = _token(company_client, "/privacy/")
        company_client.post("/privacy/", {"kind": "query", "subject": "contact", "once": token})

    assert DataRequest.objects.filter(company=company).count() == 2
    assert AuditEntry.objects.filter(action="privacy.request_filed").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_files_one_request(application, company):
    from tests.concurrency import at_once
    from tests.conftest import verified_client

    token = _token(verified_client(company.user), "/privacy/")
    sent = {"kind": "stop", "subject": "contact", "once": token}

    statuses = at_once(2, lambda: verified_client(company.user).post("/privacy/", sent).status_code)

    assert statuses == [302, 302]
    assert DataRequest.objects.filter(company=company).count() == 1


def test_the_staff_form_sent_twice_records_one_request(application, company):
    """The operator's 登錄 sent twice with one token records one request; a form rendered
    anew records another, the same request within the minute."""
    from aipower.accounts.models import User
    from tests.conftest import verified_client

    operator = verified_client(User.objects.create_user("op", password="x", role="operator"))
    url = "/staff/privacy/new/"
    sent = {
        "company": company.ubn,
        "kind": "stop",
        "person": "contact",
        "requester_name": "陳聯絡",
        "requester_email": "contact@example.com",
        "channel": "email",
        "identity_check": "以原留電話回撥確認",
    }
    token = _token(operator, url)
    operator.post(url, {**sent, "once": token})
    operator.post(url, {**sent, "once": token})
    operator.post(url, {**sent, "once": _token(operator, url)})

    assert DataRequest.objects.filter(company=company).count() == 2


def test_a_state_change_sent_twice_says_it_was_done(application, company, operator_client):
    """完成 clicked twice (or sent again with the back button): the second sending says the
    request was just completed, instead of 「不能由已完成改為已完成」 as a refusal."""
    from django.contrib.messages import get_messages

    data_request = file(company, Kind.QUERY)
    page = f"/staff/privacy/{data_request.pk}/"
    operator_client.post(
        f"{page}state/", {"to": "in_progress", "once": _token(operator_client, page)}
    )
    sent = {"to": "completed", "note": "已提供閱覽。", "once": _token(operator_client, page)}
    operator_client.post(f"{page}state/", sent)

    again = operator_client.post(f"{page}state/", sent)

    assert again.status_code == 302
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        "此請求剛才已改為「已完成」，本次未重複處理。"
    )
    assert len(mail.outbox) == 1


def test_an_erasure_sent_twice_says_it_was_done(application, company, operator_client):
    from django.contrib.messages import get_messages

    data_request = file(company, Kind.DELETE)
    page = f"/staff/privacy/{data_request.pk}/"
    sent = {"slots": ["pi", "contact"], "note": "同意刪除。", "once": _token(operator_client, page)}
    operator_client.post(f"{page}erase/", sent)

    again = operator_client.post(f"{page}erase/", sent)

    assert again.status_code == 302
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        "個人資料剛才已刪除，本次未重複處理。"
    )
    assert AuditEntry.objects.filter(action="privacy.personal_data_erased").count() == 1


def test_a_correction_sent_twice_says_it_was_made(application, company, operator_client):
    """更正 clicked twice: the second sending says the correction was made, instead of the
    form again with 「沒有任何欄位變更」."""
    from django.contrib.messages import get_messages

    data_request = file(company, Kind.CORRECT, details="手機改為0922333444")
    url = f"/staff/privacy/{data_request.pk}/correct/{application.pk}/"
    form = {k: v for k, v in application.section("profile").items() if k != "representative"}
    sent = {**form, "contact_mobile": "0922-333-444", "once": _token(operator_client, url)}
    operator_client.post(url, sent)

    again = operator_client.post(url, sent)

    assert again.status_code == 302
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        "此更正剛才已完成，本次未重複處理。"
    )
    assert AuditEntry.objects.filter(action="privacy.profile_corrected").count() == 1


def test_index_leads_back_to_the_application_status(application, company_client):
    response = company_client.get("/privacy/")

    assert (
        '<a href="/apply/dashboard/">申請案狀態</a> › 個人資料</nav>' in response.content.decode()
    )
