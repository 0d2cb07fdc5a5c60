"""Unit tests of the application validators: every accepted and refused form."""

import pytest
from django.core.exceptions import ValidationError

from aipower.applications.validators import (
    AREA_CODES,
    check_dataset,
    is_none_marker,
    normalise_github_url,
    normalise_huggingface_url,
    normalise_landline,
    normalise_mobile,
    normalise_resolution,
    normalise_url_or_none,
    validate_exclusive,
    validate_other_text,
)

pytestmark = pytest.mark.unit


# 無 convention


@pytest.mark.parametrize("value", ["無", " 無 ", "無\n"])
def test_is_none_marker_accepts_exactly_wu(value):
    assert is_none_marker(value) is True


@pytest.mark.parametrize("value", ["", "没有", "無。", "none", "無無", None, 0])
def test_is_none_marker_refuses_anything_else(value):
    assert is_none_marker(value) is False


# URL or 無


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("無", "無"),
        (" 無 ", "無"),
        ("https://example.com/mou.pdf", "https://example.com/mou.pdf"),
        ("http://example.com.tw/a?b=c", "http://example.com.tw/a?b=c"),
        ("  https://drive.google.com/file/d/1/view  ", "https://drive.google.com/file/d/1/view"),
    ],
)
def test_normalise_url_or_none_accepts(value, expected):
    assert normalise_url_or_none(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "none",
        "example.com",
        "ftp://example.com/a",
        "javascript:alert(1)",
        "https://",
        "無 https://example.com",
    ],
)
def test_normalise_url_or_none_refuses(value):
    with pytest.raises(ValidationError) as info:
        normalise_url_or_none(value)
    assert info.value.code == "url"


@pytest.mark.parametrize(
    "value",
    [
        "https://huggingface.co/datasets/acme/eldercare",
        "https://www.huggingface.co/acme/model",
        "http://huggingface.co/acme",
    ],
)
def test_normalise_huggingface_url_accepts_huggingface_hosts(value):
    assert normalise_huggingface_url(value) == value


def test_normalise_huggingface_url_accepts_wu():
    assert normalise_huggingface_url("無") == "無"


@pytest.mark.parametrize(
    "value",
    [
        "https://github.com/acme/model",
        "https://huggingface.co.evil.example/acme",
        "https://evilhuggingface.co/acme",
        "huggingface.co/acme",
        "",
    ],
)
def test_normalise_huggingface_url_refuses_other_hosts(value):
    with pytest.raises(ValidationError) as info:
        normalise_huggingface_url(value)
    assert info.value.code == "huggingface"


@pytest.mark.parametrize("value", ["https://github.com/acme/data", "https://www.github.com/a"])
def test_normalise_github_url_accepts_github_hosts(value):
    assert normalise_github_url(value) == value


def test_normalise_github_url_accepts_wu():
    assert normalise_github_url("無") == "無"


@pytest.mark.parametrize(
    "value",
    ["https://gitlab.com/acme", "https://github.com.example.org/a", "https://notgithub.com/a", ""],
)
def test_normalise_github_url_refuses_other_hosts(value):
    with pytest.raises(ValidationError) as info:
        normalise_github_url(value)
    assert info.value.code == "github"


# Landline


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("02 12345678#123", "02-12345678#123"),
        ("02-12345678#123", "02-12345678#123"),
        ("(02)1234-5678", "02-12345678"),
        ("(02) 2898-7447 #86539", "02-28987447#86539"),
        ("0212345678", "02-12345678"),
        ("03-4567890", "03-4567890"),
        ("037-123456", "037-123456"),
        ("037123456", "037-123456"),
        ("04-22334455", "04-22334455"),
        ("049-2345678", "049-2345678"),
        ("05-2345678", "05-2345678"),
        ("06-2345678", "06-2345678"),
        ("07-3456789", "07-3456789"),
        ("08-7654321", "08-7654321"),
        ("082-123456", "082-123456"),
        ("0826-123456", "0826-123456"),
        ("0836-123456", "0836-123456"),
        ("089-123456", "089-123456"),
        ("０２－１２３４５６７８＃１２", "02-12345678#12"),
        ("02 1234 5678 # 9", "02-12345678#9"),
        ("0212 345678", "02-12345678"),
    ],
)
def test_normalise_landline_accepts_and_normalises(value, expected):
    assert normalise_landline(value) == expected


def test_normalise_landline_covers_every_area_code():
    for code in AREA_CODES:
        assert normalise_landline(f"{code}-123456") == f"{code}-123456"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345678",
        "02-12345",
        "02-123456789",
        "02-1234abcd",
        "02-12345678#",
        "02-12345678#1234567",
        "02-12345678#12a",
        "0912345678",
        "+886 2 12345678",
        "02.12345678",
        "無",
    ],
)
def test_normalise_landline_refuses_malformed(value):
    with pytest.raises(ValidationError) as info:
        normalise_landline(value)
    assert info.value.code in {"landline", "landline_area"}


@pytest.mark.parametrize("value", ["01-2345678", "09-12345678", "0999 123456"])
def test_normalise_landline_refuses_unknown_area_code(value):
    with pytest.raises(ValidationError) as info:
        normalise_landline(value)
    assert info.value.code == "landline_area"


# Mobile


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("0912 345 678", "0912345678"),
        (" 0912-345678 ", "0912345678"),
        ("０９１２３４５６７８", "0912345678"),
    ],
)
def test_normalise_mobile_accepts_and_stores_digits(value, expected):
    assert normalise_mobile(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "091234567", "09123456789", "0812345678", "(09)12345678", "+886912345678", "09123456ab"],
)
def test_normalise_mobile_refuses_malformed(value):
    with pytest.raises(ValidationError) as info:
        normalise_mobile(value)
    assert info.value.code == "mobile"


# Resolution


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3840x2160", "3840x2160"),
        ("3840X2160", "3840x2160"),
        ("3840×2160", "3840x2160"),
        ("3840 x 2160", "3840x2160"),
        (" 1024 × 768 ", "1024x768"),
        ("１０２４ｘ７６８", "1024x768"),
        ("0", "0"),
        (" 0 ", "0"),
    ],
)
def test_normalise_resolution_accepts(value, expected):
    assert normalise_resolution(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "3840", "3840x", "x2160", "3840*2160", "0x0", "3840x0", "長x寬", "3840x2160x3", "無"],
)
def test_normalise_resolution_refuses(value):
    with pytest.raises(ValidationError) as info:
        normalise_resolution(value)
    assert info.value.code == "resolution"


# Exclusive options and 其他


def test_validate_exclusive_accepts_exclusive_alone():
    validate_exclusive(["none"], "none", "無使用需求")


def test_validate_exclusive_accepts_others_without_exclusive():
    validate_exclusive(["a", "b"], "none", "無使用需求")


def test_validate_exclusive_accepts_nothing_ticked():
    validate_exclusive([], "none", "無使用需求")


def test_validate_exclusive_refuses_exclusive_with_another():
    with pytest.raises(ValidationError) as info:
        validate_exclusive(["a", "none"], "none", "無使用需求")
    assert info.value.code == "exclusive"
    assert info.value.params == {"option": "無使用需求"}


def test_validate_other_text_requires_text_when_other_ticked():
    with pytest.raises(ValidationError) as info:
        validate_other_text(["other", "health"], "other", "  ")
    assert info.value.code == "other_required"


def test_validate_other_text_requires_text_for_single_choice_other():
    with pytest.raises(ValidationError):
        validate_other_text("other", "other", "")


def test_validate_other_text_accepts_text_when_other_ticked():
    validate_other_text(["other"], "other", "農業")


def test_validate_other_text_accepts_no_text_without_other():
    validate_other_text(["health"], "other", "")


# Data set consistency

SEED_DATASET = {
    "text_tokens": 0,
    "speech_hours": 1232,
    "video_hours": 222,
    "video_resolution": "2132x1231",
    "image_count": 2,
    "image_resolution": "2123x1234",
    "description": "無",
}


def test_check_dataset_accepts_seed_example():
    assert check_dataset(SEED_DATASET) == ({}, [])


def test_check_dataset_requires_resolution_when_hours_positive():
    errors, _ = check_dataset({**SEED_DATASET, "video_resolution": "0"})
    assert list(errors) == ["video_resolution"]
    assert errors["video_resolution"].code == "resolution_required"


def test_check_dataset_requires_resolution_when_count_positive():
    errors, _ = check_dataset({**SEED_DATASET, "image_resolution": "0"})
    assert list(errors) == ["image_resolution"]
    assert errors["image_resolution"].code == "resolution_required"


def test_check_dataset_requires_zero_resolution_when_amount_zero():
    errors, _ = check_dataset({**SEED_DATASET, "video_hours": 0, "image_count": 0})
    assert sorted(errors) == ["image_resolution", "video_resolution"]
    assert {error.code for error in errors.values()} == {"resolution_must_be_zero"}


def test_check_dataset_skips_missing_values():
    assert check_dataset({"video_hours": 3}) == ({}, [])


ALL_ZERO = {
    "text_tokens": 0,
    "speech_hours": 0,
    "video_hours": 0,
    "video_resolution": "0",
    "image_count": 0,
    "image_resolution": "0",
}


@pytest.mark.parametrize("description", ["無", "", "  "])
def test_check_dataset_warns_when_all_zero_without_explanation(description):
    errors, warnings = check_dataset({**ALL_ZERO, "description": description})
    assert errors == {}
    assert len(warnings) == 1


def test_check_dataset_does_not_warn_when_description_explains():
    errors, warnings = check_dataset({**ALL_ZERO, "description": "資料將於核定後向合作醫院取得"})
    assert (errors, warnings) == ({}, [])


def test_check_dataset_does_not_warn_when_text_tokens_positive():
    assert check_dataset({**ALL_ZERO, "text_tokens": 1000, "description": "無"}) == ({}, [])
