"""The staff accounts page, the enrolment link's page, 「忘記密碼」 and 變更密碼.

What each step does, and why, is in ``accounts.enrolment``.
"""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipower.core import audit
from aipower.review import services as review_services

from .. import enrolment as service
from .. import rules
from ..decorators import staff_required
from ..enums import STAFF_ROLES, Role
from ..forms import (
    EnrolForm,
    NewStaffForm,
    PasswordResetRequestForm,
    RoleForm,
    device_waits_until,
)
from ..models import Enrolment, User


def _mail_or_warn(request, enrolment, token):
    try:
        service.mail_link(request.build_absolute_uri("/"), enrolment, token)
    except OSError:
        audit.record("staff.enrolment_mail_failed", request=request, obj=enrolment.user)
        messages.error(
            request,
            _("設定連結無法寄至 %(email)s（郵件伺服器無回應），請稍後再按「重發設定連結」。")
            % {"email": enrolment.user.email},
        )
        return False
    messages.success(
        request,
        _("設定連結已寄至 %(email)s，%(hours)d 小時內有效，僅能使用一次。")
        % {"email": enrolment.user.email, "hours": service.ENROL_VALID.total_seconds() // 3600},
    )
    return True


def _staff_rows(roles):
    now = timezone.now()
    users = list(
        User.objects.filter(role__in=STAFF_ROLES)
        .annotate(
            devices=Count("totpdevice", filter=Q(totpdevice__confirmed=True), distinct=True),
        )
        .order_by("-is_active", "role", "username")
    )
    pending = {
        e.user_id: e
        for e in Enrolment.objects.filter(
            used_at__isnull=True, expires_at__gt=now, purpose=Enrolment.Purpose.ENROL
        )
    }
    waiting = {}
    for device in TOTPDevice.objects.filter(confirmed=True, throttling_failure_count__gt=0):
        until = device_waits_until(device)
        if until is not None:
            waiting[device.user_id] = until
    # Any role: a reviewer who became an organiser still holds what was assigned to them.
    unfinished = review_services.open_assignments_by_reviewer(users)
    rows = []
    for user in users:
        open_assignments = unfinished.get(user.pk, [])
        rows.append(
            {
                "user": user,
                "enrolment": pending.get(user.pk),
                "device_waits_until": waiting.get(user.pk),
                "open_assignments": open_assignments,
                "role_form": RoleForm(
                    initial={"role": user.role}, prefix=f"u{user.pk}", roles=roles
                ),
            }
        )
    return rows


@staff_required(*rules.STAFF_MANAGERS)
def accounts(request):
    """The staff accounts, and the form to create one (its link is mailed at once); the
    member's role may change the accounts of ``rules.managed_roles`` only."""
    roles = rules.managed_roles(request.user)
    form = NewStaffForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        enrolment, token = service.create(form.save(commit=False), request=request)
        _mail_or_warn(request, enrolment, token)
        return redirect("staff:accounts")
    context = {
        "form": form,
        "rows": _staff_rows(roles),
        "me": request.user,
        "managed": [role.value for role in roles],
    }
    return render(request, "accounts/staff/accounts.html", context)


@require_POST
@staff_required(*rules.STAFF_MANAGERS)
def account_action(request, pk, action):
    """One change to another staff member's account of a role the member may change (never
    one's own, nor a superuser's)."""
    roles = rules.managed_roles(request.user)
    user = get_object_or_404(User, pk=pk, role__in=STAFF_ROLES)
    if user.pk == request.user.pk or user.is_superuser or user.role not in roles:
        raise PermissionDenied
    if action == "enrol":
        if not user.is_active or not user.email:
            raise PermissionDenied
        enrolment, token = service.issue(user, request=request, by=request.user)
        _mail_or_warn(request, enrolment, token)
    elif action == "deactivate":
        service.deactivate(user, request=request)
        messages.success(request, _("已停用 %(name)s 的帳號，並已登出其所有連線。") % _names(user))
        _warn_open_reviews(request, user)
    elif action == "reactivate":
        service.reactivate(user, request=request)
        messages.success(request, _("已啟用 %(name)s 的帳號。") % _names(user))
    elif action == "role":
        form = RoleForm(request.POST, prefix=f"u{user.pk}", roles=roles)
        if not form.is_valid():
            raise PermissionDenied
        service.change_role(user, form.cleaned_data["role"], request=request)
        messages.success(
            request,
            _("%(name)s 的角色已改為%(role)s，下一次操作起生效。")
            % {**_names(user), "role": user.get_role_display()},
        )
        if user.role != Role.REVIEWER:
            _warn_open_reviews(request, user)
    else:
        raise PermissionDenied
    return redirect("staff:accounts")


def _warn_open_reviews(request, user):
    """Reviews assigned to someone who can no longer score them wait for nobody: say so."""
    left = review_services.open_assignments(user).count()
    if left:
        messages.warning(
            request,
            ngettext(
                "%(name)s 尚有 %(n)d 件審查未完成，請至審查梯次改派其他委員。",
                "%(name)s 尚有 %(n)d 件審查未完成，請至審查梯次改派其他委員。",
                left,
            )
            % {**_names(user), "n": left},
        )


def _names(user):
    return {"name": user.shown_name}


def _qr_svg(url):
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return mark_safe(svg[svg.index("<svg") :])  # noqa: S308 - our own QR code's markup


@sensitive_post_parameters("password1", "password2", "otp_token")
@csrf_protect
@never_cache
def enrol(request, token):
    """The link's page: choose a password (and scan a new secret); a code proves the device."""
    try:
        enrolment = service.find(token)
    except service.EnrolmentError:
        return render(request, "accounts/staff/enrol_invalid.html", status=410)
    form = EnrolForm(request.POST or None, enrolment=enrolment)
    if request.method == "POST" and form.is_valid():
        try:
            service.complete(enrolment, form.cleaned_data["password2"], request=request)
        except service.EnrolmentError:
            return render(request, "accounts/staff/enrol_invalid.html", status=410)
        if request.user.is_authenticated:
            auth_logout(request)
        messages.success(request, _("設定完成，請以新密碼及驗證碼登入。"))
        return redirect("staff:login")
    context = {"form": form, "enrolment": enrolment, "account": enrolment.user}
    if enrolment.purpose == Enrolment.Purpose.ENROL:
        context["qr"] = _qr_svg(service.config_url(enrolment))
        context["secret"] = service.secret_text(enrolment)
    return render(request, "accounts/staff/enrol.html", context)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@never_cache
@staff_required()
def password_change(request):
    """Every staff member changes their own password (reviewers have no admin to do it in);
    this browser stays signed in, the others are signed out."""
    form = PasswordChangeForm(request.user, request.POST or None, label_suffix="")
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        audit.record("staff.password_changed", request=request, obj=user)
        service.notify_sign_in_changed(user)
        messages.success(request, _("密碼已變更；其他已登入的瀏覽器均已登出。"))
        return redirect("staff:home")
    return render(request, "accounts/staff/password_change.html", {"form": form})


@csrf_protect
@never_cache
def forgot_password(request):
    """「忘記密碼」: the same answer whether or not the account exists."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if service.request_password_reset(request, form.cleaned_data["username"]):
            return render(request, "accounts/staff/forgot_sent.html")
        form.add_error(None, _("請求次數過多，請於 1 分鐘後再試。"))
        return render(request, "accounts/staff/forgot.html", {"form": form}, status=429)
    return render(request, "accounts/staff/forgot.html", {"form": form})
