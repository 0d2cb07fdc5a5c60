"""The admin site for staff: a verified TOTP session and an admin role are required.

``StaffAdminSite`` is django-otp's ``OTPAdminSite`` with two changes: only operators and
organisers may use it (``rules.can_use_admin``; their model permissions come from the role
groups, see ``roles.py``), and it has no sign-in form of its own. Signing in happens once, at
``staff:login`` (password and TOTP, throttled, audited); the admin's login URL sends there, and a
signed-in staff member without admin access gets 403 instead of a second login form.

Installed by making the default ``admin.site`` this class before the URLs are built (in
``aipower/urls.py``)::

    admin.site.__class__ = StaffAdminSite
"""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from . import rules


class StaffAdminSite(OTPAdminSite):
    site_header = _("AI算力平台管理設定")
    site_title = _("AI算力平台管理設定")
    index_title = _("管理設定")
    site_url = "/staff/"

    def has_permission(self, request):
        return super().has_permission(request) and rules.can_use_admin(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if user.is_authenticated and user.is_verified():
            if self.has_permission(request):
                return super().login(request, extra_context)  # redirects to the index
            raise PermissionDenied
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse(
            "admin:index", current_app=self.name
        )
        return redirect_to_login(next_url, reverse("staff:login"))

    def logout(self, request, extra_context=None):
        from .views.staff import logout_view

        return logout_view(request)
