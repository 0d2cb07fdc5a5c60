"""The personal-data app: the data subjects' requests under the Personal Data Protection Act."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "aipower.privacy"
    verbose_name = _("個人資料")
