"""A wizard page sent back with errors opens its form with the error summary
(core/_error_summary.html): 「請修正下列欄位：」, the errors of no single field, and a link to each
field in error whose target is an input of the page (a group of radio buttons or checkboxes is
reached by its first option). The draft-save, the 「?check=1」 page and the update after
submission keep what they did: values kept, errors next to the fields, valid answers saved."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from aipower.applications import services
from aipower.applications.models import Application
from tests.core.error_summary import link_targets, summary

from .conftest import PROFILE, TRAINING, save_page

pytestmark = pytest.mark.integration


def focusable_tag(content, element_id):
    """The opening tag of the input, select or textarea with ``element_id``, or None."""
    match = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{element_id}"[^>]*>', content)
    return match and match.group(0)


def step_url(identifier):
    return reverse("applications:step", args=[identifier])


def test_next_without_a_category_shows_a_summary_linking_the_first_option(draft, company_client):
    response = company_client.post(step_url("category"), {"revision": draft.revision})
    content = response.content.decode()

    assert response.status_code == 200
    assert summary(content) == ("請修正下列欄位：", ["#id_category_0 請選擇申請類別"])
    tag = focusable_tag(content, "id_category_0")
    assert 'type="radio"' in tag
    assert 'name="category"' in tag
    # The error next to the field stays; the summary opens the form, before its first field.
    assert '<ul class="errorlist" id="id_category_error"><li>請選擇申請類別</li></ul>' in (content)
    form = content.split('<form method="post"', 1)[1]
    assert form.index('id="error-summary"') < form.index('id="row-category"')
    assert Application.objects.get().data.get("category", {}).get("category") in (None, "")


def test_draft_with_bad_values_is_saved_where_valid_and_summarised(
    draft, company_user, company_client
):
    draft = save_page(draft, company_user, "category", {"category": "training"})
    values = {**PROFILE, "pi_phone": "12345", "contact_email": "not-an-email"}

    response = company_client.post(step_url("profile"), {**values, "revision": draft.revision})
    content = response.content.decode()

    assert response.status_code == 200
    heading, items = summary(content)
    assert heading == "請修正下列欄位："
    assert items == [
        "#id_pi_phone 專案主持人連絡電話(公司)市話",
        "#id_contact_email 專案聯絡人電子信箱",
    ]
    for target in link_targets(content):
        assert focusable_tag(content, target) is not None, target
    # What was typed is kept, the errors are still next to their fields, the page is saved.
    assert 'value="12345"' in focusable_tag(content, "id_pi_phone")
    assert 'id="id_pi_phone_error"' in content
    assert "已儲存本頁，但有欄位需要修正，請參考欄位旁的說明" in content
    saved = Application.objects.get().data["profile"]
    assert saved["representative"] == PROFILE["representative"]
    assert saved["pi_phone"] == "12345"


def test_checked_page_links_checkbox_groups_to_their_first_option(
    draft, company_user, company_client
):
    save_page(draft, company_user, "category", {"category": "training"})

    response = company_client.get(step_url("training-1") + "?check=1")
    content = response.content.decode()

    assert response.status_code == 200
    heading, items = summary(content)
    assert heading == "請修正下列欄位："
    assert "#id_topic 專案主題" in items
    assert "#id_domains_0 推動使用產業領域" in items
    assert 'type="checkbox"' in focusable_tag(content, "id_domains_0")
    for target in link_targets(content):
        assert focusable_tag(content, target) is not None, target


def test_update_after_submission_with_a_missing_answer_is_summarised(
    complete_training, company_user, company_client
):
    app = services.submit_application(complete_training, company_user)
    values = {**TRAINING["training-2"], "dataset_description": ""}

    response = company_client.post(
        step_url("training-2"), {**values, "revision": app.revision, "application": app.pk}
    )
    content = response.content.decode()

    assert response.status_code == 400
    heading, items = summary(content)
    assert heading == "請修正下列欄位："
    assert len(items) == 1
    assert items[0].startswith("#id_dataset_description ")
    assert focusable_tag(content, "id_dataset_description").startswith("<textarea")
    app.refresh_from_db()
    assert app.data["training"]["dataset_description"] == "無"


def test_summary_in_english(draft, company_client):
    company_client.cookies.load({"django_language": "en"})

    response = company_client.post(step_url("category"), {"revision": draft.revision})

    heading, items = summary(response.content.decode())
    assert heading == "Please correct these fields:"
    assert len(items) == 1
    assert items[0].startswith("#id_category_0 ")


def test_no_summary_on_a_page_without_errors(draft, company_client):
    content = company_client.get(step_url("category")).content.decode()

    assert "error-summary" not in content
    assert "data-focus-on-load" not in content


class Choices(forms.Form):
    name = forms.CharField(label="姓名")
    kind = forms.ChoiceField(
        label="類別", choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect
    )
    tags = forms.MultipleChoiceField(
        label="標籤",
        choices=[("群組", [("x", "X"), ("y", "Y")])],
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(label="地區", choices=[("n", "北"), ("s", "南")])


def test_summary_links_choice_groups_to_their_first_option_and_the_rest_to_their_input():
    form = Choices({})
    form.is_valid()
    form.add_error(None, "整張表單的錯誤")

    content = render_to_string("core/_error_summary.html", {"form": form, "title": "請修正："})
    page = "".join(str(form[name]) for name in form.fields)

    assert summary(content) == (
        "請修正：",
        [
            "整張表單的錯誤",
            "#id_name 姓名",
            "#id_kind_0 類別",
            "#id_tags_0_0 標籤",
            "#id_region 地區",
        ],
    )
    for target in link_targets(content):
        assert focusable_tag(page, target) is not None, target
