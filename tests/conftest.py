"""Fixtures shared by every layer of tests."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def call_115(db):
    """The seeded year-115 call, exactly as the seed document gives it."""
    from aipower.calls.seed import seed_call

    return seed_call(115)


def verified_client(user):
    """A client signed in as ``user`` with a verified second factor (as staff_required wants)."""
    client = Client()
    client.force_login(user)
    if user.role != "company":
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
