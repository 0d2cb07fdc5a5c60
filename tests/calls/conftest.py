"""Fixtures of the calls tests."""

import pytest


@pytest.fixture
def operator(django_user_model):
    """An operator signed in with a confirmed TOTP device, as the OTP admin site requires."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from aipower.accounts.roles import sync_role_groups

    user = django_user_model.objects.create_user("operator", password="x" * 16, role="operator")
    sync_role_groups()
    user.refresh_from_db()
    user.otp_device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    user.is_verified = lambda: True
    return user
