"""The operator's adjustment of an allowance and a cluster's token refuse a value typed but not
valid naming the field and what a valid value looks like, in zh-Hant and English, with what was
typed kept: the units said only 「請輸入整數。」 (and a number box sent 「-1,000」 as nothing),
the reason and the cluster Django's 「請確認這個值至多包含…」."""

import pytest

from aipower.grants import forms, services
from aipower.grants.models import LedgerEntry
from tests.invalid_values import assert_refused

from .test_admin import adjust_url, operator_client  # noqa: F401 - a fixture

pytestmark = pytest.mark.integration

UNITS_ZH = "調整計量單位數請填寫整數，增加為正數、扣減為負數（例如 5000 或 -5000）。"
UNITS_EN = (
    "Units to adjust: enter a whole number, positive to add, negative to deduct "
    "(e.g. 5000 or -5000)."
)


def adjustment(data, files):
    return forms.AdjustmentForm(data, allowance=None)


@pytest.mark.parametrize("typed", ["abc", "1.5", "五千"])
def test_units_not_a_whole_number_are_refused_saying_how_to_write_them(typed):
    assert_refused(adjustment, {"units": typed, "reason": "誤植"}, "units", UNITS_ZH, UNITS_EN)


def test_the_reason_too_long_is_refused_naming_it():
    assert_refused(
        adjustment,
        {"units": "abc", "reason": "因" * 501},
        "reason",
        "調整原因最多 500 字，目前 501 字，請精簡後再儲存",
        "Reason for the adjustment: at most 500 characters, it has 501; shorten it and save again",
    )


def test_the_cluster_name_too_long_is_refused_naming_it(db):
    assert_refused(
        lambda data, files: forms.ClusterTokenForm(data),
        {"cluster": "c" * 65},
        "cluster",
        "叢集名稱最多 64 字，目前 65 字，請精簡後再儲存",
        "Cluster: at most 64 characters, it has 65; shorten it and save again",
    )


def test_units_written_with_separators_are_read(inference_award):
    allowance = services.open_allowance(inference_award)

    form = forms.AdjustmentForm({"units": "-1,000", "reason": "誤植"}, allowance=allowance)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["units"] == -1000


def test_the_adjust_page_says_it_next_to_the_units_and_keeps_them(
    inference_award,
    operator_client,  # noqa: F811
):
    allowance = services.open_allowance(inference_award)

    response = operator_client.post(adjust_url(allowance), {"units": "五千", "reason": "誤植"})

    html = response.content.decode()
    assert UNITS_ZH in html and 'value="五千"' in html
    assert "輸入整數" not in html.replace(UNITS_ZH, "")
    assert not allowance.entries.filter(kind=LedgerEntry.Kind.ADJUSTMENT).exists()
