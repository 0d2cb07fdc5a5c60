"""A staff member's TOTP secret shown in the admin is in the audit log: the device's page (its
key), its configuration page (the otpauth link) and its QR code let whoever sees them make the
member's codes, and nothing recorded who saw them."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts.models import User
from aipower.core.models import AuditEntry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="x" * 16, role="operator")


@pytest.fixture
def device(db):
    member = User.objects.create_user("rev9", password="x" * 16, role="reviewer")
    return TOTPDevice.objects.create(user=member, name="phone", confirmed=True)


@pytest.mark.parametrize(
    ("url_name", "page"),
    [
        ("admin:otp_totp_totpdevice_change", "change"),
        ("admin:otp_totp_totpdevice_config", "config"),
        ("admin:otp_totp_totpdevice_qrcode", "qrcode"),
    ],
)
def test_a_totp_secret_shown_in_the_admin_is_audited(superuser, device, url_name, page):
    response = verified_client(superuser).get(reverse(url_name, args=[device.pk]))

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="staff.device_secret_viewed")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        superuser,
        "otp_totp.TOTPDevice",
        str(device.pk),
    )
    assert entry.data == {"page": page, "user": device.user.username}
    assert device.key not in str(entry.data)


def test_the_device_list_shows_no_secret_and_is_not_audited(superuser, device):
    response = verified_client(superuser).get(reverse("admin:otp_totp_totpdevice_changelist"))

    assert response.status_code == 200
    assert device.key not in response.content.decode()
    assert not AuditEntry.objects.filter(action="staff.device_secret_viewed").exists()
