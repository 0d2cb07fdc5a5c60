"""The company's API key pages: create (the secret is shown once), list, revoke.

The new key's secret is shown by the answer to the creating POST itself (``no-store``) and kept
nowhere: not in the session, not in a log. The form carries a one-time token, so the same form
sent again (a reload of that answer, the back button, a double click) finds the key it created
instead of creating a second one, and redirects to the list saying so.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.db.models import Max, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from aipower.accounts.decorators import company_required
from aipower.grants import services as grants
from aipower.grants.models import AllowanceState, ServiceState

from . import services
from .forms import ApiKeyForm
from .models import ApiKey, RegionRefusal, country_name

# How far back the key list warns of requests refused for their region.
REFUSAL_WARNING_DAYS = 30


def key_awards(company, today=None):
    """The awards a new key may be made for: the company's inference awards whose service has
    not ended (in use, not started yet, or suspended for now). A key of a service that is over
    would be shown once and never work."""
    today = today or timezone.localdate()
    return services.inference_awards(company).filter(
        allowance__state__in=(AllowanceState.ACTIVE, AllowanceState.SUSPENDED),
        allowance__ends_on__gte=today,
    )


def key_status(key, today):
    """What the list says of a key: revoked, expired, the service's state when it is not in use
    (the key is refused then too), or valid."""
    if key.revoked_at is not None:
        return _("已撤銷")
    if not key.is_active:
        return _("已到期")
    allowance = getattr(key.award, "allowance", None)
    if allowance is None:
        return _("有效")
    state = grants.service_state(allowance, today)
    if state != ServiceState.ACTIVE:
        return _("無法使用：%(state)s") % {"state": state.label}
    return _("有效")


def region_refusals(company, today):
    """The company's keys that were used from mainland China, Hong Kong or Macau lately (each
    request refused): per key and country, how often and when last."""
    since = today - datetime.timedelta(days=REFUSAL_WARNING_DAYS)
    return (
        RegionRefusal.objects.filter(api_key__company=company, day__gte=since)
        .values("api_key__name", "api_key__prefix", "country")
        .annotate(total=Sum("count"), last=Max("last_at"))
        .order_by("-last")
    )


def _page(request, form, *, created=None, secret=None, status=200):
    company = request.user.company
    today = timezone.localdate()
    keys = list(ApiKey.objects.filter(company=company).select_related("award__allowance"))
    for key in keys:
        key.status = key_status(key, today)
    response = render(
        request,
        "gateway/keys.html",
        {
            "form": form,
            "keys": keys,
            "refusals": [
                {**row, "country_name": country_name(row["country"])}
                for row in region_refusals(company, today)
            ],
            "has_award": services.inference_awards(company).exists(),
            "can_create": key_awards(company, today).exists(),
            "created": created,
            "secret": secret,
            "api_base": request.build_absolute_uri("/v1"),
            "default_rate_limit": settings.GATEWAY_DEFAULT_RATE_LIMIT,
        },
        status=status,
    )
    return response


@require_GET
@never_cache
@company_required
def key_list(request):
    return _page(request, ApiKeyForm(awards=key_awards(request.user.company)))


@require_POST
@never_cache
@company_required
def key_create(request):
    company = request.user.company
    awards = key_awards(company)
    form = ApiKeyForm(request.POST, awards=awards)
    if not form.is_valid():
        return _page(request, form, status=400)
    key, secret = services.create_key(
        company,
        form.cleaned_data["award"],
        form.cleaned_data["name"],
        request=request,
        expires_at=form.expires_at(),
        rate_limit=form.cleaned_data["rate_limit"],
        request_token=form.cleaned_data["request_token"],
    )
    if secret is None:
        messages.info(
            request,
            _("金鑰「%(name)s」已建立，金鑰僅於建立時顯示一次；若未保存，請撤銷後重新建立。")
            % {"name": key.name},
        )
        return redirect("keys:list")
    return _page(request, ApiKeyForm(awards=awards), created=key, secret=secret, status=201)


@require_POST
@company_required
def key_revoke(request, pk):
    key = get_object_or_404(ApiKey, pk=pk, company=request.user.company)
    if services.revoke_key(key, request=request):
        messages.success(request, _("已撤銷金鑰「%(name)s」。") % {"name": key.name})
    return redirect("keys:list")
