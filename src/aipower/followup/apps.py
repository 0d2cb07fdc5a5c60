"""The follow-up of outcomes (成效追蹤): the productisation survey after the period of use."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "aipower.followup"
    verbose_name = _("成效追蹤")

    def ready(self):
        # The survey's two notices join the one operator-editable store (seeded, and their
        # variables checked in the admin, like every other notice).
        from aipower.core import notices

        from . import notice_texts

        notices.register(notice_texts.DEFAULT_TEMPLATES, notice_texts.VARIABLES)
