"""Users (companies and staff), companies, and the one-time login challenges."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import STAFF_ROLES, Role


class Company(models.Model):
    """An applicant company, as its business certificate names it."""

    ubn = models.CharField(_("統一編號"), max_length=8, unique=True)
    name = models.CharField(_("公司名稱"), max_length=200)
    first_login_at = models.DateTimeField(_("首次登入"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("最近登入"), null=True, blank=True)

    class Meta:
        ordering = ["ubn"]
        verbose_name = _("申請企業")
        verbose_name_plural = _("申請企業")

    def __str__(self):
        return f"{self.name} ({self.ubn})"


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.COMPANY)
    company = models.OneToOneField(
        Company,
        verbose_name=_("申請企業"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="user",
    )

    @property
    def shown_name(self):
        """The person as pages and mails name them: the full name, else the sign-in name."""
        return self.get_full_name() or self.get_username()

    @property
    def is_company(self):
        return self.role == Role.COMPANY

    @property
    def is_staff_member(self):
        return self.role in STAFF_ROLES


class LoginChallenge(models.Model):
    """A one-time nonce the card must sign: single use, short expiry, bound to one session."""

    nonce = models.CharField(max_length=64, unique=True)
    session_key = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登入挑戰碼")
        verbose_name_plural = _("登入挑戰碼")

    def __str__(self):
        return f"challenge {self.nonce[:8]}…"


class Enrolment(models.Model):
    """A one-time link that lets a staff member set their own sign-in (``accounts.enrolment``).

    ``ENROL`` (the operator issues it: a new account, a lost phone, a forgotten password and
    code) sets a new password *and* a new TOTP device, whose secret waits here until the link is
    used. ``PASSWORD`` (asked for on the sign-in page, mailed to the account's address) sets a
    new password only, and asks for a code of the device the account already has. Only the
    link's SHA-256 is stored; it works once, until ``expires_at``, and a newer link of the same
    account replaces it.
    """

    class Purpose(models.TextChoices):
        ENROL = "enrol", _("設定密碼與驗證器")
        PASSWORD = "password", _("重設密碼")

    user = models.ForeignKey(
        User, verbose_name=_("帳號"), on_delete=models.CASCADE, related_name="enrolments"
    )
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # The new TOTP device's secret (hex), shown on the link's page until it is used.
    totp_key = models.CharField(max_length=80, blank=True, default="")
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("核發者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("核發時間"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期限"))
    used_at = models.DateTimeField(_("使用時間"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("帳號設定連結")
        verbose_name_plural = _("帳號設定連結")

    def __str__(self):
        return f"{self.user} {self.purpose} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"
