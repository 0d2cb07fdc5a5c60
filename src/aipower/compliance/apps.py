from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "aipower.compliance"
    verbose_name = _("使用規範")
