"""The company's API key pages: create (the secret is shown once), list, revoke.

The new key's secret is shown by the answer to the creating POST itself (``no-store``) and kept
nowhere: not in the session, not in a log. The form carries a one-time token, so the same form
sent again (a reload of that answer, the back button, a double click) finds the key it created
instead of creating a second one, and redirects to the list saying so.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from aipower.accounts.decorators import company_required

from . import services
from .forms import ApiKeyForm
from .models import ApiKey


def _page(request, form, *, created=None, secret=None, status=200):
    company = request.user.company
    keys = ApiKey.objects.filter(company=company).select_related("award")
    response = render(
        request,
        "gateway/keys.html",
        {
            "form": form,
            "keys": keys,
            "has_award": services.inference_awards(company).exists(),
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
    awards = services.inference_awards(request.user.company)
    return _page(request, ApiKeyForm(awards=awards))


@require_POST
@never_cache
@company_required
def key_create(request):
    company = request.user.company
    awards = services.inference_awards(company)
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
