"""The site's URLs plus the API key pages at ``keys/`` (until the project mounts them)."""

from django.urls import include, path

from aipower.urls import urlpatterns as site_urlpatterns

urlpatterns = list(site_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "keys" for pattern in urlpatterns):
    urlpatterns.insert(0, path("keys/", include("aipower.gateway.key_urls")))
