"""Staff pages of the company registry: a company's record and verdict, the snapshots."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from aipower.accounts import rules
from aipower.accounts.decorators import staff_required
from aipower.calls.models import Call
from aipower.core.validators import is_valid_ubn, normalize_ubn, ubn_error

from . import services
from .eligibility import is_branch, startup_priority
from .models import ListEntry, RecordedVerdict, Snapshot, TaxRecord

# Least privilege: the operator and the organiser; reviewers see what their assignments show.
STAFF_ROLES = rules.REGISTRY_VIEWERS


@require_GET
@staff_required(*STAFF_ROLES)
def company_search(request):
    """One box: a 統一編號 goes to the company page; other text (two characters or more) lists
    the companies of the current snapshot whose name contains it. A number is read as typed
    (full-width digits, spaces, hyphens: 「８４７０-００８７」); the box keeps what was typed."""
    ubn = request.GET.get("ubn", "").strip()[:100]
    number = normalize_ubn(ubn)
    error, matches, more = None, None, False
    if number.isascii() and number.isdigit():
        if is_valid_ubn(number):
            return redirect("registry:company", ubn=number)
        error = ubn_error(number)
    elif len(ubn) == 1:
        error = _("請輸入至少2個字。")
    elif ubn:
        matches = services.records_named(ubn)
        more = len(matches) > services.NAME_SEARCH_LIMIT
        matches = matches[: services.NAME_SEARCH_LIMIT]
        for record in matches:  # marked by the same rule as the verdict's
            record.is_branch = is_branch(record)
    return render(
        request,
        "registry/company_search.html",
        {
            "ubn": ubn,
            "error": error,
            "matches": matches,
            "more": more,
            "limit": services.NAME_SEARCH_LIMIT,
            "snapshot": services.current_snapshot(),
        },
    )


@require_GET
@staff_required(*STAFF_ROLES)
def company(request, ubn):
    if not is_valid_ubn(ubn):
        number = normalize_ubn(ubn)  # an address typed by hand: 「8470-0087」, full-width
        if number != ubn and is_valid_ubn(number):
            return redirect("registry:company", ubn=number)
        raise Http404
    call = Call.current()
    record = services.current_record(ubn)
    branches = []
    if record is not None and not record.head_office_ubn:
        branches = list(
            TaxRecord.objects.filter(snapshot_id=record.snapshot_id, head_office_ubn=ubn)
            .only("ubn", "name")
            .order_by("ubn")[:50]
        )
    verdict = services.verdict_for(ubn, call) if call is not None else None
    context = {
        "ubn": ubn,
        "record": record,
        "snapshot": services.current_snapshot(),
        "call": call,
        "verdict": verdict,
        # The start-up priority from the tax data alone (an application adds the date it
        # declares): without a date there, the operator checks the MOEA approval date.
        "startup_priority": startup_priority(
            verdict.founded_on,
            None,
            call.startup_founded_on_or_after,
            branch=bool(verdict.is_branch),
        )
        if verdict is not None
        else None,
        "list_entries": ListEntry.objects.filter(ubn=ubn).select_related(
            "added_by",
            "violation",  # an entry a sanction made is marked and linked
        ),
        "today": services.today(),  # entries that ended before it are marked
        # The verdicts kept when its applications were sent (the data may have changed since).
        "recorded_verdicts": RecordedVerdict.objects.filter(ubn=ubn).select_related("application")[
            :20
        ],
        "branches": branches,
        "search_url": reverse("registry:company_search"),
        "may_manage_lists": rules.can_manage_registry(request.user),
    }
    return render(request, "registry/company.html", context)


@require_GET
@staff_required(*STAFF_ROLES)
def snapshots(request):
    return render(
        request,
        "registry/snapshots.html",
        {
            "current": services.current_snapshot(),
            "snapshots": Snapshot.objects.all()[:50],
            "may_upload": rules.can_manage_registry(request.user),
        },
    )
