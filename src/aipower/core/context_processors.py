"""Values every page needs: the site's title, the card component's origin, and where the
language switch returns to."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def language_next(request):
    """Where the language switch sends the user back: this page — unless this page answered a
    form (a POST: an error shown after a failed submission, at a URL that takes only POST),
    then the page the form was on (the Referer, when it is this site), else the home page."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return "/"


def site(request):
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "CARD_COMPONENT_ORIGIN": settings.CARD_COMPONENT_ORIGIN,
        "DEVTOOLS_ENABLED": settings.DEVTOOLS_ENABLED,
        "LANGUAGE_NEXT": language_next(request),
    }
