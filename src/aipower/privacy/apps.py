"""The personal-data app: the data subjects' requests under the Personal Data Protection Act."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "aipower.privacy"
    verbose_name = _("個人資料")

    def ready(self):
        # The applications' mail reaches the accepted stop requests only through this seam.
        from aipower.applications import hooks

        from . import services

        hooks.install(withheld=services.withheld_addresses)
