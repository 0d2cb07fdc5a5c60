"""Deployment checks (``manage.py check --deploy``) for what Django's own do not know."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def trusted_proxies(app_configs, **kwargs):
    """Behind the documented reverse proxy, an empty ``TRUSTED_PROXIES`` makes every request
    come from the proxy: the login throttles would slow everyone at once and the audit log would
    record the proxy's address."""
    if getattr(settings, "TRUSTED_PROXIES", None):
        return []
    return [
        checks.Warning(
            "AIPOWER_TRUSTED_PROXIES names no reverse proxy.",
            hint=(
                "Set it to the proxy's address or network (docs/operations.md), unless clients "
                "connect to this server directly."
            ),
            id="aipower.W001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def site_url(app_configs, **kwargs):
    """Without the site's address the notices cannot say where to sign in."""
    if getattr(settings, "SITE_URL", ""):
        return []
    return [
        checks.Warning(
            "AIPOWER_SITE_URL is not set: the notices mailed will not say where the site is.",
            hint="Set it to the site's public address, e.g. https://aipower.example.gov.tw.",
            id="aipower.W002",
        )
    ]
