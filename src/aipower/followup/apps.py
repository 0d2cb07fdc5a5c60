"""The follow-up of outcomes (成效追蹤): the productisation survey after the period of use."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "aipower.followup"
    verbose_name = _("成效追蹤")
