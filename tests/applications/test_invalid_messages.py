"""A value typed but not valid is refused with a message naming the field and saying what a valid
value looks like (「員工數請填寫整數（例如 12）」), in both languages, next to the field, with
what was typed still in the box: each said Django's own 「輸入整數。」, 「輸入有效的日期。」,
「輸入有效的電子郵件地址。」, "Ensure this value has at most 200 characters (it has 201).", …
whatever the field, and a whole number that was not one came back as an empty number box."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from aipower.applications import flow
from tests.invalid_values import django_says

from .conftest import PROFILE

pytestmark = pytest.mark.integration


def codes_refused(field):
    """The codes of what ``field`` refuses, ``required`` aside: its own and its validators'."""
    codes = set()
    for klass in type(field).__mro__:
        codes |= set(getattr(klass, "default_error_messages", {}))
    return (codes | {validator.code for validator in field.validators}) - {"required"}


def errors_of(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def page_errors(draft, identifier, data, language):
    with translation.override(language):
        form = flow.STEPS_BY_ID[identifier].get_form(draft, data, draft=True)
        form.is_valid()
        return errors_of(form)


# (page, field, typed, zh-Hant message, English message)
CASES = [
    (
        "profile",
        "employees",
        "12.5",
        "員工數請填寫整數（例如 12）",
        "Number of employees: enter a whole number (e.g. 12)",
    ),
    (
        "profile",
        "employees",
        "-3",
        "員工數請填寫 0 以上的整數",
        "Number of employees: enter a whole number of 0 or more",
    ),
    (
        "profile",
        "employees",
        "10000001",
        "員工數請填寫不超過 10,000,000 的整數",
        "Number of employees: enter a whole number no larger than 10,000,000",
    ),
    (
        "profile",
        "paid_in_capital",
        "500萬",
        "實收資本額請以數字填寫新臺幣金額（元）（例如 25,000,000）",
        "Paid-in capital: enter the amount in NT$ in digits (e.g. 25,000,000)",
    ),
    (
        "profile",
        "founded_on",
        "2019-02-30",
        "設立登記日期請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）",
        "Date of registration: enter a real date as year-month-day (e.g. 2019-03-01)",
    ),
    (
        "profile",
        "pi_email",
        "pi@",
        "專案主持人電子信箱格式不正確，請填寫如 name@example.com 的電子信箱",
        "Project leader's e-mail: enter an e-mail address like name@example.com",
    ),
    (
        "profile",
        "representative",
        "王" * 201,
        "代表人最多 200 字，目前 201 字，請精簡後再儲存",
        "Representative: at most 200 characters, it has 201; shorten it and save again",
    ),
    (
        "profile",
        "address",
        "臺北市\x00中正區",
        "通訊地址含有無法儲存的控制字元，請刪除後再儲存",
        "Mailing address: contains a control character that cannot be saved; remove it and save "
        "again",
    ),
    (
        "profile",
        "industries",
        ["ZZZ"],
        "行業分類請從選項中選擇（「ZZZ」不是選項之一）",
        'Industry classification: choose one of the options ("ZZZ" is not one of them)',
    ),
    (
        "category",
        "category",
        "bogus",
        "申請類別請從選項中選擇（「bogus」不是選項之一）",
        'Application category: choose one of the options ("bogus" is not one of them)',
    ),
    # Named without the page's numbering and colon (「1. 預計產出模型（項）」, 「A-1 …：」).
    (
        "training-3",
        "expected_models",
        "兩項",
        "預計產出模型（項）請填寫整數（例如 12）",
        "Expected models (count): enter a whole number (e.g. 12)",
    ),
    (
        "training-1",
        "container_model_name",
        "m" * 201,
        "上傳模型名稱最多 200 字，目前 201 字，請精簡後再儲存",
        "Name of the uploaded model: at most 200 characters, it has 201; shorten it and save again",
    ),
    (
        "training-4",
        "pricing_period",
        "yearly-ish",
        "計價時間請從選項中選擇（「yearly-ish」不是選項之一）",
        'Pricing period: choose one of the options ("yearly-ish" is not one of them)',
    ),
    # Named by the form where the label is a question or an instruction.
    (
        "training-1",
        "domains_other",
        "域" * 201,
        "其他產業領域最多 200 字，目前 201 字，請精簡後再儲存",
        "Other industry field: at most 200 characters, it has 201; shorten it and save again",
    ),
    (
        "training-3",
        "dataset_github_url",
        "https://github.com/" + "a" * 482,
        "數據集上架 GitHub 之預設網址最多 500 字，目前 501 字，請精簡後再儲存",
        "Intended GitHub URL of the data set: at most 500 characters, it has 501; shorten it "
        "and save again",
    ),
]


@pytest.mark.parametrize(
    ("identifier", "name", "typed", "chinese", "english"),
    CASES,
    ids=[f"{case[0]}-{case[1]}-{index}" for index, case in enumerate(CASES)],
)
def test_a_bad_value_is_refused_naming_the_field_and_a_valid_value(
    draft, identifier, name, typed, chinese, english
):
    assert identifier in flow.STEPS_BY_ID

    zh = page_errors(draft, identifier, {name: typed}, "zh-hant")
    en = page_errors(draft, identifier, {name: typed}, "en")

    assert zh == {name: [chinese]}
    assert en == {name: [english]}
    field = flow.STEPS_BY_ID[identifier].get_form(draft, draft=True).fields[name]
    assert django_says(field, typed, "zh-hant") not in zh[name]
    assert django_says(field, typed, "en") not in en[name]


def test_a_list_of_options_not_sent_as_a_list_says_to_tick_the_options(draft):
    assert page_errors(draft, "profile", {"industries": "J62"}, "zh-hant") == {
        "industries": ["行業分類請從選項中勾選"]
    }
    assert page_errors(draft, "profile", {"industries": "J62"}, "en") == {
        "industries": ["Industry classification: tick one or more of the options"]
    }


FILLED_IN = ("category", "profile", "training", "inference")


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize(
    # The other pages hold only checkboxes, refused only when left empty.
    "identifier",
    [step.identifier for step in flow.STEPS if step.identifier.split("-")[0] in FILLED_IN],
)
def test_no_field_of_any_page_refuses_a_value_in_django_words(draft, identifier, language):
    """Whatever the field refuses (a number, a date, an address, a length, an option), its
    message is the form's, and it names the field."""
    from aipower.applications.forms import error_name

    step = flow.STEPS_BY_ID[identifier]
    with translation.override(language):
        form = step.form_class(app=draft, draft=True)
        for name, field in form.fields.items():
            named = error_name(form.error_names.get(name, field.label))
            for code in codes_refused(field):
                shown = str(field.error_messages.get(code, ""))
                assert shown.startswith(named), (name, code, shown)
                if language == "en":
                    assert not re.search(r"[\u4e00-\u9fff]", shown.replace(named, "")), shown


def step_url(identifier):
    return reverse("applications:step", args=[identifier])


BAD_PROFILE = {
    **PROFILE,
    "employees": "25人",
    "paid_in_capital": "500萬",
    "pi_email": "pi.example.com",
    "founded_on": "2019-02-30",
}
BAD_PROFILE_FIELDS = ("employees", "paid_in_capital", "pi_email", "founded_on")


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        (
            "zh-hant",
            [
                "員工數請填寫整數（例如 12）",
                "實收資本額請以數字填寫新臺幣金額（元）（例如 25,000,000）",
                "專案主持人電子信箱格式不正確，請填寫如 name@example.com 的電子信箱",
                "設立登記日期請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）",
            ],
        ),
        (
            "en",
            [
                "Number of employees: enter a whole number (e.g. 12)",
                "Paid-in capital: enter the amount in NT$ in digits (e.g. 25,000,000)",
                "Project leader&#x27;s e-mail: enter an e-mail address like name@example.com",
                "Date of registration: enter a real date as year-month-day (e.g. 2019-03-01)",
            ],
        ),
    ],
)
def test_the_page_shows_each_message_under_its_field_with_what_was_typed(
    draft, company_client, language, messages
):
    company_client.cookies["django_language"] = language

    response = company_client.post(step_url("profile"), {**BAD_PROFILE, "revision": draft.revision})
    content = response.content.decode()

    assert response.status_code == 200
    for name, message in zip(BAD_PROFILE_FIELDS, messages, strict=True):
        row = re.search(rf'<div class="form-row has-error" id="row-{name}">.*?</ul>', content, re.S)
        assert message in row.group(0), (name, row.group(0))
    form = response.context["form"]
    assert sorted(form.errors) == sorted(BAD_PROFILE_FIELDS)
    for name in BAD_PROFILE_FIELDS:
        said = django_says(form.fields[name], BAD_PROFILE[name], language)
        assert escape(said) not in content, said
    # What was typed is in the box, and a whole number's box is a text box (a number box shows
    # 「5,000,000」 or 「25人」 as empty).
    for name in ("employees", "paid_in_capital"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', content).group(0)
        assert f'value="{BAD_PROFILE[name]}"' in tag
        assert 'type="text"' in tag and 'inputmode="numeric"' in tag
    assert 'value="pi.example.com"' in content


@pytest.mark.parametrize(
    ("typed", "number"),
    [("25,000,000", 25_000_000), ("25，000，000", 25_000_000), ("1 500", 1500), ("１２", 12)],
)
def test_whole_numbers_are_read_as_people_write_them(draft, typed, number):
    """Digit groups (half- or full-width commas, spaces) and full-width digits are the number
    they write, on the page and in the form's value."""
    form = flow.STEPS_BY_ID["profile"].get_form(draft, draft=True)

    assert form.fields["paid_in_capital"].clean(typed) == number
    if number <= form.fields["employees"].max_value:
        assert form.fields["employees"].clean(typed) == number
    assert page_errors(draft, "profile", {"paid_in_capital": typed}, "zh-hant") == {}


@pytest.mark.parametrize("typed", ["1,2,3", "12,34", "1,000,00", ",", "25,000,000元"])
def test_digits_not_in_groups_of_three_are_still_refused(draft, typed):
    assert page_errors(draft, "profile", {"paid_in_capital": typed}, "zh-hant") == {
        "paid_in_capital": ["實收資本額請以數字填寫新臺幣金額（元）（例如 25,000,000）"]
    }


def test_a_founding_date_typed_in_the_republics_years_is_refused_with_the_conversion(draft):
    """民國 108 typed in the date box as the year 108 would be kept as 0108-03-01 and decide
    the start-up priority: it is refused, saying how to write it."""
    assert page_errors(draft, "profile", {"founded_on": "0108-03-01"}, "zh-hant") == {
        "founded_on": ["設立登記日期請以西元年填寫（例如民國 108 年請填 2019 年）"]
    }
    assert page_errors(draft, "profile", {"founded_on": "0108-03-01"}, "en") == {
        "founded_on": [
            "Date of registration: write the year of the Common Era (ROC year 108 is 2019)"
        ]
    }
    assert page_errors(draft, "profile", {"founded_on": "1912-01-01"}, "zh-hant") == {}


def test_a_founding_date_after_today_is_refused(draft):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    assert page_errors(draft, "profile", {"founded_on": tomorrow}, "zh-hant") == {
        "founded_on": ["設立登記日期不可晚於今天"]
    }
    assert page_errors(draft, "profile", {"founded_on": tomorrow}, "en") == {
        "founded_on": ["Date of registration: it cannot be later than today"]
    }
    today = timezone.localdate().isoformat()
    assert page_errors(draft, "profile", {"founded_on": today}, "zh-hant") == {}
