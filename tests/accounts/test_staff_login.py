"""Staff sign-in with account, password and TOTP code; the staff home page per role."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts.enums import Role
from aipower.accounts.forms import verified_totp_device
from aipower.accounts.models import Company
from aipower.core.models import AuditEntry
from tests.concurrency import at_once

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery staple"
GENERIC_ERROR = "帳號、密碼或驗證碼錯誤"
LOGIN_URL = "/staff/login/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def make_staff(django_user_model, username, role):
    user = django_user_model.objects.create_user(username, password=PASSWORD, role=role)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def current_code(user):
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key):06d}"


def wrong_code(user):
    """A code that no window the device tolerates (previous, current, next) accepts."""
    device = TOTPDevice.objects.get(user=user)
    valid = {f"{totp(device.bin_key, t0=shift * device.step):06d}" for shift in (-1, 0, 1)}
    return next(code for code in (f"{n:06d}" for n in range(10)) if code not in valid)


def sign_in(client, user, code=None, password=PASSWORD, **extra):
    data = {"username": user.username, "password": password, "otp_token": code}
    if code is None:
        data["otp_token"] = current_code(user)
    data.update(extra)
    return client.post(LOGIN_URL, data)


def verified_session(client, user):
    """A session signed in with password and TOTP, as the sign-in page leaves it."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()


@pytest.fixture
def operator(django_user_model):
    return make_staff(django_user_model, "op", Role.OPERATOR)


def test_login_page_has_the_three_labelled_fields(client, db):
    response = client.get(LOGIN_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">帳號</label>' in html
    assert '<label for="id_password">密碼</label>' in html
    assert '<label for="id_otp_token">驗證碼（TOTP）</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_with_password_and_code_signs_in_verified(client, operator):
    response = sign_in(client, operator)

    assert response.status_code == 302
    assert response.url == "/staff/"
    home = client.get("/staff/")
    assert home.status_code == 200
    assert home.wsgi_request.user == operator
    assert home.wsgi_request.user.is_verified() is True
    device = TOTPDevice.objects.get(user=operator)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_login_wrong_code_is_refused_with_the_generic_error(client, operator):
    response = sign_in(client, operator, code=wrong_code(operator))

    html = response.content.decode()
    assert response.status_code == 200
    assert GENERIC_ERROR in html
    assert 'class="errorlist nonfield"' in html
    assert 'value="op"' in html
    assert "_auth_user_id" not in client.session


def test_login_wrong_password_gets_the_same_error_and_spends_no_code(client, operator):
    response = sign_in(client, operator, code=current_code(operator), password="wrong password")

    device = TOTPDevice.objects.get(user=operator)
    assert response.status_code == 200
    assert GENERIC_ERROR in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert device.last_t == -1
    assert device.throttling_failure_count == 0


def test_login_unknown_account_gets_the_same_error(client, db):
    response = client.post(
        LOGIN_URL, {"username": "nobody", "password": PASSWORD, "otp_token": "123456"}
    )

    assert response.status_code == 200
    assert GENERIC_ERROR in response.content.decode()


def test_login_does_not_show_the_code_again(client, operator):
    code = wrong_code(operator)

    response = sign_in(client, operator, code=code)

    assert f'value="{code}"' not in response.content.decode()
    assert PASSWORD not in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client, operator, settings):
    settings.LOGIN_THROTTLE_FREE = 2
    bad = wrong_code(operator)
    sign_in(client, operator, password="guess one", code=bad)
    failed = sign_in(client, operator, password="guess two", code=bad)

    refused = sign_in(client, operator)

    assert "請於 1 秒後再試" in failed.content.decode()
    assert refused.status_code == 429
    assert "嘗試次數過多，請於 1 秒後再試。" in refused.content.decode()
    assert 'value="op"' in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert TOTPDevice.objects.get(user=operator).last_t == -1
    assert AuditEntry.objects.filter(action="staff.login_throttled").count() == 1


def test_login_throttle_is_per_address(client, operator, settings):
    settings.LOGIN_THROTTLE_FREE = 1
    client.post(
        LOGIN_URL,
        {"username": "op", "password": "bad", "otp_token": "000000"},
        REMOTE_ADDR="192.0.2.1",
    )

    response = client.post(
        LOGIN_URL,
        {"username": "op", "password": PASSWORD, "otp_token": current_code(operator)},
        REMOTE_ADDR="192.0.2.2",
    )

    assert response.status_code == 302


def test_login_success_resets_the_failure_count(client, operator, settings):
    settings.LOGIN_THROTTLE_FREE = 2
    sign_in(client, operator, password="bad")
    sign_in(client, operator)
    client.logout()

    response = sign_in(client, operator, password="bad")

    assert "秒後再試" not in response.content.decode()


def test_login_refuses_company_accounts(client, django_user_model):
    company = Company.objects.create(ubn="04595257", name="示範股份有限公司")
    user = django_user_model.objects.create_user(
        "04595257", password=PASSWORD, role=Role.COMPANY, company=company
    )
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    response = sign_in(client, user)

    assert response.status_code == 200
    assert GENERIC_ERROR in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.get(action="staff.login_failed").data["reason"] == "not_staff"


def test_login_refuses_an_unconfirmed_device(client, django_user_model):
    user = django_user_model.objects.create_user("rv", password=PASSWORD, role=Role.REVIEWER)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=False)

    response = sign_in(client, user)

    assert GENERIC_ERROR in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_code_works_only_once(client, operator):
    code = current_code(operator)
    sign_in(client, operator, code=code)
    client.logout()

    response = sign_in(client, operator, code=code)

    assert GENERIC_ERROR in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_follows_a_local_next(client, operator):
    response = sign_in(client, operator, next="/admin/")

    assert response.status_code == 302
    assert response.url == "/admin/"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/staff/", "javascript:alert(1)"]
)
def test_login_ignores_a_foreign_next(client, operator, target):
    response = sign_in(client, operator, next=target)

    assert response.status_code == 302
    assert response.url == "/staff/"


def test_login_page_keeps_next_in_the_form(client, db):
    response = client.get(LOGIN_URL, {"next": "/staff/registry/"})

    assert '<input type="hidden" name="next" value="/staff/registry/">' in response.content.decode()


def test_login_page_sends_a_verified_staff_member_home(client, operator):
    verified_session(client, operator)

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response.url == "/staff/"


def test_home_requires_the_second_factor(client, operator):
    client.force_login(operator)

    response = client.get("/staff/")

    assert response.status_code == 302
    assert response.url == "/staff/login/?next=/staff/"


def test_home_refuses_company_accounts(client, django_user_model):
    user = django_user_model.objects.create_user("co", password=PASSWORD, role=Role.COMPANY)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    verified_session(client, user)

    response = client.get("/staff/")

    assert response.status_code == 403


# The organiser's 核定 section (the word alone is in other links' descriptions).
AWARD_SECTION = 'id="awaiting-approval"'


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (
            Role.OPERATOR,
            [
                "管理設定",
                "/staff/registry/",
                "稽核紀錄",
                "/staff/review/audit/",
                "/staff/compliance/",
                "/staff/deliverables/",
            ],
            ["管理設定（唯讀）", "審查案件", AWARD_SECTION],
        ),
        (
            Role.ORGANISER,
            [
                "管理設定（唯讀）",
                "/staff/registry/",
                "稽核紀錄",
                AWARD_SECTION,
                "/staff/compliance/",
                "/staff/deliverables/",
            ],
            ["審查案件", "維護管制名單"],
        ),
        (
            Role.REVIEWER,
            ["審查案件"],
            [
                "管理設定",
                "/admin/",
                "/staff/registry/",
                "稽核紀錄",
                AWARD_SECTION,
                "/staff/compliance/",
                "/staff/deliverables/",
            ],
        ),
    ],
)
def test_home_shows_only_the_links_of_the_role(client, django_user_model, role, shown, hidden):
    user = make_staff(django_user_model, "someone", role)
    verified_session(client, user)

    html = client.get("/staff/").content.decode()

    assert f"您好，someone（{role.label}）。" in html
    for text in shown:
        assert text in html
    for text in hidden:
        assert text not in html


def test_home_has_a_post_logout_button(client, operator):
    verified_session(client, operator)

    html = client.get("/staff/").content.decode()

    # One sign-out, the header's (the page has no second one).
    assert html.count('action="/staff/logout/"') == 1
    assert re.search(
        r'<form class="inline-form" method="post" action="/staff/logout/">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">'
        r'<button type="submit" class="btn btn-sm btn-secondary" id="staff-logout">登出</button>',
        html,
    )


def test_logout_signs_out_and_is_audited(client, operator):
    sign_in(client, operator)

    response = client.post("/staff/logout/")

    assert response.status_code == 302
    assert response.url == "/staff/login/"
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="staff.logout")
    assert entry.actor == operator


def test_logout_refuses_get(client, operator):
    verified_session(client, operator)

    response = client.get("/staff/logout/")

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(operator.pk)


def test_login_audit_entries_hold_no_secrets(client, operator):
    sign_in(client, operator, password="my-wrong-secret")
    good = current_code(operator)
    sign_in(client, operator, code=good)
    client.post("/staff/logout/")
    bad = wrong_code(operator)
    sign_in(client, operator, code=bad)

    entries = list(AuditEntry.objects.order_by("id"))

    assert [e.action for e in entries] == [
        "staff.login_failed",
        "staff.login",
        "staff.logout",
        "staff.login_failed",
    ]
    assert [entries[0].data["reason"], entries[3].data["reason"]] == ["bad_credentials", "bad_code"]
    assert entries[0].data["username"] == "op"
    assert entries[0].actor is None
    assert entries[1].actor == operator
    assert entries[1].ip == "127.0.0.1"
    stored = " ".join(str(e.data) for e in entries)
    for secret in (PASSWORD, "my-wrong-secret", bad, good):
        assert secret not in stored


def test_failed_login_keeps_an_unknown_account_name_out_of_the_audit_log(client, operator):
    # A password typed into the name box must not be kept for years.
    client.post(LOGIN_URL, {"username": "Tr0ub4dor&3", "password": "x", "otp_token": "000000"})

    entry = AuditEntry.objects.get(action="staff.login_failed")

    assert entry.data["username"] == ""
    assert "Tr0ub4dor&3" not in str(entry.data)


def test_throttled_logins_are_written_once_per_wait(client, operator, settings):
    settings.LOGIN_THROTTLE_FREE = 1
    sign_in(client, operator, password="guess one", code=wrong_code(operator))

    statuses = [sign_in(client, operator).status_code for _attempt in range(3)]

    assert statuses == [429, 429, 429]
    assert AuditEntry.objects.filter(action="staff.login_throttled").count() == 1


def test_an_incomplete_form_is_not_counted(client, operator, settings):
    settings.LOGIN_THROTTLE_FREE = 1
    blank = [
        client.post(LOGIN_URL, {"username": "op", "password": PASSWORD, "otp_token": " "})
        for _attempt in range(3)
    ]

    accepted = sign_in(client, operator)

    assert [response.status_code for response in blank] == [200, 200, 200]
    assert "這個欄位是必須的" in blank[0].content.decode()
    assert accepted.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_guesses_gets_only_the_free_attempts_checked(operator, settings):
    # Sent together, every guess used to pass the check before the first failure counted.
    settings.LOGIN_THROTTLE_FREE = 2
    bad = wrong_code(operator)

    statuses = at_once(
        6,
        lambda: (
            Client()
            .post(LOGIN_URL, {"username": "op", "password": PASSWORD, "otp_token": bad})
            .status_code
        ),
    )

    assert sorted(statuses) == [200, 200, 429, 429, 429, 429]
    assert AuditEntry.objects.filter(action="staff.login_failed").count() == 2


@pytest.mark.django_db(transaction=True)
def test_one_code_signs_in_once_when_sent_twiceat_once(operator):
    code = current_code(operator)

    statuses = at_once(
        2,
        lambda: (
            Client()
            .post(LOGIN_URL, {"username": "op", "password": PASSWORD, "otp_token": code})
            .status_code
        ),
    )

    assert sorted(statuses) == [200, 302]
    assert AuditEntry.objects.filter(action="staff.login").count() == 1


def test_the_devices_are_locked_while_a_code_is_checked(operator):
    # django-otp saves the last code used after its check: without the row lock two requests
    # sent at once with one code could both pass. SQLite has no row locks (its writers are
    # serialised by the immediate transactions instead).
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    code = current_code(operator)
    with CaptureQueriesContext(connection) as queries:
        device = verified_totp_device(operator, code)

    reads = [
        q["sql"] for q in queries if q["sql"].startswith("SELECT") and "totpdevice" in q["sql"]
    ]
    assert device is not None
    assert reads
    assert all(sql.rstrip().endswith("FOR UPDATE") for sql in reads)


def _locked_device(user, failures):
    device = TOTPDevice.objects.get(user=user)
    device.throttling_failure_count = failures
    device.throttling_failure_timestamp = timezone.now() - dt.timedelta(minutes=20)
    device.save()
    return device


def test_many_wrong_codes_lock_the_device_for_at_most_fifteen_minutes(client, operator):
    # Twenty wrong codes: django-otp alone would wait 2**19 seconds (six days) after the last.
    _locked_device(operator, 20)

    response = sign_in(client, operator)

    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=operator).throttling_failure_count == 0


def test_a_right_code_of_a_locked_device_says_how_long_to_wait_next_to_the_field(client, operator):
    device = _locked_device(operator, 20)
    device.throttling_failure_timestamp = timezone.now()
    device.save()

    response = sign_in(client, operator)

    html = response.content.decode()
    assert response.status_code == 200
    assert "驗證器暫停使用，請於 9 分鐘後" in html
    assert re.search(r'id="id_otp_token"[^>]*>\s*<ul class="errorlist"', html)
    assert GENERIC_ERROR not in html
    assert 'value="op"' in html
    assert "_auth_user_id" not in client.session
    entry = AuditEntry.objects.get(action="staff.login_failed")
    assert entry.data["reason"] == "device_locked"


def test_a_wrong_code_of_a_locked_device_gets_the_generic_error(client, operator):
    device = _locked_device(operator, 20)
    device.throttling_failure_timestamp = timezone.now()
    device.save()

    response = sign_in(client, operator, code=wrong_code(operator))

    html = response.content.decode()
    assert GENERIC_ERROR in html
    assert "暫停使用" not in html


def test_the_locked_device_message_in_english(client, operator):
    device = _locked_device(operator, 1)
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client.cookies["django_language"] = "en"

    response = sign_in(client, operator)

    assert "your authenticator is paused. Try a new code in 1 minute;" in response.content.decode()
