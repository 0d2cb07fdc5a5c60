"""Several chosen options shown on one line (the saved-elsewhere note, the printable view's
answers) are joined with 、 in zh-Hant and with commas in English."""

import pytest
from django import forms
from django.utils import translation

from aipower.applications.views import _shown, answer_rows

pytestmark = pytest.mark.unit


class Choices(forms.Form):
    customers = forms.MultipleChoiceField(choices=[("sme", "中小型企業"), ("gov", "政府單位")])


def test_shown_joins_several_choices_with_the_active_languages_separator():
    field = Choices.base_fields["customers"]

    with translation.override("en"):
        english = _shown(field, ["sme", "gov"])
    with translation.override("zh-hant"):
        chinese = _shown(field, ["sme", "gov"])

    assert english == "中小型企業, 政府單位"
    assert chinese == "中小型企業、政府單位"


def test_answer_rows_join_several_choices_with_the_active_languages_separator():
    form = Choices({"customers": ["sme", "gov"]})

    with translation.override("en"):
        english = [row["value"] for row in answer_rows(form)]
    with translation.override("zh-hant"):
        chinese = [row["value"] for row in answer_rows(form)]

    assert english == ["中小型企業, 政府單位"]
    assert chinese == ["中小型企業、政府單位"]
