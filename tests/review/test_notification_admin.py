"""The operator edits a notice template in the admin (通知範本, under 審查與核定): the
available variables are shown next to each text, and an unknown variable or broken syntax is
refused next to the field."""

import pytest
from django.urls import reverse

from aipower.accounts.roles import sync_role_groups
from aipower.core.models import NotificationTemplate
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_client(django_user_model):
    user = django_user_model.objects.create_user("op", password="x" * 16, role="operator")
    sync_role_groups()
    return verified_client(user)


def _change_url(key):
    template = NotificationTemplate.objects.get(key=key)
    return reverse("admin:review_notificationtemplate_change", args=[template.pk])


def _form_data(key, **changes):
    template = NotificationTemplate.objects.get(key=key)
    data = {
        name: getattr(template, name)
        for name in ("description", "subject_zh", "body_zh", "subject_en", "body_en")
    }
    data.update(changes)
    return data


def test_change_form_shows_the_notice_variables_as_help_text(operator_client):
    response = operator_client.get(_change_url("points_used_80"))

    assert response.status_code == 200
    form = response.context["adminform"].form
    expected = (
        "可用變數：{{ company }}、{{ category }}、{{ granted }}、{{ used }}、{{ left }}、"
        "{{ percent }}、{{ starts_on }}、{{ ends_on }}、{{ days_left }}、{{ deliverables_days }}"
    )
    assert form.fields["body_zh"].help_text == expected
    assert form.fields["subject_en"].help_text == expected


def test_operator_edit_with_unknown_variable_is_refused_and_kept(operator_client):
    url = _change_url("expiry_soon")
    typed = "{{ company }} 還有 {{ days_remaining }} 天"

    response = operator_client.post(url, _form_data("expiry_soon", body_zh=typed))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["body_zh"]
    assert form.errors["body_zh"][0].startswith("此通知沒有這些變數：days_remaining。")
    assert form["body_zh"].value() == typed
    assert NotificationTemplate.objects.get(key="expiry_soon").body_zh != typed


def test_operator_edit_with_broken_syntax_is_refused(operator_client):
    response = operator_client.post(
        _change_url("inactivity"), _form_data("inactivity", subject_zh="{% if %}")
    )

    form = response.context["adminform"].form
    assert list(form.errors) == ["subject_zh"]
    assert form.errors["subject_zh"][0].startswith("範本語法錯誤：")


def test_operator_edit_is_saved(operator_client):
    response = operator_client.post(
        _change_url("expired"), _form_data("expired", subject_zh="期間結束 {{ ends_on }}")
    )

    assert response.status_code == 302
    assert NotificationTemplate.objects.get(key="expired").subject_zh == "期間結束 {{ ends_on }}"


def test_change_form_in_english_lists_the_notice_variables_with_commas(operator_client):
    operator_client.cookies["django_language"] = "en"

    response = operator_client.get(_change_url("points_used_80"))

    form = response.context["adminform"].form
    assert form.fields["body_zh"].help_text == (
        "Available variables: {{ company }}, {{ category }}, {{ granted }}, {{ used }}, "
        "{{ left }}, {{ percent }}, {{ starts_on }}, {{ ends_on }}, {{ days_left }}, "
        "{{ deliverables_days }}"
    )
