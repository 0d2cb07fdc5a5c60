"""The company's API key form refuses a value typed but not valid naming the field and what a
valid value looks like, in zh-Hant and English, next to the field, with what was typed kept:
the expiry date said only 「請輸入正確的日期。」, the name Django's 「請確認這個值至多包含…」,
and the limit was a number box, which sends 「1,000」 or 「十」 as nothing — an empty limit is
the platform's, so the key was made with another limit than the one typed, without a word."""

import pytest

from aipower.gateway import forms
from aipower.gateway.models import ApiKey
from aipower.review.models import Award
from tests.invalid_values import assert_refused, assert_row_says

from .test_keys import client, signed_in  # noqa: F401 - the fixtures (a Django client)

pytestmark = [pytest.mark.integration, pytest.mark.urls("tests.gateway.urls")]


def key_form(award):
    return lambda data, files: forms.ApiKeyForm(data, awards=Award.objects.filter(pk=award.pk))


def test_the_expiry_date_and_the_name_are_named(award):
    make = key_form(award)
    assert_refused(
        make,
        {"name": "一般", "award": award.pk, "expires_on": "下個月"},
        "expires_on",
        "到期日請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）",
        "Expiry date: enter a real date as year-month-day (e.g. 2019-03-01)",
    )
    assert_refused(
        make,
        {"name": "名" * 101, "award": award.pk},
        "name",
        "金鑰名稱最多 100 字，目前 101 字，請精簡後再儲存",
        "Key name: at most 100 characters, it has 101; shorten it and save again",
    )
    assert_refused(
        make,
        {"name": "一般", "award": award.pk, "rate_limit": "0"},
        "rate_limit",
        "每分鐘請求上限請填寫 1 以上的整數",
        "Requests per minute: enter a whole number of 1 or more",
    )


def test_the_limit_is_a_text_box_read_as_people_write_numbers(award, settings):
    settings.GATEWAY_DEFAULT_RATE_LIMIT = 2000
    form = key_form(award)({"name": "一般", "award": award.pk, "rate_limit": "1,000"}, None)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["rate_limit"] == 1000
    assert 'type="text"' in str(form["rate_limit"])
    assert 'inputmode="numeric"' in str(form["rate_limit"])


def test_the_key_page_says_it_in_the_limits_row_and_keeps_it(signed_in, award):  # noqa: F811
    response = signed_in.post(
        "/keys/new/", {"name": "快", "award": award.pk, "rate_limit": "十", "expires_on": ""}
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert_row_says(html, "rate_limit", "每分鐘請求上限請填寫整數（例如 12）", "十")
    assert "請輸入整數" not in html and "輸入整數。" not in html
    assert not ApiKey.objects.exists()
