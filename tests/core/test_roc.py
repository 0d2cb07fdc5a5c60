"""ROC calendar conversions."""

import datetime

import pytest

from aipower.core.roc import format_date_in, format_roc_date, parse_roc_compact

pytestmark = pytest.mark.unit


def test_format_roc_date_deadline_of_year_115():
    assert format_roc_date(datetime.date(2026, 10, 30)) == "115年10月30日"


def test_format_roc_date_none_is_empty():
    assert format_roc_date(None) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1070101", datetime.date(2018, 1, 1)),
        ("1100315", datetime.date(2021, 3, 15)),
        ("991231", datetime.date(2010, 12, 31)),
        ("", None),
        ("  ", None),
    ],
)
def test_parse_roc_compact_accepts_tax_data_dates(text, expected):
    assert parse_roc_compact(text) == expected


@pytest.mark.parametrize("text", ["1070230", "10701", "abcdefg", "1071301", "10701010"])
def test_parse_roc_compact_refuses_non_dates(text):
    with pytest.raises(ValueError):
        parse_roc_compact(text)


def test_format_date_in_writes_roc_for_zh_hant_and_iso_for_english():
    day = datetime.date(2026, 10, 30)

    assert (format_date_in(day, "zh-hant"), format_date_in(day, "en")) == (
        "115年10月30日",
        "2026-10-30",
    )
