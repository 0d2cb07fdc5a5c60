"""Staff accounts through their life: created, enrolled, re-enrolled, reset, deactivated.

No one but the staff member ever knows their password or their TOTP secret. An organiser, or
an operator for reviewers (``rules.managed_roles``), creates an account with no password and no
device and *issues* an enrolment link (``issue``, purpose ``ENROL``), mailed straight to the
member's address: the page behind it (``views.enrol``) has the member choose a password and
scan a new TOTP secret, and checks a code from it before either is kept (``complete``). The
same link, issued again, is the way back in after a lost phone or a forgotten password and
code: issuing it removes the old device and password at once and ends the account's sessions,
so a lost phone is worthless from that moment.

A forgotten password alone is reset by the member (``request_password_reset``): the sign-in
page's 「忘記密碼」 mails a link valid for an hour to the account's address; the page asks for
a code of the member's own device as well, so a read mailbox alone opens nothing. The request
answers the same, and as fast, whether or not the account exists (the worker makes and sends
the mail, ``tasks.mail_password_link``), and is rate-limited per address.

Links are 32 random bytes, stored as SHA-256 only, used once, and replaced by a newer link of
the same account. The mail is sent directly and not kept in the mail log (``/staff/mail/``),
which other staff read: a link must not outlive its use in a log.

``deactivate`` ends the member's sessions at once; ``change_role`` gives the new role's
permissions (and admin access) on the next request. Every step is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from base64 import b32encode
from binascii import unhexlify

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from aipower.core import audit, throttle

from .enums import STAFF_ROLES
from .models import Enrolment, User
from .roles import apply_role

ENROL_VALID = dt.timedelta(hours=72)
PASSWORD_VALID = dt.timedelta(hours=1)
TOKEN_BYTES = 32
# Password-reset requests an address may send a minute (each may send a mail).
RESET_REQUESTS_PER_MINUTE = 3
RESET_SCOPE = "staff-password-reset"


class EnrolmentError(Exception):
    """The link cannot be used (unknown, used, replaced, expired, or the account is off)."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def end_sessions(user) -> int:
    """Sign ``user`` out of every browser now; the number of sessions ended."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def link_for(site: str, token: str) -> str:
    """The link's address on ``site`` (the scheme and host the request came to)."""
    return site.rstrip("/") + reverse("staff:enrol", args=[token])


@transaction.atomic
def create(user, *, request):
    """Save the new staff account ``user`` (no password, no device) and issue its link."""
    user.set_unusable_password()
    user.save()
    apply_role(user)
    audit.record("staff.created", request=request, obj=user, role=user.role)
    return issue(user, request=request, by=request.user)


@transaction.atomic
def issue(user, purpose=Enrolment.Purpose.ENROL, *, request=None, by=None, now=None):
    """A new link for ``user`` (replacing any unused one); ``(enrolment, token)``. For
    ``ENROL`` the old password and devices stop working now and every session ends."""
    now = now or timezone.now()
    # The account's unused link is replaced; anyone's expired one (and its secret) is forgotten.
    Enrolment.objects.filter(used_at__isnull=True).filter(
        Q(user=user) | Q(expires_at__lt=now)
    ).delete()
    key = ""
    if purpose == Enrolment.Purpose.ENROL:
        key = random_hex(20)
        TOTPDevice.objects.filter(user=user).delete()
        user.set_unusable_password()
        user.save(update_fields=["password"])
        end_sessions(user)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    valid = ENROL_VALID if purpose == Enrolment.Purpose.ENROL else PASSWORD_VALID
    enrolment = Enrolment.objects.create(
        user=user,
        purpose=purpose,
        token_hash=_hash(token),
        totp_key=key,
        issued_by=by,
        created_at=now,
        expires_at=now + valid,
    )
    audit.record(
        "staff.enrolment_issued",
        request=request,
        actor=by,
        obj=user,
        purpose=purpose,
        expires_at=enrolment.expires_at.isoformat(),
    )
    return enrolment, token


def mail_link(site, enrolment, token) -> None:
    """Mail the link to the account's address (raises when the mail server refuses it)."""
    context = {
        "user": enrolment.user,
        "link": link_for(site, token),
        "expires_at": timezone.localtime(enrolment.expires_at),
        "purpose": enrolment.purpose,
    }
    subject = (
        _("AI算力平台工作人員帳號設定")
        if enrolment.purpose == Enrolment.Purpose.ENROL
        else _("AI算力平台工作人員密碼重設")
    )
    body = render_to_string("accounts/staff/enrolment_mail.txt", context)
    send_mail(subject, body, None, [enrolment.user.email])


def find(token, *, now=None) -> Enrolment:
    """The usable enrolment of ``token``; raise ``EnrolmentError`` when there is none."""
    now = now or timezone.now()
    if not isinstance(token, str) or not token or len(token) > 100:
        raise EnrolmentError("no token")
    enrolment = Enrolment.objects.select_related("user").filter(token_hash=_hash(token)).first()
    if enrolment is None or enrolment.used_at is not None:
        raise EnrolmentError("unknown or used")
    if enrolment.expires_at <= now or not enrolment.user.is_active:
        raise EnrolmentError("expired or account inactive")
    return enrolment


def totp_of(enrolment) -> TOTP:
    return TOTP(unhexlify(enrolment.totp_key.encode()), step=30, t0=0, digits=6)


def secret_text(enrolment) -> str:
    """The new device's secret as authenticator apps take it typed in (base32, grouped)."""
    text = b32encode(unhexlify(enrolment.totp_key.encode())).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def config_url(enrolment) -> str:
    """The ``otpauth://`` URL of the new device, for the QR code."""
    return TOTPDevice(user=enrolment.user, key=enrolment.totp_key, name="authenticator").config_url


def code_is_valid(enrolment, code) -> bool:
    """Whether ``code`` is a current code: of the new secret (``ENROL``), or of the account's
    own device (``PASSWORD``, which counts as using that code)."""
    code = (code or "").strip()
    if not code.isdigit():
        return False
    if enrolment.purpose == Enrolment.Purpose.ENROL:
        totp = totp_of(enrolment)
        for drift in (-1, 0, 1):  # a phone's clock a step early or late, as at sign-in
            totp.drift = drift
            if totp.token() == int(code):
                return True
        return False
    from .forms import verified_totp_device

    return verified_totp_device(enrolment.user, code) is not None


@transaction.atomic
def complete(enrolment, password, *, request=None, now=None):
    """Keep the new password (and device): the link is used up; every session of the account
    ends (the member signs in afresh)."""
    now = now or timezone.now()
    claimed = Enrolment.objects.filter(pk=enrolment.pk, used_at__isnull=True).update(used_at=now)
    if not claimed:
        raise EnrolmentError("used meanwhile")
    user = enrolment.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    if enrolment.purpose == Enrolment.Purpose.ENROL:
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user, name="authenticator", key=enrolment.totp_key, confirmed=True
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(totp_key="")
    end_sessions(user)
    audit.record("staff.enrolled", request=request, actor=user, obj=user, purpose=enrolment.purpose)
    if user.last_login is not None:  # not a new account's first set-up
        notify_sign_in_changed(user)


def notify_sign_in_changed(user) -> None:
    """Queue the mail telling ``user`` their sign-in changed (after this transaction)."""
    from .tasks import mail_sign_in_changed

    if user.email:
        transaction.on_commit(lambda: mail_sign_in_changed.enqueue(user.pk))


def send_sign_in_changed(user_id) -> bool:
    """The worker's half: the mail itself (no link in it, only where to turn)."""
    user = User.objects.filter(pk=user_id).exclude(email="").first()
    if user is None:
        return False
    context = {"user": user, "at": timezone.localtime()}
    body = render_to_string("accounts/staff/sign_in_changed_mail.txt", context)
    send_mail(_("AI算力平台工作人員帳號登入方式已變更"), body, None, [user.email])
    return True


def request_password_reset(request, username) -> bool:
    """「忘記密碼」: mail a password link to the staff account ``username`` when there is
    one, with an address and a device. The caller shows the same answer whatever happened;
    False only when the address asked too often (the caller says to wait)."""
    ip = audit.client_ip(request) or "unknown"
    if throttle.over_rate(RESET_SCOPE, ip, RESET_REQUESTS_PER_MINUTE):
        if throttle.log_once(RESET_SCOPE, ip, 60):
            audit.record("staff.password_reset_throttled", request=request)
        return False
    user = (
        User.objects.filter(username=(username or "")[:150], role__in=STAFF_ROLES, is_active=True)
        .exclude(email="")
        .first()
    )
    if user is not None and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        user = None
    audit.record("staff.password_reset_requested", request=request, obj=user, sent=bool(user))
    from .tasks import mail_password_link

    user_id = user.pk if user is not None else None
    site = request.build_absolute_uri("/")
    transaction.on_commit(lambda: mail_password_link.enqueue(user_id, site))
    return True


def send_password_link(user_id, site) -> bool:
    """The worker's half of 「忘記密碼」: issue the account's password link and mail it."""
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return False
    enrolment, token = issue(user, Enrolment.Purpose.PASSWORD)
    try:
        mail_link(site, enrolment, token)
    except OSError:
        audit.record("staff.enrolment_mail_failed", obj=user)
        raise
    return True


@transaction.atomic
def deactivate(user, *, request=None):
    """The member can no longer sign in; their browsers are signed out now and any unused
    link stops working."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    Enrolment.objects.filter(user=user, used_at__isnull=True).delete()
    ended = end_sessions(user)
    audit.record("staff.deactivated", request=request, obj=user, sessions_ended=ended)


@transaction.atomic
def reactivate(user, *, request=None):
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record("staff.reactivated", request=request, obj=user)


@transaction.atomic
def change_role(user, role, *, request=None):
    """The new role's pages, admin access and model permissions from the next request."""
    old = user.role
    if old == role:
        return
    user.role = role
    user.save(update_fields=["role"])
    apply_role(user)
    audit.record("staff.role_changed", request=request, obj=user, old=old, new=role)
