"""Tests for the 統一編號 check (2023 rule) with the spec's vectors."""

import pytest
from django.core.exceptions import ValidationError

from aipower.core.validators import is_valid_ubn, validate_ubn

pytestmark = pytest.mark.unit

VALID = [
    "04595257",
    "10458575",
    "10458574",
    "12345675",
    "22099131",
    "04595252",
    "10458570",
    "62140097",
    "00000074",
    "12345670",
]
INVALID = ["12345678", "12345672", "04595253", "00501502", "00277103"]


@pytest.mark.parametrize("ubn", VALID)
def test_is_valid_ubn_spec_valid_vector(ubn):
    assert is_valid_ubn(ubn) is True


@pytest.mark.parametrize("ubn", INVALID)
def test_is_valid_ubn_spec_invalid_vector(ubn):
    assert is_valid_ubn(ubn) is False


@pytest.mark.parametrize(
    "value", ["", "1234567", "123456789", "1234567a", " 4595257", "０４５９５２５７", None, 4595257]
)
def test_is_valid_ubn_malformed_input(value):
    assert is_valid_ubn(value) is False


def test_is_valid_ubn_new_rule_number_old_rule_rejects():
    # 04595252: total 10+... divisible by 5 but not by 10 — valid only since 2023.
    assert is_valid_ubn("04595252") is True


def test_validate_ubn_invalid_raises_with_message():
    with pytest.raises(ValidationError) as excinfo:
        validate_ubn("12345678")
    assert excinfo.value.code == "invalid_ubn"
    assert excinfo.value.messages == ["統一編號格式或檢查碼不正確"]


def test_validate_ubn_valid_returns_none():
    assert validate_ubn("84700087") is None
