"""Admin inputs Django leaves without a label are named (aria-label): the date and time boxes
of a date-time field, the inputs of tabular inline rows and of editable change-list columns."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_client(staff_client):
    return staff_client("operator")


def _input(client, url, name, language="zh-hant"):
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    found = re.findall(rf'<input [^>]*name="{re.escape(name)}"[^>]*>', response.content.decode())
    assert len(found) == 1, name
    return found[0]


def test_call_datetime_boxes_are_named_in_chinese(operator_client, call_115):
    url = reverse("admin:calls_call_change", args=[call_115.pk])

    assert 'aria-label="開始收件（日期）"' in _input(operator_client, url, "opens_at_0")
    assert 'aria-label="開始收件（時間）"' in _input(operator_client, url, "opens_at_1")


def test_call_datetime_boxes_are_named_in_english(operator_client, call_115):
    url = reverse("admin:calls_call_change", args=[call_115.pk])

    assert 'aria-label="Applications open (date)"' in _input(
        operator_client, url, "opens_at_0", "en"
    )


def test_tabular_inline_row_inputs_are_named(operator_client, call_115):
    call_url = reverse("admin:calls_call_change", args=[call_115.pk])
    category = call_115.categories.get(kind="training")
    category_url = reverse("admin:calls_category_change", args=[category.pk])

    assert 'aria-label="級別"' in _input(operator_client, call_url, "tiers-0-code")
    assert 'aria-label="權重（%）"' in _input(operator_client, category_url, "criteria-0-weight")
    assert 'aria-label="收件截止（日期）"' in _input(
        operator_client, category_url, "batches-0-cutoff_at_0"
    )


def test_editable_changelist_column_is_named(operator_client, call_115):
    url = reverse("admin:calls_call_changelist")

    assert 'aria-label="暫停收件"' in _input(operator_client, url, "form-0-is_suspended")


def test_stacked_form_inputs_keep_their_labels_only(operator_client, call_115):
    url = reverse("admin:calls_call_change", args=[call_115.pk])

    assert "aria-label" not in _input(operator_client, url, "year")
