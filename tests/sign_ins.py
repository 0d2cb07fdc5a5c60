"""A sign-in that has run out, as tests of ``@resumable`` views need it (``accounts.resume``)."""

from django.conf import settings
from django.http import HttpResponse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.accounts import resume


def expire(client, user):
    """What eight hours do to a browser signed in as ``user``: the session is gone, the signed
    cookie naming who signed in is still there."""
    response = resume.remember(HttpResponse(), user)
    name = settings.REMEMBER_COOKIE_NAME
    client.cookies[name] = response.cookies[name].value
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)


def sign_in_again(client, user):
    """``user`` signs in again on that browser (a staff member with the second factor too)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
