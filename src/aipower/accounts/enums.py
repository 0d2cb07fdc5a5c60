from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    """What a user is. Companies sign in with their card; staff with password and TOTP."""

    COMPANY = "company", pgettext_lazy("role", "申請企業")
    OPERATOR = "operator", pgettext_lazy("role", "執行單位")
    REVIEWER = "reviewer", pgettext_lazy("role", "審查委員")
    ORGANISER = "organiser", pgettext_lazy("role", "主辦單位")


STAFF_ROLES = (Role.OPERATOR, Role.REVIEWER, Role.ORGANISER)
