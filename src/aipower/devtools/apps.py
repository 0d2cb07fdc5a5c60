from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "aipower.devtools"
    verbose_name = "Development tools"

    def ready(self):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        if not settings.DEVTOOLS_ENABLED:
            raise ImproperlyConfigured("aipower.devtools is installed but DEVTOOLS_ENABLED is off")
