"""ASGI entry point (uvicorn) for the streaming inference API."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aipower.settings.prod")
application = get_asgi_application()
