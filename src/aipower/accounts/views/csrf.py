"""The page a form gets when its CSRF token no longer matches (``settings.CSRF_FAILURE_VIEW``).

A token goes stale when the browser signed in again in another tab (every sign-in rotates it,
e.g. after the idle sign-out) or lost its cookies, while a page typed for a long time waited.
Django's own answer was a bare English 403 page, and what was typed was gone.

Only a form that came from this site's own pages is looked at (the browser's ``Origin`` header,
which another site cannot set; Django checked it before the token): a cross-site form is still
just refused. For such a form:

- sent to a ``@resumable`` view (the wizard's pages, the survey, a score sheet…), it is kept as
  one sent after the sign-in expired is (``accounts.resume``) and handled on the page's next
  visit by the same company or staff member — at once when still signed in, after the sign-in
  otherwise — so it is saved as the button would have saved it;
- sent anywhere else, the page shows what was typed and offers to send it again with a fresh
  token (nothing was done the first time), unless it held a file or a secret (then it says what
  to do again).

A page's script sending JSON (the card login) gets a JSON answer whose message it shows.
"""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .. import resume


def _from_this_site(request):
    origin = request.META.get("HTTP_ORIGIN")
    if not origin:
        return False
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def _resumable(request):
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "resume_after_login", False)


def _back(request):
    """The page the form was on (its Referer, when on this site), else the home page."""
    referer = request.META.get("HTTP_REFERER")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"


STALE_PAGE = _lazy("此頁面已逾時，請重新整理頁面後再試一次。")


def csrf_failure(request, reason=""):
    if request.content_type == "application/json":
        # The page's own script (the card login) shows the message it reads.
        return JsonResponse({"ok": False, "message": str(STALE_PAGE)}, status=403)
    if not _from_this_site(request):
        return render(request, "accounts/csrf_failure.html", {"back": _back(request)}, status=403)
    if _resumable(request) and resume.keep(request, stale=True):
        if request.user.is_authenticated:
            # Handled on the page's next visit (``decorators._signed_in``), which says so.
            return redirect(request.get_full_path())
        messages.info(request, resume.kept_message(request))
        return redirect(request.get_full_path())
    fields = [
        (name, value)
        for name in request.POST
        if name != "csrfmiddlewaretoken"
        for value in request.POST.getlist(name)
    ]
    secret = any(resume.is_secret(name) for name, _value in fields)
    shown = [(name, value) for name, value in fields if not resume.is_secret(name)]
    context = {
        "back": _back(request),
        "typed": [value for _name, value in shown if value.strip()],
        "resend": shown if not (secret or request.FILES) else None,
        "action": request.get_full_path(),
        "files": bool(request.FILES),
        "secret": secret,
        "title": _("頁面已逾時"),
    }
    return render(request, "accounts/csrf_failure.html", context, status=403)
