"""Signing out a browser left idle, with a warning first; and the end of every sign-in.

A sign-in lasts at most ``SESSION_COOKIE_AGE`` (8 hours) from the moment it was made
(``fix_sign_in_end``: Django would move the session's end on with every save, and a browser in
use saves it every minute, so a busy sign-in would never end). Besides that, a signed-in browser
that has sent nothing for ``IDLE_SIGN_OUT_SECONDS`` of its role (staff: 30 minutes, companies:
60, by default; 0 turns it off) is signed out on its next request (``IdleSignOutMiddleware``):
a staff member's screen of personal data or a company's application must not stay open on an
unattended desk. The request then goes on as a signed-out one — a form it sent is kept by
``accounts.resume`` for after the next sign-in, so nothing typed is lost.

Pages of a signed-in user carry the seconds left (``context``); ``core/js/idle.js`` shows a
warning ``IDLE_WARNING_SECONDS`` before the end with a 「繼續使用」 button (``keep_alive``), and
asks ``status`` first so that a tab does not warn while another tab of the same sign-in is in
use. The time of the last request is written to the session at most once a minute
(``TOUCH_SECONDS``), so the sign-out comes up to a minute late, never early.
"""

import datetime
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from aipower.core import audit

from .enums import Role

LAST_SEEN = "accounts.last_seen"
TOUCH_SECONDS = 60


def fix_sign_in_end(sender, request=None, user=None, **kwargs):
    """On ``user_logged_in``: the session ends ``SESSION_COOKIE_AGE`` after this sign-in, a
    fixed moment that later saves of the session do not move."""
    session = getattr(request, "session", None)
    if session is not None:
        age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        session.set_expiry(timezone.now() + age)


def limit_for(user) -> int:
    """Seconds of idleness after which ``user`` is signed out (0: never)."""
    if not user.is_authenticated:
        return 0
    role = "company" if user.role == Role.COMPANY else "staff"
    return settings.IDLE_SIGN_OUT_SECONDS.get(role, 0)


def remaining(request, now=None) -> int | None:
    """Seconds this sign-in has left before it is signed out for idleness (None: no limit)."""
    limit = limit_for(request.user)
    if not limit:
        return None
    last = request.session.get(LAST_SEEN)
    now = now or time.time()
    return limit if last is None else max(0, round(limit - (now - last)))


class IdleSignOutMiddleware:
    """After ``AuthenticationMiddleware``: sign out an idle browser, note the others' use."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.status_path = None

    def __call__(self, request):
        if self.status_path is None:
            self.status_path = reverse("accounts:session_status")
        limit = limit_for(request.user)
        if limit:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > limit:
                self._sign_out(request, limit)
            elif request.path != self.status_path and (last is None or now - last >= TOUCH_SECONDS):
                request.session[LAST_SEEN] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request, limit):
        audit.record(
            "session.idle_sign_out", request=request, obj=request.user, minutes=limit // 60
        )
        logout(request)
        messages.info(
            request,
            _("您已閒置超過 %(minutes)s 分鐘，為保護資料已自動登出，請重新登入。")
            % {"minutes": limit // 60},
        )


@require_GET
@never_cache
def status(request):
    """Seconds left before an idle sign-out, without counting this request as use."""
    return JsonResponse({"remaining": remaining(request)})


@require_POST
@never_cache
def keep_alive(request):
    """「繼續使用」: counts as use (the middleware noted it); the seconds left."""
    if request.user.is_authenticated:
        request.session[LAST_SEEN] = time.time()
    return JsonResponse({"remaining": remaining(request)})


def context(request):
    """For the base template: the seconds left and the warning's lead (None when no limit)."""
    user = getattr(request, "user", None)
    if user is None or not limit_for(user):
        return {}
    return {
        "IDLE_REMAINING": remaining(request),
        "IDLE_WARNING_SECONDS": settings.IDLE_WARNING_SECONDS,
        "IDLE_WARNING_MINUTES": max(1, settings.IDLE_WARNING_SECONDS // 60),
    }
