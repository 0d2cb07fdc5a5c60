"""Signing out a browser left idle (``accounts.idle``), and what the pages tell it first."""

import time

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts import idle
from aipower.accounts.enums import Role
from aipower.accounts.models import Company, User
from aipower.core.models import AuditEntry

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.IDLE_SIGN_OUT_SECONDS = {"staff": 30 * 60, "company": 60 * 60}
    settings.IDLE_WARNING_SECONDS = 120


@pytest.fixture
def operator():
    user = User.objects.create_user("op", password="x", role=Role.OPERATOR)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def staff_client(operator):
    client = Client()
    client.force_login(operator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=operator).persistent_id
    session.save()
    return client


@pytest.fixture
def company_client():
    company = Company.objects.create(ubn="04595257", name="示範智能股份有限公司")
    user = User.objects.create_user("company-04595257", role=Role.COMPANY, company=company)
    client = Client()
    client.force_login(user)
    return client


def last_used(client, seconds_ago):
    session = client.session
    session[idle.LAST_SEEN] = time.time() - seconds_ago
    session.save()


def test_staff_idle_past_the_limit_are_signed_out_on_their_next_request(staff_client):
    last_used(staff_client, 31 * 60)

    response = staff_client.get("/staff/")

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=/staff/")
    assert "_auth_user_id" not in staff_client.session
    entry = AuditEntry.objects.get(action="session.idle_sign_out")
    assert (entry.actor.username, entry.data["minutes"]) == ("op", 30)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "您已閒置超過 30 分鐘，為保護資料已自動登出，請重新登入。"
    ]


def test_staff_within_the_limit_stay_signed_in(staff_client):
    last_used(staff_client, 29 * 60)

    response = staff_client.get("/staff/")

    assert response.status_code == 200
    assert time.time() - staff_client.session[idle.LAST_SEEN] < 5  # this request counted
    assert not AuditEntry.objects.filter(action="session.idle_sign_out").exists()


def test_companies_have_their_own_longer_limit(company_client):
    last_used(company_client, 59 * 60)
    kept = company_client.get("/company/")
    last_used(company_client, 61 * 60)
    signed_out = company_client.get("/company/")

    assert kept.status_code == 200
    assert signed_out.status_code == 302
    assert signed_out["Location"].startswith("/login/")


def test_a_limit_of_zero_never_signs_out(company_client, settings):
    settings.IDLE_SIGN_OUT_SECONDS = {"staff": 0, "company": 0}
    last_used(company_client, 7 * 3600)

    response = company_client.get("/company/")

    assert response.status_code == 200
    assert 'id="idle-warning"' not in response.content.decode()


def test_the_last_use_is_written_at_most_once_a_minute(staff_client):
    last_used(staff_client, 30)
    before = staff_client.session[idle.LAST_SEEN]

    staff_client.get("/staff/")

    assert staff_client.session[idle.LAST_SEEN] == before


def test_asking_for_the_time_left_does_not_count_as_use(staff_client):
    last_used(staff_client, 20 * 60)
    before = staff_client.session[idle.LAST_SEEN]

    answer = staff_client.get("/session/").json()

    assert 595 <= answer["remaining"] <= 600
    assert staff_client.session[idle.LAST_SEEN] == before


def test_stay_signed_in_counts_as_use(staff_client):
    last_used(staff_client, 29 * 60)

    answer = staff_client.post("/session/keep-alive/").json()

    assert answer["remaining"] == 30 * 60
    assert time.time() - staff_client.session[idle.LAST_SEEN] < 5


def test_the_time_left_of_a_signed_out_browser_is_none(client):
    assert client.get("/session/").json() == {"remaining": None}


def test_stay_signed_in_needs_the_csrf_token(operator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)

    assert client.post("/session/keep-alive/").status_code == 403


def test_pages_of_a_signed_in_user_carry_the_warning(company_client):
    page = company_client.get("/company/").content.decode()
    anonymous = Client().get("/").content.decode()

    assert 'id="idle-warning"' in page
    assert 'data-remaining="3600"' in page
    assert 'data-warning="120"' in page
    assert "將於 2 分鐘內自動登出" in page
    assert 'id="idle-warning"' not in anonymous


def test_the_admin_pages_carry_the_warning_too(staff_client):
    User.objects.filter(username="op").update(is_staff=True)  # as staff accounts are made

    page = staff_client.get("/admin/").content.decode()

    assert 'id="idle-warning"' in page
    assert "core/js/idle.js" in page
    assert "core/css/idle.css" in page


# --- a sign-in lasts SESSION_COOKIE_AGE from the sign-in, however busy the browser -------------


def _later(monkeypatch, signed_in_at, **delta):
    import datetime

    from django.utils import timezone

    moment = signed_in_at + datetime.timedelta(**delta)
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_using_the_site_does_not_stretch_a_sign_in_past_its_age(
    company_client, settings, monkeypatch
):
    import datetime

    from django.utils import timezone

    signed_in_at = timezone.now()
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    _later(monkeypatch, signed_in_at, hours=7)

    company_client.post("/session/keep-alive/")  # the browser in use: the session is saved

    ends = company_client.session.get_expiry_date()
    assert abs(ends - (signed_in_at + age)) < datetime.timedelta(minutes=1)


def test_a_sign_in_older_than_its_age_is_over_even_in_use(company_client, settings, monkeypatch):
    from django.utils import timezone

    signed_in_at = timezone.now()
    _later(monkeypatch, signed_in_at, hours=7)
    company_client.post("/session/keep-alive/")
    _later(monkeypatch, signed_in_at, seconds=settings.SESSION_COOKIE_AGE + 60)

    response = company_client.get("/company/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
