from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user is. Companies sign in with their card; staff with password and TOTP."""

    COMPANY = "company", _("申請企業")
    OPERATOR = "operator", _("執行單位")
    REVIEWER = "reviewer", _("審查委員")
    ORGANISER = "organiser", _("主辦單位")


STAFF_ROLES = (Role.OPERATOR, Role.REVIEWER, Role.ORGANISER)
