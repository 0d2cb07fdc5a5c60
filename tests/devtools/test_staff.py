"""The demo staff: five accounts, one known password and one known TOTP secret."""

from base64 import b32decode

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts.enums import Role
from aipower.accounts.forms import verified_totp_device
from aipower.applications.models import SentMail
from aipower.applications.services import send_mail_stored
from aipower.devtools.staff import DEMO_PASSWORD, DEMO_TOTP_SECRET, create_demo_staff

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def code_from_secret(secret=DEMO_TOTP_SECRET):
    """What an authenticator app (or ``oathtool --totp -b SECRET``) shows right now."""
    return f"{totp(b32decode(secret)):06d}"


def test_create_demo_staff_makes_the_five_accounts_with_their_roles(db):
    users = create_demo_staff()

    assert [(u.username, u.role, u.is_staff) for u in users] == [
        ("operator", Role.OPERATOR, True),
        ("reviewer1", Role.REVIEWER, False),
        ("reviewer2", Role.REVIEWER, False),
        ("reviewer3", Role.REVIEWER, False),
        ("organiser", Role.ORGANISER, True),
    ]
    assert all(u.check_password(DEMO_PASSWORD) for u in users)
    assert [[g.name for g in u.groups.all()] for u in users] == [
        ["operator"],
        ["reviewer"],
        ["reviewer"],
        ["reviewer"],
        ["organiser"],
    ]


def test_create_demo_staff_is_idempotent(django_user_model):
    first = create_demo_staff()
    first[0].set_password("changed-by-hand")
    first[0].save()

    second = create_demo_staff()

    assert [u.pk for u in second] == [u.pk for u in first]
    assert django_user_model.objects.count() == 5
    assert TOTPDevice.objects.count() == 5
    assert second[0].check_password(DEMO_PASSWORD)


def test_demo_devices_hold_the_demo_secret_confirmed(db):
    create_demo_staff()

    keys = set(TOTPDevice.objects.values_list("key", "confirmed"))

    assert keys == {("48656c6c6f21deadbeef", True)}


def test_demo_code_from_the_secret_is_accepted(db):
    operator = create_demo_staff()[0]

    device = verified_totp_device(operator, code_from_secret())

    assert device == TOTPDevice.objects.get(user=operator)


def test_demo_operator_signs_in_with_the_code_from_the_secret(client, db):
    create_demo_staff()

    response = client.post(
        "/staff/login/",
        {"username": "operator", "password": DEMO_PASSWORD, "otp_token": code_from_secret()},
    )

    assert response.status_code == 302
    assert client.get("/staff/").wsgi_request.user.is_verified() is True


def test_demo_staff_receive_their_notices_instead_of_failing_on_the_mail_log(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    reviewer = create_demo_staff()[1]

    with django_capture_on_commit_callbacks(execute=True):
        sent = send_mail_stored(
            to=[reviewer.email], subject="【AI算力平台】審查案件指派通知", body="", to_staff=True
        )

    sent.refresh_from_db()
    assert (sent.status, sent.error) == (SentMail.Status.SENT, "")
    assert [m.to for m in mailoutbox] == [[reviewer.email]]
