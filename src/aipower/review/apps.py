from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "aipower.review"
    verbose_name = _("審查與核定")
