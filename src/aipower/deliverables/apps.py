from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliverablesConfig(AppConfig):
    name = "aipower.deliverables"
    verbose_name = _("成果繳交")
