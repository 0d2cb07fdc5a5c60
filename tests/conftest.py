"""Fixtures shared by every layer of tests."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (zh-Hant): a request made in English by an
    earlier test leaves its language active in the thread (the locale middleware activates it
    and nothing resets it), which would leak into code a later test calls directly."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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
