"""Test settings: development tools on, fast hashing, everything on loopback."""

import os
import tempfile
from pathlib import Path

from .dev import *  # noqa: F403

TEST_VAR_DIR = Path(
    os.environ.get("AIPOWER_TEST_VAR_DIR", tempfile.mkdtemp(prefix="aipower-test-"))
)
DEVCA_DIR = TEST_VAR_DIR / "devca"
CERT_TRUST_ANCHORS = [str(DEVCA_DIR / "root.pem")]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Notices as their templates write them; tests of the site's line set it (core.notices).
SITE_URL = ""
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: concurrent writers then wait for the lock
    # (busy timeout, BEGIN IMMEDIATE) instead of failing at once with "table is locked", as they
    # would in production; the live server's threads share it as they would a real database.
    DATABASES["default"]["TEST"] = {"NAME": str(TEST_VAR_DIR / "test.sqlite3")}  # noqa: F405
DELIVERABLES_ROOT = TEST_VAR_DIR / "deliverables"
