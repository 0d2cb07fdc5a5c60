"""The personal-data forms, the company's and the operator's, refuse a value typed but not valid
naming the field and what a valid value looks like, in zh-Hant and English, next to the field,
with what was typed kept: they said 「請填寫正確的電子信箱」, 「姓名最多 200 字」 whichever
name, and the operator's correction form Django's own 「輸入有效的電子郵件地址。」."""

import pytest

from aipower.privacy import forms
from tests.invalid_values import assert_refused, assert_row_says

from .test_views import RECORDED

pytestmark = pytest.mark.integration

EMAIL_ZH = "%s格式不正確，請填寫如 name@example.com 的電子信箱"
EMAIL_EN = "%s: enter an e-mail address like name@example.com"


def staff_request(data, files):
    return forms.StaffRequestForm(data)


def company_request(data, files):
    return forms.RequestForm(data, contacts={})


@pytest.mark.parametrize("make", [staff_request, company_request])
def test_the_data_subjects_email_and_name_are_named(db, make):
    data = {**RECORDED, "subject": "other"}
    assert_refused(
        make,
        {**data, "requester_email": "not-an-email"},
        "requester_email",
        EMAIL_ZH % "當事人電子信箱",
        EMAIL_EN % "Data subject's e-mail",
    )
    assert_refused(
        make,
        {**data, "requester_name": "名" * 201},
        "requester_name",
        "當事人姓名最多 200 字，目前 201 字，請精簡後再儲存",
        "Data subject's name: at most 200 characters, it has 201; shorten it and save again",
    )
    assert_refused(
        make,
        {**data, "details": "說" * 2001},
        "details",
        "請求內容說明最多 2000 字，目前 2001 字，請精簡後再儲存",
        "Details of the request: at most 2000 characters, it has 2001; shorten it and save again",
    )


def test_the_operators_request_names_the_identity_check_and_the_channel(db):
    assert_refused(
        staff_request,
        {**RECORDED, "identity_check": "查" * 1001},
        "identity_check",
        "身分查驗說明最多 1000 字，目前 1001 字，請精簡後再儲存",
        "Identity check: at most 1000 characters, it has 1001; shorten it and save again",
    )
    assert_refused(
        staff_request,
        {**RECORDED, "kind": "everything"},
        "kind",
        "請求事項請從選項中選擇（「everything」不是選項之一）",
        'Request: choose one of the options ("everything" is not one of them)',
    )


def test_the_correction_form_names_each_contact_field_as_the_application_form_does():
    def make(data, files):
        return forms.CorrectionForm(data, submitted=False)

    assert_refused(
        make,
        {"pi_email": "pi@"},
        "pi_email",
        EMAIL_ZH % "專案主持人電子信箱",
        EMAIL_EN % "Project leader's e-mail",
    )
    assert_refused(
        make,
        {"contact_name": "名" * 201},
        "contact_name",
        "專案聯絡人姓名最多 200 字，目前 201 字，請精簡後再儲存",
        "Project contact's name: at most 200 characters, it has 201; shorten it and save again",
    )


def test_the_deletion_and_its_note_are_named():
    make = lambda data, files: forms.DeletionForm(data)  # noqa: E731
    assert_refused(
        make,
        {"slots": ["nobody"], "note": "刪除"},
        "slots",
        "要刪除的聯絡人資料請從選項中選擇（「nobody」不是選項之一）",
        'Contact data to delete: choose one of the options ("nobody" is not one of them)',
    )
    assert_refused(
        lambda data, files: forms.TransitionForm(data),
        {"note": "結" * 2001},
        "note",
        "處理結果說明最多 2000 字，目前 2001 字，請精簡後再儲存",
        "Outcome note: at most 2000 characters, it has 2001; shorten it and save again",
    )


def test_the_operators_page_says_it_in_the_emails_row_and_keeps_it(application, operator_client):
    response = operator_client.post(
        "/staff/privacy/new/", {**RECORDED, "requester_email": "contact@"}
    )

    html = response.content.decode()
    assert_row_says(html, "requester_email", EMAIL_ZH % "當事人電子信箱", "contact@")
    assert "請填寫正確的電子信箱" not in html and "輸入有效的電子郵件地址" not in html
