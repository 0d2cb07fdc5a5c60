"""Back to where the user was after signing in again — and nothing typed lost.

A sign-in lasts ``SESSION_COOKIE_AGE`` (8 hours). A form sent after that (a page of the
application form, a reviewer's scores and comments) used to reach the login page with what was
typed gone. Now:

- On sign-in the browser gets a signed cookie naming who signed in (``REMEMBER_COOKIE_NAME``: a
  company's 統一編號, which is public registry data, or a staff account's number — signed so
  that it cannot be forged, not secret).
- A form sent to a view marked ``@resumable`` without a valid sign-in is kept in the new,
  anonymous session (``keep``) — but only when that cookie says who typed it, and only the text
  fields (files cannot wait in a session; the message asks for them again), never a password,
  code, token or secret key (``SECRET_FIELD``, or the fields the view names): the session is a
  database row, and what is secret is stored nowhere in clear; the form asks for them again.
- After the next sign-in the browser goes back to that page (``next_url``) and the same form is
  handled as if it had just been sent (``take``): saved when valid, shown with its errors when
  not — but only for the same company or staff member, within ``RESUME_SECONDS``. Anyone else
  signing in on that browser drops it unseen.
- Otherwise the card login returns to the page that asked for it (``remember_next``) when that
  page is on this site, else to 公司資訊 (the staff login already honours ``next``).

An explicit logout forgets who it was (the cookie is deleted), so nothing is kept after it.
"""

import re
import time

from django.conf import settings
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REMEMBER_SALT = "aipower.accounts.resume"
REMEMBER_SECONDS = 30 * 24 * 3600
RESUME_SESSION = "accounts.resume"
NEXT_SESSION = "accounts.next"
RESUME_SECONDS = 24 * 3600
MAX_KEPT_CHARACTERS = 200_000  # far above any page of the form; a bound on the session row
# Fields never kept (an inline's fields are named ``<prefix>-<n>-<name>``).
SECRET_FIELD = re.compile(r"password|secret|(^|[_-])(token|pin|api_key)$", re.IGNORECASE)

KEPT_MESSAGES = {
    "company": _(
        "登入已逾時，請重新以工商憑證登入。您剛才送出的內容已暫存，登入後將回到該頁繼續處理。"
    ),
    "staff": _("登入已逾時，請重新登入。您剛才送出的內容已暫存，登入後將回到該頁繼續處理。"),
}


def kept_message(request):
    return KEPT_MESSAGES[request.session[RESUME_SESSION]["who"].partition(":")[0]]


def taken_message(pending):
    if pending.get("stale") and pending.get("files"):
        return gettext(
            "此頁面的安全驗證已過期（例如您在其他分頁重新登入過），已接續處理您送出的內容；"
            "附加檔案無法暫存，請重新上傳。"
        )
    if pending.get("stale"):
        return gettext(
            "此頁面的安全驗證已過期（例如您在其他分頁重新登入過），已接續處理您送出的內容。"
        )
    if pending.get("files"):
        return gettext("已接續處理您登入逾時前送出的內容；附加檔案無法暫存，請重新上傳。")
    return gettext("已接續處理您登入逾時前送出的內容。")


def resumable(view):
    """Mark a view (under ``company_required`` or ``staff_required``) whose form, sent after
    the sign-in expired, is kept and handled after the next sign-in. Only for forms that save
    what was typed, posted to a URL that also answers GET (the sign-in returns the browser
    there), and safe to receive late (e.g. by a revision check)."""
    view.resume_after_login = True
    return view


def identity(user):
    """Who typed a form, as the cookie and the kept form name them."""
    if not user.is_authenticated:
        return None
    if user.company_id is not None:
        return f"company:{user.company.ubn}"
    return f"staff:{user.pk}"


def remember(response, user):
    response.set_signed_cookie(
        settings.REMEMBER_COOKIE_NAME,
        identity(user),
        salt=REMEMBER_SALT,
        max_age=REMEMBER_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def forget(response):
    response.delete_cookie(settings.REMEMBER_COOKIE_NAME, samesite="Lax")
    return response


def _remembered(request):
    return request.get_signed_cookie(
        settings.REMEMBER_COOKIE_NAME, default=None, salt=REMEMBER_SALT, max_age=REMEMBER_SECONDS
    )


def is_secret(name, secret_fields=()):
    """Whether the field ``name`` holds a secret that must not wait in the session."""
    return name in secret_fields or bool(SECRET_FIELD.search(name))


def keep(request, secret_fields=(), stale=False) -> bool:
    """Keep the form this signed-out request sent, for whoever the browser last signed in as,
    without its secrets (``is_secret``; ``secret_fields``: more names of the view's); whether
    it was kept. ``stale``: sent with a stale CSRF token from this site's own page
    (``views.csrf``), not after the sign-in expired."""
    who = _remembered(request)
    if not who:
        return False
    data = {
        name: request.POST.getlist(name)
        for name in request.POST
        # The CSRF token was checked already (or, stale, the form came from this site's own
        # page: ``views.csrf``); the next sign-in rotates it.
        if name != "csrfmiddlewaretoken" and not is_secret(name, secret_fields)
    }
    if sum(len(value) for values in data.values() for value in values) > MAX_KEPT_CHARACTERS:
        return False
    request.session[RESUME_SESSION] = {
        "path": request.get_full_path(),
        "who": who,
        "data": data,
        "files": sorted(request.FILES),
        "at": time.time(),
        "stale": stale,
    }
    return True


def _pending(request):
    pending = request.session.get(RESUME_SESSION)
    if (
        not isinstance(pending, dict)
        or pending.get("who") != identity(request.user)
        or time.time() - pending.get("at", 0) > RESUME_SECONDS
    ):
        return None
    return pending


def remember_next(request, target):
    """The page to return to after the card login, when it is on this site."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        request.session[NEXT_SESSION] = target


def asked_for(request):
    """The page that sent the browser to the card login (``remember_next``), once."""
    return request.session.pop(NEXT_SESSION, None)


def next_url(request, default):
    """Where a sign-in sends the user: the page of a form kept for them, else ``default``. A
    form kept for anyone else is dropped."""
    pending = _pending(request)
    if pending is not None:
        return pending["path"]
    request.session.pop(RESUME_SESSION, None)
    return default


def take(request):
    """The kept form when this is the signed-in user's first visit of its page: the request
    is turned into that POST (CSRF was checked when it was sent, or the form came from this
    site's own page with a stale token). None otherwise."""
    pending = _pending(request)
    if pending is None or pending["path"] != request.get_full_path():
        return None
    del request.session[RESUME_SESSION]
    data = QueryDict(mutable=True)
    for name, values in pending["data"].items():
        data.setlist(name, values)
    data._mutable = False
    request.method = "POST"
    request.POST = data
    request._files = MultiValueDict()
    request.csrf_processing_done = True
    return pending
