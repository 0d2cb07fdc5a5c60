"""Access checks for views: least privilege per role.

``company_required``: a company signed in with its card. ``staff_required(*roles)``: a staff
member of one of the roles, signed in with password *and* a verified TOTP device.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url

from . import resume
from .enums import STAFF_ROLES, Role


def _signed_out(request, view, login_url):
    """To the login page; a form sent to a resumable view is kept for after it."""
    resumable = request.method == "POST" and getattr(view, "resume_after_login", False)
    if resumable and resume.keep(request):
        messages.info(request, resume.kept_message(request))
    return redirect_to_login(request.get_full_path(), resolve_url(login_url))


def _signed_in(request, view, args, kwargs):
    """The view; on the first visit after a sign-in, with the form kept for it."""
    if request.method == "GET" and getattr(view, "resume_after_login", False):
        taken = resume.take(request)
        if taken is not None:
            messages.info(request, resume.taken_message(taken))
    return view(request, *args, **kwargs)


def company_required(view):
    """A company signed in with its card; a form sent to a ``resume.resumable`` view after the
    sign-in expired is kept and handled after the next sign-in (``accounts.resume``)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or user.role != Role.COMPANY or user.company_id is None:
            return _signed_out(request, view, settings.LOGIN_URL)
        return _signed_in(request, view, args, kwargs)

    return wrapper


def staff_required(*roles):
    """A staff member of one of ``roles`` (any staff role when none are named), signed in with
    password and TOTP code; resumable views as under ``company_required``."""
    allowed = set(roles or STAFF_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or not user.is_verified():
                return _signed_out(request, view, "staff:login")
            if user.role not in allowed:
                raise PermissionDenied
            return _signed_in(request, view, args, kwargs)

        return wrapper

    return decorator
