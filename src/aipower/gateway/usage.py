"""The company's record of its API requests, for support to trace a request by its id.

Shown on the usage page of ``grants``, which does not import this app: the latest requests
through ``{% recent_requests allowance %}`` (``templatetags/gateway_usage.py``) and all of the
award's requests as CSV (``requests_csv``, mounted under the usage page by ``grants.urls``
through ``include``). Counts, ids and outcomes only: the gateway keeps no prompt or completion.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from aipower.accounts.decorators import company_required
from aipower.calls.enums import CategoryKind
from aipower.core.csvcells import csv_stream, safe_cell
from aipower.grants.models import Allowance

from .core import ENDPOINTS, public_model_id
from .models import MeteredRequest, RequestOutcome

RECENT_REQUESTS = 100

# The columns, labelled with the model's verbose names.
FIELDS = (
    "request_id",
    "started_at",
    "model",
    "endpoint",
    "stream",
    "prompt_tokens",
    "completion_tokens",
    "outcome",
)


def labels() -> list[str]:
    return [str(MeteredRequest._meta.get_field(name).verbose_name) for name in FIELDS]


def requests_of(allowance):
    """The award's metered requests, newest first."""
    return (
        MeteredRequest.objects.filter(award_id=allowance.award_id)
        .select_related("model")
        .order_by("-started_at", "-id")
    )


def outcome_labels() -> dict:
    """The outcomes' names in the active language, read once per list: a model's
    ``get_outcome_display()`` translates every choice again for each row (half of a CSV's time
    at tens of thousands of requests)."""
    return {value: str(label) for value, label in RequestOutcome.choices}


def row(record: MeteredRequest, outcomes: dict) -> dict:
    """One request as shown: the model as clients name it, the endpoint as its path;
    ``outcomes``: ``outcome_labels()``."""
    return {
        "request_id": record.request_id,
        "started_at": record.started_at,
        "model": public_model_id(record.model),
        "endpoint": "/v1" + ENDPOINTS.get(record.endpoint, "/" + record.endpoint),
        "stream": record.stream,
        "prompt_tokens": record.prompt_tokens,
        "completion_tokens": record.completion_tokens,
        "outcome": outcomes[record.outcome],
    }


def recent(allowance) -> list[dict]:
    outcomes = outcome_labels()
    return [row(record, outcomes) for record in requests_of(allowance)[:RECENT_REQUESTS]]


@company_required
def requests_csv(request, pk):
    """Every request of the company's own inference allowance ``pk`` (anyone else's: 404)."""
    allowance = get_object_or_404(
        Allowance.objects.select_related("company"),
        pk=pk,
        company_id=request.user.company_id,
        kind=CategoryKind.INFERENCE,
    )
    filename = f"requests-{allowance.company.ubn}-{allowance.pk}.csv"

    def rows():
        yield labels()
        yes, no = _("是"), _("否")
        outcomes = outcome_labels()
        for record in requests_of(allowance).iterator():
            cells = row(record, outcomes)
            yield [
                cells["request_id"],
                timezone.localtime(cells["started_at"]).strftime("%Y-%m-%d %H:%M:%S"),
                safe_cell(cells["model"]),
                cells["endpoint"],
                yes if cells["stream"] else no,
                cells["prompt_tokens"],
                cells["completion_tokens"],
                cells["outcome"],
            ]

    return csv_stream(filename, rows())
