"""Values every page needs: the site's title and the card component's origin."""

from django.conf import settings


def site(request):
    return {
        "SITE_TITLE": settings.SITE_TITLE,
        "CARD_COMPONENT_ORIGIN": settings.CARD_COMPONENT_ORIGIN,
        "DEVTOOLS_ENABLED": settings.DEVTOOLS_ENABLED,
    }
