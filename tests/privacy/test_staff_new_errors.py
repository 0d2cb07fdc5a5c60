"""/staff/privacy/new/ sent back with errors: an error summary at the top of the form
(core/_error_summary.html) names every field in error with a link to it, plus the errors of
no single field; the page's script moves the focus to it. Required fields' labels carry the
wizard's asterisk, hidden from assistive technology (the input itself says it is required)."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from tests.core.error_summary import summary

from .test_views import RECORDED

pytestmark = pytest.mark.integration


def test_invalid_submit_shows_a_summary_linking_each_field_in_error(application, operator_client):
    response = operator_client.post(
        "/staff/privacy/new/",
        {**RECORDED, "company": "12345675", "requester_email": "x", "identity_check": ""},
    )
    content = response.content.decode()

    assert response.status_code == 200
    assert summary(content) == (
        "請修正下列欄位：",
        [
            "#id_company 申請企業",
            "#id_requester_email 當事人電子信箱",
            "#id_identity_check 身分查驗說明",
        ],
    )
    # The summary opens the form, before its first field.
    form = content.split('<form method="post"', 1)[1]
    assert form.index('id="error-summary"') < form.index('id="row-company"')
    for name in ("company", "requester_email", "identity_check"):
        assert f'id="id_{name}"' in content


class Contact(forms.Form):
    name = forms.CharField(label="當事人姓名")


def test_summary_lists_an_error_of_no_single_field_before_the_fields():
    form = Contact({"name": ""})
    form.is_valid()
    form.add_error(None, "此企業目前無法登錄請求")

    content = render_to_string(
        "core/_error_summary.html", {"form": form, "title": "請修正下列欄位："}
    )

    assert summary(content) == (
        "請修正下列欄位：",
        ["此企業目前無法登錄請求", "#id_name 當事人姓名"],
    )


def test_summary_absent_from_a_valid_form():
    form = Contact({"name": "陳聯絡"})
    form.is_valid()

    assert render_to_string("core/_error_summary.html", {"form": form, "title": "x"}).strip() == ""


def test_summary_in_english(application, operator_client):
    operator_client.cookies.load({"django_language": "en"})

    response = operator_client.post("/staff/privacy/new/", {**RECORDED, "kind": ""})

    assert summary(response.content.decode()) == (
        "Please correct these fields:",
        ["#id_kind Request"],
    )


def test_no_summary_without_errors(operator_client):
    content = operator_client.get("/staff/privacy/new/").content.decode()

    assert "error-summary" not in content
    assert "data-focus-on-load" not in content  # site.js then moves no focus


REQUIRED = [
    ("company", "申請企業"),
    ("kind", "請求事項"),
    ("person", "當事人身分"),
    ("requester_name", "當事人姓名"),
    ("requester_email", "當事人電子信箱"),
    ("channel", "收件方式"),
    ("identity_check", "身分查驗說明"),
]


def test_required_fields_labels_carry_the_wizards_hidden_asterisk(operator_client):
    content = operator_client.get("/staff/privacy/new/").content.decode()

    for name, label in REQUIRED:
        assert (
            f'<p class="field-label"><label for="id_{name}">{label}</label>'
            ' <span class="required" aria-hidden="true">*</span></p>'
        ) in content
    assert '<p class="field-label"><label for="id_details">請求內容說明</label></p>' in content
    assert content.count('<span class="required" aria-hidden="true">*</span>') == 7


def test_required_inputs_say_so_and_the_optional_one_does_not(operator_client):
    content = operator_client.get("/staff/privacy/new/").content.decode()

    for name in ("company", "requester_name", "requester_email", "identity_check"):
        tag = re.search(rf'<(?:input|textarea)[^>]* id="id_{name}"[^>]*>', content).group(0)
        assert " required" in tag
    for name in ("kind", "person", "channel"):
        assert f'<select name="{name}" required id="id_{name}">' in content
    details = re.search(r'<textarea[^>]* id="id_details"[^>]*>', content).group(0)
    assert " required" not in details
