"""Company sign-in with the business-certificate card, the environment check, 公司資訊, logout.

The login page's script talks to the card component (HiCOS, or the development component) and
to two JSON endpoints here: ``login/challenge/`` (a fresh one-time challenge) and
``login/verify/`` (the signature and certificate, or a failure the component reported).
"""

import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import pki, resume, services
from ..decorators import company_required
from ..enums import Role

MOEACA_URL = "https://moeaca.nat.gov.tw"
HICOS_DOWNLOAD_URL = "https://moica.nat.gov.tw/download_1.html"
MAX_BODY_BYTES = 128 * 1024


def page_messages():
    """Every message the card pages' scripts may show, by code (translated here, once)."""
    texts = {code: str(cls.message) for code, cls in pki.ERRORS.items()}
    texts.update(
        {
            "login_failed": str(pki.CardLoginError.message),
            "pin_required": _("請輸入PIN碼。"),
            "reader_required": _("請選擇讀卡機。"),
            # Before signing, the page knows the reader is there but empty ("no_reader" is
            # pki.NoReader's, above; the component's pki.NoCard covers both).
            "no_card_inserted": _("讀卡機中沒有憑證IC卡，請插入工商憑證卡後，按「重新整理」。"),
            "popup_blocked": _("瀏覽器封鎖了讀卡元件的視窗，請允許本網站開啟彈出視窗後再試一次。"),
            "popup_closed": _("讀卡元件視窗已關閉，簽章未完成，請再按一次「登入」。"),
            "network": _("無法連線到伺服器，請稍後再試。"),
            "loading_readers": _("正在讀取讀卡機……"),
            "readers_found": _("偵測到 %(readers)s 台讀卡機、%(cards)s 張憑證 IC 卡。"),
            "signing": _("簽章中，請依讀卡元件視窗指示操作……"),
            "verifying": _("驗證憑證中……"),
            "card_number": _("卡號"),
            "no_card_in_reader": _("未插卡"),
        }
    )
    return texts


def envcheck_messages():
    return {
        "yes": "YES",
        "no": "NO",
        "checking": _("檢測中……"),
        # As the programme document shows it: 「2.3.4 / 服務 1.3.4.103350」.
        "component_found": _("%(component)s / 服務 %(service)s"),
        "component_missing": _("未偵測到跨平台網頁讀卡元件。"),
        "component_found_no_version": _("已偵測到跨平台網頁讀卡元件，但無法取得版本。"),
        "component_outdated": _(
            "元件版本 %(component)s 過舊（最低需求 %(minimum)s），請下載並安裝新版。"
        ),
        "readers_done": _("檢測完成：偵測到 %(readers)s 台讀卡機、%(cards)s 張憑證 IC 卡。"),
        "readers_summary": _("%(readers)s 台讀卡機、%(cards)s 張憑證 IC 卡"),
        "card_number": _("卡號"),
        "no_card_in_reader": _("未插卡"),
        "time_ok": _("與伺服器時間相符"),
        "time_off": _(
            "您電腦的時間與伺服器相差約 %(minutes)s 分鐘，請校正系統時間"
            "（簽章與申請期限都以時間判斷）。"
        ),
    }


def _with_popup_opener(response):
    # The card component's popup must be able to reach window.opener (cross-origin), so this
    # page relaxes Django's default "same-origin" opener policy for popups it opens.
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin-allow-popups"
    return response


@require_safe
def envcheck(request):
    context = {
        "server_time_ms": int(time.time() * 1000),
        "hicos_download_url": HICOS_DOWNLOAD_URL,
        "minimum_version": settings.CARD_COMPONENT_MIN_VERSION,
        "envcheck_messages": envcheck_messages(),
    }
    return render(request, "accounts/envcheck.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def login_page(request):
    user = request.user
    if user.is_authenticated and user.role == Role.COMPANY and user.company_id:
        return redirect("accounts:company")
    if request.method == "GET":
        resume.remember_next(request, request.GET.get(REDIRECT_FIELD_NAME))
    context = {
        "moeaca_url": MOEACA_URL,
        "hicos_download_url": HICOS_DOWNLOAD_URL,
        "page_messages": page_messages(),
        # Reached only when the browser submitted the form itself (script not running).
        "needs_script": request.method == "POST",
    }
    return _with_popup_opener(render(request, "accounts/login.html", context))


def _failure(error: pki.CardLoginError):
    status = 429 if isinstance(error, pki.Throttled) else 400
    body = {"ok": False, "code": error.code, "message": str(error.message)}
    if isinstance(error, pki.Throttled):
        body["retry_after"] = error.seconds
    return JsonResponse(body, status=status)


@require_POST
def new_challenge(request):
    try:
        challenge = services.issue_challenge(request)
    except pki.Throttled as error:
        return _failure(error)
    return JsonResponse(
        {
            "ok": True,
            "challenge": challenge.nonce,
            "expires_in": int((challenge.expires_at - challenge.created_at).total_seconds()),
        }
    )


def _json_body(request):
    if len(request.body) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


@require_POST
def verify(request):
    data = _json_body(request)
    try:
        if data is None:
            services.admit_attempt(request)
            error = pki.MalformedData("request body is not a JSON object")
            services.record_failure(request, error)
            return _failure(error)
        if "signature" not in data:
            error = services.report_component_failure(
                request,
                nonce=data.get("challenge"),
                ret_code=data.get("ret_code"),
                last_error=data.get("last_error"),
                failure=data.get("failure"),
            )
            return _failure(error)
        user = services.card_login(
            request,
            nonce=data.get("challenge"),
            signature=data.get("signature"),
            certificate=data.get("certificate"),
        )
    except pki.CardLoginError as error:
        return _failure(error)
    target = resume.next_url(request, resume.asked_for(request) or reverse("accounts:company"))
    return resume.remember(JsonResponse({"ok": True, "redirect": target}), user)


@company_required
@require_safe
def company(request):
    # The eligibility pre-check (03-rules.md) so a company that cannot qualify learns it before
    # filling anything. registry sits beside accounts in the import order; only its read API
    # is used here.
    from aipower.applications.services import (
        already_applied_message,
        application_in_call,
        not_eligible,
        submitted_application,
    )
    from aipower.calls.models import Call
    from aipower.public.presenters import call_status
    from aipower.registry.services import company_profile, verdict_for

    company = request.user.company
    call = Call.current()
    # One application per company per call: once it is sent, the page leads to it instead of
    # offering 「我要申請」 (which could only lead back to 申請案狀態).
    applied = submitted_application(company, call)
    # Outside the application period (or with no call) 「我要申請」 could only say so on the next
    # page: the page says it here, as the home page does; a draft of this call stays reachable.
    status = call_status(call)
    closed = not status.is_open and application_in_call(company, call) is None
    context = {
        "applied": applied,
        "applied_message": already_applied_message(applied) if applied else "",
        "closed_reason": status.reason if closed and applied is None else "",
        # 「我要申請」 and the note on filling the form in, only for a company the wizard would
        # not refuse (the applications app's rule, as /apply/ applies it).
        "may_apply": applied is None
        and not closed
        and (call is None or not_eligible(company, call) is None),
        "company": company,
        "call": call,
        "verdict": verdict_for(company.ubn, call) if call is not None else None,
        "profile": company_profile(company.ubn, fallback_name=company.name),
        # Its applications of any call (an earlier year's award runs on after the next year's
        # call exists): the page then links 申請案狀態 whatever the current call's verdict.
        "has_applications": company.applications.exists(),
    }
    return render(request, "accounts/company.html", context)


@require_POST
def logout_view(request):
    services.logout_company(request)
    messages.info(request, _("您已登出。"))
    return resume.forget(redirect("accounts:login"))
