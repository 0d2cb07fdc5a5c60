"""Company sign-in with the business-certificate card: challenges, verification, the session.

One login attempt:

1. ``issue_challenge(request)``: a fresh random nonce bound to the browser's session, valid for
   ``LOGIN_CHALLENGE_TTL_SECONDS``.
2. The page has the card component sign the nonce (the PIN stays between page and component).
3. ``card_login(request, ...)``: consume the challenge (single use, unexpired, this session),
   verify signature and certificate (``pki.verify_login_signature``), then get or create the
   company and its user and log the user in.

Every failure is written to the audit log (code and an English detail, never the PIN) and
counted by ``aipower.core.throttle`` per address; too many failures are refused for a while.
Failures the card component reports to the page (wrong PIN, no card, ...) reach the server through
``report_component_failure`` so they are logged and counted the same way.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.utils import timezone

from aipower.core import audit, throttle

from . import pki
from .enums import Role
from .models import Company, LoginChallenge, User

THROTTLE_SCOPE = "card-login"
NONCE_BYTES = 32

# PKCS#11 return values the HiCOS component passes on as ``last_error``.
CKR_DEVICE_ERROR = 0x30
CKR_DEVICE_REMOVED = 0x32
CKR_PIN_INCORRECT = 0xA0
CKR_PIN_LEN_RANGE = 0xA2
CKR_PIN_LOCKED = 0xA4
CKR_TOKEN_NOT_PRESENT = 0xE0
CKR_TOKEN_NOT_RECOGNIZED = 0xE1
# HiCOS's wrong-PIN answers that say how many tries are left before the card locks (the
# component sends them as signed 32-bit numbers: -2147483646 and -2147483647).
PIN_TWO_TRIES_LEFT = 0x80000002
PIN_ONE_TRY_LEFT = 0x80000001
# The component's own ``ret_code`` values (HiCOS's error table).
RET_NO_CARD = 0x76000006  # 未插入IC卡
RET_CANCELLED = 0x76000999  # 使用者已取消動作
RET_NO_READER = 0x76100003  # 無可用讀卡機
RET_CERT_NOT_YET_VALID = 0x76500001  # 憑證尚未生效
RET_CERT_EXPIRED = 0x76500002  # 憑證已逾期
# Failures the page detects itself before the component answers.
PAGE_FAILURES = ("component_missing", "no_card")


def _ip(request):
    return audit.client_ip(request) or "unknown"


def session_key(request) -> str:
    """The browser's session key, creating the session when it has none yet."""
    if request.session.session_key is None:
        request.session.save()
    return request.session.session_key


def check_throttle(request) -> None:
    """Refuse (``pki.Throttled``) while this address must wait after repeated failures."""
    seconds = throttle.retry_after(THROTTLE_SCOPE, _ip(request))
    if seconds:
        _refuse(request, seconds)


def admit_attempt(request) -> None:
    """Count a sign-in attempt before it is checked (a failure then needs nothing more; a
    success resets the count), or refuse it (``pki.Throttled``) while the address must wait."""
    seconds = throttle.admit(THROTTLE_SCOPE, _ip(request))
    if seconds:
        _refuse(request, seconds)


def _refuse(request, seconds, **data):
    if throttle.log_once(THROTTLE_SCOPE, _ip(request), seconds):
        audit.record("card-login.throttled", request=request, retry_after=seconds, **data)
    raise pki.Throttled(seconds)


def record_failure(request, error: pki.CardLoginError, **data) -> None:
    """Write a failed attempt to the audit log (it was counted by ``admit_attempt``)."""
    audit.record(
        "card-login.failed", request=request, code=error.code, detail=error.detail[:300], **data
    )


def issue_challenge(request, *, now: dt.datetime | None = None) -> LoginChallenge:
    """A new one-time challenge for this browser session (each is a row: at most
    ``LOGIN_CHALLENGES_PER_MINUTE`` an address)."""
    check_throttle(request)
    limit = settings.LOGIN_CHALLENGES_PER_MINUTE
    seconds = throttle.over_rate("card-challenge", _ip(request), limit)
    if seconds:
        _refuse(request, seconds, reason="challenges")
    now = now or timezone.now()
    LoginChallenge.objects.filter(expires_at__lt=now - dt.timedelta(days=1)).delete()
    return LoginChallenge.objects.create(
        nonce=secrets.token_urlsafe(NONCE_BYTES),
        session_key=session_key(request),
        created_at=now,
        expires_at=now + dt.timedelta(seconds=settings.LOGIN_CHALLENGE_TTL_SECONDS),
    )


def challenge_bytes(challenge: LoginChallenge) -> bytes:
    """Exactly what the card signs: the nonce's ASCII text (``tbsEncoding`` NONE)."""
    return challenge.nonce.encode("ascii")


def consume_challenge(nonce, key: str | None, *, now: dt.datetime | None = None) -> LoginChallenge:
    """Use up the challenge ``nonce`` of session ``key``; raise when it must not be used."""
    now = now or timezone.now()
    if not isinstance(nonce, str) or not nonce or len(nonce) > 64 or not key:
        raise pki.ChallengeUnknown("no challenge given")
    challenge = LoginChallenge.objects.filter(nonce=nonce).first()
    if challenge is None:
        raise pki.ChallengeUnknown("unknown challenge")
    if challenge.session_key != key:
        raise pki.ChallengeUnknown("challenge of another session")
    # Mark it used before anything else, atomically: a second request loses the race.
    claimed = LoginChallenge.objects.filter(pk=challenge.pk, used_at__isnull=True).update(
        used_at=now
    )
    if not claimed:
        raise pki.ChallengeReplayed("challenge already used")
    if challenge.expires_at <= now:
        raise pki.ChallengeExpired("challenge expired")
    return challenge


def trust_material() -> dict:
    """The verifier's trust anchors, intermediates and CRLs, from settings."""
    return {
        "trust_roots": settings.CERT_TRUST_ANCHORS,
        "intermediates": settings.CERT_INTERMEDIATES,
        "crls": settings.CERT_CRLS,
    }


def verify(signature: str, certificate: str, challenge: LoginChallenge) -> pki.CertIdentity:
    try:
        material = trust_material()
        return pki.verify_login_signature(
            signature, certificate, challenge_bytes(challenge), **material
        )
    except OSError as error:
        # A trust file named in settings is missing or unreadable: nothing can be trusted.
        raise pki.UntrustedCertificate(f"trust material unreadable: {error}") from error


@transaction.atomic
def company_for(identity: pki.CertIdentity, *, now: dt.datetime | None = None) -> Company:
    """Get or create the company the certificate names, keeping its name current."""
    now = now or timezone.now()
    company, _created = Company.objects.select_for_update().get_or_create(
        ubn=identity.ubn, defaults={"name": identity.name, "first_login_at": now}
    )
    company.name = identity.name
    company.first_login_at = company.first_login_at or now
    company.last_login_at = now
    company.save(update_fields=["name", "first_login_at", "last_login_at"])
    return company


def user_for(company: Company) -> User:
    """The company's own user (role company, no password: it signs in with the card only)."""
    user = User.objects.filter(company=company).first()
    if user is not None:
        return user
    user = User(username=f"company-{company.ubn}", role=Role.COMPANY, company=company)
    user.set_unusable_password()
    user.save()
    return user


def card_login(request, *, nonce, signature, certificate) -> User:
    """Verify a card login attempt and log the company in; raise ``pki.CardLoginError``."""
    admit_attempt(request)
    try:
        challenge = consume_challenge(nonce, request.session.session_key)
        identity = verify(signature, certificate, challenge)
    except pki.CardLoginError as error:
        record_failure(request, error)
        raise
    company = company_for(identity)
    user = user_for(company)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    throttle.reset(THROTTLE_SCOPE, _ip(request))
    audit.record(
        "card-login.succeeded",
        request=request,
        actor=user,
        obj=company,
        ubn=identity.ubn,
        certificate_serial=identity.serial,
        certificate_not_after=identity.not_after.isoformat(),
    )
    return user


def classify_component_failure(ret_code, last_error) -> pki.CardLoginError:
    """The failure a card component reported (HiCOS ``ret_code`` and PKCS#11 ``last_error``)."""
    # Both may come as signed 32-bit numbers (HiCOS's own pages add 2**32 to negative ones).
    ret_code &= 0xFFFFFFFF
    last_error &= 0xFFFFFFFF
    detail = f"component ret_code={ret_code:#x} last_error={last_error:#x}"
    if last_error == PIN_TWO_TRIES_LEFT:
        return pki.WrongPinTwoLeft(detail)
    if last_error == PIN_ONE_TRY_LEFT:
        return pki.WrongPinOneLeft(detail)
    if last_error in (CKR_PIN_INCORRECT, CKR_PIN_LEN_RANGE):
        return pki.WrongPin(detail)
    if last_error == CKR_PIN_LOCKED:
        return pki.PinLocked(detail)
    if ret_code == RET_NO_READER:
        return pki.NoReader(detail)
    if ret_code == RET_CANCELLED:
        return pki.Cancelled(detail)
    if ret_code in (RET_CERT_EXPIRED, RET_CERT_NOT_YET_VALID):
        return pki.ExpiredCertificate(detail)
    if ret_code == RET_NO_CARD or last_error in (
        CKR_TOKEN_NOT_PRESENT,
        CKR_TOKEN_NOT_RECOGNIZED,
        CKR_DEVICE_REMOVED,
        CKR_DEVICE_ERROR,
    ):
        return pki.NoCard(detail)
    return pki.ComponentFailure(detail)


def report_component_failure(request, *, nonce=None, ret_code=None, last_error=None, failure=None):
    """Log and count a failure the page or the card component saw; return it for the reply."""
    admit_attempt(request)
    if failure in PAGE_FAILURES:
        error = pki.ERRORS[failure](f"reported by the page: {failure}")
    elif isinstance(ret_code, int) and isinstance(last_error, int) and ret_code != 0:
        error = classify_component_failure(ret_code, last_error)
    else:
        error = pki.MalformedData("unrecognised failure report")
    if isinstance(nonce, str) and nonce:
        # The challenge went to the component: it is spent whatever happened there.
        LoginChallenge.objects.filter(
            nonce=nonce, session_key=request.session.session_key, used_at__isnull=True
        ).update(used_at=timezone.now())
    record_failure(request, error)
    return error


def logout_company(request) -> None:
    from django.contrib.auth import logout

    user = request.user if request.user.is_authenticated else None
    if user is not None:
        audit.record("card-login.logout", request=request, actor=user)
    logout(request)
