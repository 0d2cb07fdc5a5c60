"""The admins other packages register (groups, TOTP devices, tasks) write to our audit log too."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts.models import User
from aipower.core.models import AuditEntry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def test_a_totp_device_added_in_the_admin_is_audited_with_its_key_redacted(db):
    superuser = User.objects.create_superuser("root", password="x" * 16, role="operator")
    staff = User.objects.create_user("rev9", password="x" * 16, role="reviewer")
    client = verified_client(superuser)
    key = "3132333435363738393031323334353637383930"

    response = client.post(
        reverse("admin:otp_totp_totpdevice_add"),
        {
            "user": staff.pk,
            "name": "second phone",
            "confirmed": "on",
            "key": key,
            "step": "30",
            "t0": "0",
            "digits": "6",
            "tolerance": "1",
            "drift": "0",
            "throttling_failure_count": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    device = TOTPDevice.objects.get(user=staff, name="second phone")
    entry = AuditEntry.objects.get(action="admin.add", object_type="otp_totp.TOTPDevice")
    assert (entry.actor, entry.object_id) == (superuser, str(device.pk))
    assert entry.data["after"]["key"] == "[redacted]"
    assert key not in str(entry.data)


def test_a_group_deleted_in_the_admin_is_audited(db):
    from django.contrib.auth.models import Group

    superuser = User.objects.create_superuser("root", password="x" * 16, role="operator")
    group = Group.objects.create(name="temporary")

    response = verified_client(superuser).post(
        reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.delete", object_type="auth.Group")
    assert entry.data["repr"] == "temporary"


def test_a_staff_members_password_changed_in_the_admin_is_audited_without_it(db):
    operator = User.objects.create_user(
        "op7", password="old-password-1234", role="operator", is_staff=True
    )
    client = verified_client(operator)
    new_password = "Brand-new-password-5678"

    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "old-password-1234",
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    operator.refresh_from_db()
    assert operator.check_password(new_password)
    entry = AuditEntry.objects.get(action="staff.password_changed")
    assert (entry.actor, entry.object_id) == (operator, str(operator.pk))
    assert new_password not in str(entry.data)
    assert "old-password-1234" not in str(entry.data)


def test_a_refused_password_change_writes_no_entry(db):
    operator = User.objects.create_user(
        "op8", password="old-password-1234", role="operator", is_staff=True
    )

    response = verified_client(operator).post(
        reverse("admin:password_change"),
        {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
    )

    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="staff.password_changed").exists()


def test_a_role_changed_in_the_admin_takes_its_groups_and_admin_flag_at_once(db):
    from django.contrib.auth.models import Group

    from aipower.accounts.roles import sync_role_groups

    superuser = User.objects.create_superuser("root", password="x" * 16, role="operator")
    member = User.objects.create_user("org9", password="x" * 16, role="organiser")
    sync_role_groups()
    member.refresh_from_db()
    assert member.is_staff

    response = verified_client(superuser).post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        {
            "username": "org9",
            "is_active": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name="organiser").pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "role": "reviewer",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert member.role == "reviewer"
    assert not member.is_staff
    assert list(member.groups.values_list("name", flat=True)) == ["reviewer"]


def test_a_staff_member_deactivated_in_the_admin_is_signed_out_on_their_next_request(db):
    superuser = User.objects.create_superuser("root", password="x" * 16, role="operator")
    member = User.objects.create_user("rev9", password="x" * 16, role="reviewer")
    TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    browser = verified_client(member)
    assert browser.get("/staff/").status_code == 200

    verified_client(superuser).post(
        reverse("admin:accounts_user_change", args=[member.pk]),
        {
            "username": "rev9",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "role": "reviewer",
        },
    )

    member.refresh_from_db()
    assert not member.is_active
    response = browser.get("/staff/")
    assert response.status_code == 302 and response["Location"].startswith("/staff/login/")
