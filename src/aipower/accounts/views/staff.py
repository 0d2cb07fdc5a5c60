"""Staff sign-in (account, password and TOTP code), sign-out and the staff home page.

A successful sign-in logs the user in *and* marks the session as verified by the TOTP device
(``django_otp.login``), which ``staff_required`` and the admin demand. Failures are throttled per
address and every sign-in, failure and sign-out is written to the audit log, never with the
password or the code.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from aipower import health
from aipower.applications.mailbox import failures_by_stage
from aipower.core import audit, throttle
from aipower.deliverables.rules import can_record_demo_attendance, can_view_deliverables
from aipower.followup.rules import can_manage_rounds, can_view_followup
from aipower.privacy.phrases import STAFF_LINK_DESCRIPTION, STAFF_LINK_LABEL
from aipower.privacy.rules import can_view_data_requests
from aipower.registry import services as registry_services
from aipower.review import services as review_services

from .. import resume, rules
from ..decorators import staff_required
from ..forms import StaffLoginForm

THROTTLE_SCOPE = "staff-login"
# The registry app's staff pages; their URL names are the registry work's to choose.


def safe_next(request, default="staff:home"):
    """The ``next`` URL when it points to this site, otherwise ``default``."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME) or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _is_verified_staff(user):
    return rules.is_staff_member(user) and user.is_verified()


@sensitive_post_parameters("password", "otp_token")
@csrf_protect
@never_cache
def login_view(request):
    if request.method != "POST" and _is_verified_staff(request.user):
        return redirect(safe_next(request))

    ip = audit.client_ip(request)
    if request.method == "POST":
        # A guess is counted before it is checked (a failure needs nothing more), in one locked
        # step with the check of the wait: a burst sent together cannot all pass before the
        # first counts. A form with a field left blank is no guess: only the wait is checked.
        if _is_complete(request.POST):
            wait = throttle.admit(THROTTLE_SCOPE, ip)
        else:
            wait = throttle.retry_after(THROTTLE_SCOPE, ip)
        if wait:
            return _refuse(request, ip, wait)
        return _sign_in(request, ip)
    return _render_login(request, StaffLoginForm(request=request), 0)


def _is_complete(data):
    """Whether the form will check these fields (``StaffLoginForm.clean``): a password is kept
    as typed, the other two are stripped. Erring towards "complete" only counts more."""
    return bool(
        (data.get("username") or "").strip()
        and data.get("password")
        and (data.get("otp_token") or "").strip()
    )


def _refuse(request, ip, wait):
    """429 while the address must wait: refused before any check (no password hashing, no
    code spent), so a throttled guess reveals nothing; the typed account name is kept."""
    username = request.POST.get("username", "")[:150]
    form = StaffLoginForm(request=request, initial={"username": username})
    if throttle.log_once(THROTTLE_SCOPE, ip, wait):
        audit.record(
            "staff.login_throttled",
            request=request,
            username=_known_username(username),
            retry_after=wait,
        )
    return _render_login(request, form, wait, status=429)


def _sign_in(request, ip):
    form = StaffLoginForm(request.POST, request=request)
    wait = 0
    if form.is_valid():
        throttle.reset(THROTTLE_SCOPE, ip)
        auth_login(request, form.user)
        otp_login(request, form.device)
        audit.record("staff.login", request=request, obj=form.user, device=form.device.pk)
        return resume.remember(redirect(resume.next_url(request, safe_next(request))), form.user)
    if form.failure_reason != "incomplete":
        audit.record(
            "staff.login_failed",
            request=request,
            username=_known_username(form.cleaned_data.get("username", "")),
            reason=form.failure_reason,
        )
        wait = throttle.retry_after(THROTTLE_SCOPE, ip)
    return _render_login(request, form, wait)


def _known_username(typed):
    """The typed account name for the audit log, only when such an account exists: a password
    typed into the wrong box must not be kept for years."""
    typed = (typed or "")[:150]
    return typed if typed and get_user_model().objects.filter(username=typed).exists() else ""


def _render_login(request, form, wait, status=200):
    context = {
        "form": form,
        "next": request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, ""),
        "wait_message": _wait_message(wait) if wait else "",
    }
    return render(request, "accounts/staff/login.html", context, status=status)


def _wait_message(seconds):
    return ngettext(
        "嘗試次數過多，請於 %(seconds)d 秒後再試。",
        "嘗試次數過多，請於 %(seconds)d 秒後再試。",
        seconds,
    ) % {"seconds": seconds}


@require_POST
@csrf_protect
def logout_view(request):
    if request.user.is_authenticated:
        audit.record("staff.logout", request=request, obj=request.user)
    auth_logout(request)
    messages.success(request, _("您已登出。"))
    return resume.forget(redirect("staff:login"))


def staff_links(user):
    """The pages the user's role may use, as (label, description, url) for the home page."""
    links = []
    if rules.can_manage_call(user):
        links.append(
            (
                _("管理設定"),
                _("徵件、類別、梯次、點數級別、審查重點、模型清單、條款與公告。"),
                reverse("admin:index"),
            )
        )
    elif rules.can_use_admin(user):
        links.append(
            (
                _("管理設定（唯讀）"),
                _("檢視徵件設定、企業與名單。"),
                reverse("admin:index"),
            )
        )
    if rules.can_view_registry(user):
        links.append(
            (
                _("稅籍資料與管制名單"),
                _("查詢稅籍登記資料，維護管制名單。")
                if rules.can_manage_registry(user)
                else _("查詢稅籍登記資料與管制名單。"),
                reverse("registry:company_search"),
            )
        )
    if rules.can_view_usage(user):
        links.append(
            (
                _("算力使用概況"),
                _("各核定案點數使用、服務狀態與每月使用點數。"),
                reverse("grants_staff:usage"),
            )
        )
    if rules.can_view_compliance(user):
        links.append(
            (
                _("違規紀錄"),
                _("違反使用規範之紀錄、處分與未使用算力通知。"),
                reverse("compliance:index"),
            )
        )
    if can_view_deliverables(user):
        links.append(
            (
                _("成果繳交管理"),
                _(
                    "各核定案結案報告、成果簡報、產品demo影片繳交情形與逾期清單，"
                    "登錄產品demo會議出席。"
                )
                if can_record_demo_attendance(user)
                else _("各核定案結案報告、成果簡報、產品demo影片繳交情形與逾期清單。"),
                reverse("deliverables_staff:index"),
            )
        )
    if can_view_followup(user):
        links.append(
            (
                _("產品化調查"),
                _(
                    "成效追蹤：開啟產品化調查，檢視各核定案填報情形（已填報、未填報、逾期）"
                    "與填報內容。"
                )
                if can_manage_rounds(user)
                else _("成效追蹤：檢視各核定案填報情形（已填報、未填報、逾期）與填報內容。"),
                reverse("followup_staff:index"),
            )
        )
    if can_view_data_requests(user):
        links.append((STAFF_LINK_LABEL, STAFF_LINK_DESCRIPTION, reverse("privacy_staff:index")))
    if rules.can_view_mail(user):
        links.append(
            (
                _("寄送郵件紀錄"),
                _("系統寄出之通知郵件及寄送結果；寄送失敗者可重新寄送。")
                if rules.can_resend_mail(user)
                else _("系統寄出之通知郵件及寄送結果。"),
                reverse("mail_staff:index"),
            )
        )
    if rules.can_manage_staff(user):
        links.append(
            (
                _("工作人員帳號"),
                _("新增執行單位、主辦單位與審查委員帳號，重發設定連結、變更角色、停用帳號。")
                if len(rules.managed_roles(user)) > 1
                else _("新增審查委員帳號，重發設定連結、停用帳號。"),
                reverse("staff:accounts"),
            )
        )
    if rules.can_view_audit(user):
        links.append(
            (
                _("稽核紀錄"),
                _("登入、設定變更與審查決定的紀錄。"),
                reverse("review:audit"),
            )
        )
    return links


@staff_required()
def home(request):
    user = request.user
    retrying_mails, failed_mails = failures_by_stage() if rules.can_view_mail(user) else (0, 0)
    context = {
        "links": staff_links(user),
        "is_reviewer": rules.can_score(user),
        "can_decide_awards": rules.can_decide_awards(user),
        # Given up: the operator should resend; still retrying: the sweep will (an outage).
        "failed_mails": failed_mails,
        "can_resend_mail": rules.can_resend_mail(user),
        "retrying_mails": retrying_mails,
        "awaiting_approval": (
            review_services.batches_awaiting_approval() if rules.can_decide_awards(user) else []
        ),
        "open_assignments": (
            review_services.open_assignments(user) if rules.can_score(user) else []
        ),
        # With nothing to score, the reviewer still learns where their sent sheets are.
        "submitted_assignments": (
            review_services.submitted_assignments(user).count() if rules.can_score(user) else 0
        ),
    }
    if rules.can_manage_registry(user):  # the operator keeps the programme running
        context.update(operator_warnings())
    if rules.can_manage_compliance(user):
        context.update(compliance_warnings())
    return render(request, "accounts/staff/home.html", context)


# How far back the staff home counts the keys refused for their region.
REGION_REFUSAL_WARNING_DAYS = 7


def compliance_warnings(today=None):
    """What waits for the operator's compliance decision: violations without a sanction, and
    API keys the gateway refused lately for connecting from mainland China, Hong Kong or Macau
    (使用規範第2點; the compliance page lists them)."""
    from aipower.compliance.enums import Sanction
    from aipower.compliance.models import Violation
    from aipower.gateway.models import RegionRefusal

    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=REGION_REFUSAL_WARNING_DAYS - 1)
    return {
        "pending_violations": Violation.objects.filter(sanction=Sanction.PENDING).count(),
        "region_refused_keys": RegionRefusal.objects.filter(day__gte=since)
        .values("api_key")
        .distinct()
        .count(),
        "region_refusal_days": REGION_REFUSAL_WARNING_DAYS,
    }


def operator_warnings(today=None):
    """What the operator should know is behind: the task worker (mails, imports and reminders
    wait for it) and the tax-registration data the eligibility pre-check reads."""
    today = today or timezone.localdate()
    snapshot = registry_services.current_snapshot()
    published = snapshot.published_on if snapshot is not None else None
    stale_after = settings.REGISTRY_STALE_DAYS
    return {
        "worker_stalled": health.task_queue() == "stalled",
        "backlog_minutes": settings.HEALTH_BACKLOG_SECONDS // 60,
        "registry_published": published,
        "registry_age": (today - published).days if published else None,
        "registry_stale": bool(
            published and stale_after and (today - published).days > stale_after
        ),
    }
