"""Back to where the company was after signing in again, with what it had sent
(``accounts.resume``): a form sent after the sign-in expired is handled after the next one."""

import base64
import datetime as dt
import json

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client

from aipower.accounts import resume
from aipower.devtools import cards

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db,
    pytest.mark.urls("tests.accounts.resume_urls"),
]

UBN, NAME = "84700087", "晴空智能股份有限公司"
# Demo companies only: their cards are the development card component's (a card issued for any
# other company would be a sixth reader there, and the browser tests count five).
OTHER_UBN, OTHER_NAME = "52880483", "山嵐資訊有限公司"
PLAN = "以 8 張 H100 訓練繁體中文法律模型" * 20


@pytest.fixture
def card():
    return cards.issue_card(UBN, NAME)


def card_login(client, card):
    """The login page's script: a challenge, the card's signature (with the CSRF header)."""
    if "csrftoken" not in client.cookies:
        client.get("/login/")
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
    nonce = client.post("/login/challenge/", **csrf).json()["challenge"]
    signature = base64.b64encode(cards.sign(card, nonce.encode("ascii"))).decode()
    body = {"challenge": nonce, "signature": signature, "certificate": card.certificate_b64()}
    return client.post("/login/verify/", json.dumps(body), content_type="application/json", **csrf)


def expire_sign_in(client):
    """What 8 hours do: the session is gone, the other cookies stay."""
    client.cookies.pop("sessionid")


def test_a_form_sent_after_the_sign_in_expired_is_handled_after_the_next(card):
    client = Client(enforce_csrf_checks=True)
    assert card_login(client, card).status_code == 200
    client.get("/resume-test/")
    token = client.cookies["csrftoken"].value
    expire_sign_in(client)

    sent = client.post("/resume-test/", {"plan": PLAN, "csrfmiddlewaretoken": token})
    login_page = client.get(sent["Location"])
    signed_in = card_login(client, card)
    resumed = client.get(signed_in.json()["redirect"])

    assert sent.status_code == 302
    assert sent["Location"].startswith("/login/?next=/resume-test/")
    assert "您剛才送出的內容已暫存" in login_page.content.decode()
    assert signed_in.json()["redirect"] == "/resume-test/"
    assert resumed.content.decode() == f"POST plan={PLAN} by {UBN}"
    assert [str(m) for m in get_messages(resumed.wsgi_request)] == [
        "已接續處理您登入逾時前送出的內容。"
    ]
    assert client.get("/resume-test/").content.decode() == f"GET by {UBN}"  # handled once


def test_another_company_signing_in_does_not_get_the_form(card):
    client = Client()
    card_login(client, card)
    expire_sign_in(client)
    client.post("/resume-test/", {"plan": PLAN})

    signed_in = card_login(client, cards.issue_card(OTHER_UBN, OTHER_NAME))
    page = client.get("/resume-test/")

    assert signed_in.json()["redirect"] == "/company/"
    assert page.content.decode() == f"GET by {OTHER_UBN}"
    assert resume.RESUME_SESSION not in client.session


def test_nothing_is_kept_after_an_explicit_logout(card):
    client = Client()
    card_login(client, card)
    logged_out = client.post("/logout/")
    sent = client.post("/resume-test/", {"plan": PLAN})

    signed_in = card_login(client, card)

    assert logged_out.cookies[settings.REMEMBER_COOKIE_NAME].value == ""
    assert sent.status_code == 302
    assert signed_in.json()["redirect"] == "/company/"
    assert client.get("/resume-test/").content.decode() == f"GET by {UBN}"


def test_a_forged_company_cookie_keeps_nothing(card):
    client = Client()
    client.cookies[settings.REMEMBER_COOKIE_NAME] = UBN  # not signed by the site

    client.post("/resume-test/", {"plan": PLAN})

    assert resume.RESUME_SESSION not in client.session


def test_a_kept_form_older_than_a_day_is_dropped(card, monkeypatch):
    client = Client()
    card_login(client, card)
    expire_sign_in(client)
    client.post("/resume-test/", {"plan": PLAN})
    session = client.session
    session[resume.RESUME_SESSION]["at"] -= resume.RESUME_SECONDS + 1
    session.save()

    signed_in = card_login(client, card)

    assert signed_in.json()["redirect"] == "/company/"
    assert client.get("/resume-test/").content.decode() == f"GET by {UBN}"


def test_views_not_marked_resumable_keep_nothing(card):
    client = Client()
    card_login(client, card)
    expire_sign_in(client)

    sent = client.post("/plain-test/", {"plan": PLAN})

    assert sent.status_code == 302
    assert resume.RESUME_SESSION not in client.session


def test_the_login_returns_to_the_page_that_asked_for_it(card):
    client = Client()

    client.get("/login/", {"next": "/plain-test/"})
    signed_in = card_login(client, card)

    assert signed_in.json()["redirect"] == "/plain-test/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_the_login_ignores_a_foreign_next(card, target):
    client = Client()

    client.get("/login/", {"next": target})
    signed_in = card_login(client, card)

    assert signed_in.json()["redirect"] == "/company/"


def test_the_company_cookie_is_signed_http_only_and_lasts_a_month(card):
    client = Client()

    signed_in = card_login(client, card)

    cookie = signed_in.cookies[settings.REMEMBER_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == dt.timedelta(days=30).total_seconds()
    assert cookie.value != f"company:{UBN}" and cookie.value.startswith(f"company:{UBN}:")


def test_a_form_without_its_csrf_token_is_refused_not_kept(card):
    client = Client(enforce_csrf_checks=True)
    card_login(client, card)
    expire_sign_in(client)

    sent = client.post("/resume-test/", {"plan": PLAN})

    assert sent.status_code == 403
    assert resume.RESUME_SESSION not in client.session


# --- staff --------------------------------------------------------------------------------


def make_staff(username):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from aipower.accounts.enums import Role
    from aipower.accounts.models import User

    user = User.objects.create_user(username, password="correct horse", role=Role.REVIEWER)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def staff_login(client, user, next_url=""):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    device.last_t = -1  # each test signs in more than once within one code's window
    device.save()
    code = f"{totp(device.bin_key):06d}"
    data = {"username": user.username, "password": "correct horse", "otp_token": code}
    return client.post(f"/staff/login/?next={next_url}", data)


def test_a_reviewers_comments_sent_after_the_sign_in_expired_are_handled_after_the_next():
    reviewer = make_staff("rev")
    client = Client()
    staff_login(client, reviewer)
    expire_sign_in(client)

    sent = client.post("/staff-resume-test/", {"comment": PLAN})
    login_page = client.get(sent["Location"])
    signed_in = staff_login(client, reviewer, next_url="/staff-resume-test/")
    resumed = client.get(signed_in["Location"])

    assert sent["Location"].startswith("/staff/login/?next=/staff-resume-test/")
    assert "登入已逾時，請重新登入。您剛才送出的內容已暫存" in login_page.content.decode()
    assert signed_in["Location"] == "/staff-resume-test/"
    assert resumed.content.decode() == f"POST comment={PLAN} by rev"


def test_another_staff_member_signing_in_does_not_get_the_form():
    reviewer, other = make_staff("rev"), make_staff("other")
    client = Client()
    staff_login(client, reviewer)
    expire_sign_in(client)
    client.post("/staff-resume-test/", {"comment": PLAN})

    staff_login(client, other, next_url="/staff-resume-test/")
    page = client.get("/staff-resume-test/")

    assert page.content.decode() == "GET by other"
    assert resume.RESUME_SESSION not in client.session


def test_a_company_form_is_not_handed_to_a_staff_member(card):
    reviewer = make_staff("rev")
    client = Client()
    card_login(client, card)
    expire_sign_in(client)
    client.post("/resume-test/", {"plan": PLAN})

    signed_in = staff_login(client, reviewer)

    assert signed_in["Location"] == "/staff/"
    assert resume.RESUME_SESSION not in client.session
