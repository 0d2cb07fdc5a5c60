"""Access checks for views: least privilege per role.

``company_required``: a company signed in with its card. ``staff_required(*roles)``: a staff
member of one of the roles, signed in with password *and* a verified TOTP device.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url

from .enums import STAFF_ROLES, Role


def company_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated or user.role != Role.COMPANY or user.company_id is None:
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
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
