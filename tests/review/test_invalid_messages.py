"""The review pages' forms refuse a value typed but not valid naming the field and what a valid
value looks like, in zh-Hant and English, next to the field, with what was typed kept: each said
Django's own 「輸入有效的日期。」, 「請確認這個值至多包含 500 個字」, 「請選擇有效的選項」…
A message a form gives on purpose (a score's, the organiser's amount's) stays."""

import pytest
from django.urls import reverse

from aipower.calls.models import Tier
from aipower.review import forms
from aipower.review.models import BatchReview
from tests.invalid_values import assert_refused, assert_row_says

from .conftest import verified_client
from .test_pages import english, staged  # noqa: F401 - the fixture

pytestmark = pytest.mark.integration

LONG = "長" * 501


def plain(form_class, **kwargs):
    return lambda data, files: form_class(data, **kwargs)


@pytest.mark.parametrize(
    ("form_class", "data", "name", "zh", "en"),
    [
        (
            forms.StartDateForm,
            {"starts_on": "2026-02-30"},
            "starts_on",
            "使用期間起日請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）",
            "Period starts on: enter a real date as year-month-day (e.g. 2019-03-01)",
        ),
        (
            forms.AuditSearchForm,
            {"since": "昨天"},
            "since",
            "起日請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）",
            "From: enter a real date as year-month-day (e.g. 2019-03-01)",
        ),
        (
            forms.SendBackForm,
            {"reason": LONG},
            "reason",
            "退回理由最多 500 字，目前 501 字，請精簡後再儲存",
            "Reason for sending back: at most 500 characters, it has 501; "
            "shorten it and save again",
        ),
        (
            forms.ReopenForm,
            {"reason": LONG},
            "reason",
            "開放修改理由最多 500 字，目前 501 字，請精簡後再儲存",
            "Reason for reopening: at most 500 characters, it has 501; shorten it and save again",
        ),
        (
            forms.ClearFlagForm,
            {"reason": LONG},
            "reason",
            "確認非利益衝突之理由最多 500 字，目前 501 字，請精簡後再儲存",
            "Why this is not a conflict: at most 500 characters, it has 501; "
            "shorten it and save again",
        ),
        (
            forms.StartupPriorityForm,
            {"priority": "maybe", "reason": "查詢日期"},
            "priority",
            "新創優先資格請從選項中選擇（「maybe」不是選項之一）",
            'Start-up priority: choose one of the options ("maybe" is not one of them)',
        ),
        (
            forms.ConflictForm,
            {"conflict": "perhaps"},
            "conflict",
            "利益迴避聲明請從選項中選擇（「perhaps」不是選項之一）",
            'Conflict-of-interest declaration: choose one of the options ("perhaps" is not '
            "one of them)",
        ),
        (
            forms.AffiliationsForm,
            {"affiliations": "機" * 4001},
            "affiliations",
            "任職或關係機構最多 4000 字，目前 4001 字，請精簡後再儲存",
            "Affiliations: at most 4000 characters, it has 4001; shorten it and save again",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(db, form_class, data, name, zh, en):
    assert_refused(plain(form_class), data, name, zh, en)


def test_the_meetings_decision_names_its_field(db):
    make = plain(forms.DecisionForm, call=None, tiers=Tier.objects.none())

    assert_refused(
        make,
        {"outcome": "approved", "tier": "999"},
        "tier",
        "核定級別請從選項中選擇（「999」不是選項之一）",
        'Tier: choose one of the options ("999" is not one of them)',
    )


def test_a_message_given_on_purpose_stays(db):
    form = forms.OverrideForm({"points": "十", "reason": "調整"})

    assert not form.is_valid()
    assert form.errors["points"] == [str(forms.OverrideForm.POINTS)]


def test_the_batch_start_date_page_says_which_date_is_wrong_and_keeps_it(staged, operator):  # noqa: F811
    from aipower.review import services

    services.freeze_batch(staged.batch, operator)
    client = verified_client(operator)
    url = reverse("review:batch_award_start", args=[staged.batch_id])

    zh = client.post(url, {"starts_on": "2026-02-30"}).content.decode()
    en = english(client).post(url, {"starts_on": "2026-02-30"}).content.decode()

    assert_row_says(
        zh,
        "starts_on",
        "使用期間起日請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）",
        "2026-02-30",
    )
    assert "輸入有效的日期" not in zh
    assert_row_says(
        en,
        "starts_on",
        "Period starts on: enter a real date as year-month-day (e.g. 2019-03-01)",
        "2026-02-30",
    )
    assert "Enter a valid date." not in en
    assert BatchReview.objects.get(batch=staged.batch).award_starts_on is None


def test_the_audit_search_says_which_date_is_wrong(staged, operator):  # noqa: F811
    html = (
        verified_client(operator).get(reverse("review:audit"), {"since": "昨天"}).content.decode()
    )

    assert_row_says(
        html, "since", "起日請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）", "昨天"
    )
