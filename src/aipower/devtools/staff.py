"""Demo staff accounts for development: one operator, three reviewers, one organiser.

Every account has the password ``aipower-demo`` and a confirmed TOTP device with the well-known
base32 secret ``JBSWY3DPEHPK3PXP``: add it to an authenticator app, or print the current code
with ``manage.py demo_totp``. Never in production (devtools refuses to load there).
"""

from base64 import b32decode

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts.enums import Role
from aipower.accounts.roles import sync_role_groups

DEMO_PASSWORD = "aipower-demo"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()
DEMO_DEVICE_NAME = "demo"

DEMO_STAFF = [
    ("operator", Role.OPERATOR, "示範執行單位"),
    ("reviewer1", Role.REVIEWER, "示範審查委員一"),
    ("reviewer2", Role.REVIEWER, "示範審查委員二"),
    ("reviewer3", Role.REVIEWER, "示範審查委員三"),
    ("organiser", Role.ORGANISER, "示範主辦單位"),
]


@transaction.atomic
def create_demo_staff():
    """Create or reset the demo staff (idempotent); return the users in ``DEMO_STAFF`` order."""
    User = get_user_model()
    users = []
    for username, role, name in DEMO_STAFF:
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.first_name = name
        # .example, not .invalid: the outbox takes .invalid for an erased address and never
        # sends to it, so every notice to the demo staff showed as 寄送失敗.
        user.email = f"{username}@demo.example"
        user.is_active = True
        user.is_superuser = False
        user.company = None
        user.set_password(DEMO_PASSWORD)
        user.save()
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name=DEMO_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
        )
        if device.key != DEMO_TOTP_KEY or not device.confirmed:
            device.key, device.confirmed = DEMO_TOTP_KEY, True
            device.save(update_fields=["key", "confirmed"])
        users.append(user)
    sync_role_groups()
    for user in users:
        user.refresh_from_db()
    return users
