"""The language-aware display helpers: inline lists and a company's name with its 統一編號."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from aipower.core.i18n import batch_number, chinese_numeral, company_label, join_list

pytestmark = pytest.mark.unit

COMPANY = SimpleNamespace(name="示範智能股份有限公司", ubn="04595257")


def test_join_list_in_chinese_uses_the_enumeration_comma():
    with translation.override("zh-hant"):
        assert join_list(["PDF", "DOCX", "ODT"]) == "PDF、DOCX、ODT"


def test_join_list_in_english_uses_commas():
    with translation.override("en"):
        assert join_list(["PDF", "DOCX", "ODT"]) == "PDF, DOCX, ODT"


def test_company_label_in_chinese_uses_full_width_parentheses():
    with translation.override("zh-hant"):
        assert company_label(COMPANY) == "示範智能股份有限公司（04595257）"


def test_company_label_in_english_uses_ordinary_parentheses():
    with translation.override("en"):
        assert company_label(COMPANY) == "示範智能股份有限公司 (04595257)"


def test_filters_escape_and_follow_the_active_language():
    template = Template("{% load i18n_fields %}{{ company|company_label }}|{{ items|join_list }}")
    context = Context({"company": COMPANY, "items": ["<b>", "乙"]})

    with translation.override("en"):
        english = template.render(context)
    with translation.override("zh-hant"):
        chinese = template.render(context)

    assert english == "示範智能股份有限公司 (04595257)|&lt;b&gt;, 乙"
    assert chinese == "示範智能股份有限公司（04595257）|&lt;b&gt;、乙"


def test_zh_hant_reads_and_writes_a_time_with_its_seconds_first():
    from django.utils import formats
    from django.views.i18n import get_formats

    with translation.override("zh-hant"):
        time_formats = formats.get_format("TIME_INPUT_FORMATS")
        date_formats = formats.get_format("DATE_INPUT_FORMATS")
        script_formats = get_formats()  # what the admin's 「現在」 and clock picker use

    assert time_formats[0] == "%H:%M:%S"
    assert "%H:%M" in time_formats  # a time typed without seconds is still read
    assert date_formats[0] == "%Y/%m/%d"  # the rest comes from Django's zh_Hant module
    assert script_formats["TIME_INPUT_FORMATS"][0] == "%H:%M:%S"


@pytest.mark.parametrize(
    ("number", "expected"),
    [(1, "一"), (6, "六"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (100, "100")],
)
def test_chinese_numeral_spells_small_numbers(number, expected):
    assert chinese_numeral(number) == expected


def test_a_batch_number_in_each_language():
    with translation.override("zh-hant"):
        chinese = batch_number(2)
    with translation.override("en"):
        english = batch_number(2)

    assert (chinese, english) == ("二", "2")
