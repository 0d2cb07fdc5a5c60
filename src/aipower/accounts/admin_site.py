"""The admin site for staff: a verified TOTP session and an admin role are required.

``StaffAdminSite`` is django-otp's ``OTPAdminSite`` with two changes: only operators and
organisers may use it (``rules.can_use_admin``; their model permissions come from the role
groups, see ``roles.py``), and it has no sign-in form of its own. Signing in happens once, at
``staff:login`` (password and TOTP, throttled, audited); the admin's login URL sends there, and a
signed-in staff member without admin access gets 403 instead of a second login form. A password
changed on the admin's own form is written to the audit log.

An object's add or change form sent after the sign-in ended (the staff idle sign-out, or the
8-hour limit) is kept and handled after the same staff member's next sign-in, as the site's
``@resumable`` forms are (``accounts.resume``). Other admin POSTs (deletions, list actions)
are not replayed: what they change should be seen again before it is done.

Installed by making the default ``admin.site`` this class before the URLs are built (in
``aipower/urls.py``)::

    admin.site.__class__ = StaffAdminSite
"""

from functools import update_wrapper

from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from aipower.core import audit
from aipower.core.admin_audit import SENSITIVE_FIELD

from . import enrolment, resume, rules

# The ModelAdmin views whose form posts back to the page that shows it, and saves what was typed.
RESUMABLE_VIEWS = frozenset({"add_view", "change_view"})


def secret_fields(view):
    """The fields of the admin's model that hold a secret (a TOTP device's ``key``): named as
    the audit log redacts them, except a choice (a text's 項目 ``key`` is no secret)."""
    model = getattr(getattr(view, "__self__", None), "model", None)
    if model is None:
        return frozenset()
    return frozenset(
        field.name
        for field in model._meta.concrete_fields
        if SENSITIVE_FIELD.search(field.name) and not field.choices
    )


class StaffAdminSite(OTPAdminSite):
    site_header = _("AI算力平台管理設定")
    site_title = _("AI算力平台管理設定")
    index_title = _("管理設定")
    site_url = "/staff/"

    def has_permission(self, request):
        return super().has_permission(request) and rules.can_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)
        if getattr(view, "__name__", "") not in RESUMABLE_VIEWS:
            return checked

        secrets = secret_fields(view)

        def resumable(request, *args, **kwargs):
            user = request.user
            signed_in = user.is_authenticated and user.is_verified()
            if not signed_in and request.method == "POST" and resume.keep(request, secrets):
                messages.info(request, resume.kept_message(request))
            elif signed_in and request.method == "GET" and self.has_permission(request):
                taken = resume.take(request)
                if taken is not None:
                    messages.info(request, resume.taken_message(taken))
            return checked(request, *args, **kwargs)

        return update_wrapper(resumable, checked)

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

    def password_change(self, request, extra_context=None):
        """Django's form; a password changed there is in the audit log (never the password)."""
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            audit.record("staff.password_changed", request=request, obj=request.user)
            enrolment.notify_sign_in_changed(request.user)
        return response

    def logout(self, request, extra_context=None):
        from .views.staff import logout_view

        return logout_view(request)
