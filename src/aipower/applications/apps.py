from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class ApplicationsConfig(AppConfig):
    name = "aipower.applications"
    # "Applications" in English: the section is plural, the record (申請案) singular.
    verbose_name = pgettext_lazy("plural", "申請案")
