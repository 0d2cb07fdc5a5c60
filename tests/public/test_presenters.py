"""How the public pages word numbers, batches and call states."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from aipower.calls.enums import CategoryKind
from aipower.calls.models import Call, Category
from aipower.public import presenters

pytestmark = pytest.mark.unit


def test_batch_label_in_chinese_and_english():
    with translation.override("zh-hant"):
        chinese = presenters.batch_label(3)
    with translation.override("en"):
        english = presenters.batch_label(3)

    assert chinese == "第三梯次"
    assert english == "Batch 3"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("0.5"), "0.5"), (Decimal("500.00"), "500"), (Decimal("1234.50"), "1,234.5")],
)
def test_format_decimal_drops_trailing_zeros(value, expected):
    assert presenters.format_decimal(value) == expected


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (100_000, "10萬"),
        (100_000_000, "1億"),
        (600_000_000, "6億"),
        (1_000, "1,000"),
        (12_345, "12,345"),
    ],
)
def test_format_count_uses_wan_and_yi_in_chinese(number, expected):
    with translation.override("zh-hant"):
        assert presenters.format_count(number) == expected


def test_format_count_uses_digits_in_english():
    with translation.override("en"):
        assert presenters.format_count(100_000_000) == "100,000,000"


def test_point_value_of_training_is_derived_from_gpu_seconds():
    category = Category(kind=CategoryKind.TRAINING, units_per_point=1800, metering_unit=1)

    with translation.override("zh-hant"):
        assert presenters.point_value_text(category) == "1 點 = 0.5 GPU 小時"
        assert presenters.amount_text(category, 6000 * 1800) == "3,000 GPU 小時"


def test_point_value_of_inference_is_derived_from_tokens():
    category = Category(kind=CategoryKind.INFERENCE, units_per_point=100_000, metering_unit=1000)

    with translation.override("zh-hant"):
        assert presenters.point_value_text(category) == "1 點 = 10萬個 Token（Input 或 Output）"
        assert presenters.metering_text(category) == "最小計量單位為 1,000個 Token"


def make_call(**fields):
    now = timezone.now()
    values = {
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=1),
        "is_suspended": False,
    }
    values.update(fields)
    return Call(**values)


def test_call_status_open():
    status = presenters.call_status(make_call())

    assert status.is_open is True
    assert status.reason == ""


def test_call_status_suspended():
    with translation.override("zh-hant"):
        status = presenters.call_status(make_call(is_suspended=True))

    assert status.is_open is False
    assert status.reason == "主辦單位已暫停收件，恢復收件時將另行公告。"


def test_call_status_closed_names_the_deadline():
    closes_at = datetime.datetime(2026, 10, 30, 23, 59, 59, tzinfo=timezone.get_default_timezone())

    with translation.override("zh-hant"):
        status = presenters.call_status(make_call(closes_at=closes_at))

    assert status.is_open is False
    assert status.reason == "本計畫已於 115年10月30日 23:59 截止收件。"


def test_call_status_without_a_call():
    with translation.override("zh-hant"):
        status = presenters.call_status(None)

    assert status.is_open is False
    assert status.reason == "目前尚無開放申請之計畫。"
