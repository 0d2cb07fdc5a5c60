"""Development and demo settings: ``make run``. Enables the development tools."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, VAR_DIR, env_list

DEBUG = True
DEVTOOLS_ENABLED = True
INSTALLED_APPS = [*INSTALLED_APPS, "aipower.devtools"]
EMAIL_BACKEND = os.environ.get(
    "AIPOWER_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
SITE_URL = os.environ.get("AIPOWER_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# No task worker runs under `make run`: tasks (the outbox's mails, the review's notices) run in
# the process as soon as they are enqueued — for a mail, when its transaction commits — so
# every mail still goes out (to the console). To try the production set-up, set
# AIPOWER_TASKS_BACKEND=django_tasks_db.DatabaseBackend and run `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "AIPOWER_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The development card component (devtools) plays the HiCOS component on this origin.
DEVCARD_HOST = os.environ.get("AIPOWER_DEVCARD_HOST", "127.0.0.1")
DEVCARD_PORT = int(os.environ.get("AIPOWER_DEVCARD_PORT", "61161"))
CARD_COMPONENT_ORIGIN = os.environ.get(
    "AIPOWER_CARD_COMPONENT_ORIGIN", f"http://{DEVCARD_HOST}:{DEVCARD_PORT}"
)
# Where the development CA and the demo cards live; the CA is the trust anchor in development.
DEVCA_DIR = VAR_DIR / "devca"
CERT_TRUST_ANCHORS = env_list("AIPOWER_CERT_TRUST_ANCHORS") or [str(DEVCA_DIR / "root.pem")]

# Serve static files straight from the apps' folders (no collectstatic in development).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The development mock model server (devtools.mockllm) that the demo catalogue routes to.
MOCKLLM_HOST = os.environ.get("AIPOWER_MOCKLLM_HOST", "127.0.0.1")
MOCKLLM_PORT = int(os.environ.get("AIPOWER_MOCKLLM_PORT", "8001"))
