"""The survey form: the application's section 8 rules (exclusive 8.2 option, 其他 texts), the
https links, lenient drafts that keep what was typed, and what the application planned."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from aipower.followup.forms import RoundForm, SurveyForm, answer_rows
from aipower.followup.models import Round

from .conftest import ANSWERS, cleaned

pytestmark = pytest.mark.unit


def _data(**changes):
    answers = {**ANSWERS, **changes}
    return MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in answers.items()})


def test_survey_form_accepts_complete_answers():
    form = SurveyForm(_data(), app=None)

    assert form.is_valid(), form.errors
    assert form.stored_values() == cleaned()


def test_survey_form_has_the_application_labels_and_no_section_9():
    form = SurveyForm(app=None)

    assert str(form.fields["customers"].label) == "8.1 主要目標客戶"
    assert str(form.fields["progress"].label) == "8.2 產品化進度"
    assert str(form.fields["pricing_period_other"].label) == "8.5.1 計價時間如勾選其他，請補充："
    assert "other_needs" not in form.fields


def test_in_development_cannot_be_ticked_with_another_progress():
    form = SurveyForm(_data(progress=["launched", "in_development"]), app=None)

    assert not form.is_valid()
    assert form.errors["progress"] == ["「以上皆無，尚在開發階段」不可與其他選項同時勾選"]


def test_other_product_form_needs_its_text():
    form = SurveyForm(_data(product_forms_other=""), app=None)

    assert not form.is_valid()
    assert form.errors["product_forms_other"] == ["已勾選「其他」，請填寫說明"]


def test_http_product_url_is_refused():
    form = SurveyForm(_data(product_url="http://beigang.example"), app=None)

    assert not form.is_valid()
    assert form.errors["product_url"] == ["請輸入以 https:// 開頭的有效網址"]


def test_optional_fields_may_be_empty():
    form = SurveyForm(_data(product_url="", revenue="", open_source_url="", notes=""), app=None)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["revenue"] is None
    assert form.cleaned_data["product_url"] == ""


def test_negative_count_is_refused():
    form = SurveyForm(_data(paying_customers="-1"), app=None)

    assert not form.is_valid()
    assert list(form.errors) == ["paying_customers"]


def test_draft_requires_nothing_and_keeps_refused_input():
    data = MultiValueDict({"models_made": ["兩個"], "product_name": ["客服"]})
    form = SurveyForm(data, app=None, draft=True)

    assert not form.is_valid()
    assert list(form.errors) == ["models_made"]
    values = form.stored_values()
    assert values["models_made"] == "兩個"
    assert values["product_name"] == "客服"
    assert values["customers"] == []


def test_planned_figures_are_shown_beside_the_counts():
    form = SurveyForm(app=None, planned={"models": 1, "applications": None})

    assert str(form.fields["models_made"].help_text) == "申請時預計產出模型：1 項"
    assert str(form.fields["applications_made"].help_text) == "申請時預計產出應用：— 項"


def test_answer_rows_show_option_labels_in_the_form_order():
    listed = answer_rows(cleaned())
    rows = {name: shown for name, _label, shown in listed}

    assert [name for name, _label, _shown in listed][:3] == [
        "models_made",
        "applications_made",
        "customers",
    ]
    assert listed[-1][0] == "notes"

    assert rows["customers"] == "中小型企業、政府單位/協會"
    assert rows["pricing_period"] == "按月計費"
    assert rows["revenue"] == "1500000"
    assert rows["product_url"] == "https://beigang.example/assistant"


def test_round_form_refuses_missing_dates():
    form = RoundForm({"title": "x"})

    assert not form.is_valid()
    assert set(form.errors) == {"call", "opens_on", "due_on"}


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_round_form_shows_the_round_dates_in_the_date_inputs_format(language):
    round_ = Round(title="115年度產品化調查（第1次）", call_id=1, opens_on=date(2026, 11, 28))
    round_.due_on = date(2026, 12, 28)

    with translation.override(language):
        form = RoundForm(instance=round_)
        opens_on, due_on = str(form["opens_on"]), str(form["due_on"])

    # <input type="date"> only takes ISO dates; zh-Hant's first input format is 2026/11/28.
    assert 'value="2026-11-28"' in opens_on
    assert 'value="2026-12-28"' in due_on


def test_answer_rows_join_several_choices_in_the_active_language():
    with translation.override("en"):
        english = {name: shown for name, _label, shown in answer_rows(cleaned())}
    with translation.override("zh-hant"):
        chinese = {name: shown for name, _label, shown in answer_rows(cleaned())}

    assert (
        english["customers"] == "Small and medium enterprises, Government agencies / associations"
    )
    assert chinese["customers"] == "中小型企業、政府單位/協會"


def test_an_empty_round_form_says_what_each_field_needs():
    """Sent empty, the round form said Django's 這個欄位是必須的。 under every field; now what
    to fill in, as the site's other forms do (and a mistyped date how to write it)."""
    empty = RoundForm({})
    mistyped = RoundForm({"opens_on": "115/12/01", "due_on": "2026-13-01"})

    assert not empty.is_valid()
    assert empty.errors == {
        "title": ["請填寫調查名稱"],
        "call": ["請選擇徵件"],
        "opens_on": ["請填寫開放填報日"],
        "due_on": ["請填寫填報截止日"],
    }
    assert not mistyped.is_valid()
    assert mistyped.errors["opens_on"] == [
        "開放填報日請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）"
    ]
    assert mistyped.errors["due_on"] == [
        "填報截止日請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）"
    ]
