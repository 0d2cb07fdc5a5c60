"""Settings shared by every environment, read from environment variables.

Development/demo settings live in ``dev``, production in ``prod``; nothing here enables a
development tool.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(os.environ.get("AIPOWER_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEFAULT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("AIPOWER_SECRET_KEY", DEFAULT_SECRET_KEY)
DEBUG = env_bool("AIPOWER_DEBUG", False)
ALLOWED_HOSTS = env_list("AIPOWER_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("AIPOWER_CSRF_TRUSTED_ORIGINS")

# Development tools (card component, development CA, demo data) are only ever installed
# by the development settings; production refuses to start when this is true.
DEVTOOLS_ENABLED = False

INSTALLED_APPS = [
    # First: its admin/base_site.html (the site's icon, link styles) overrides the admin's own.
    "aipower.core",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "aipower.calls",
    "aipower.registry",
    "aipower.accounts",
    "aipower.applications",
    "aipower.review",
    "aipower.grants",
    "aipower.gateway",
    "aipower.compliance",
    "aipower.deliverables",
    "aipower.followup",
    "aipower.privacy",
    "aipower.public",
]

MIDDLEWARE = [
    "aipower.core.net.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "aipower.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "aipower.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "aipower.core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "aipower.core.middleware.UploadProgressMiddleware",
    "aipower.accounts.idle.IdleSignOutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "aipower.urls"
WSGI_APPLICATION = "aipower.wsgi.application"
ASGI_APPLICATION = "aipower.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aipower.core.context_processors.site",
                "aipower.accounts.idle.context",
                "aipower.public.context_processors.programme",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'aipower.sqlite3'}",
        conn_max_age=int(os.environ.get("AIPOWER_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts (no upgrade deadlocks between the
    # gateway's concurrent settlements), readers never wait for writers (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:company"
# A stale CSRF token (a sign-in in another tab rotated it) keeps what the form sent.
CSRF_FAILURE_VIEW = "aipower.accounts.views.csrf.csrf_failure"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# zh-Hant first: source strings are the spec's Traditional Chinese labels; English is a translation.
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
# Each app keeps its own English catalogue in <app>/locale/.
USE_I18N = True
# Our own format overrides per language (zh-Hant: times with their seconds).
FORMAT_MODULE_PATH = ["aipower.core.formats"]
TIME_ZONE = "Asia/Taipei"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The companies' deliverables (結案報告, 成果簡報, 產品demo影片): private files, served only by
# the permission-checked views; keep on persistent, backed-up storage.
DELIVERABLES_ROOT = Path(
    os.environ.get("AIPOWER_DELIVERABLES_ROOT", VAR_DIR / "private" / "deliverables")
)
# The tax-registration data sets the operator uploads on the staff page, kept only until the
# background import has read them (registry.uploads); the web and the task worker share it.
REGISTRY_UPLOADS_ROOT = Path(
    os.environ.get("AIPOWER_REGISTRY_UPLOADS_ROOT", VAR_DIR / "private" / "registry")
)
REGISTRY_UPLOAD_MAX_BYTES = int(os.environ.get("AIPOWER_REGISTRY_UPLOAD_MAX_BYTES", 1 << 30))
# A running import whose progress has not moved for this long is taken as stopped (the worker
# died): its page says so and a new file may be uploaded.
REGISTRY_IMPORT_STALL_SECONDS = int(os.environ.get("AIPOWER_REGISTRY_IMPORT_STALL_SECONDS", "600"))
# The staff home warns the operator when the current tax-registration data set was published
# more than this many days ago (0: never).
REGISTRY_STALE_DAYS = int(os.environ.get("AIPOWER_REGISTRY_STALE_DAYS", "45"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
# The cookies' names (REMEMBER_COOKIE_NAME: the signed cookie naming who signed in last, for
# forms sent after the sign-in ended, accounts.resume). Production over HTTPS gives all three the
# __Host- prefix (settings.prod).
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
REMEMBER_COOKIE_NAME = "aipower_last_sign_in"
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("AIPOWER_SESSION_AGE", str(8 * 3600)))
# How long a used one-time form token is kept (core.once; deleted by the daily prune_form_uses):
# longer than a form page can wait and still be handled (accounts.resume: the remember cookie's
# 30 days, then a day to sign in again), so a page sent again is still recognised.
FORM_USE_RETENTION_DAYS = int(os.environ.get("AIPOWER_FORM_USE_RETENTION_DAYS", "45"))
# A signed-in browser idle this long is signed out (accounts.idle; 0 turns it off), with a
# warning IDLE_WARNING_SECONDS before.
IDLE_SIGN_OUT_SECONDS = {
    "staff": 60 * int(os.environ.get("AIPOWER_STAFF_IDLE_MINUTES", "30")),
    "company": 60 * int(os.environ.get("AIPOWER_COMPANY_IDLE_MINUTES", "60")),
}
IDLE_WARNING_SECONDS = 120
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "aipower_cache",
    }
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get(
    "AIPOWER_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("AIPOWER_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("AIPOWER_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("AIPOWER_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AIPOWER_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("AIPOWER_EMAIL_USE_TLS", False)
# Seconds before the outbox gives up on one attempt (a hung mail server must not hold a worker:
# the attempt fails, and the sweep tries again later).
EMAIL_TIMEOUT = int(os.environ.get("AIPOWER_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("AIPOWER_FROM_EMAIL", "aipower.service@twcloud.ai")
# The site's public address (https://aipower.example.gov.tw): every notice mailed ends with it,
# so that its reader knows where to sign in (core.notices.render). Empty: no such line.
SITE_URL = os.environ.get("AIPOWER_SITE_URL", "").rstrip("/")

# Business-certificate login.
# The HiCOS cross-platform card component listens on the user's own machine.
CARD_COMPONENT_ORIGIN = os.environ.get("AIPOWER_CARD_COMPONENT_ORIGIN", "http://localhost:61161")
# 環境檢測 offers the HiCOS download when the installed component is older than this.
CARD_COMPONENT_MIN_VERSION = os.environ.get("AIPOWER_CARD_COMPONENT_MIN_VERSION", "1.3.4")
# PEM files of the trusted roots (MOEACA in production), separated by commas.
CERT_TRUST_ANCHORS = env_list("AIPOWER_CERT_TRUST_ANCHORS")
# PEM/DER intermediate certificates offered to path building (MOEACA's issuing CA).
CERT_INTERMEDIATES = env_list("AIPOWER_CERT_INTERMEDIATES")
# DER/PEM CRL files; when any is configured, revocation is checked ("hard-fail").
CERT_CRLS = env_list("AIPOWER_CERT_CRLS")
LOGIN_CHALLENGE_TTL_SECONDS = int(os.environ.get("AIPOWER_LOGIN_CHALLENGE_TTL", "120"))

# Login throttling (core/throttle.py): attempts from one address are counted before they are
# checked, a success forgets them; from the LOGIN_THROTTLE_FREE-th attempt within the window the
# next one must wait, doubling up to LOGIN_THROTTLE_MAX_DELAY seconds.
LOGIN_THROTTLE_FREE = int(os.environ.get("AIPOWER_LOGIN_THROTTLE_FREE", "5"))
LOGIN_THROTTLE_WINDOW = int(os.environ.get("AIPOWER_LOGIN_THROTTLE_WINDOW", "900"))
LOGIN_THROTTLE_MAX_DELAY = int(os.environ.get("AIPOWER_LOGIN_THROTTLE_MAX_DELAY", "300"))
# Card-login challenges one address may ask for in a minute (each is a database row).
LOGIN_CHALLENGES_PER_MINUTE = int(os.environ.get("AIPOWER_LOGIN_CHALLENGES_PER_MINUTE", "30"))

OTP_TOTP_ISSUER = "AI Power"

# Our reverse proxies (addresses or CIDR networks): X-Forwarded-For is believed only from them,
# for the whole site (core.net). AIPOWER_GATEWAY_TRUSTED_PROXIES is the older name.
TRUSTED_PROXIES = env_list("AIPOWER_TRUSTED_PROXIES") or env_list("AIPOWER_GATEWAY_TRUSTED_PROXIES")

# Inference gateway (/v1).
GATEWAY_BLOCKED_COUNTRIES = ("CN", "HK", "MO")
GATEWAY_DEFAULT_RATE_LIMIT = int(os.environ.get("AIPOWER_GATEWAY_RATE_LIMIT", "600"))  # per minute
GATEWAY_DEFAULT_MAX_TOKENS = int(os.environ.get("AIPOWER_GATEWAY_DEFAULT_MAX_TOKENS", "4096"))
# Prompt tokens reserved for each image of a chat message (its real count is charged after).
GATEWAY_IMAGE_TOKENS = int(os.environ.get("AIPOWER_GATEWAY_IMAGE_TOKENS", "4096"))
GATEWAY_MAX_BODY_BYTES = 16 * 1024 * 1024
# PostgreSQL: the API's own connections per worker process for its hot path (gateway/pgasync.py).
GATEWAY_DB_CONNECTIONS = int(os.environ.get("AIPOWER_GATEWAY_DB_CONNECTIONS", "8"))
# At most this many concurrent requests' hot statements run as one group (one transaction);
# 1 runs each on its own (gateway/pgasync.py, ``Batch``).
GATEWAY_DB_BATCH = int(os.environ.get("AIPOWER_GATEWAY_DB_BATCH", "64"))
GRANTS_EXPIRY_NOTICE_DAYS = int(os.environ.get("AIPOWER_GRANTS_EXPIRY_NOTICE_DAYS", "14"))
# The cluster API (GPU job ingest, account export): requests a minute per cluster, shared by
# all processes (a row per cluster, grants/api.py's SharedRateLimiter).
GRANTS_CLUSTER_RATE_LIMIT = int(os.environ.get("AIPOWER_GRANTS_CLUSTER_RATE_LIMIT", "120"))

# Deliverables: what one award may keep (history included) and upload in an hour; the days
# before a due date that the reminders go (deliverables, the productisation survey).
DELIVERABLES_MAX_AWARD_BYTES = int(os.environ.get("AIPOWER_DELIVERABLES_MAX_AWARD_BYTES", 2 << 30))
DELIVERABLES_UPLOADS_PER_HOUR = int(os.environ.get("AIPOWER_DELIVERABLES_UPLOADS_PER_HOUR", "20"))
DELIVERABLES_REMINDER_DAYS = int(os.environ.get("AIPOWER_DELIVERABLES_REMINDER_DAYS", "7"))

# /readyz says "degraded" when a task has waited this long for the worker, or a mail for the
# outbox's sweep (aipower.health).
HEALTH_BACKLOG_SECONDS = int(os.environ.get("AIPOWER_HEALTH_BACKLOG_SECONDS", "900"))
FOLLOWUP_REMINDER_DAYS = int(os.environ.get("AIPOWER_FOLLOWUP_REMINDER_DAYS", "7"))

LOG_LEVEL = os.environ.get("AIPOWER_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "aipower": {"handlers": ["console"], "level": LOG_LEVEL},
        "django": {"handlers": ["console"], "level": "WARNING"},
    },
}

SITE_TITLE = _("AI算力平台")
