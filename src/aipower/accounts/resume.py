"""Back to where the company was after signing in again — and nothing it typed lost.

A company's sign-in lasts ``SESSION_COOKIE_AGE`` (8 hours). A page of the application form sent
after that used to reach the login page with what was typed gone. Now:

- On sign-in the browser gets a signed cookie naming the company (``REMEMBER_COOKIE``; its
  統一編號, which is public registry data — signed so that it cannot be forged, not secret).
- A form sent to a view marked ``@resumable`` without a signed-in company is kept in the new,
  anonymous session (``keep``) — but only when that cookie says which company typed it, and
  only the text fields (files cannot wait in a session; the form asks for them again).
- After the card login, the browser goes back to that page (``next_url``) and the same form is
  handled as if it had just been sent (``take``): saved when valid, shown with its errors when
  not — but only for the same company, within ``RESUME_SECONDS``. Any other company signing in
  on that browser drops it unseen.
- Otherwise the card login returns to the page that asked for it (``remember_next``) when that
  page is on this site, else to 公司資訊.

An explicit logout forgets the company (the cookie is deleted), so nothing is kept after it.
"""

import time

from django.conf import settings
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REMEMBER_COOKIE = "aipower_company"
REMEMBER_SALT = "aipower.accounts.resume"
REMEMBER_SECONDS = 30 * 24 * 3600
RESUME_SESSION = "accounts.resume"
NEXT_SESSION = "accounts.next"
RESUME_SECONDS = 24 * 3600
MAX_KEPT_CHARACTERS = 200_000  # far above any page of the form; a bound on the session row

KEPT_MESSAGE = _(
    "登入已逾時，請重新以工商憑證登入。您剛才送出的內容已暫存，登入後將回到該頁繼續處理。"
)


def taken_message(pending):
    if pending.get("files"):
        return gettext("已接續處理您登入逾時前送出的內容；附加檔案無法暫存，請重新上傳。")
    return gettext("已接續處理您登入逾時前送出的內容。")


def resumable(view):
    """Mark a company view whose form, sent after the sign-in expired, is kept and sent again
    after the next sign-in (the view must accept being sent it twice, e.g. a revision check)."""
    view.resume_after_login = True
    return view


def remember_company(response, company):
    response.set_signed_cookie(
        REMEMBER_COOKIE,
        company.ubn,
        salt=REMEMBER_SALT,
        max_age=REMEMBER_SECONDS,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def forget_company(response):
    response.delete_cookie(REMEMBER_COOKIE, samesite="Lax")
    return response


def _remembered_ubn(request):
    return request.get_signed_cookie(
        REMEMBER_COOKIE, default=None, salt=REMEMBER_SALT, max_age=REMEMBER_SECONDS
    )


def keep(request) -> bool:
    """Keep the form this signed-out request sent, for the company the browser last signed in
    as; whether it was kept."""
    ubn = _remembered_ubn(request)
    if not ubn:
        return False
    data = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name != "csrfmiddlewaretoken"  # checked already; the next sign-in rotates it
    }
    if sum(len(value) for values in data.values() for value in values) > MAX_KEPT_CHARACTERS:
        return False
    request.session[RESUME_SESSION] = {
        "path": request.get_full_path(),
        "ubn": ubn,
        "data": data,
        "files": sorted(request.FILES),
        "at": time.time(),
    }
    return True


def _pending(request):
    pending = request.session.get(RESUME_SESSION)
    user = request.user
    if (
        not isinstance(pending, dict)
        or not user.is_authenticated
        or user.company_id is None
        or pending.get("ubn") != user.company.ubn
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


def next_url(request, default):
    """Where the card login sends the company: the page of a kept form, else the page that
    asked for the login, else ``default``. A kept form of another company is dropped."""
    target = request.session.pop(NEXT_SESSION, None)
    pending = _pending(request)
    if pending is not None:
        return pending["path"]
    request.session.pop(RESUME_SESSION, None)
    return target or default


def take(request):
    """The kept form when this is the signed-in company's first visit of its page: the request
    is turned into that POST (CSRF was checked when it was sent). None otherwise."""
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
