"""WSGI entry point for the portal's pages (gunicorn in production)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aipower.settings.prod")
application = get_wsgi_application()
