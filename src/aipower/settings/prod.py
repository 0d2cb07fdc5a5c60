"""Production settings. Refuses to start with DEBUG on, a default secret key, or any
development tool enabled."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, DEFAULT_SECRET_KEY, DEVTOOLS_ENABLED, INSTALLED_APPS, SECRET_KEY, env_bool

SESSION_COOKIE_SECURE = env_bool("AIPOWER_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 31536000 if SESSION_COOKIE_SECURE else 0
# The portal's own host and any below it are HTTPS only (not preloaded: that is the domain
# owner's decision). HTTP → HTTPS is the reverse proxy's redirect (check --deploy's W008).
SECURE_HSTS_INCLUDE_SUBDOMAINS = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SESSION_COOKIE_SECURE:
    # A browser keeps a cookie named __Host-… only if it is Secure, for the path / and without a
    # Domain, so no other host under the same domain and no plain-HTTP page can set or shadow
    # the sign-in, the CSRF token or the resume cookie.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    REMEMBER_COOKIE_NAME = "__Host-aipower_last_sign_in"


def check_production(settings):
    """Return the reasons these settings must not serve production (empty when fine)."""
    problems = []
    if settings.get("DEBUG"):
        problems.append("DEBUG is on (unset AIPOWER_DEBUG)")
    secret = settings.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET_KEY or len(secret) < 32:
        problems.append("AIPOWER_SECRET_KEY is the default or shorter than 32 characters")
    if settings.get("DEVTOOLS_ENABLED") or "aipower.devtools" in settings.get("INSTALLED_APPS", []):
        problems.append("a development tool is enabled")
    if not settings.get("CERT_TRUST_ANCHORS"):
        problems.append("AIPOWER_CERT_TRUST_ANCHORS names no trusted root")
    return problems


_problems = check_production(
    {
        "DEBUG": DEBUG,
        "SECRET_KEY": SECRET_KEY,
        "DEVTOOLS_ENABLED": DEVTOOLS_ENABLED,
        "INSTALLED_APPS": INSTALLED_APPS,
        "CERT_TRUST_ANCHORS": CERT_TRUST_ANCHORS,  # noqa: F405
    }
)
if _problems:
    raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(_problems))
