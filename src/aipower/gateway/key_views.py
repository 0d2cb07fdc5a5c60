"""The company's API key pages: create (the secret is shown once), list, revoke.

Creating a key follows Post/Redirect/Get: the new secret waits in the session for the one page
view that shows it and is removed from the session by that view, so reloading the page neither
creates a second key nor shows the secret again. The secret is never logged.
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

#: Session key under which a just-created key's id and secret wait for their single display.
NEW_KEY_SESSION = "gateway.new_key"


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
    company = request.user.company
    awards = services.inference_awards(company)
    created = secret = None
    # Popped at once: shown by this response only, gone from the session store when it is saved.
    pending = request.session.pop(NEW_KEY_SESSION, None)
    if isinstance(pending, dict):
        created = ApiKey.objects.filter(pk=pending.get("id"), company=company).first()
        secret = pending.get("secret") if created is not None else None
    return _page(request, ApiKeyForm(awards=awards), created=created, secret=secret)


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
    )
    # Post/Redirect/Get: the list page shows the secret once and removes it from the session.
    request.session[NEW_KEY_SESSION] = {"id": key.pk, "secret": secret}
    return redirect("keys:list")


@require_POST
@company_required
def key_revoke(request, pk):
    key = get_object_or_404(ApiKey, pk=pk, company=request.user.company)
    if services.revoke_key(key, request=request):
        messages.success(request, _("已撤銷金鑰「%(name)s」。") % {"name": key.name})
    return redirect("keys:list")
