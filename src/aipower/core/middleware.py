"""Security headers: a strict Content-Security-Policy on every response (no inline scripts or
styles). The card component's origin is allowed for ``connect-src`` only, because the login
and environment-check pages call its ``/pkcs11info`` endpoint from JavaScript."""

from django.conf import settings
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


def build_csp():
    component = settings.CARD_COMPONENT_ORIGIN
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": f"'self' {component}",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Built per response (a few string joins) so a changed component origin takes effect.
        response.headers.setdefault("Content-Security-Policy", build_csp())
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class PrivatePagesMiddleware:
    """After ``AuthenticationMiddleware``: a page answered to a signed-in user (a company's
    application, a staff member's lists of personal data) is never stored by the browser or a
    proxy, so that the back button after signing out, or the next user of a shared computer,
    cannot bring it back from the cache. A response that chose its own ``Cache-Control`` keeps
    it; pages for visitors stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


class ChosenLanguageMiddleware(LocaleMiddleware):
    """zh-Hant for everyone until the user picks English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Taiwanese
    government service opens in Traditional Chinese and remembers an explicit choice (the
    language cookie set by ``set_language``) instead.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class UploadProgressMiddleware:
    """A form sent by ``core/js/upload.js`` (header ``X-Upload-Progress: 1``) that is answered
    with a redirect gets the redirect's target as JSON, ``{"location": …}``, with the same
    cookies: XMLHttpRequest would follow the redirect itself, and the page it then loads would
    take the message meant for the user. The script sends the browser there. A browser cannot
    send this header to another site without its consent (CORS), so nothing else changes."""

    REDIRECTS = frozenset({301, 302, 303, 307, 308})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and request.headers.get("X-Upload-Progress") == "1"
            and response.status_code in self.REDIRECTS
            and response.has_header("Location")
        ):
            answer = JsonResponse({"location": response["Location"]})
            answer.cookies = response.cookies
            return answer
        return response
