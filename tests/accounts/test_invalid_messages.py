"""The staff accounts' forms refuse a value typed but not valid naming the field and what a valid
value looks like, in zh-Hant and English, with what was typed kept: a new member's e-mail said
Django's own 「輸入有效的電子郵件地址。」, a name too long 「請確認這個值至多包含 150 個字」."""

import pytest

from aipower.accounts import forms
from tests.invalid_values import assert_refused

pytestmark = pytest.mark.integration


def new_staff(data, files):
    return forms.NewStaffForm(data)


BASE = {"username": "reviewer9", "first_name": "王委員", "email": "r9@example.com", "role": ""}


def test_a_new_members_email_name_and_role_are_named(db):
    from aipower.accounts.enums import Role

    base = {**BASE, "role": Role.REVIEWER}
    assert_refused(
        new_staff,
        {**base, "email": "r9@"},
        "email",
        "電子郵件格式不正確，請填寫如 name@example.com 的電子信箱",
        "Email: enter an e-mail address like name@example.com",
    )
    assert_refused(
        new_staff,
        {**base, "first_name": "王" * 151},
        "first_name",
        "姓名最多 150 字，目前 151 字，請精簡後再儲存",
        "Name: at most 150 characters, it has 151; shorten it and save again",
    )
    assert_refused(
        new_staff,
        {**base, "role": "company"},
        "role",
        "角色請從選項中選擇（「company」不是選項之一）",
        'Role: choose one of the options ("company" is not one of them)',
    )


def test_a_role_not_offered_is_named():
    assert_refused(
        lambda data, files: forms.RoleForm(data),
        {"role": "superuser"},
        "role",
        "角色請從選項中選擇（「superuser」不是選項之一）",
        'Role: choose one of the options ("superuser" is not one of them)',
    )


def test_an_account_name_too_long_is_named_on_the_reset_request():
    assert_refused(
        lambda data, files: forms.PasswordResetRequestForm(data),
        {"username": "a" * 151},
        "username",
        "帳號最多 150 字，目前 151 字，請精簡後再儲存",
        "Account: at most 150 characters, it has 151; shorten it and save again",
    )
