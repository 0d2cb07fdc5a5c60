from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatewayConfig(AppConfig):
    name = "aipower.gateway"
    verbose_name = _("推論 API 閘道")
