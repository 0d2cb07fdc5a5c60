"""With production's secure cookies, the sign-in, the CSRF token and the resume cookie carry the
__Host- prefix, and what the site sets under those names meets the prefix's rules (Secure,
Path=/, no Domain) — else browsers would drop them and nobody could sign in."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from aipower.accounts.enums import Role
from tests.accounts.test_staff_login import LOGIN_URL, make_staff, sign_in

pytestmark = pytest.mark.integration

HOST_COOKIES = override_settings(
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SESSION_COOKIE_NAME="__Host-sessionid",
    CSRF_COOKIE_NAME="__Host-csrftoken",
    REMEMBER_COOKIE_NAME="__Host-aipower_last_sign_in",
)


def _meets_the_host_prefix(cookie):
    return cookie["secure"] is True and cookie["path"] == "/" and not cookie["domain"]


@HOST_COOKIES
def test_a_staff_sign_in_sets_only_host_prefixed_cookies(django_user_model):
    cache.clear()
    operator = make_staff(django_user_model, "op-host", Role.OPERATOR)
    client = Client(enforce_csrf_checks=True, secure=True)

    page = client.get(LOGIN_URL)
    csrf = page.cookies["__Host-csrftoken"]
    assert _meets_the_host_prefix(csrf)

    signed_in = sign_in(client, operator, csrfmiddlewaretoken=csrf.value)

    assert signed_in.status_code == 302
    for name in ("__Host-sessionid", "__Host-aipower_last_sign_in"):
        assert _meets_the_host_prefix(signed_in.cookies[name]), name
    assert "sessionid" not in signed_in.cookies
    assert client.get("/staff/").status_code == 200


@HOST_COOKIES
def test_signing_out_deletes_the_host_prefixed_resume_cookie(django_user_model):
    """A deletion is a cookie too: without Secure the browser would refuse it and keep the
    name of who signed in last."""
    cache.clear()
    operator = make_staff(django_user_model, "op-host-out", Role.OPERATOR)
    client = Client(secure=True)
    sign_in(client, operator)

    signed_out = client.post("/staff/logout/")

    gone = signed_out.cookies["__Host-aipower_last_sign_in"]
    assert gone.value == ""
    assert _meets_the_host_prefix(gone)
