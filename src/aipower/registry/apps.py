from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "aipower.registry"
    verbose_name = _("稅籍登記資料")
