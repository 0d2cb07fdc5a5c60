"""The company's API guide (``/keys/guide/``): how to call the inference API with its keys —
the address, the models its awards may call (as ``/v1/models`` lists them for its keys), ready
examples for curl and the ``openai`` SDK, how use is charged and limited, and the errors."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aipower.accounts.decorators import company_required
from aipower.grants import services as grants
from aipower.grants.views import metering

from . import services
from .core import allowed_routes


def _award_entry(award, today):
    allowance = getattr(award, "allowance", None)
    return {
        "award": award,
        # (the id to send as "model", the catalogue entry)
        "models": [(name, route.model) for name, route in sorted(allowed_routes(award).items())],
        "metering": metering(allowance) if allowance is not None else "",
        "state": grants.service_state(allowance, today).label if allowance is not None else "",
    }


@require_GET
@company_required
def api_guide(request):
    today = timezone.localdate()
    awards = services.inference_awards(request.user.company).select_related(
        "allowance", "category__call"
    )
    entries = [_award_entry(award, today) for award in awards]
    example_model = next((e["models"][0][0] for e in entries if e["models"]), "MODEL_ID")
    return render(
        request,
        "gateway/guide.html",
        {
            "entries": entries,
            "api_base": request.build_absolute_uri("/v1"),
            "example_model": example_model,
            "default_rate_limit": settings.GATEWAY_DEFAULT_RATE_LIMIT,
            "default_max_tokens": settings.GATEWAY_DEFAULT_MAX_TOKENS,
            "image_tokens": f"{settings.GATEWAY_IMAGE_TOKENS:,}",  # 4,096
            "max_body_mb": settings.GATEWAY_MAX_BODY_BYTES // (1024 * 1024),
        },
    )
