from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "aipower.public"
    verbose_name = _("公開網站")
