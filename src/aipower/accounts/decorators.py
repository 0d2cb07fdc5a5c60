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


def company_required(view):
    """A company signed in with its card; a form sent to a ``resume.resumable`` view after the
    sign-in expired is kept and handled after the next sign-in (``accounts.resume``)."""
    resumable = getattr(view, "resume_after_login", False)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or user.role != Role.COMPANY or user.company_id is None:
            if request.method == "POST" and resumable and resume.keep(request):
                messages.info(request, resume.KEPT_MESSAGE)
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if request.method == "GET" and resumable:
            taken = resume.take(request)
            if taken is not None:
                messages.info(request, resume.taken_message(taken))
        return view(request, *args, **kwargs)

    return wrapper


def staff_required(*roles):
    allowed = set(roles or STAFF_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated or not user.is_verified():
                return redirect_to_login(request.get_full_path(), resolve_url("staff:login"))
            if user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
