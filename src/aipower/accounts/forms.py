"""Staff sign-in form: account, password and the TOTP code, checked together.

Whatever part is wrong, the form says only 「帳號、密碼或驗證碼錯誤」, so that a guesser learns
nothing about which part was right. Company accounts can never sign in here. One exception: a
*correct* code of a device still waiting after wrong codes is told so, next to the code field,
with the minutes to wait — only the device's holder can type one.
"""

import math

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.core.form_messages import NamedInvalidMessages

from .enums import STAFF_ROLES
from .models import Enrolment, User

GENERIC_ERROR = _("帳號、密碼或驗證碼錯誤")


class OneTimeCodeInput(forms.TextInput):
    """A code field that never shows a code back: a used or wrong code is worth nothing."""

    def format_value(self, value):
        return None


def username_field():
    """The staff account's name, as the sign-in and 忘記密碼 ask for it."""
    return forms.CharField(
        label=_("帳號"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


def code_field(**attrs):
    """A code of the member's authenticator app (TOTP), never shown back."""
    return forms.CharField(
        label=_("驗證碼（TOTP）"),
        max_length=8,
        widget=OneTimeCodeInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "size": 8, **attrs}
        ),
    )


class StaffLoginForm(NamedInvalidMessages, forms.Form):
    username = username_field()
    password = forms.CharField(
        label=_("密碼"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = code_field(pattern="[0-9]{6,8}")

    # Why a sign-in failed, for the audit log only (never shown, never the secret itself).
    failure_reason = ""

    def __init__(self, *args, request=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = None
        self.device = None

    def clean(self):
        cleaned = super().clean()
        username = cleaned.get("username")
        password = cleaned.get("password")
        token = (cleaned.get("otp_token") or "").strip()
        if not username or not password or not token:
            # Missing fields have their own "required" errors next to the fields.
            self.failure_reason = "incomplete"
            return cleaned

        user = authenticate(self.request, username=username, password=password)
        if user is None:
            return self._fail("bad_credentials")
        if not user.is_staff_member:
            return self._fail("not_staff")
        device = verified_totp_device(user, token)
        if device is None:
            until = locked_until(user, token)
            if until is not None:
                self.failure_reason = "device_locked"
                minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
                self.add_error("otp_token", device_locked_message(minutes))
                return cleaned
            return self._fail("bad_code")
        self.user, self.device = user, device
        return cleaned

    def _fail(self, reason):
        self.failure_reason = reason
        raise forms.ValidationError(GENERIC_ERROR, code="invalid_login")


def device_locked_message(minutes):
    return ngettext(
        "驗證碼錯誤次數過多，驗證器暫停使用，請於 %(minutes)d 分鐘後以新的驗證碼再試；"
        "急需登入請洽執行單位重發設定連結。",
        "驗證碼錯誤次數過多，驗證器暫停使用，請於 %(minutes)d 分鐘後以新的驗證碼再試；"
        "急需登入請洽執行單位重發設定連結。",
        minutes,
    ) % {"minutes": minutes}


def verified_totp_device(user, token):
    """The user's confirmed TOTP device that accepts ``token`` (each code works once), or None.

    The devices are locked while they are checked: django-otp keeps the last code used and the
    failure count on the device row and saves them after the check, so two sign-ins sent at once
    with the same code would otherwise both pass, and concurrent failures count as fewer."""
    with transaction.atomic():
        devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        for device in devices.order_by("pk"):
            _bound_lock(device)
            if device.verify_token(token):
                return device
    return None


# After each wrong code django-otp makes the device wait twice as long as before, without end:
# twenty wrong codes (a phone's clock that is off) lock it for a week, and the member would
# see only 「帳號、密碼或驗證碼錯誤」. The wait stops growing at DEVICE_LOCK_MAX_SECONDS; a code
# is still one guess in a million and the password is needed before any code is tried.
DEVICE_LOCK_MAX_SECONDS = 15 * 60


def _bound_lock(device):
    factor = device.get_throttle_factor()
    if factor <= 0 or device.throttling_failure_count <= 1:
        return
    longest = 1 + int(math.log2(max(1, DEVICE_LOCK_MAX_SECONDS / factor)))
    device.throttling_failure_count = min(device.throttling_failure_count, longest)


def device_waits_until(device):
    """When ``device``, waiting after wrong codes, may be tried again (None: it may now)."""
    _bound_lock(device)
    allowed, data = device.verify_is_allowed()
    return None if allowed or not data else data.get("locked_until")


def locked_until(user, token):
    """When ``token`` is a current code of one of the user's devices that is waiting after
    wrong codes: the moment it may be tried again (else None). Only someone holding the device
    can type a current code, so saying so tells a guesser nothing; nothing is saved."""
    try:
        number = int(token)
    except (TypeError, ValueError):
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"):
        until = device_waits_until(device)
        if until is None:
            continue
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if totp.verify(number, device.tolerance, device.last_t + 1):
            return until
    return None


class NewStaffForm(NamedInvalidMessages, forms.ModelForm):
    """A new staff account (no password: the member sets it on the enrolment link)."""

    class Meta:
        model = User
        fields = ["username", "first_name", "email", "role"]
        labels = {"username": _("帳號"), "first_name": _("姓名"), "email": _("電子郵件")}

    def __init__(self, *args, roles=STAFF_ROLES, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("帳號設定連結寄至此地址。")
        self.fields["first_name"].required = True
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class RoleForm(NamedInvalidMessages, forms.Form):
    role = forms.ChoiceField(label=_("角色"))

    def __init__(self, *args, roles=STAFF_ROLES, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role.value, role.label) for role in roles]


class EnrolForm(NamedInvalidMessages, forms.Form):
    """The enrolment link's page: a new password (twice) and a code proving the device."""

    password1 = forms.CharField(
        label=_("新密碼"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("再次輸入新密碼"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    otp_token = code_field()

    def __init__(self, *args, enrolment, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        if enrolment.purpose == Enrolment.Purpose.ENROL:
            self.fields["otp_token"].help_text = _(
                "掃描上方 QR code 後，驗證器 App 顯示的 6 位數字。"
            )
        else:
            self.fields["otp_token"].help_text = _("您的驗證器 App 目前顯示的 6 位數字。")

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            raise forms.ValidationError(_("兩次輸入的密碼不一致。"), code="password_mismatch")
        if second:
            validate_password(second, self.enrolment.user)
        return second

    def clean(self):
        """The code last, and only when the passwords are right: checking a code of the
        member's own device uses it up, and they should not have to wait for the next one
        because a password was mistyped."""
        from .enrolment import code_is_valid  # it asks this module for the sign-in's check

        cleaned = super().clean()
        token = cleaned.get("otp_token")
        if token and not self.errors and not code_is_valid(self.enrolment, token):
            self.add_error(
                "otp_token",
                forms.ValidationError(
                    _("驗證碼不正確，請輸入驗證器 App 目前顯示的 6 位數字。"), code="bad_code"
                ),
            )
        return cleaned


class PasswordResetRequestForm(NamedInvalidMessages, forms.Form):
    username = username_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
