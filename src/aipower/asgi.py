"""ASGI entry point (uvicorn): the inference API beside the Django site.

``/v1/…`` goes to the gateway's lean ASGI app (:mod:`aipower.gateway.asgi_app`), everything
else to Django; both share the models and the database. ``django_application`` serves all of
it through Django (the gateway's async Django views), for comparison and as a fallback.
See docs/gateway.md for why.

Run with ``uvicorn aipower.asgi:application --no-proxy-headers``: the gateway decides itself
which forwarded addresses to trust (``TRUSTED_PROXIES``, ``aipower.core.net``).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aipower.settings.prod")
django_application = get_asgi_application()

from aipower.gateway.asgi_app import app as gateway_application  # noqa: E402 (after setup)

API_PREFIX = "/v1/"


def beside_gateway(site):
    """An ASGI app: ``/v1/…`` and the lifespan to the gateway, everything else to ``site``."""

    async def application(scope, receive, send):
        if scope["type"] == "lifespan" or (
            scope["type"] == "http" and scope["path"].startswith(API_PREFIX)
        ):
            await gateway_application(scope, receive, send)
        else:
            await site(scope, receive, send)

    return application


application = beside_gateway(django_application)
