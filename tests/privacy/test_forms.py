"""The request form: a contact on file or a typed data subject; what each kind needs. The
operator's form for a request received by e-mail, phone, at the counter or in writing."""

import pytest

from aipower.privacy.forms import CorrectionForm, RequestForm, StaffRequestForm, contacts_on_file

pytestmark = pytest.mark.unit

CONTACTS = {"pi": ("林主持", "pi@example.com")}


def test_request_form_contact_on_file_fills_name_and_email():
    form = RequestForm({"kind": "query", "subject": "pi"}, contacts=CONTACTS)

    assert form.is_valid()
    assert form.cleaned_data["requester_name"] == "林主持"
    assert form.cleaned_data["requester_email"] == "pi@example.com"


def test_request_form_typed_name_ignored_for_contact_on_file():
    form = RequestForm(
        {"kind": "query", "subject": "pi", "requester_email": "x@example.com"},
        contacts=CONTACTS,
    )

    assert form.is_valid()
    assert form.cleaned_data["requester_email"] == "pi@example.com"


def test_request_form_unknown_contact_refused():
    form = RequestForm({"kind": "query", "subject": "contact2"}, contacts=CONTACTS)

    assert not form.is_valid()
    assert list(form.errors) == ["subject"]


def test_request_form_missing_kind_and_subject():
    form = RequestForm({}, contacts=CONTACTS)

    assert form.errors == {"kind": ["請選擇請求事項"], "subject": ["請選擇當事人"]}


def test_request_form_correction_needs_details():
    form = RequestForm({"kind": "correct", "subject": "pi", "details": " "}, contacts=CONTACTS)

    assert form.errors == {"details": ["請寫明要補充或更正的欄位及正確內容"]}


def test_contacts_on_file_newest_application_first():
    held = [
        {
            "people": [
                {
                    "slot": "contact",
                    "fields": [("contact_name", "", "新聯絡人"), ("contact_email", "", "n@x.tw")],
                }
            ]
        },
        {
            "people": [
                {
                    "slot": "contact",
                    "fields": [("contact_name", "", "舊聯絡人"), ("contact_email", "", "o@x.tw")],
                },
                {"slot": "pi", "fields": [("pi_name", "", "林主持"), ("pi_email", "", "")]},
            ]
        },
    ]

    assert contacts_on_file(held) == {"contact": ("新聯絡人", "n@x.tw")}


def test_correction_form_draft_lenient_submitted_strict():
    assert CorrectionForm({}, submitted=False).is_valid()
    strict = CorrectionForm({}, submitted=True)
    assert not strict.is_valid()
    assert "pi_email" in strict.errors
    assert "contact2_email" not in strict.errors


def test_correction_form_normalises_phone():
    form = CorrectionForm({"contact_mobile": "0922-333-444"}, submitted=False)

    assert form.is_valid()
    assert form.values()["contact_mobile"] == "0922333444"


STAFF_VALUES = {
    "company": "12345678",
    "kind": "delete",
    "person": "pi",
    "requester_name": "林主持",
    "requester_email": "pi@example.com",
    "details": "",
    "channel": "email",
    "identity_check": "核對身分證明文件",
}


def test_staff_request_form_invalid_ubn_refused_before_any_look_up():
    form = StaffRequestForm(STAFF_VALUES)

    assert form.errors == {
        "company": ["統一編號 12345678 的檢查碼不正確，請核對營業登記或工商憑證上的統一編號。"]
    }


@pytest.mark.django_db
def test_staff_request_form_reads_a_number_typed_full_width_with_a_hyphen():
    from aipower.accounts.models import Company

    company = Company.objects.create(ubn="84700087", name="晴空")
    form = StaffRequestForm({**STAFF_VALUES, "company": "８４７０－００８７"})

    form.is_valid()
    assert "company" not in form.errors
    assert form.cleaned_data["company"] == company


def test_staff_request_form_says_when_the_number_is_not_eight_digits():
    form = StaffRequestForm({**STAFF_VALUES, "company": "8470-008"})

    assert form.errors["company"] == ["統一編號應為8位數字（您輸入了「8470008」），請再確認。"]


def test_staff_request_form_identity_check_required():
    form = StaffRequestForm({**STAFF_VALUES, "identity_check": "   "})

    assert form.errors["identity_check"] == ["請填寫身分查驗說明"]


def test_staff_request_form_everything_missing():
    form = StaffRequestForm({})

    assert form.errors == {
        "company": ["請填寫申請企業之統一編號"],
        "kind": ["請選擇請求事項"],
        "person": ["請選擇當事人身分"],
        "requester_name": ["請填寫當事人姓名"],
        "requester_email": ["請填寫當事人電子信箱"],
        "channel": ["請選擇收件方式"],
        "identity_check": ["請填寫身分查驗說明"],
    }


def test_staff_request_form_online_is_not_a_staff_channel():
    form = StaffRequestForm({**STAFF_VALUES, "channel": "online"})

    assert "channel" in form.errors
    assert [value for value, _label in form.fields["channel"].choices] == [
        "",
        "email",
        "phone",
        "counter",
        "written",
    ]


def test_staff_request_form_correction_needs_details():
    form = StaffRequestForm({**STAFF_VALUES, "kind": "correct", "details": " "})

    assert form.errors["details"] == ["請寫明要補充或更正的欄位及正確內容"]
