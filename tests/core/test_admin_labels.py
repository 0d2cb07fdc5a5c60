"""Admin inputs Django leaves without a label are named (aria-label): the date and time boxes
of a date-time field, the inputs of tabular inline rows and of editable change-list columns."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

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


def test_time_boxes_show_seconds_so_an_unchanged_save_keeps_the_deadline(operator_client, call_115):
    local = timezone.localtime(call_115.closes_at)
    call_115.closes_at = local.replace(hour=23, minute=59, second=59, microsecond=0)
    call_115.save(update_fields=["closes_at"])
    url = reverse("admin:calls_call_change", args=[call_115.pk])

    box = _input(operator_client, url, "closes_at_1")

    assert 'value="23:59:59"' in box
