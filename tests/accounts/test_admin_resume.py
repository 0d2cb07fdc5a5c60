"""An admin form sent after the sign-in ended is kept and saved after the same staff member's
next sign-in (``StaffAdminSite.admin_view`` with ``accounts.resume``); other admin POSTs are not
replayed."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts import resume
from aipower.accounts.enums import Role
from aipower.accounts.models import User
from aipower.accounts.roles import sync_role_groups
from aipower.registry.models import ListEntry
from tests.conftest import verified_client
from tests.sign_ins import expire, sign_in_again

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery"
REASON = "財政部函示停業中，暫停申請資格" * 10


@pytest.fixture
def operator(db):
    user = User.objects.create_user("op1", password=PASSWORD, role=Role.OPERATOR)
    sync_role_groups()  # the role's group and admin access
    user.refresh_from_db()
    return user


def staff_login(client, user, next_url):
    """The staff login form, password and the current TOTP code."""
    device = TOTPDevice.objects.get(user=user)
    device.last_t = -1  # the test's first sign-in used this code's window already
    device.save()
    data = {
        "username": user.username,
        "password": PASSWORD,
        "otp_token": f"{totp(device.bin_key):06d}",
    }
    return client.post(f"{reverse('staff:login')}?next={next_url}", data)


def list_entry_form(**extra):
    return {"ubn": "84700087", "kind": "suspended", "reason": REASON, "until": "", **extra}


def test_an_add_form_sent_after_the_sign_in_ended_is_saved_after_the_next(operator):
    client = verified_client(operator)
    add_url = reverse("admin:registry_listentry_add")
    expire(client, operator)

    sent = client.post(add_url, list_entry_form(_save="儲存"))
    assert sent.status_code == 302
    assert not ListEntry.objects.exists()
    kept = [str(m) for m in get_messages(sent.wsgi_request)]

    to_login = client.get(sent["Location"])  # the admin's login sends to the staff login
    signed_in = staff_login(client, operator, next_url=add_url)
    resumed = client.get(signed_in["Location"])

    assert "您剛才送出的內容已暫存" in kept[0]
    assert to_login["Location"].startswith(reverse("staff:login"))
    assert signed_in["Location"] == add_url
    assert resumed.status_code == 302  # saved as the button would have, then to the list
    entry = ListEntry.objects.get()
    assert (entry.ubn, entry.reason, entry.added_by) == ("84700087", REASON, operator)
    assert resume.RESUME_SESSION not in client.session


def test_a_change_form_is_handed_only_to_whoever_typed_it(operator):
    other = User.objects.create_user("op2", password=PASSWORD, role=Role.OPERATOR)
    sync_role_groups()
    verified_client(other)  # a second factor of their own
    entry = ListEntry.objects.create(ubn="84700087", kind="suspended", reason="舊理由")
    change_url = reverse("admin:registry_listentry_change", args=[entry.pk])
    client = verified_client(operator)
    expire(client, operator)
    client.post(change_url, list_entry_form(_save="儲存"))
    assert client.session[resume.RESUME_SESSION]["who"] == f"staff:{operator.pk}"

    sign_in_again(client, other)
    page = client.get(change_url)

    assert page.status_code == 200
    assert "舊理由" in page.content.decode()
    entry.refresh_from_db()
    assert entry.reason == "舊理由"


def test_a_deletion_sent_after_the_sign_in_ended_is_not_replayed(operator):
    entry = ListEntry.objects.create(ubn="84700087", kind="suspended", reason="舊理由")
    delete_url = reverse("admin:registry_listentry_delete", args=[entry.pk])
    client = verified_client(operator)
    expire(client, operator)
    client.post(delete_url, {"post": "yes"})

    sign_in_again(client, operator)
    page = client.get(delete_url)

    assert page.status_code == 200  # the confirmation, asked again
    assert ListEntry.objects.filter(pk=entry.pk).exists()


def test_a_password_typed_into_a_form_sent_after_the_sign_in_ended_is_not_kept(db):
    root = User.objects.create_superuser("root", password=PASSWORD, role=Role.OPERATOR)
    client = verified_client(root)
    expire(client, root)
    typed = "A-new-staff-password-4821"

    sent = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "newstaff", "password1": typed, "password2": typed, "_save": "儲存"},
    )

    assert sent.status_code == 302
    kept = client.session[resume.RESUME_SESSION]
    assert kept["data"]["username"] == ["newstaff"]
    assert typed not in str(kept)
    assert not User.objects.filter(username="newstaff").exists()


def test_a_secret_key_typed_into_a_form_sent_after_the_sign_in_ended_is_not_kept(operator):
    client = verified_client(operator)
    expire(client, operator)
    key = "3132333435363738393031323334353637383930"

    client.post(
        reverse("admin:registry_listentry_add"),
        list_entry_form(api_key=key, otp_token="123456", secret="s3cret-value", pin="1234"),
    )

    kept = client.session[resume.RESUME_SESSION]
    assert kept["data"]["reason"] == [REASON]
    assert not {"api_key", "otp_token", "secret", "pin"} & set(kept["data"])


def test_a_totp_devices_key_is_not_kept_but_a_texts_key_is(db):
    root = User.objects.create_superuser("root", password=PASSWORD, role=Role.OPERATOR)
    client = verified_client(root)
    expire(client, root)
    secret = "3132333435363738393031323334353637383930"

    client.post(
        reverse("admin:otp_totp_totpdevice_add"),
        {"user": root.pk, "name": "second phone", "key": secret, "step": "30"},
    )
    device_form = client.session[resume.RESUME_SESSION]["data"]
    client.post(
        reverse("admin:calls_text_add"), {"key": "terms", "title_zh": "條款", "body_zh": "x"}
    )
    text_form = client.session[resume.RESUME_SESSION]["data"]

    assert device_form["name"] == ["second phone"]
    assert "key" not in device_form
    assert text_form["key"] == ["terms"]
