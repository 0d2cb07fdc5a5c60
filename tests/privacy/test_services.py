"""Personal-data requests: filing, the operator recording one on a data subject's behalf, the
workflow, corrections, erasure, the copy and the mails."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.utils import timezone

from aipower.applications.models import Application, ApplicationVersion, SentMail
from aipower.core.models import AuditEntry
from aipower.privacy import services
from aipower.privacy.enums import Channel, Kind, Person, State
from aipower.privacy.models import DataRequest, DataRequestEvent

from .conftest import PROFILE, make_application

pytestmark = pytest.mark.integration


def file(company, kind, person=Person.PI, **extra):
    values = {
        "requester_name": "林主持",
        "requester_email": "pi@example.com",
        "details": "",
        "by": company.user,
    }
    values.update(extra)
    return services.file_request(company, kind=kind, person=person, **values)


def test_file_request_received_with_history_and_audit(application, company):
    data_request = file(company, Kind.QUERY)

    assert data_request.state == State.RECEIVED
    assert list(data_request.events.values_list("action", "to_state")) == [("filed", "received")]
    entry = AuditEntry.objects.get(action="privacy.request_filed")
    assert entry.object_id == str(data_request.pk)
    assert entry.data == {"company": "04595257", "kind": "query", "person": "pi"}


def test_file_request_copy_completed_at_once(application, company):
    data_request = file(company, Kind.COPY)

    assert data_request.state == State.COMPLETED
    assert data_request.outcome == "已於線上提供複製本（JSON 及 CSV 格式）。"
    assert list(data_request.events.values_list("action", "from_state", "to_state")) == [
        ("filed", "", "received"),
        ("state", "received", "completed"),
    ]
    assert mail.outbox == []


def test_file_request_online_without_identity_check(application, company):
    data_request = file(company, Kind.QUERY)

    assert (data_request.channel, data_request.identity_check) == ("online", "")


def record(company, kind, operator, **extra):
    values = {
        "person": Person.CONTACT,
        "requester_name": "陳聯絡",
        "requester_email": "contact@example.com",
        "details": "來電請求",
        "channel": Channel.PHONE,
        "identity_check": "核對身分證明文件",
        "by": operator,
    }
    values.update(extra)
    return services.record_request(company, kind=kind, **values)


def test_record_request_received_with_history_and_audit(application, company, operator):
    data_request = record(company, Kind.STOP, operator)

    data_request.refresh_from_db()
    assert (data_request.company, data_request.kind, data_request.person) == (
        company,
        "stop",
        "contact",
    )
    assert (data_request.requester_name, data_request.requester_email) == (
        "陳聯絡",
        "contact@example.com",
    )
    assert (data_request.channel, data_request.identity_check) == ("phone", "核對身分證明文件")
    assert (data_request.state, data_request.filed_by, data_request.details) == (
        "received",
        operator,
        "來電請求",
    )
    assert list(data_request.events.values_list("action", "to_state", "actor")) == [
        ("filed", "received", operator.pk)
    ]
    entry = AuditEntry.objects.get(action="privacy.request_filed")
    assert (entry.actor, entry.object_id) == (operator, str(data_request.pk))
    assert entry.data == {
        "company": "04595257",
        "kind": "stop",
        "person": "contact",
        "channel": "phone",
        "on_behalf": True,
    }


def test_record_request_copy_starts_received(application, company, operator):
    data_request = record(company, Kind.COPY, operator, channel=Channel.COUNTER)

    data_request.refresh_from_db()
    assert (data_request.state, data_request.outcome, data_request.handled_at) == (
        "received",
        "",
        None,
    )
    assert list(data_request.events.values_list("action", "from_state", "to_state")) == [
        ("filed", "", "received")
    ]
    assert mail.outbox == []


def test_record_request_then_handled_like_any_other(application, company, operator):
    data_request = record(company, Kind.COPY, operator, channel=Channel.EMAIL)

    services.change_state(data_request, State.IN_PROGRESS, by=operator)
    services.change_state(data_request, State.COMPLETED, note="已以掛號寄送複製本。", by=operator)

    data_request.refresh_from_db()
    assert data_request.state == State.COMPLETED
    assert [m.to for m in mail.outbox] == [["contact@example.com"]]


def test_record_request_identity_check_required(application, company, operator):
    with pytest.raises(services.DataRequestError) as error:
        record(company, Kind.QUERY, operator, identity_check="  ")

    assert str(error.value) == "請填寫身分查驗說明"
    assert DataRequest.objects.count() == 0
    assert not AuditEntry.objects.filter(action="privacy.request_filed").exists()


def test_record_request_online_channel_refused(application, company, operator):
    with pytest.raises(services.DataRequestError) as error:
        record(company, Kind.QUERY, operator, channel=Channel.ONLINE)

    assert str(error.value) == "請選擇收件方式"
    assert DataRequest.objects.count() == 0


def test_held_data_lists_contacts_with_values(application, company):
    held = services.held_data(company)

    assert len(held) == 1
    people = held[0]["people"]
    assert [person["slot"] for person in people] == ["pi", "contact"]
    assert people[0]["fields"] == [
        ("pi_name", "專案主持人姓名", "林主持"),
        ("pi_title", "專案主持人職稱", "技術長"),
        ("pi_phone", "專案主持人連絡電話(公司)市話", "02-12345678#123"),
        ("pi_email", "專案主持人電子信箱", "pi@example.com"),
    ]


def test_copy_document_contains_only_contact_fields(application, company):
    document = services.copy_document(company)

    assert document["company"] == {"ubn": "04595257", "name": "示範智能股份有限公司"}
    assert document["applications"][0]["number"] == "AP115-I-0459"
    contacts = document["applications"][0]["contacts"]
    assert contacts[1] == {
        "role": "contact",
        "role_label": "專案聯絡人",
        "fields": {
            "contact_name": "陳聯絡",
            "contact_title": "專案經理",
            "contact_phone": "02-87654321",
            "contact_mobile": "0912345678",
            "contact_email": "contact@example.com",
        },
    }
    assert "representative" not in str(document)


def test_copy_csv_one_row_per_field(application, company):
    text = services.copy_csv(company)

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["年度", "申請編號", "身分", "欄位", "內容"]
    assert rows[1] == ["115", "AP115-I-0459", "專案主持人", "專案主持人姓名", "林主持"]
    assert len(rows) == 1 + 4 + 5


def test_change_state_received_to_in_progress(application, company, operator):
    data_request = file(company, Kind.QUERY)

    services.change_state(data_request, State.IN_PROGRESS, by=operator)

    data_request.refresh_from_db()
    assert data_request.state == State.IN_PROGRESS
    assert data_request.handled_by == operator
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="privacy.request_state").count() == 1


def test_change_state_refuses_a_skipped_step(application, company, operator):
    data_request = file(company, Kind.QUERY)

    with pytest.raises(services.DataRequestError) as error:
        services.change_state(data_request, State.COMPLETED, note="好了", by=operator)

    assert str(error.value) == "此請求目前為「收件」，不能改為「已完成」"
    data_request.refresh_from_db()
    assert data_request.state == State.RECEIVED


def test_change_state_refusal_needs_reason(application, company, operator):
    data_request = file(company, Kind.STOP)

    with pytest.raises(services.DataRequestError) as error:
        services.change_state(data_request, State.REFUSED, note="  ", by=operator)

    assert str(error.value) == "請填寫不予受理的理由"


def test_change_state_stop_completion_needs_note(application, company, operator):
    data_request = file(company, Kind.STOP)
    services.change_state(data_request, State.IN_PROGRESS, by=operator)

    with pytest.raises(services.DataRequestError):
        services.change_state(data_request, State.COMPLETED, note="", by=operator)


def test_change_state_delete_completion_only_through_erasure(application, company, operator):
    data_request = file(company, Kind.DELETE)
    services.change_state(data_request, State.IN_PROGRESS, by=operator)

    with pytest.raises(services.DataRequestError) as error:
        services.change_state(data_request, State.COMPLETED, note="同意", by=operator)

    assert str(error.value) == "接受刪除請求時，請使用「刪除個人資料」並說明理由"


def test_change_state_completed_mails_requester_zh_then_en(application, company, operator):
    data_request = file(company, Kind.QUERY)
    services.change_state(data_request, State.IN_PROGRESS, by=operator)

    services.change_state(data_request, State.COMPLETED, note="已提供閱覽。", by=operator)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    reference = data_request.reference
    assert message.to == ["pi@example.com"]
    assert message.subject == (
        f"【AI算力平台】個人資料請求處理結果：已完成（{reference}） / "
        f"[AI Compute Platform] Your personal data request: Completed ({reference})"
    )
    zh, en = message.body.split("----- English -----")
    assert "林主持 您好：" in zh
    assert "處理結果說明：\n已提供閱覽。" in zh
    assert "Dear 林主持," in en
    assert "Outcome:\n已提供閱覽。" in en
    event = data_request.events.get(to_state=State.COMPLETED)
    assert event.mail == SentMail.objects.get(subject=message.subject)


def test_change_state_refused_mails_reason(application, company, operator):
    data_request = file(company, Kind.STOP)

    services.change_state(
        data_request, State.REFUSED, note="計畫結束後3年內須進行成果追蹤。", by=operator
    )

    data_request.refresh_from_db()
    assert data_request.state == State.REFUSED
    assert data_request.outcome == "計畫結束後3年內須進行成果追蹤。"
    body = mail.outbox[0].body
    assert "不予受理之理由：\n計畫結束後3年內須進行成果追蹤。" in body
    assert "Reason for refusal:\n計畫結束後3年內須進行成果追蹤。" in body


def test_correct_profile_submitted_new_version_and_audit(application, company, operator):
    data_request = file(company, Kind.CORRECT, details="電話改為 02-11112222")
    revision = application.revision

    changes = services.correct_profile(
        data_request,
        application,
        {**application.section("profile"), "pi_phone": "02-11112222"},
        by=operator,
    )

    assert changes == {"pi_phone": {"before": "02-12345678#123", "after": "02-11112222"}}
    application.refresh_from_db()
    assert application.data["profile"]["pi_phone"] == "02-11112222"
    assert application.revision == revision + 1
    version = application.versions.get(number=2)
    assert version.data["answers"]["profile"]["pi_phone"] == "02-11112222"
    assert version.changed_fields == ["profile.pi_phone"]
    assert version.created_by == operator
    assert version.fingerprint == application.fingerprint
    entry = AuditEntry.objects.get(action="privacy.profile_corrected")
    assert entry.actor == operator
    assert entry.data == {
        "data_request": data_request.pk,
        "version": 2,
        "fields": ["pi_phone"],
    }
    data_request.refresh_from_db()
    assert data_request.state == State.IN_PROGRESS
    assert data_request.events.filter(action="corrected").get().note == (
        "AP115-I-0459：專案主持人連絡電話(公司)市話"
    )


def test_correct_profile_draft_without_version(call_115, company, operator):
    from tests.privacy.conftest import make_application

    draft = make_application(call_115, company, submitted=False)
    data_request = file(company, Kind.CORRECT, details="補充聯絡人(2)")

    services.correct_profile(
        data_request,
        draft,
        {"contact2_name": "張二號", "contact2_email": "c2@example.com"},
        by=operator,
    )

    draft.refresh_from_db()
    assert draft.data["profile"]["contact2_name"] == "張二號"
    assert draft.data["profile"]["pi_name"] == "林主持"
    assert draft.versions.count() == 0


def test_correct_profile_nothing_changed_refused(application, company, operator):
    data_request = file(company, Kind.CORRECT, details="x")

    with pytest.raises(services.DataRequestError) as error:
        services.correct_profile(
            data_request, application, application.section("profile"), by=operator
        )

    assert str(error.value) == "沒有任何欄位變更"
    assert not AuditEntry.objects.filter(action="privacy.profile_corrected").exists()


def test_correct_profile_other_company_application_refused(
    application, company, other_company, operator
):
    data_request = file(company, Kind.CORRECT, details="x")
    foreign = Application.objects.get(company=other_company)

    with pytest.raises(services.DataRequestError):
        services.correct_profile(data_request, foreign, {"pi_name": "改"}, by=operator)

    foreign.refresh_from_db()
    assert foreign.data["profile"]["pi_name"] == "林主持"


def test_correct_profile_only_for_correction_requests(application, company, operator):
    data_request = file(company, Kind.QUERY)

    with pytest.raises(services.DataRequestError):
        services.correct_profile(data_request, application, {"pi_name": "改"}, by=operator)


def test_erase_personal_data_blanks_profile_versions_and_mails(
    application, company, other_company, operator
):
    counts = services.erase_personal_data(company, [Person.CONTACT], by=operator)

    assert counts == {"applications": 1, "versions": 1, "mails": 1, "requests": 0}
    application.refresh_from_db()
    profile = application.data["profile"]
    for name in ("contact_name", "contact_title", "contact_phone", "contact_mobile"):
        assert profile[name] == ""
    assert profile["contact_email"] == ""
    assert profile["pi_name"] == "林主持"
    version = application.versions.get()
    assert version.data["answers"]["profile"]["contact_email"] == ""
    assert version.data["answers"]["profile"]["pi_email"] == "pi@example.com"
    sent = SentMail.objects.get(application=application)
    assert sent.to == ["pi@example.com", services.ERASED_ADDRESS]
    foreign = Application.objects.get(company=other_company)
    assert foreign.data["profile"]["contact_email"] == "contact@example.com"
    entry = AuditEntry.objects.get(action="privacy.personal_data_erased")
    assert entry.data["mails"] == 1
    assert "contact@example.com" not in str(entry.data)


def test_accept_deletion_erases_and_completes(application, company, operator):
    data_request = file(company, Kind.DELETE, requester_email="pi@example.com")

    counts = services.accept_deletion(
        data_request, [Person.PI], note="已無後續追蹤需要，同意刪除。", by=operator
    )

    assert counts == {"applications": 1, "versions": 1, "mails": 1, "requests": 0}
    data_request.refresh_from_db()
    assert data_request.state == State.COMPLETED
    assert data_request.outcome == "已無後續追蹤需要，同意刪除。"
    assert list(data_request.events.values_list("action", "to_state")) == [
        ("filed", "received"),
        ("state", "in_progress"),
        ("erased", ""),
        ("state", "completed"),
    ]
    assert data_request.events.get(action="erased").note == (
        "已刪除專案主持人之個人資料：申請案 1 件、版本 1 筆、郵件收件者 1 封。"
    )
    application.refresh_from_db()
    assert application.data["profile"]["pi_email"] == ""
    assert SentMail.objects.get(application=application).to == [
        services.ERASED_ADDRESS,
        "Contact@Example.com",
    ]
    assert mail.outbox[0].to == ["pi@example.com"]


def test_accept_deletion_needs_slots_and_note(application, company, operator):
    data_request = file(company, Kind.DELETE)

    with pytest.raises(services.DataRequestError):
        services.accept_deletion(data_request, [], note="同意", by=operator)
    with pytest.raises(services.DataRequestError):
        services.accept_deletion(data_request, [Person.PI], note="", by=operator)

    application.refresh_from_db()
    assert application.data["profile"]["pi_email"] == "pi@example.com"


def test_accept_deletion_refused_for_other_kinds(application, company, operator):
    data_request = file(company, Kind.STOP)

    with pytest.raises(services.DataRequestError):
        services.accept_deletion(data_request, [Person.PI], note="同意", by=operator)


def test_events_append_only(application, company):
    data_request = file(company, Kind.QUERY)
    event = DataRequestEvent.objects.get(data_request=data_request)

    with pytest.raises(PermissionError):
        event.save()


def test_reference_number(application, company):
    data_request = file(company, Kind.QUERY)

    assert data_request.reference == f"PD{data_request.pk:05d}"
    assert DataRequest.objects.count() == 1
    assert ApplicationVersion.objects.count() == 1


# --- erasure is by person, not by slot (the review of the first version) ------------------------


def test_erasure_leaves_someone_else_who_held_the_slot_in_another_application(
    call_115, company, application, operator
):
    from aipower.calls.models import Call

    earlier_call = Call.objects.create(
        year=114,
        title_zh="114年度",
        opens_at=call_115.opens_at - datetime.timedelta(days=365),
        closes_at=call_115.closes_at - datetime.timedelta(days=365),
        startup_founded_on_or_after=call_115.startup_founded_on_or_after,
        organiser_zh=call_115.organiser_zh,
        executor_zh=call_115.executor_zh,
        service_email=call_115.service_email,
    )
    earlier = make_application(
        earlier_call,
        company,
        submitted=False,
        profile={
            **PROFILE,
            "contact_name": "王另一人",
            "contact_email": "bob@example.com",
            "pi_name": "陳聯絡",
            "pi_email": "CONTACT@example.com",
        },
    )

    services.erase_personal_data(company, [Person.CONTACT], by=operator)

    earlier.refresh_from_db()
    application.refresh_from_db()
    assert application.data["profile"]["contact_email"] == ""
    # 王另一人 was the contact there: kept; 陳聯絡 was the PI there: erased.
    assert earlier.data["profile"]["contact_name"] == "王另一人"
    assert earlier.data["profile"]["contact_email"] == "bob@example.com"
    assert earlier.data["profile"]["pi_name"] == ""
    assert earlier.data["profile"]["pi_email"] == ""


def test_erasure_reaches_the_privacy_mails_and_the_persons_other_requests(
    application, company, operator
):
    earlier = services.file_request(
        company,
        kind=Kind.CORRECT,
        person=Person.CONTACT,
        requester_name="陳聯絡",
        requester_email="contact@example.com",
        details="手機改為 0922333444",
        by=None,
    )
    services.change_state(earlier, State.REFUSED, note="已自行更新。", by=operator)
    closing = SentMail.objects.get(application__isnull=True)
    assert "陳聯絡" in closing.body

    counts = services.erase_personal_data(company, [Person.CONTACT], by=operator)

    closing.refresh_from_db()
    earlier.refresh_from_db()
    assert closing.to == [services.ERASED_ADDRESS]
    assert "陳聯絡" not in closing.body
    assert (earlier.requester_name, earlier.requester_email, earlier.details) == (
        services.ERASED_NAME,
        services.ERASED_ADDRESS,
        "",
    )
    assert counts["requests"] == 1


def test_erasure_blanks_the_identity_check_of_a_recorded_request(application, company, operator):
    earlier = record(company, Kind.QUERY, operator, identity_check="回撥陳聯絡之手機核對")

    counts = services.erase_personal_data(company, [Person.CONTACT], by=operator)

    earlier.refresh_from_db()
    assert (earlier.requester_name, earlier.identity_check, earlier.channel) == (
        services.ERASED_NAME,
        "",
        "phone",
    )
    assert counts["requests"] == 1


def test_legal_deadline_is_15_or_30_days_and_shows_overdue(application, company, operator):
    from aipower.privacy.models import DataRequest as Model

    query = services.file_request(
        company, kind=Kind.QUERY, person=Person.PI, requester_name="林主持",
        requester_email="pi@example.com", details="", by=None,
    )  # fmt: skip
    delete = services.file_request(
        company, kind=Kind.DELETE, person=Person.PI, requester_name="林主持",
        requester_email="pi@example.com", details="", by=None,
    )  # fmt: skip
    filed = timezone.localtime(query.created_at).date()
    Model.objects.filter(pk=delete.pk).update(
        created_at=query.created_at - datetime.timedelta(days=31)
    )
    delete.refresh_from_db()

    assert query.due_on == filed + datetime.timedelta(days=15)
    assert (query.overdue, delete.overdue) == (False, True)
    services.change_state(delete, State.REFUSED, note="計畫追蹤期間仍須保存。", by=operator)
    delete.refresh_from_db()
    assert delete.overdue is False  # closed requests are never overdue


def test_the_operator_sees_whether_the_requester_is_a_contact_on_file(application, company):
    contact = services.file_request(
        company, kind=Kind.QUERY, person=Person.CONTACT, requester_name="陳聯絡",
        requester_email="Contact@Example.com", details="", by=None,
    )  # fmt: skip
    stranger = services.file_request(
        company, kind=Kind.STOP, person=Person.OTHER, requester_name="某人",
        requester_email="someone@elsewhere.example", details="", by=None,
    )  # fmt: skip

    assert services.is_contact_on_file(contact) is True
    assert services.is_contact_on_file(stranger) is False


def test_the_same_request_recorded_again_is_recorded_once(application, company, operator):
    """The operator's 登錄 sent again (the back button, a second click): one request, one
    audit entry; another request of the same person is recorded."""
    first = record(company, Kind.STOP, operator)

    again = record(company, Kind.STOP, operator)
    other = record(company, Kind.QUERY, operator)

    assert again == first
    assert again.repeated
    assert not other.repeated
    assert AuditEntry.objects.filter(action="privacy.request_filed").count() == 2
