from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "aipower.grants"
    verbose_name = _("算力點數")
