"""The staff's survey-round form names each call in the page's language: its English title in
English when one was entered, the zh-Hant title otherwise."""

import pytest
from django.utils import translation

from aipower.followup.forms import RoundForm

pytestmark = pytest.mark.integration


def choice_labels():
    return [label for value, label in RoundForm().fields["call"].choices if value]


def test_calls_are_named_in_the_pages_language(call_115):
    type(call_115).objects.filter(pk=call_115.pk).update(
        title_zh="115年度算力平台申請", title_en="2026 AI Compute Grant"
    )

    with translation.override("en"):
        english = choice_labels()
    with translation.override("zh-hant"):
        chinese = choice_labels()

    assert english == ["2026 AI Compute Grant"]
    assert chinese == ["115年度算力平台申請"]


def test_a_call_without_an_english_title_keeps_its_own(call_115):
    type(call_115).objects.filter(pk=call_115.pk).update(
        title_zh="115年度算力平台申請", title_en=""
    )

    with translation.override("en"):
        assert choice_labels() == ["115年度算力平台申請"]
