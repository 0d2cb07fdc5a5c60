"""Staff pages of compliance: the violations (with the inactivity rule's notices), recording one,
and deciding its sanction. The operator records and decides; the organiser reads."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aipower.accounts import rules
from aipower.accounts.decorators import staff_required
from aipower.accounts.resume import resumable
from aipower.core import audit
from aipower.core.csvcells import csv_download, safe_cell
from aipower.core.templatetags.roc import roc_date, roc_datetime
from aipower.grants.models import AllowanceState

from . import services
from .enums import NoticeOutcome, PledgeState, Sanction, UsageRule
from .forms import DecideForm, PledgeCheckForm, RecordForm
from .models import InactivityNotice, Pledge, Violation, WatchEntry


@staff_required(*rules.COMPLIANCE_VIEWERS)
def index(request):
    violations = Violation.objects.select_related(
        "company", "award__category", "recorded_by", "decided_by"
    )
    pending_only = request.GET.get("pending") == "1"
    if pending_only:
        violations = violations.filter(sanction=Sanction.PENDING)
    # With its mail: one not delivered keeps the rule from counting a violation; the operator
    # sees it while the company can still be reached another way.
    notices = InactivityNotice.objects.filter(outcome=NoticeOutcome.OPEN).select_related(
        "allowance__company", "allowance__award__category", "mail"
    )
    # Notices whose three days passed without use but that the rule could not count (the
    # service was not active, the period ended first, the mail did not reach a contact): the
    # operator decides whether to record the violation by hand.
    lapsed = (
        InactivityNotice.objects.filter(
            outcome=NoticeOutcome.VOID,
            respond_by__gte=timezone.localdate() - timedelta(days=LAPSED_NOTICE_DAYS),
        )
        .exclude(  # the operator recorded it since
            Exists(
                Violation.objects.filter(
                    award_id=OuterRef("allowance__award_id"), rule=UsageRule.INACTIVITY
                )
            )
        )
        .select_related("allowance__company", "allowance__award__category")
        .order_by("-respond_by", "-pk")
    )
    return render(
        request,
        "compliance/index.html",
        {
            "region_refusals": _region_refusals(),
            "violations": violations[:500],
            "pending_only": pending_only,
            "pending_count": Violation.objects.filter(sanction=Sanction.PENDING).count(),
            "notices": notices,
            "lapsed_notices": lapsed,
            "watch_entries": WatchEntry.objects.select_related("company", "added_by"),
            "pending_pledges": Pledge.objects.filter(
                state=PledgeState.PENDING, award__ends_on__lt=timezone.localdate()
            ).count(),
            "can_manage": rules.can_manage_compliance(request.user),
        },
    )


def _shown(user):
    """A staff member as the pages name them (``User.shown_name``), or nothing."""
    return user.shown_name if user else ""


@staff_required(*rules.COMPLIANCE_VIEWERS)
def export_csv(request):
    """The violations (all, or those awaiting a sanction) as a CSV, as the page lists them."""
    pending_only = request.GET.get("pending") == "1"
    violations = Violation.objects.select_related(
        "company", "award__category", "recorded_by", "decided_by"
    ).order_by("pk")
    if pending_only:
        violations = violations.filter(sanction=Sanction.PENDING)
    suffix = "-pending" if pending_only else ""
    response, writer = csv_download(f"violations-{timezone.localdate():%Y%m%d}{suffix}.csv")
    writer.writerow(
        [
            "#",
            _("申請企業"),
            _("統一編號"),
            _("申請類別"),
            _("違反之使用規範"),
            _("發生日期"),
            _("事證說明"),
            _("情節"),
            _("記錄者"),
            _("記錄時間"),
            _("處分"),
            _("處分說明"),
            _("處分者"),
            _("處分時間"),
            _("恢復服務時間"),
        ]
    )

    def moment(value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    rows = 0
    for v in violations:
        if v.serious:
            degree = _("情節重大")
        elif v.urgent:
            degree = _("情節急迫")
        else:
            degree = _("一般")
        writer.writerow(
            [
                v.pk,
                safe_cell(v.company.name),
                safe_cell(v.company.ubn),
                v.award.category.get_kind_display(),
                _("第 %(rule)s 點") % {"rule": v.rule},
                v.occurred_on.isoformat(),
                safe_cell(v.evidence),
                degree,
                _("系統自動記錄") if v.automatic else safe_cell(_shown(v.recorded_by)),
                moment(v.recorded_at),
                v.get_sanction_display(),
                safe_cell(v.decision_note),
                safe_cell(_shown(v.decided_by)),
                moment(v.decided_at),
                moment(v.reinstated_at),
            ]
        )
        rows += 1
    # As the other lists' exports: the records leave the system.
    audit.record(
        "compliance.exported", request=request, filter="pending" if pending_only else "", rows=rows
    )
    return response


# How far back the compliance page lists requests refused for their region, and inactivity
# notices the rule could not count as a violation.
REGION_REFUSAL_DAYS = 90
LAPSED_NOTICE_DAYS = 90


def _region_refusals():
    """Requests refused for coming from mainland China, Hong Kong or Macau (使用規範第2點), per
    key and day, latest first: the gateway's counts (read here, as the review page reads the
    compliance records)."""
    from aipower.gateway.models import RegionRefusal

    since = timezone.localdate() - timedelta(days=REGION_REFUSAL_DAYS)
    refusals = list(
        RegionRefusal.objects.filter(day__gte=since).select_related(
            "award__company", "award__category", "api_key"
        )[:200]
    )
    # The violation already recorded for an award's refusals of a day (第2點, that day: the
    # record form refuses a second one), shown in the row instead of the link to record it.
    recorded = {}
    if refusals:
        recorded = {
            (award_id, day): pk
            for pk, award_id, day in Violation.objects.filter(
                rule=UsageRule.MAINLAND_IP,
                award_id__in={r.award_id for r in refusals},
                occurred_on__in={r.day for r in refusals},
            ).values_list("pk", "award_id", "occurred_on")
        }
    for refusal in refusals:
        refusal.violation_id = recorded.get((refusal.award_id, refusal.day))
    return refusals


def _initial_from_refusal(pk) -> dict:
    """The record form filled in from a region refusal: its award, 第2點, its day, and the
    evidence in words."""
    from aipower.gateway.models import RegionRefusal

    refusal = RegionRefusal.objects.select_related("api_key").filter(pk=pk).first()
    if refusal is None:
        return {}
    evidence = _(
        "API 金鑰「%(key)s」（%(prefix)s…）於 %(day)s 自%(country)s之位址連線本平台 %(count)s 次，"
        "均經拒絕；最近一次 %(last)s，來源位址 %(address)s。"
    ) % {
        "key": refusal.api_key.name,
        "prefix": refusal.api_key.prefix,
        "day": roc_date(refusal.day),
        "country": refusal.country_name,
        "count": refusal.count,
        "last": roc_datetime(refusal.last_at),
        "address": refusal.last_address,
    }
    return {
        "award": refusal.award_id,
        "rule": UsageRule.MAINLAND_IP,
        "occurred_on": refusal.day,
        "evidence": evidence,
    }


def _initial_from_notice(pk) -> dict:
    """The record form filled in from an inactivity notice the rule did not count: its award,
    第6點, the day the rule would date it (``services.violation_day``), and its facts in words
    (as the rule would record)."""
    notice = (
        InactivityNotice.objects.filter(pk=pk, outcome=NoticeOutcome.VOID)
        .select_related("allowance")
        .first()
    )
    if notice is None:
        return {}
    with translation.override("zh-hant"):  # as the rule's own record
        evidence = services.inactivity_evidence(notice)
    return {
        "award": notice.allowance.award_id,
        "rule": UsageRule.INACTIVITY,
        "occurred_on": services.violation_day(notice),
        "evidence": evidence,
    }


@require_http_methods(["GET", "POST"])
@staff_required(*rules.COMPLIANCE_MANAGERS)
@resumable
def record(request):
    initial = {}
    if request.method == "GET" and request.GET.get("refusal", "").isdigit():
        initial = _initial_from_refusal(int(request.GET["refusal"]))
    elif request.method == "GET" and request.GET.get("notice", "").isdigit():
        initial = _initial_from_notice(int(request.GET["notice"]))
    form = RecordForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            violation = services.record_violation(
                data["award"],
                data["rule"],
                data["occurred_on"],
                data["evidence"],
                by=request.user,
                request=request,
                urgent=data["urgent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已記錄違規紀錄 #%(id)s。") % {"id": violation.pk})
            return redirect("compliance:detail", pk=violation.pk)
    return render(request, "compliance/record.html", {"form": form})


@require_http_methods(["GET", "POST"])
@staff_required(*rules.COMPLIANCE_VIEWERS)
def detail(request, pk):
    violation = get_object_or_404(
        Violation.objects.select_related(
            "company",
            "award__category",
            "recorded_by",
            "decided_by",
            "reinstated_by",
            "list_entry",
        ),
        pk=pk,
    )
    can_manage = rules.can_manage_compliance(request.user)
    allowance = getattr(violation.award, "allowance", None)
    form = None
    if violation.pending and can_manage:
        form = DecideForm(request.POST or None, violation=violation, allowance=allowance)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.decide(
                    violation,
                    data["sanction"],
                    by=request.user,
                    note=data["note"],
                    bar_until=data["bar_until"] if data["sanction"] == Sanction.BAR else None,
                    request=request,
                )
            except ValidationError as error:
                form.add_error("sanction", error)
            else:
                messages.success(
                    request,
                    _("已確定處分：%(sanction)s。")
                    % {"sanction": Sanction(data["sanction"]).label},
                )
                return redirect("compliance:detail", pk=violation.pk)
    elif request.method == "POST":
        return redirect("compliance:detail", pk=violation.pk)
    history = Violation.objects.filter(company_id=violation.company_id).select_related(
        "award__category"
    )
    return render(
        request,
        "compliance/detail.html",
        {
            "violation": violation,
            "form": form,
            "history": history,
            "allowance": allowance,
            "notice": getattr(violation, "inactivity_notice", None),
            "can_reinstate": can_manage
            and violation.sanction == Sanction.SUSPEND
            and violation.reinstated_at is None
            and allowance is not None
            and allowance.state == AllowanceState.SUSPENDED,
        },
    )


def _pledge_rows(request, bound=None):
    """Pledges of awards whose period has ended, pending first, each with its check form."""
    pledges = (
        Pledge.objects.filter(award__ends_on__lt=timezone.localdate())
        .select_related("award__company", "award__category", "checked_by")
        .order_by("-state", "award__ends_on", "award_id", "field")
    )
    can_manage = rules.can_manage_compliance(request.user)
    rows = []
    for pledge in pledges:
        form = None
        if can_manage and pledge.state == PledgeState.PENDING:
            form = bound if bound is not None and bound.pledge.pk == pledge.pk else None
            form = form or PledgeCheckForm(pledge=pledge, prefix=f"p{pledge.pk}")
        rows.append((pledge, form))
    return rows


@staff_required(*rules.COMPLIANCE_VIEWERS)
def pledges(request):
    return render(request, "compliance/pledges.html", {"rows": _pledge_rows(request)})


@require_POST
@staff_required(*rules.COMPLIANCE_MANAGERS)
def check_pledge(request, pk):
    pledge = get_object_or_404(Pledge, pk=pk, award__ends_on__lt=timezone.localdate())
    form = PledgeCheckForm(request.POST, pledge=pledge, prefix=f"p{pledge.pk}")
    if form.is_valid():
        try:
            services.check_pledge(
                pledge,
                form.cleaned_data["state"] == PledgeState.MET,
                by=request.user,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as error:
            form.add_error("state", error)
        else:
            return redirect(reverse("compliance:pledges") + f"#pledge-{pledge.pk}")
    return render(
        request, "compliance/pledges.html", {"rows": _pledge_rows(request, bound=form)}, status=400
    )


@require_POST
@staff_required(*rules.COMPLIANCE_MANAGERS)
def reinstate(request, pk):
    violation = get_object_or_404(Violation, pk=pk)
    try:
        standing = services.reinstate(violation, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if standing is None:
            messages.success(request, _("服務已恢復。"))
        else:
            messages.warning(
                request,
                _("已解除本案之暫停處分；服務仍因違規紀錄 #%(id)s 暫停。") % {"id": standing.pk},
            )
    return redirect("compliance:detail", pk=violation.pk)
