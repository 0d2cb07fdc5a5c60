"""The productisation survey refuses a value typed but not valid with a message naming the field
and saying what a valid value looks like, in both languages, next to the field, with what was
typed still in the box: each said Django's own 「輸入整數。」, "Enter a whole number.", 「請確認
這個值至多包含 200 個字…」, … and a number that was not one came back as an empty number box."""

import re

import pytest
from django.utils.html import escape

from aipower.followup.models import Response

pytestmark = pytest.mark.integration

BAD = {
    "action": "draft",
    "models_made": "兩個",
    "paying_customers": "-1",
    "revenue": "150萬",
    "pricing_period": "yearly-ish",
    "product_name": "客" * 201,
    "open_source_url": "https://huggingface.co/" + "m" * 478,
}
NUMBERS = ("models_made", "paying_customers", "revenue")

ZH = {
    "models_made": "已產出模型（項）請填寫整數（例如 12）",
    "paying_customers": "付費客戶數請填寫 0 以上的整數",
    "revenue": "營收請以數字填寫新臺幣金額（元）（例如 25,000,000）",
    "pricing_period": "計價時間請從選項中選擇（「yearly-ish」不是選項之一）",
    "product_name": "產品或服務名稱最多 200 字，目前 201 字，請精簡後再儲存",
    "open_source_url": "開源釋出之資料集或模型網址最多 500 字，目前 501 字，請精簡後再儲存",
}
EN = {
    "models_made": "Models produced (count): enter a whole number (e.g. 12)",
    "paying_customers": "Number of paying customers: enter a whole number of 0 or more",
    "revenue": "Revenue: enter the amount in NT$ in digits (e.g. 25,000,000)",
    "pricing_period": 'Pricing period: choose one of the options ("yearly-ish" is not one of them)',
    "product_name": (
        "Product or service name: at most 200 characters, it has 201; shorten it and save again"
    ),
    "open_source_url": (
        "URL of the data set or model released as open source: at most 500 characters, it has "
        "501; shorten it and save again"
    ),
}
# What Django itself said.
GENERIC = {
    "zh-hant": ["輸入整數", "請確認此數值是否大於或等於 0", "請選擇有效的選項", "請確認這個值至多"],
    "en": [
        "Enter a whole number.",
        "Ensure this value is greater than or equal to 0",
        "Select a valid choice",
        "Ensure this value has at most",
    ],
}


@pytest.mark.parametrize(("language", "expected"), [("zh-hant", ZH), ("en", EN)])
def test_bad_values_are_refused_by_name_next_to_their_field_and_kept(
    client, company_user, open_round, training_ended, language, expected
):
    client.force_login(company_user(training_ended.company))
    client.cookies["django_language"] = language

    response = client.post(f"/followup/{open_round.pk}/", BAD)
    content = response.content.decode()

    assert response.status_code == 200
    errors = {
        name: [str(m) for m in messages]
        for name, messages in response.context["form"].errors.items()
    }
    assert errors == {name: [message] for name, message in expected.items()}
    for name, message in expected.items():
        row = re.search(rf'id="row-{name}".*?</ul>', content, re.S)
        assert row and escape(message) in row.group(0), name
    for generic in GENERIC[language]:
        assert generic not in content, generic
    for name in NUMBERS:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', content).group(0)
        assert f'value="{escape(BAD[name])}"' in tag, tag
        assert 'type="text"' in tag and 'inputmode="numeric"' in tag
    assert Response.objects.get().draft["revenue"] == "150萬"


# -- The operator's round ------------------------------------------------------------------


def test_the_rounds_title_and_call_are_named(db):
    from aipower.followup.forms import RoundForm
    from tests.invalid_values import assert_refused

    def make(data, files):
        return RoundForm(data)

    base = {"title": "調查", "opens_on": "2026-01-05", "due_on": "2026-02-05"}
    assert_refused(
        make,
        {**base, "title": "調" * 201},
        "title",
        "調查名稱最多 200 字，目前 201 字，請精簡後再儲存",
        "Survey title: at most 200 characters, it has 201; shorten it and save again",
    )
    assert_refused(
        make,
        {**base, "call": "999"},
        "call",
        "徵件請從選項中選擇（「999」不是選項之一）",
        'Call: choose one of the options ("999" is not one of them)',
    )
    assert_refused(
        make,
        {**base, "due_on": "115/02/05"},
        "due_on",
        "填報截止日請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）",
        "Due on: enter a real date as year-month-day (e.g. 2019-03-01)",
    )
